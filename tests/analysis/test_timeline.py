"""Timeline: stated dates resolved against publication dates, merging, sorting, never invented."""

from __future__ import annotations

import datetime as dt

from newsprism.analysis.timeline import build_timeline, extract_dates
from newsprism.models import Article, Sentence


def _iso(text: str, published: dt.date | None, lang: str | None = None) -> list[str]:
    return [d.iso for d in extract_dates(text, published, lang)]


def test_resolution_relative_to_publication() -> None:
    pub = dt.date(2024, 5, 8)  # a Wednesday
    assert _iso("They met in Rome on Wednesday, May 8.", pub) == ["2024-05-08", "2024-05-08"]
    assert _iso("He said so on March 24.", pub) == ["2024-03-24"]
    assert _iso("Macron spoke in late February.", pub) == ["2024-02"]
    assert _iso("Aid has flowed since February 2022.", pub) == ["2022-02"]
    assert _iso("His mandate runs until October 2023.", pub) == ["2023-10"]
    assert _iso("Finland joined in April 2023.", pub) == ["2023-04"]
    assert _iso("Forces have been there since 2014.", pub) == ["2014"]
    assert _iso("The talks were held on Monday.", pub) == ["2024-05-06"]
    # a month later than publication without a year means last year
    assert _iso("The deal was signed on December 3.", pub) == ["2023-12-03"]
    # forward-looking
    assert _iso("The drills will last until September 26.", pub) == ["2024-09-26"]
    assert _iso("Manewry potrwają do 26 września.", pub) == ["2024-09-26"]
    assert _iso("Las elecciones están previstas para el 9 de marzo de 2025.", pub) == ["2025-03-09"]
    assert _iso("Il a parlé hier.", pub, "fr") == ["2024-05-07"]


def test_never_invents_a_date() -> None:
    # no publication date: relative and year-less dates are skipped, explicit ones kept
    assert _iso("He spoke on Monday, on March 24 and in April 2023.", None) == ["2023-04"]
    assert _iso("We may send troops in march.", dt.date(2024, 5, 8)) == []  # 'may'/'march' are not months here


def _article(aid: int, published: str | None, sentences: list[str], title: str = "Title") -> Article:
    text, sents = "", []
    for s in sentences:
        sents.append(Sentence(len(sents), len(text), len(text) + len(s), s))
        text += s + " "
    return Article(id=aid, origin=f"t:{aid}", title=title, text=text.strip(), sentences=tuple(sents), language="en",
                   source=f"S{aid}", published=published)


def test_build_timeline_merges_and_sorts_with_citations() -> None:
    a = _article(1, "2024-05-09", ["The summit opened in Brussels on May 8 with all leaders present.",
                                   "The alliance was founded in 1949."])
    b = _article(2, "2024-05-10", ["On May 8 the summit opened in Brussels with all the leaders present."])
    c = _article(3, None, ["No date can be known here on Tuesday."])
    entries = build_timeline([a, b, c], story_of={1: 7, 2: 7, 3: 8})
    dates = [e.date for e in entries]
    assert dates == sorted(dates)
    may8 = [e for e in entries if e.date == "2024-05-08"]
    assert len(may8) == 1 and {s.article_id for s in may8[0].citations} == {1, 2} and may8[0].stated
    assert may8[0].story == 7
    pubs = [e for e in entries if not e.stated]
    assert {e.date for e in pubs} == {"2024-05-09", "2024-05-10"}
    assert all(3 not in {s.article_id for s in e.citations} for e in entries)
