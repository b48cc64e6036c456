"""Furniture never becomes a timeline event; an opening dateline's date is not an event date."""

from __future__ import annotations

from newsprism.analysis.timeline import build_timeline
from newsprism.models import Article, Sentence


def _article(aid: int, lines: list[list[str]], language: str, title: str) -> Article:
    """An article whose text has one paragraph per line, each a list of sentences."""
    text, sents = "", []
    for n, line in enumerate(lines):
        for k, s in enumerate(line):
            if k:
                text += " "
            sents.append(Sentence(len(sents), len(text), len(text) + len(s), s))
            text += s
        if n < len(lines) - 1:
            text += "\n"
    return Article(id=aid, origin=f"t:{aid}", title=title, text=text, sentences=tuple(sents), language=language,
                   source=f"S{aid}", published="2024-03-14")


def test_dateline_and_credit_are_not_events() -> None:
    title = "Stoltenberg: nie będzie żołnierzy NATO na Ukrainie"
    art = _article(1, [[title], ["Bruksela, 13 marca 2024 r.", "Sekretarz generalny NATO powiedział w środę, że "
                                 "sojusz nie planuje wysyłać wojsk na Ukrainę."],
                       ["(Reporting by Claire Dumont; Editing by 13 March 2024 desk)"]], "pl", title)
    entries = build_timeline([art])
    stated = [e for e in entries if e.stated]
    assert [e.date for e in stated] == ["2024-03-13"], "the prose's 'w środę' is the one event"
    assert all("Bruksela" not in e.text for e in entries)
    assert all(c.sentence != 1 for e in stated for c in e.citations)


def test_opening_dateline_date_is_not_a_stated_event() -> None:
    title = "Earthquake in central Italy kills 14"
    art = _article(2, [[title], ["CAMERINO, Italy, 20 February 2024 (CPA) — A magnitude 5.6 earthquake struck "
                                 "the Marche region, 8 years after the 2016 quakes."]], "en", title)
    stated = [e for e in build_timeline([art]) if e.stated]
    assert [e.date for e in stated] == [], "the dateline's date is the publication date, not the quake's"
    dated = _article(3, [[title], ["CAMERINO, Italy, 20 February 2024 (CPA) — The quake struck on Tuesday, "
                                   "the civil protection said."]], "en", title)
    assert [e.date for e in build_timeline([dated]) if e.stated] == ["2024-03-12"]
