"""Hostile strings and a hand-written story analysis in the documented shape (report input)."""

from __future__ import annotations

SCRIPT = "<script>alert('xss')</script>"
ATTR = '" onmouseover="alert(1)" x="'
JS_URL = "javascript:alert(document.cookie)"
HOSTILE_SOURCE = f"Evil {SCRIPT}{ATTR} Times"
HOSTILE_TITLE = f"Breaking {SCRIPT} news {ATTR}"
HOSTILE_TEXT = f"He said {SCRIPT} and <img src=x onerror=alert(2)> then {ATTR} end."


def hostile_analysis() -> dict:
    """A story analysis where every free-text field carries markup or a javascript: URL."""
    arts = [
        {"id": 1, "origin": "a.txt", "title": "Calm title", "source": "River Post", "language": "en",
         "published": "2025-03-04", "url": "https://river.example/a", "duplicate_of": None, "story": 1},
        {"id": 2, "origin": "b.txt", "title": HOSTILE_TITLE, "source": HOSTILE_SOURCE, "language": "de",
         "published": "2025-03-05", "url": JS_URL, "duplicate_of": None, "story": 1},
    ]
    ev1 = {"article": 1, "sentence": 2, "text": "The river was closed on Tuesday."}
    ev2 = {"article": 2, "sentence": 1, "text": HOSTILE_TEXT}
    claims = [{"id": 1, "text": HOSTILE_TEXT, "status": "consensus", "sources": ["River Post", HOSTILE_SOURCE],
               "evidence": [ev1, ev2], "conflicting_values": [], "attributed_to": None},
              {"id": 2, "text": "Level 7.9 m", "status": "conflict", "sources": [HOSTILE_SOURCE],
               "evidence": [{"article": 2, "sentence": 3, "text": "Level 8.1 m " + SCRIPT}], "conflicting_values": ["7.9", "8.1"]}]
    return {
        "id": 1, "title": HOSTILE_TITLE, "keywords": [SCRIPT, "river"], "storyline": None, "articles": arts,
        "sources": ["River Post", HOSTILE_SOURCE], "languages": ["de", "en"],
        "first_published": "2025-03-04", "last_published": "2025-03-05",
        "summary": [{"text": HOSTILE_TEXT, "citations": [ev1, ev2], "sources": ["River Post", HOSTILE_SOURCE],
                     "independent_sources": 2, "status": "consensus", "claim": 1, "generated": False}],
        "entities": [{"name": SCRIPT, "type": "PERSON", "aliases": [ATTR], "mentions": 2}],
        "quotes": [{"speaker": HOSTILE_SOURCE, "text": HOSTILE_TEXT, "article": 2, "direct": True,
                    "reported_via": SCRIPT, "sentence": 1}],
        "statements": [{"id": 1, "speaker": SCRIPT, "variants": [
            {"article": 1, "text": "closed on Tuesday", "diff": []},
            {"article": 2, "text": HOSTILE_TEXT, "diff": [["=", "closed"], ["+", SCRIPT], ["-", ATTR]]}],
            "drift": [SCRIPT]}],
        "claims": claims,
        "coverage": {"sources": ["River Post", HOSTILE_SOURCE], "rows": [
            {"claim": 1, "text": HOSTILE_TEXT, "status": "consensus", "cells": {"River Post": ev1, HOSTILE_SOURCE: ev2}},
            {"claim": 2, "text": "Level", "status": ATTR, "cells": {"River Post": None, HOSTILE_SOURCE: ev2}}],
            "omissions": {"River Post": [2]}, "independent_sources": 2, "articles": 2, "headline": SCRIPT},
        "framing": {"findings": [{"article_id": 2, "term": SCRIPT, "referent": ATTR, "kind": "loaded",
                                  "span": {"article_id": 2, "sentence": 1, "start": 0, "end": 5, "text": HOSTILE_TEXT},
                                  "score": 1.0}],
                    "naming": [{"referent": SCRIPT, "variants": {ATTR: [2], "river": [1]}}],
                    "distinctive": {HOSTILE_SOURCE: [{"term": SCRIPT, "z": 2.0}]},
                    "tone": [{"article": 2, "entity": SCRIPT, "score": -0.5, "evidence": ATTR}]},
        "provenance": {"links": [{"article_id": 2, "relation": ATTR, "target_article": 1, "target_source": None,
                                  "score": 0.9, "evidence": None},
                                 {"article_id": 2, "relation": "cites", "target_article": None,
                                  "target_source": SCRIPT, "score": None,
                                  "evidence": {"article_id": 2, "sentence": 1, "text": HOSTILE_TEXT}}],
                       "graph": {"nodes": [], "edges": []}},
        "timeline": [{"date": "2025-03-04", "text": HOSTILE_TEXT, "citations": [{"article_id": 2, "sentence": 1}],
                      "story": 1, "stated": True}],
        "outlets": {HOSTILE_SOURCE: {"name": HOSTILE_SOURCE, "country": SCRIPT, "owner": ATTR, "type": JS_URL}},
    }
