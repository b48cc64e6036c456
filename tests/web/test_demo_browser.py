"""The demo corpus's flood story in a real browser: the disagreement on the death toll shows both
values, each with its sentence, and the evacuation Gazeta Wieczorna reports is not listed as omitted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from newsprism.store import open_store
from newsprism.web import create_app

from .conftest import LiveServer


@pytest.mark.slow
@pytest.mark.browser
def test_the_story_page_shows_both_values_of_a_disagreement(demo_corpus, browser, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_corpus[0], db)
    store = open_store(db, create=False)
    flood = next(a.story for a in store.iter_articles() if "vs-5744" in a.origin)
    store.close()
    with LiveServer(create_app(str(db))) as live:
        page = browser.new_page()
        page.goto(f"{live.url}/stories/{flood}")
        page.wait_for_selector("section#summary", timeout=300_000)  # a pending page reloads until analysed
        rows = page.locator("section#conflicts tr.row-conflict")
        assert rows.count() >= 1
        values = " ".join(rows.locator("strong.value").all_inner_texts())
        assert re.search(r"\b6\b|six|sześć", values) and re.search(r"5|пят", values), values
        assert rows.first.locator("q.evidence").count() == 2  # each value with its sentence
        omitted = " ".join(page.locator("section#coverage li.omission span.omitted").all_inner_texts())
        assert "380" not in omitted
        page.close()
