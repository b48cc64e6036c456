"""End-to-end cleaning of the five seed articles: junk gone, every content line and quote kept."""

from __future__ import annotations

import re

import pytest

from newsprism import clean
from newsprism.clean.normalize import normalize_line, normalize_paragraphs
from newsprism.errors import InputError
from newsprism.models import RawDocument

# Hand-labelled page junk of each seed (whole lines, or the cut part of a line).
JUNK = {
    "000": ["Similar Posts"],
    "001": ["ua en ru", "Photo: Jens Stoltenberg, Secretary General of NATO (Vitalii Nosach, RBC-Ukraine)"],
    "002": ["Source link", "Related Articles", "Leave a Reply",
            "Your email address will not be published. Required fields are marked *", "Back to top button"],
    "003": ["Read also:"],
    "004": ["Share", "comments"],
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_junk_lines_are_gone(seeds, seed):
    _, doc = seeds[seed]
    lines = _lines(doc.text)
    for junk in JUNK[seed]:
        assert junk not in lines
        assert junk not in doc.text, f"{junk!r} left in {seed}"


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_every_content_paragraph_is_kept(seeds, seed):
    raw_text, doc = seeds[seed]
    junk = {normalize_line(j) for j in JUNK[seed]}
    for paragraph in normalize_paragraphs(raw_text):
        if paragraph in junk:
            continue
        for cut in junk:  # a line that carried a caption keeps the part before it
            paragraph = paragraph.replace(cut, "").strip()
        title_forms = {doc.title, doc.title + " — RT World News"}
        assert paragraph in doc.text or paragraph in title_forms, f"lost in {seed}: {paragraph[:80]!r}"


_RAW_QUOTE = re.compile(r"[“\"„«]([^“”\"„«»]{2,})[”\"»“]")


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_every_quoted_span_is_kept(seeds, seed):
    raw_text, doc = seeds[seed]
    spans = [normalize_line(m.group(1)) for m in _RAW_QUOTE.finditer(raw_text)]
    assert spans, "the seeds all quote someone"
    for span in spans:
        assert f"“{span}”" in doc.text or f"“{span}”" in doc.title, f"quote lost in {seed}: {span[:60]!r}"


def test_the_title_appears_once(seeds):
    for seed, (_, doc) in seeds.items():
        assert doc.text.count(doc.title) == 1, seed
        assert doc.text.startswith(doc.title), seed


def test_titles(seeds):
    assert seeds["000"][1].title == "A clear signal from the head of NATO regarding Western troops. “Kyiv didn't ask for this”"
    assert seeds["001"][1].title == "Ukraine seeks more support, not NATO troop deployment — Stoltenberg"
    assert seeds["002"][1].title == "NATO chief rebukes Macron"
    assert seeds["004"][1].title.startswith("NATO, Stoltenberg: “We will strengthen the Alliance")


def test_repeated_title_paragraph_removed(seeds):
    for seed in ("000", "001", "004"):
        raw_text, doc = seeds[seed]
        removed = [r for r in doc.metadata["clean_removed"] if r["kind"] == "repeated_title"]
        assert len(removed) == 1, seed


def test_sources_from_telltale_text(seeds):
    assert seeds["001"][1].source == "RBC-Ukraine"  # from the photo credit
    assert seeds["002"][1].source in ("RT", "RT World News")  # from the title suffix
    assert seeds["003"][1].source is None  # nothing says who published it: never guessed


def test_language_of_every_seed_is_english(seeds):
    assert {doc.language for _, doc in seeds.values()} == {"en"}


def test_subheadings_with_information_are_kept(seeds):
    assert "Sending troops" in _lines(seeds["001"][1].text)
    assert "NATO: “Four new battalions in Slovakia, Romania, Bulgaria and Hungary”" in _lines(seeds["004"][1].text)


def test_read_also_summary_paragraph_is_kept(seeds):
    assert "Jens Stoltenberg, the NATO Secretary General, mentioned during his visit" in seeds["003"][1].text


def test_sentences_point_into_the_text(seeds):
    for _, doc in seeds.values():
        assert doc.sentences
        for i, s in enumerate(doc.sentences):
            assert s.index == i and doc.text[s.start:s.end] == s.text


def test_content_key_is_of_the_normalised_raw_text(seeds):
    raw_text, doc = seeds["002"]
    again = clean.prepare(RawDocument(origin="other", text=raw_text.replace("\n", "\r\n") + "\n\n"))
    assert again.content_key == doc.content_key
    other = clean.prepare(RawDocument(origin="x", text=raw_text.replace("NATO chief", "NATO boss")))
    assert other.content_key != doc.content_key


def test_metadata_wins_and_override_wins(seeds):
    raw_text, _ = seeds["002"]
    raw = RawDocument(origin="x", text=raw_text, source="Russia Today", language="en-GB",
                      published="2024-03-25", url="https://www.rt.com/news/1/")
    doc = clean.prepare(raw)
    assert (doc.source, doc.language, doc.published) == ("Russia Today", "en", "2024-03-25")
    assert clean.prepare(raw, source_override="RT").source == "RT"


def test_url_domain_is_the_last_resort(seeds):
    raw_text, _ = seeds["003"]
    doc = clean.prepare(RawDocument(origin="x", text=raw_text, url="https://www.kyivpost.com/post/1"))
    assert doc.source == "kyivpost.com"


def test_nothing_left_raises_input_error():
    with pytest.raises(InputError) as info:
        clean.prepare(RawDocument(origin="junk.txt", text="Share\n\nua en ru\n\nLeave a Reply\n\nBack to top"))
    assert info.value.origin == "junk.txt"
    assert "no article text left after removing page junk" in str(info.value)


def test_html_only_input_is_refused_with_a_fix():
    with pytest.raises(InputError, match="extract the text"):
        clean.prepare(RawDocument(origin="page.html", html="<p>x</p>"))


def test_headline_only_item_becomes_its_title():
    doc = clean.prepare(RawDocument(origin="feed#3", text="", title="NATO will not send troops, Stoltenberg says"))
    assert doc.text == doc.title == "NATO will not send troops, Stoltenberg says"
    assert [s.text for s in doc.sentences] == [doc.title]


def test_given_title_found_later_in_the_text_is_kept_once():
    text = "Kicker line\n\nNATO: “No troops”\n\nBody sentence one. Body two.\n\nNATO: “No troops”"
    doc = clean.prepare(RawDocument(origin="x", text=text, title='NATO: "No troops"'))
    assert doc.title == "NATO: “No troops”"
    assert doc.text == "Kicker line\n\nNATO: “No troops”\n\nBody sentence one. Body two."


def test_a_url_given_as_title_is_no_headline_but_names_the_outlet():
    raw = RawDocument(origin="x", text="Red Sox offer Teixeira $200 million\nDan Patrick reported it on Monday.",
                      title="http: / / www. ocregister. com / angels / million - 416271 - http - red. html")
    doc = clean.prepare(raw)
    assert doc.title == "Red Sox offer Teixeira $200 million"
    assert doc.source == "ocregister.com"
    assert doc.url is None  # the input's own URL field is reported as it was
