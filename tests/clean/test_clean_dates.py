"""Publication dates: metadata first, then a dateline or labelled date near the top; never invented."""

from __future__ import annotations

import pytest

from newsprism.clean.dates import find_dates, find_published
from newsprism.models import RawDocument


def _published(text: str, published: str | None = None) -> str | None:
    return find_published(RawDocument(origin="t", text=text, published=published), text, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("NATO chief speaks\nPublished: 12 March 2024\nStoltenberg said...", "2024-03-12"),
    ("Nato-Chef spricht\n8. Mai 2024\nStoltenberg sagte...", "2024-05-08"),
    ("Szef NATO w Rzymie\n8 maja 2024\nStoltenberg powiedział...", "2024-05-08"),
    ("Генсек НАТО\n24.03.2022, 10:15\nСтолтенберг заявив...", "2022-03-24"),
    ("Генсек НАТО\n25 марта 2022 г.\nСтолтенберг заявил...", "2022-03-25"),
    ("Генсек НАТО\nОпубліковано 8 травня 2024 року, 12:40\nСтолтенберг заявив...", "2024-05-08"),
    ("NATO chief\nMarch 25, 2022\nStoltenberg said...", "2022-03-25"),
    ("Lindsay Lohan checks in\nFri., May. 3, 2013 11: 45 AM PDT\nEarly Friday...", "2013-05-03"),
    ("Il capo della Nato\n25 marzo 2022\nStoltenberg ha detto...", "2022-03-25"),
    ("El jefe de la OTAN\n25 de marzo de 2022\nStoltenberg dijo...", "2022-03-25"),
    ("Le chef de l'Otan\nPublié le 1er mars 2022 à 10h30\nStoltenberg a dit...", "2022-03-01"),
    ("KYIV, 24.03.2022 — Stoltenberg said NATO would not send troops.", "2022-03-24"),
    ("Headline\n2024-05-08T10:00:00Z\nBody", "2024-05-08"),
])
def test_stated_dates(text, expected):
    assert _published(text) == expected


@pytest.mark.parametrize("text", [
    "Jens Stoltenberg met Giorgia Meloni in Rome on Wednesday, May 8. They talked.",  # no year
    "On Wednesday the NATO chief said no troops would be sent.",  # relative words only
    "Headline\n03/04/2022\nBody",  # day-month or month-day: ambiguous
    "Headline\n31 February 2022\nBody",  # not a date
    ("Headline\nIntro line\nAnother line\nA third line\nA fourth line\n"
     "Russia invaded Ukraine on 24 February 2022, and the war goes on."),  # an event date deep in prose
    "Stoltenberg recalled that Russia invaded Ukraine on 24 February 2022 and said the war goes on.",
])
def test_never_invents_a_date(text):
    assert _published(text) is None


def test_metadata_wins_over_text():
    assert _published("Headline\n8 May 2024\nBody", published="2024-05-09T08:00:00+02:00") == "2024-05-09T08:00:00+02:00"


def test_unparseable_metadata_falls_back_to_a_full_date_in_it_then_the_text():
    assert _published("Body", published="Thu, 09 May 2024 08:00:00 GMT") == "2024-05-09"
    assert _published("Headline\n8 May 2024\nBody", published="yesterday") == "2024-05-08"


def test_find_dates_gives_offsets():
    text = "From 24.02.2022 to March 25, 2022."
    assert [(iso, text[a:b]) for iso, a, b in find_dates(text)] == [
        ("2022-02-24", "24.02.2022"), ("2022-03-25", "March 25, 2022")]


def test_a_short_sentence_with_a_date_is_not_a_dateline():
    text = "NATO summit\nRussia invaded Ukraine on 24 February 2022\nThe war goes on."
    assert _published(text) is None
    assert _published("Headline\nJane Doe | March 25, 2022 | 3 min read\nBody") == "2022-03-25"


