"""Article highlighting: sentence anchors, nested marks, crossing spans dropped, text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from newsprism import svg
from newsprism.web.highlight import highlight_article

TEXT = 'Anna <b>Keller</b> said: "We stay." Then she left.'


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ok &= bool(self.stack) and self.stack.pop() == tag


def _view(**extra: object) -> dict:
    first_end = TEXT.index("Then") - 1
    return {"text": TEXT, "sentences": [{"index": 0, "start": 0, "end": first_end, "text": TEXT[:first_end]},
                                        {"index": 1, "start": first_end + 1, "end": len(TEXT), "text": ""}],
            **extra}


def test_sentences_anchored_and_text_escaped() -> None:
    html = str(highlight_article(_view()))
    assert '<span id="s-0" class="sent">' in html and '<span id="s-1" class="sent">' in html
    assert "&lt;b&gt;Keller&lt;/b&gt;" in html and "<b>" not in html


def test_marks_nest_and_crossing_spans_are_dropped() -> None:
    quote_start = TEXT.index('"We')
    view = _view(
        quotes=[{"text": "We stay.", "speaker": "Anna", "start": quote_start + 1, "end": quote_start + 9}],
        entities=[{"start": 0, "end": 4, "type": "PERSON", "entity": "Anna Keller"},
                  {"start": quote_start + 1, "end": quote_start + 3, "type": "PERSON", "entity": "we"},  # inside quote
                  {"start": 2, "end": quote_start + 3, "type": "ORG", "entity": "x"}],  # crosses the quote
        claims=[{"id": 1, "status": "conflict", "sentences": [1]}, {"id": 2, "status": "unique", "sentences": [1]}])
    html = str(highlight_article(view))
    parser = _Balance()
    parser.feed(html)
    assert parser.ok and not parser.stack, "well-formed nesting"
    assert parser.tags.count("mark") == 3, "the crossing ORG span is dropped"
    assert 'class="sent claim-s claim-conflict"' in html, "the strongest claim status wins"
    assert html.index('class="q"') < html.index('title="PERSON: \u2068we\u2069"')  # names isolated (U+202E)


def test_quote_located_by_text_when_offsets_missing() -> None:
    html = str(highlight_article(_view(quotes=[{"text": "We stay.", "speaker": "A"}])))
    assert '<mark class="q" title="quote: \u2068A\u2069">We stay.</mark>' in html


def test_svg_labels_escaped() -> None:
    chart = svg.timeline([{"date": "2024-01", "text": "<script>x</script>", "stated": True},
                          {"date": "2024-03-02", "text": "b"}])
    assert "<script>" not in chart and "&lt;script&gt;" in chart and chart.startswith("<svg")
    assert svg.timeline([{"date": "someday", "text": "x"}]) == ""
    graph = svg.provenance_graph([{"article_id": 1, "relation": '"><script>', "target_article": None,
                                   "target_source": "<ANSA>"}], [{"id": 1, "source": "<b>"}])
    assert "<script>" not in graph and "&lt;ANSA&gt;" in graph and "<b>" not in graph
