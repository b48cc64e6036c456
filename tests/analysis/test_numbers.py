"""numbers.read_values: digits, separators, scale words, number words, units, ranges, dates."""

from __future__ import annotations

import pytest

from newsprism.analysis.numbers import number_words, read_values


def _ns(text: str, language: str) -> list[float]:
    return [v.value for v in read_values(text, language) if v.space == "n"]


@pytest.mark.parametrize(("text", "language", "values"), [
    ("Floods have killed six people.", "en", [6]),
    ("Паводок на Закарпатье: погибли пять человек", "ru", [5]),
    ("в пяти километрах от хутора", "ru", [5]),
    ("Co najmniej sześciu osób zginęło, pięć domów", "pl", [6, 5]),
    ("У Закарпатті загинули п'ятеро, ні: п’ять людей", "uk", [5]),
    ("Fünf Menschen starben, einundzwanzig wurden verletzt", "de", [5, 21]),
    ("Cinq morts et vingt-deux blessés", "fr", [5, 22]),
    ("Cinco muertos y veinticinco heridos", "es", [5, 25]),
    ("Cinque morti e ventotto feriti", "it", [5, 28]),
    ("twenty-five people", "en", [25]),
])
def test_number_words_in_eight_languages(text: str, language: str, values: list[float]) -> None:
    assert _ns(text, language) == values


def test_words_of_one_language_only() -> None:
    # "due" is two in Italian, an English adjective; "sei" six in Italian, "be" in German
    assert _ns("The payment is due today", "en") == []
    assert _ns("Sei bitte pünktlich", "de") == []
    assert number_words("it")["due"] == 2


@pytest.mark.parametrize(("text", "language", "value"), [
    ("35.000 Menschen", "de", 35000), ("35 000 personnes", "fr", 35000), ("35,000 people", "en", 35000),
    ("35\u202f000 osób", "pl", 35000), ("3,5 Prozent", "de", 3.5), ("3.5 percent", "en", 3.5),
    ("0,001 секунды", "ru", 0.001), ("1.234,5 Euro", "de", 1234.5), ("1,9 Milliarden Euro", "de", 1.9e9),
    ("2,75 mds d'euros", "fr", 2.75e9), ("40 mln euro", "pl", 40e6), ("38 milioni di euro", "it", 38e6),
    ("$278 billion", "en", 278e9), ("33 тысячами умерших", "ru", 33000), ("1,4 миллионом", "ru", 1.4e6),
    ("€40m fee", "en", 40e6), ("12 tysięcy żołnierzy", "pl", 12000),
])
def test_separators_and_scales(text: str, language: str, value: float) -> None:
    assert _ns(text, language) == [pytest.approx(value)]


def test_units_kinds_and_slots() -> None:
    values = read_values("Inflation rose 3,4 % and the rate by 0,5 Prozentpunkte; 41 000$ for 6 dead", "de")
    assert [(v.kind, v.unit) for v in values] == [("pct", "%"), ("pp", "pp"), ("money", "money"), ("count", "")]
    assert values[-1].slot == "dead"
    assert read_values("Длиной примерно 4,5 метра.", "ru")[0].unit == "m"
    assert read_values("That's about a 15-foot boat.", "en")[0].unit == "foot"


def test_ranges_share_unit_and_text() -> None:
    a, b = read_values("15 bis 20 Zentimeter am Tag", "de")
    assert (a.value, b.value, a.unit, b.unit, a.text) == (15, 20, "cm", "cm", "15 bis 20 Zentimeter")
    a, b = read_values("der Saison 2019/20", "de")
    assert (a.value, b.value, a.kind, b.kind) == (2019, 2020, "year", "year")
    a, b = read_values("zwischen 2 und 3 Millionen", "de")
    assert (a.value, b.value) == (2e6, 3e6)


def test_dates_months_weekdays_and_times() -> None:
    values = read_values("On Saturday, July 35, at 11:28 AM, it happened", "en")
    assert [(v.space, v.month, v.value) for v in values] == [
        ("weekday", 0, 5), ("day", 7, 35), ("n", 0, 11), ("n", 0, 28)]
    day, year = read_values("1 luglio 2024", "it")
    assert (day.space, day.month, day.value, year.kind, year.value) == ("day", 7, 1, "year", 2024)
    assert [(v.space, v.value) for v in read_values("am 34. Juli", "de")] == [("day", 34)]
    assert [(v.space, v.value) for v in read_values("im Juli", "de")] == [("month", 7)]
    assert [(v.space, v.month, v.value) for v in read_values("am 25.07.2020", "de")][0] == ("day", 7, 25)
    # "may" the verb is no month; "4 p.m." is 16 o'clock
    assert read_values("They may leave", "en") == []
    assert _ns("at 4 p.m.", "en") == [16]


def test_slashed_dates_are_dates_not_counts() -> None:
    def read(text: str) -> list[tuple]:
        return [(v.kind, v.month, v.value) for v in read_values(text, "en")]

    # the part above 12 is the day, whichever side it stands on; scraped spacing is read too
    assert read("Posted 11/27/2005") == read("le 27/11/2005") == [("day", 11, 27), ("year", 0, 2005)]
    assert read("Posted 11 / 28 / 05 |") == [("day", 11, 28), ("year", 0, 2005)]
    # 4 May or 5 April: only the year is sure, so no day that another order could contradict
    assert read("on 4/5/2021") == [("year", 0, 2021)]
    # without a year a slash is a fraction or a score, not a date
    assert read("3/4 of voters") == [("count", 0, 3), ("count", 0, 4)]


def test_codes_signs_and_ordinals() -> None:
    assert [(v.kind, v.value) for v in read_values("Pantsir-S1 and COVID-19", "en")] == [("code", 1), ("code", 19)]
    assert _ns("un recul de (-0,5%) au 1er trimestre", "fr") == [0.5, 1]
    assert _ns("сутки", "ru") == [24]
