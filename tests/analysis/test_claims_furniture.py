"""Furniture never becomes a claim: is_claim_sentence drops datelines, credits and subheads."""

from __future__ import annotations

from newsprism.analysis.claims import claim_sentences, is_claim_sentence
from newsprism.models import Article, Sentence


def _article(lines: list[list[str]], language: str = "en") -> Article:
    text, sents = "", []
    for n, line in enumerate(lines):
        for k, s in enumerate(line):
            if k:
                text += " "
            sents.append(Sentence(len(sents), len(text), len(text) + len(s), s))
            text += s
        if n < len(lines) - 1:
            text += "\n"
    return Article(id=1, origin="t:1", title=lines[0][0], text=text, sentences=tuple(sents), language=language,
                   source="S", published="2024-05-08")


def test_furniture_sentences_are_not_claims() -> None:
    art = _article([
        ["A clear signal from the head of NATO regarding Western troops"],
        ["Dortmund, 1 de julio de 2024."],
        ["Jens Stoltenberg met Giorgia Meloni in Rome on Wednesday, May 8."],
        ["Head of NATO in Italy.", "He met with Giorgia Meloni"],
        ["Six people died."],
        ["(Reporting by Claire Dumont; Editing by Henrik Aas)"],
        ["Photo: Jens Stoltenberg, Secretary General of NATO, at the press conference in Brussels."],
        ["Read also: Allies pledge more air defence for Ukraine after the talks."],
    ])
    kept = [c.sentence.text for c in claim_sentences(art)]
    assert kept == ["Jens Stoltenberg met Giorgia Meloni in Rome on Wednesday, May 8."]
    assert not is_claim_sentence(art.sentences[3], art), "a subhead ending in a full stop"
    assert not is_claim_sentence(art.sentences[1], art), "a dateline split off its paragraph"
