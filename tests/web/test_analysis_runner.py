"""Story pages never wait long for an analysis: a slow one answers "being analysed" and reloads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism import analyze
from newsprism.web import create_app

from .test_web_app import BASE, db  # noqa: F401  (the two-story database fixture)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch):
    """Story analyses block until the test opens the gate, and are counted."""
    opened = threading.Event()
    calls: list[int] = []

    def slow(articles):
        calls.append(len(articles))
        assert opened.wait(20), "the test never opened the gate"
        return {"quotes": [], "claims": [], "summary": []}

    monkeypatch.setattr(analyze, "analyse_articles", slow)
    monkeypatch.setattr(analyze, "_load_vectors", lambda store, articles: None)
    monkeypatch.setattr("newsprism.web.analysis_runner.PAGE_WAIT_SECONDS", 0.2)
    return opened, calls


def test_a_slow_analysis_answers_a_pending_page_then_the_story(db: Path, gate) -> None:  # noqa: F811
    opened, calls = gate
    with TestClient(create_app(str(db)), base_url=BASE) as client:
        first = client.get("/stories/2")
        assert first.status_code == 200
        assert 'http-equiv="refresh"' in first.text and "analysis-pending" in first.text
        assert "Tram approved" in first.text  # what is stored is shown meanwhile
        again = client.get("/stories/2")
        assert "analysis-pending" in again.text
        assert calls == [1]  # one computation however many requests ask
        opened.set()
        for _ in range(100):
            page = client.get("/stories/2")
            if "analysis-pending" not in page.text:
                break
        assert "analysis-pending" not in page.text and 'http-equiv="refresh"' not in page.text
        assert calls == [1]


def test_an_unknown_story_is_still_a_404(db: Path, gate) -> None:  # noqa: F811
    with TestClient(create_app(str(db)), base_url=BASE) as client:
        assert client.get("/stories/999").status_code == 404


def test_summary_language_is_checked_and_passed_on(db: Path, gate, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    opened, _ = gate
    opened.set()
    asked: list[str | None] = []
    monkeypatch.setattr(analyze, "_summary_in", lambda cached, articles, lang: asked.append(lang) or cached)
    with TestClient(create_app(str(db)), base_url=BASE) as client:
        assert client.get("/api/stories/2?lang=english").status_code == 422
        assert client.get("/api/stories/2?lang=de").status_code == 200
        assert "de" in asked