@pytest.mark.parametrize(("text", "expected"), [
    ("NATO\nBruksela, 13 marca 2024 r. – Sojusz Północnoatlantycki nie zamierza wysyłać wojsk.", "2024-03-13"),
    ("НАТО\nБрюссель, 13 березня 2024 року. Генеральний секретар НАТО заявив.", "2024-03-13"),
    ("NATO\nBrüssel (4. Dezember 2024). Die NATO wird keine Soldaten schicken.", "2024-12-04"),
    ("НАТО\nБрюссель, 4 декабря 2024 года. Новый генсек НАТО заявил.", "2024-12-04"),
    ("Fichaje\nDortmund, 1 de julio de 2024. – El Borussia Dortmund anunció el fichaje.", "2024-07-01"),
    ("NATO\nKyiv, 12 March 2024 — Stoltenberg said no troops would be sent.", "2024-03-12"),
    ("Strajk\nGdańsk, poniedziałek, 6 maja 2024 r. – O godzinie 6 rano stanęły dźwigi.", "2024-05-06"),
    ("Rutte\nBrüssel, Mittwoch, 4. Dezember 2024 – Der neue Generalsekretär sagte.", "2024-12-04"),
    ("Otan\nBruxelles, le 4 décembre 2024 — Pas de soldats en Ukraine.", "2024-12-04"),
    ("Terremoto\nCascia (Perugia), 15 settembre 2024 – È di tre morti il bilancio.", "2024-09-15"),
    ("Quake\nCAMERINO, Italy, 20 February 2024 (CPA) — A magnitude 5.6 earthquake struck.", "2024-02-20"),
    ("Floods\nUzhhorod, 19 June 2024. Floods have killed six people.", "2024-06-19"),
    ("Frankfurt\nFrankfurt am Main, 3. Mai 2024 — Die Börse schloss im Plus.", "2024-05-03"),
    ("Headline\nPublished: 12.03.2024 10:41\nBody text.", "2024-03-12"),
    ("Headline\n13.03.2024, 18:05\nBody text.", "2024-03-13"),
    ("Nagłówek\nOpublikowano: 13.03.2024, 18:05\nTreść.", "2024-03-13"),
    ("Titolo\nPubblicato il 13 marzo 2024 alle 18:05\nTesto.", "2024-03-13"),
    ("Titular\nPublicado el 13 de marzo de 2024\nTexto.", "2024-03-13"),
    ("Заголовок\nОпубликовано 13 марта 2024, 18:05\nТекст.", "2024-03-13"),
    ("Titel\nVeröffentlicht am 13.03.2024 um 18:05 Uhr\nText.", "2024-03-13"),
    # the dateline may follow a language switcher, a headline printed twice and a photo caption
    ("UA | EN | RU\n\nНАТО\n\nНАТО\n\nФото: Столтенберг (Марія Коваль)\n\n"
     "Брюссель, 13 березня 2024 року. Генеральний секретар заявив.", "2024-03-13"),
])
def test_datelines_opening_prose(text, expected):
    assert _published(text) == expected


@pytest.mark.parametrize("text", [
    "Headline\nOn 24 February 2022, Russia invaded Ukraine.",  # "On" is no place name
    "Headline\nYesterday, 24 February 2022, Russia invaded Ukraine.",  # no separator after the date
    "Headline\nZurana Horton, 34, was killed on Oct. 21, 2011 while walking home.",
    "Headline\nPage was born on April 22, 1923, in Nashville, Tennessee.",
    "Headline\nKyiv, 12 March 2024. and then it went on",  # not a sentence start after the stop
    "Headline\nDie Stadt Köln und die Region Bonn, 3. Mai 2024 — Die Börse schloss.",  # lower-case words
    # a labelled date inside prose is about another text
    "Headline\nA study published on 5 May 2023 shows that the war has cost more than expected.",
])
def test_prose_dates_near_the_top_are_not_datelines(text):
    assert _published(text) is None
