"""Sentence splitting: abbreviations, initials, numbers, quotes, paragraphs, offsets, speed."""

from __future__ import annotations

import time

import pytest

from newsprism.clean.sentences import split_sentences

CASES = [
    ("en", "Mr. Smith met Dr. Jones in the U.S. on Monday. They talked for an hour.",
     ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked for an hour."]),
    ("en", "J. Stoltenberg said growth was 3.5 percent. Nobody objected!",
     ["J. Stoltenberg said growth was 3.5 percent.", "Nobody objected!"]),
    ("en", "Is it true? Yes, e.g. in Kyiv. It is.", ["Is it true?", "Yes, e.g. in Kyiv.", "It is."]),
    ("en", "He said: “NATO has no plans. We will not send troops.” Then he left.",
     ["He said: “NATO has no plans. We will not send troops.”", "Then he left."]),
    ("de", "Das ist z.B. ein Test. Am 12. März kamen 20.000 Menschen. Dr. Müller sprach.",
     ["Das ist z.B. ein Test.", "Am 12. März kamen 20.000 Menschen.", "Dr. Müller sprach."]),
    ("de", "Er sagte, d.h. er meinte es so. Vgl. dazu Abs. 3.", ["Er sagte, d.h. er meinte es so.", "Vgl. dazu Abs. 3."]),
    ("ru", "Это, т.е. проект, живёт на ул. Ленина. В. Путин сказал: «Мы не отступим. Никогда». Потом ушёл.",
     ["Это, т.е. проект, живёт на ул. Ленина.", "В. Путин сказал: «Мы не отступим. Никогда».", "Потом ушёл."]),
    ("uk", "Він живе на вул. Хрещатик. Проф. Коваленко прийшов о 10.30. Все.",
     ["Він живе на вул. Хрещатик.", "Проф. Коваленко прийшов о 10.30.", "Все."]),
    ("pl", "Spotkanie odbyło się m.in. w Warszawie przy ul. Wiejskiej. Prof. Kowalski był tam.",
     ["Spotkanie odbyło się m.in. w Warszawie przy ul. Wiejskiej.", "Prof. Kowalski był tam."]),
    ("it", "Il sig. Rossi ha parlato con il prof. Bianchi. Poi è andato via.",
     ["Il sig. Rossi ha parlato con il prof. Bianchi.", "Poi è andato via."]),
    ("es", "La Sra. García habló con el Dr. López. ¿Qué dijo? No lo sé.",
     ["La Sra. García habló con el Dr. López.", "¿Qué dijo?", "No lo sé."]),
    ("fr", "M. Macron a parlé à Mme Dupont. Elle a répondu « Non. Jamais. » Puis elle est partie.",
     ["M. Macron a parlé à Mme Dupont.", "Elle a répondu « Non. Jamais. »", "Puis elle est partie."]),
    (None, "First paragraph without a full stop\n\nSecond paragraph. Two sentences.",
     ["First paragraph without a full stop", "Second paragraph.", "Two sentences."]),
    (None, "A soft-wrapped line that goes on\nhere in lower case. Next one.",
     ["A soft-wrapped line that goes on\nhere in lower case.", "Next one."]),
    ("en", "Prices rose... Then they fell. The end", ["Prices rose...", "Then they fell.", "The end"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_split_cases(language, text, expected):
    sentences = split_sentences(text, language)
    assert [s.text for s in sentences] == expected
    for i, s in enumerate(sentences):
        assert s.index == i and text[s.start:s.end] == s.text


def test_long_quote_may_be_split():
    long_quote = "“" + " ".join(["This is a long sentence of the statement."] * 10) + "” he said."
    assert len(split_sentences(long_quote, "en")) > 1


def test_empty_text():
    assert split_sentences("", "en") == ()
    assert split_sentences("\n\n  \n", None) == ()


def test_speed_well_above_two_thousand_sentences_per_second():
    text = "\n\n".join(
        "Mr. Stoltenberg met Dr. Meloni in the U.S. on May 8. He said: “NATO has no plans. None.” "
        "The talks took 3.5 hours. Both sides were pleased!" for _ in range(500)
    )
    start = time.perf_counter()
    sentences = split_sentences(text, "en")
    elapsed = time.perf_counter() - start
    assert len(sentences) == 2000
    assert len(sentences) / elapsed > 2000
