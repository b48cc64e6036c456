"""Cross-article cleaning hooks: repeatable_lines, line_key and drop_lines."""

from __future__ import annotations

from newsprism import clean
from newsprism.models import RawDocument

FOOTER = "Follow RBC-Ukraine on Google News for the latest updates"


def _doc(body: str) -> clean.CleanDocument:
    return clean.prepare(RawDocument(origin="x", text=body, language="en"))


def test_line_key_ignores_case_space_and_quote_style():
    assert clean.line_key("Hello  World") == clean.line_key("hello world")
    assert clean.line_key('He said "no"') == clean.line_key("He said “no”")
    assert clean.line_key("Hello World") != clean.line_key("Hello Word")


def test_repeatable_lines_are_short_lines_without_quotes_or_title():
    doc = _doc(f"NATO rules out troops\n\nStoltenberg said NATO has no plans.\n\n"
               f"He said: “No troops.”\n\n{FOOTER}\n\n" + "Long paragraph word " * 20)
    lines = set(clean.repeatable_lines(doc).values())
    assert lines == {"Stoltenberg said NATO has no plans.", FOOTER}


def test_drop_lines_removes_them_and_keeps_the_content_key():
    doc = _doc(f"NATO rules out troops\n\nStoltenberg said NATO has no plans. None at all.\n\n{FOOTER}")
    dropped = clean.drop_lines(doc, {clean.line_key(FOOTER)})
    assert FOOTER not in dropped.text
    assert dropped.content_key == doc.content_key
    assert [s.text for s in dropped.sentences] == ["NATO rules out troops", "Stoltenberg said NATO has no plans.", "None at all."]
    assert all(dropped.text[s.start:s.end] == s.text for s in dropped.sentences)
    assert dropped.metadata["clean_repeated_removed"] == [FOOTER]


def test_drop_lines_never_empties_a_document():
    doc = _doc(FOOTER)
    assert clean.drop_lines(doc, {clean.line_key(FOOTER)}) is doc
