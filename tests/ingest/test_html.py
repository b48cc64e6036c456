"""HTML files and parse_html: main text, metadata, charsets, fallbacks, rejections."""

from __future__ import annotations

import pytest
from ingest_support import FIXTURES

from newsprism.errors import ParseError
from newsprism.ingest import collect
from newsprism.ingest.html import MAX_KEPT_HTML_CHARS, html_fragment_to_text, normalize_language, parse_html
from newsprism.models import RawDocument, Rejection


def test_html_file_with_metadata() -> None:
    path = str(FIXTURES / "article.html")
    (doc,) = collect([path])
    assert isinstance(doc, RawDocument)
    assert doc.origin == path
    assert doc.url == "https://coastal-herald.example/news/harbour-strike-ends"  # rel=canonical
    assert doc.title == "Harbour strike ends after pay deal"
    assert (doc.source, doc.author, doc.language) == ("The Coastal Herald", "Maria Keller", "en")
    assert doc.published == "2024-03-14T08:30:00+01:00"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Harbour strike ends after pay deal"
    assert paragraphs[1].startswith("Dock workers in the port of Westhaven")
    assert len(paragraphs) == 6
    for junk in ("Home", "Privacy", "Reader123", "font-family", "schema.org"):
        assert junk not in doc.text


def test_meta_charset_is_honoured(write_file) -> None:
    body = "<html><head><meta charset='windows-1251'><title>Т</title></head><body><article><p>Правительство утвердило бюджет на следующий год.</p></article></body></html>"
    path = write_file("ru.html", body.encode("cp1251"))
    (doc,) = collect([str(path)])
    assert isinstance(doc, RawDocument) and "Правительство утвердило бюджет" in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<<<>>>",
        '<html><body><ul class="menu"><li><a href="/">Home</a></li><li><a href="/a">About us</a></li></ul><div>Cookie settings</div></body></html>',
    ],
)
def test_empty_or_textless_html_is_rejected(html: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_html(html, "page.html")
    assert info.value.problem == "no article text found in HTML"


def test_empty_html_file_is_rejected(write_file) -> None:
    path = write_file("blank.html", "<html><body><script>var x = 1;</script></body></html>")
    assert list(collect([str(path)])) == [Rejection(str(path), "no article text found in HTML")]


def test_short_page_is_kept_with_its_line_break() -> None:
    doc = parse_html("<html><body><div>Breaking: the old bridge is closed<br>More soon.</div></body></html>", "p", url="http://x/y")
    assert doc.text == "Breaking: the old bridge is closed\nMore soon."
    assert doc.url == "http://x/y"


def test_text_without_spaces_counts_as_a_sentence() -> None:
    doc = parse_html("<html><body><p>東京都は月曜日、新しい防災計画を発表した。</p></body></html>", "ja")
    assert doc.text == "東京都は月曜日、新しい防災計画を発表した。"


def test_json_ld_date_and_html_lang() -> None:
    html = (
        '<html lang="uk-UA"><head><script type="application/ld+json">'
        '[{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2022-02-24T06:00:00+02:00"}]'
        "</script></head><body><article><p>Текст новини про події цього ранку в столиці.</p></article></body></html>"
    )
    doc = parse_html(html, "p")
    assert doc.published == "2022-02-24T06:00:00+02:00"
    assert doc.language == "uk"


def test_huge_html_is_not_kept_verbatim() -> None:
    padding = "<!-- " + "x" * MAX_KEPT_HTML_CHARS + " -->"  # e.g. inlined scripts and styles
    html = f"<html><body>{padding}<article><p>Paragraph of the story, told in full.</p></article></body></html>"
    doc = parse_html(html, "big")
    assert doc.html is None and doc.text


def test_html_fragment_to_text() -> None:
    fragment = "<p>First <b>bold</b> paragraph.</p><p>Second<br>line.</p><script>alert(1)</script><ul><li>a</li><li>b</li></ul>"
    assert html_fragment_to_text(fragment) == "First bold paragraph.\n\nSecond\nline.\n\na\n\nb"


def test_normalize_language() -> None:
    assert [normalize_language(v) for v in ("de-AT", "EN", "pt_BR", "", "english!", None)] == ["de", "en", "pt", None, None, None]
