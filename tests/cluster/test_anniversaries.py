"""cluster.anniversaries: the day an anniversary gives a text, in eight languages, and the undated
article it dates (issue 18: "80th anniversary of D-Day" fixes 2024)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from newsprism.cluster.anniversaries import anniversary_dates
from newsprism.cluster.features import article_features
from newsprism.models import Article


def _days(text: str) -> tuple[list[str], list[int]]:
    days, years = anniversary_dates(text)
    return sorted(date.fromordinal(d).isoformat() for d in days), sorted(years)


@pytest.mark.parametrize("text", [
    "Speaking during the 80th anniversary of the Allied landing in Normandy, Cavoli said",
    "à l'occasion du 80e anniversaire du Débarquement en Normandie",
    "zum 80. Jahrestag der alliierten Landung in der Normandie",
    "en el 80º aniversario del desembarco de Normandía",
    "per l'80° anniversario dello sbarco in Normandia",
    "в 80-ю годовщину высадки союзников в Нормандии",
    "podczas obchodów 80. rocznicy lądowania w Normandii",
])
def test_the_80th_anniversary_of_d_day_is_6_june_2024_in_every_language(text: str) -> None:
    assert _days(text) == (["2024-06-06"], [2024])


def test_inflected_names_and_other_events() -> None:
    assert _days("на праздновании 80-летия Победы в Москве") == (["2025-05-09"], [2025])
    assert _days("з нагоди 33-ї річниці незалежності України") == (["2024-08-24"], [2024])
    assert _days("the 75th anniversary of NATO") == (["2024-04-04"], [2024])


def test_a_stated_year_gives_the_year_only() -> None:
    # the event's own year, right after the anniversary, wins over any known name further on
    assert _days("the 25th anniversary of the 1999 accession of Poland to NATO") == ([], [2024])
    # a year after the event's name is another date (here the year of the commemoration itself)
    assert _days("the 30th anniversary of Chernobyl in 2016") == (["2016-04-26"], [2016])


@pytest.mark.parametrize("text", [
    "It was the 100th anniversary of the club.",  # an event nobody can date
    "the 10th anniversary of his wedding",
    "NATO troops landed in Normandy in 1944.",  # no anniversary
    "the 900th anniversary of the Allied landing in Normandy",  # beyond MAX_YEARS
])
def test_nothing_is_dated_without_a_datable_anniversary(text: str) -> None:
    assert _days(text) == ([], [])


def test_an_undated_article_takes_its_day_from_an_anniversary() -> None:
    text = ("Cavoli calls for more arms production\nSpeaking during the 80th anniversary of the Allied "
            "landing in Normandy, Cavoli said NATO members must produce more.")
    article = Article(id=1, origin="t", title="Cavoli calls for more arms production", text=text, sentences=(),
                      language="en", source="x", published=None)
    features = article_features(article, np.ones(4, dtype=np.float32))
    assert features.day == date(2024, 6, 6).toordinal() and 2024 in features.years
    # a published date still decides the day
    dated = article_features(replace(article, published="2024-06-07"), np.ones(4, dtype=np.float32))
    assert dated.day == date(2024, 6, 7).toordinal()
