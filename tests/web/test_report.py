"""Reports: self-contained, escaped HTML; inert Markdown; complete JSON; missing sections tolerated."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from newsprism.report import render_report

from .hostile import JS_URL, SCRIPT, hostile_analysis


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(str(d["id"]))


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


def test_html_report_escapes_everything_and_is_self_contained() -> None:
    html = render_report(hostile_analysis(), "html")
    parsed = _parse(html)
    assert not any(tag == "script" for tag, _ in parsed.tags), "no script element survives"
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs), "no event-handler attribute"
    assert "javascript:" not in " ".join(str(v) for _, a in parsed.tags for k, v in a.items() if k in ("href", "src"))
    assert SCRIPT not in html and "&lt;script&gt;" in html
    # Self-contained: no stylesheet links, no images or scripts by URL, nothing fetched by CSS.
    assert not any(tag in ("link", "img", "script", "iframe") for tag, _ in parsed.tags)
    assert not re.search(r"url\(\s*['\"]?(?!#)", html) and "@import" not in html  # only url(#marker)
    for tag, attrs in parsed.tags:
        if tag == "a" and attrs.get("href", "").startswith("http"):
            assert attrs["href"] == "https://river.example/a"  # only the safe original URL, as a link
    # Every in-report citation link resolves to an anchor in the file.
    anchors = [a["href"][1:] for t, a in parsed.tags if t == "a" and str(a.get("href", "")).startswith("#")]
    assert anchors and all(x in parsed.ids for x in anchors), set(anchors) - parsed.ids
    for section in ("summary", "sources", "coverage", "who", "framing", "provenance", "timeline"):
        assert section in parsed.ids
    assert html.count("<svg") >= 3  # coverage bars, provenance graph, timeline


def test_markdown_report_is_inert() -> None:
    md = render_report(hostile_analysis(), "md")
    assert "<script" not in md and "](javascript" not in md and "<javascript" not in md
    assert "## Summary" in md and "[1](#a1-s2)" in md and "[2](#a2-s1)" in md
    assert "(<https://river.example/a>)" in md


def test_json_report_round_trips() -> None:
    data = json.loads(render_report(hostile_analysis(), "json"))
    assert data["title"].startswith("Breaking") and data["summary"][0]["citations"]


def test_minimal_analysis_says_not_available() -> None:
    bare = {"id": 5, "title": "Only a title", "articles": [], "summary": []}
    html = render_report(bare, "html")
    assert html.count("not available") >= 6
    md = render_report(bare, "md")
    assert "_Summary not available._" in md


def test_storyline_report_lists_stories() -> None:
    analysis = hostile_analysis() | {"stories": [
        {"id": 7, "title": "First round " + SCRIPT, "first_published": "2024-01-02", "last_published": "2024-01-03",
         "articles": [1, 2]},
        {"id": 8, "title": "Second round", "first_published": "2024-06-01", "last_published": None, "articles": [3]}]}
    html = render_report(analysis, "html")
    assert 'id="story-7"' in html and 'id="story-8"' in html
    assert re.search(r"First round &lt;script&gt;", html)
    assert "lanes" in html


def test_unknown_format() -> None:
    with pytest.raises(ValueError):
        render_report(hostile_analysis(), "pdf")  # type: ignore[arg-type]


def test_javascript_url_never_linked() -> None:
    html = render_report(hostile_analysis(), "html")
    assert 'href="javascript' not in html.lower()
    assert JS_URL in html  # shown as text (the outlet type), never as a link
