"""End to end in Debian's headless Chromium: a corpus ingested by the real pipeline, served by
uvicorn on 127.0.0.1; list, filter, story sections, follow a citation, ingest an upload."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from newsprism.web import create_app

from .conftest import FIXTURES, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import shutil

    db = tmp_path_factory.mktemp("browser") / "corpus.db"
    shutil.copy(corpus_db, db)
    with LiveServer(create_app(str(db))) as live:
        yield live


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # any alert() would mean injected script ran
    pg.external = []  # any request leaving 127.0.0.1
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(server.url) or r.url.startswith("data:")
          else pg.external.append(r.url))
    pg.set_default_timeout(60_000)
    yield pg
    assert pg.dialogs == [], "a hostile string executed as script"
    assert pg.external == [], "the UI must not fetch anything from other hosts"
    context.close()


def _section_shot(page, section: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    """A section cut from a full-page capture (element shots would show the sticky top bar over it)."""
    box = page.evaluate(f"""() => {{ const r = document.querySelector('section#{section}').getBoundingClientRect();
        return {{x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}}; }}""")
    page.screenshot(path=str(path), full_page=True, clip=box)


def _largest_story(server: LiveServer) -> dict:
    stories = httpx.get(f"{server.url}/api/stories", params={"per_page": 100}).json()["stories"]
    assert stories, "the fixture corpus forms stories"
    return max(stories, key=lambda s: (s["article_count"], -s["id"]))


def test_list_filter_and_story_sections(page, server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    cards = page.locator(".story-card")
    assert cards.count() >= 2
    page.screenshot(path=str(artifacts / "stories.png"), full_page=True)

    page.select_option("select[name=language]", "fr")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"language=fr"))
    filtered = page.locator(".story-card")
    assert 0 < filtered.count() <= cards.count()
    for text in filtered.all_inner_texts():
        assert "fr" in text
    page.screenshot(path=str(artifacts / "stories-filtered.png"), full_page=True)

    rhine = _largest_story(server)
    assert rhine["article_count"] >= 3, "the Rhine articles in 3 languages form one story"
    page.goto(f"{server.url}/stories/{rhine['id']}")
    page.wait_for_selector("section#summary", timeout=300_000)  # a pending page reloads until analysed
    for section in ("summary", "sources", "coverage", "who", "framing", "provenance", "timeline"):
        assert page.locator(f"section#{section}").is_visible()
    assert page.locator("section#summary li").count() >= 1
    assert page.locator("script").count() == 0
    # The hostile outlet name is shown as text.
    assert page.get_by_text("onmouseover", exact=False).count() >= 1
    page.screenshot(path=str(artifacts / "story.png"), full_page=True)
    page.screenshot(path=str(artifacts / "story-top.png"))
    for section in ("coverage", "who"):
        _section_shot(page, section, artifacts / f"story-{section}.png")


def test_follow_a_citation(page, server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    story = _largest_story(server)
    page.goto(f"{server.url}/stories/{story['id']}")
    page.wait_for_selector("section#summary", timeout=300_000)
    ref = page.locator("section#summary a.ref").first
    href = ref.get_attribute("href")
    assert href and re.fullmatch(r"/articles/\d+#s-\d+", href), href
    ref.click()
    page.wait_for_url(re.compile(r"/articles/\d+#s-\d+$"))
    anchor = href.split("#")[1]
    target = page.locator(f"span#{anchor}")
    assert target.count() == 1 and target.is_visible()
    assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == anchor
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the cited sentence is scrolled into view"
    page.screenshot(path=str(artifacts / "article-citation.png"), full_page=False)


def test_ingest_an_uploaded_file(page, server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    before = httpx.get(f"{server.url}/api/stories").json()["article_count"]
    page.goto(server.url + "/ingest")
    page.set_input_files("input[name=files]", str(FIXTURES / "upload_it.txt"))
    page.fill("input[name=source]", "Gazzetta del Reno")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/ingest/jobs/[0-9a-f]{16}$"))
    job_id = page.url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 90
    while (state := httpx.get(f"{server.url}/api/ingest/jobs/{job_id}").json()["state"]) not in ("done", "failed"):
        assert time.monotonic() < deadline, "ingest did not finish in 90 s"
        time.sleep(0.3)
    assert state == "done"
    # The page refreshes itself (meta refresh, no script) until the job is done.
    expect(page.locator("#job-state")).to_have_text("done", timeout=15_000)
    assert "1 article added" in page.locator("#job-result").inner_text()
    page.screenshot(path=str(artifacts / "ingest-done.png"), full_page=True)
    after = httpx.get(f"{server.url}/api/stories").json()["article_count"]
    assert after == before + 1
    page.locator("ul.added a").first.click()
    assert "Reno" in page.locator("h1").inner_text()
    story_link = page.locator(".eyebrow a")
    if story_link.count():  # the Italian article joined a story: its page lists the new source
        story_link.first.click()
        assert page.locator("section#sources").get_by_text("Gazzetta del Reno").count() >= 1
