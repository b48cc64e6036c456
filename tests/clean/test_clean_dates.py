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
