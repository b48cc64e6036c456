"""Hardening of the web UI (issue 15): ingest fetches public addresses only unless the server opts
in, oversized chunked uploads, ``Origin: null``, bidi isolation of user text, /docs offline."""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.store import open_store
from newsprism.web import create_app

BASE = "http://127.0.0.1"
PAGE = (b"<html><head><title>Harbour reopens after strike</title></head><body><article><p>The harbour of "
        b"Westhaven reopened on Monday after dock workers ended a two-week strike over pay.</p><p>Ships "
        b"queued outside the port were let in one by one, the port authority said.</p></article></body></html>")


class _Internal:
    """An HTTP server on 127.0.0.1 (the server's own network, as a pasted URL would reach it)."""

    def __init__(self) -> None:
        site = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(self.path)
                if self.path == "/feed.rss":
                    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Intranet</title><item>'
                            f'<title>Memo</title><link>{site.base}/article</link><description>teaser'
                            f'</description></item></channel></rss>').encode()
                    kind = "application/rss+xml"
                else:
                    body, kind = PAGE, "text/html; charset=utf-8"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def internal() -> Iterator[_Internal]:
    site = _Internal()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_store(path).close()
    return path


def _finished_job(client: TestClient, data: dict[str, str] | None = None, files: list | None = None) -> dict:
    started = client.post("/api/ingest", data=data, files=files)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(started.json()["status"]).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("the ingest job did not finish")


def test_web_ingest_refuses_private_addresses_by_default(empty_db: Path, internal: _Internal) -> None:
    url, feed = f"{internal.base}/article", f"{internal.base}/feed.rss"
    with TestClient(create_app(str(empty_db)), base_url=BASE) as client:
        job = _finished_job(client, {"urls": url, "feeds": feed})
        page = client.get(f"/ingest/jobs/{job['id']}")
        form = client.get("/ingest").text
    assert job["state"] == "done" and job["result"]["ingested"] == []
    problem = ("refused: 127.0.0.1 is a private or local address (127.0.0.1); this server fetches public addresses "
               "only (start it with 'newsprism serve --allow-private-urls' to allow them)")
    assert job["result"]["rejected"] == [{"origin": url, "problem": problem}, {"origin": feed, "problem": problem}]
    assert internal.requests == [], "nothing was sent to the internal server"
    assert page.status_code == 200 and "--allow-private-urls" in page.text
    assert "Only public web addresses are fetched" in form


def test_links_of_an_uploaded_feed_are_public_only_too(empty_db: Path, internal: _Internal) -> None:
    """A feed file is trusted on the command line; uploaded to the web UI, its links are not."""
    link = f"{internal.base}/article"
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Memo</title>'
           f'<link>{link}</link><description>teaser</description></item></channel></rss>').encode()
    with TestClient(create_app(str(empty_db)), base_url=BASE) as client:
        job = _finished_job(client, files=[("files", ("wire.rss", rss, "application/rss+xml"))])
    assert [r["origin"] for r in job["result"]["rejected"]] == [link]
    assert "private or local address" in job["result"]["rejected"][0]["problem"] and internal.requests == []


@pytest.mark.slow
def test_web_ingest_fetches_private_addresses_with_the_opt_in(empty_db: Path, internal: _Internal) -> None:
    url = f"{internal.base}/article"
    with TestClient(create_app(str(empty_db), allow_private_urls=True), base_url=BASE) as client:
        job = _finished_job(client, {"urls": url})
    assert job["state"] == "done" and job["result"]["rejected"] == [], job
    assert len(job["result"]["ingested"]) == 1 and internal.requests == ["/article"]


def test_serve_has_the_opt_in_flag() -> None:
    from typer.testing import CliRunner

    from newsprism.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--allow-private-urls" in result.output


# ------------------------------------------------------------------ chunked uploads over the cap


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_chunked_upload_over_the_cap_is_a_413_without_traceback(empty_db: Path) -> None:
    from newsprism.web.app import BODY_SLACK
    from newsprism.web.jobs import MAX_UPLOAD_BYTES

    from .conftest import LiveServer

    limit = MAX_UPLOAD_BYTES + BODY_SLACK
    head = (b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")

    def body() -> Iterator[bytes]:  # a little past the cap, with no Content-Length
        yield head
        chunk = b"x" * (1 << 20)
        for _ in range(limit // len(chunk) + 1):
            yield chunk
        yield b"\r\n--b--\r\n"

    records = _Records()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error", "newsprism")]
    with LiveServer(create_app(str(empty_db))) as live:
        for logger in loggers:
            logger.addHandler(records)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
            conn.request("POST", "/api/ingest", body=body(), encode_chunked=True,
                         headers={"Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked"})
            response = conn.getresponse()
            status, payload = response.status, response.read()
            conn.close()
        finally:
            for logger in loggers:
                logger.removeHandler(records)
    assert status == 413, payload
    assert json.loads(payload) == {"detail": "request body over 52 MB; upload fewer or smaller files"}
    assert not [r for r in records.records if r.exc_info or r.levelno >= logging.ERROR], \
        [r.getMessage() for r in records.records]


# ------------------------------------------------------------------ Origin: null


def test_post_with_origin_null_is_refused(empty_db: Path) -> None:
    with TestClient(create_app(str(empty_db)), base_url=BASE) as client:
        refused = client.post("/api/ingest", data={"urls": "https://example.org/x"}, headers={"Origin": "null"})
        form = client.post("/ingest", data={"urls": "https://example.org/x"}, headers={"Origin": "null"},
                           follow_redirects=False)
        own = client.post("/api/ingest", data={"urls": ""}, headers={"Origin": BASE})
        page = client.get("/ingest")
    assert refused.status_code == 403 and form.status_code == 403
    assert refused.json()["detail"] == ("cross-site request refused (Origin: null); "
                                        "send it from this server's own pages")
    assert own.status_code == 400, "a POST from the server's own origin passes the guard"
    # browsers send "Origin: null" on a page's own form posts under Referrer-Policy no-referrer
    assert page.headers["referrer-policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in page.text


# ------------------------------------------------------------------ bidi isolation

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: without isolation it reverses everything after it on the line
RLO_TITLE = f"Harbour strike {RLO}exe.txt ends"
RLO_SOURCE = f"Coastal {RLO}Herald"
_VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base", "embed", "param", "track"}


def _fsi_isolated(text: str) -> bool:
    """Every U+202E in ``text`` lies between an isolate initiator (FSI/LRI/RLI) and its PDI."""
    depth = 0
    for ch in text:
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == "\u2069":
            depth = max(0, depth - 1)
        elif ch == RLO and depth == 0:
            return False
    return True


class _Bidi(HTMLParser):
    """Records each piece of text or shown attribute holding U+202E that is not isolated. Charts
    (inline SVG from newsprism.svg) are not looked at: each SVG <text> is laid out on its own."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.leaks: list[str] = []
        self.seen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and RLO in value and name in ("title", "alt", "placeholder", "aria-label") \
                    and not self._in_svg(tag):
                self.seen += 1
                if not _fsi_isolated(value):
                    self.leaks.append(f"<{tag} {name}={value!r}>")
        if tag not in _VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def _in_svg(self, tag: str = "") -> bool:
        return tag == "svg" or any(t == "svg" for t, _ in self.stack)

    def handle_data(self, data: str) -> None:
        if RLO not in data or self._in_svg():
            return
        self.seen += 1
        isolated = any(tag == "bdi" or (tag == "span" and "sent" in (attrs.get("class") or "").split())
                       for tag, attrs in self.stack)
        if not isolated and not _fsi_isolated(data):
            self.leaks.append(" > ".join(t for t, _ in self.stack) + f": {data!r}")


def _assert_isolated(html: str, at_least: int = 1) -> None:
    parser = _Bidi()
    parser.feed(html)
    assert parser.seen >= at_least, "the page shows the text under test"
    assert parser.leaks == [], parser.leaks


@pytest.fixture
def rlo_db(tmp_path: Path) -> Path:
    import hashlib

    from newsprism.models import CleanDocument, Sentence, Story

    path = tmp_path / "rlo.db"
    store = open_store(path)
    text = f"Dock workers at {RLO_SOURCE} ended the strike, said union secretary Tomas Brandt on Monday."
    body = f"{RLO_TITLE}\n\n{text}"
    doc = CleanDocument(origin="test:rlo", title=RLO_TITLE, text=body, sentences=(
        Sentence(0, 0, len(RLO_TITLE), RLO_TITLE), Sentence(1, len(RLO_TITLE) + 2, len(body), text)),
        language="en", source=RLO_SOURCE, published="2025-03-04", url=None,
        content_key=hashlib.sha256(body.encode()).hexdigest())
    article = store.add_article(doc, None, b"m").id
    store.save_story(Story(id=1, title=RLO_TITLE, article_ids=(), keywords=(f"str{RLO}ike",)))
    store.set_article_stories({article: 1})
    store.close()
    return path


def test_titles_and_sources_with_rlo_render_isolated(rlo_db: Path) -> None:
    with TestClient(create_app(str(rlo_db)), base_url=BASE) as client:
        for path, shown in (("/", 3), ("/?source=nothing", 1), ("/articles/1", 3)):
            page = client.get(path)
            assert page.status_code == 200, path
            _assert_isolated(page.text, at_least=shown)
        assert f"<bdi>{RLO_TITLE}</bdi>" in client.get("/").text
        assert f"<title>\u2068{RLO_TITLE}\u2069 — newsprism</title>" in client.get("/articles/1").text


@pytest.mark.slow
def test_story_page_and_report_with_rlo_render_isolated(rlo_db: Path) -> None:
    with TestClient(create_app(str(rlo_db)), base_url=BASE) as client:
        page = client.get("/stories/1")
        report = client.get("/stories/1/report.html")
    assert page.status_code == 200 and report.status_code == 200
    _assert_isolated(page.text, at_least=3)
    _assert_isolated(report.text, at_least=3)


def test_every_free_text_field_of_a_report_is_isolated() -> None:
    from newsprism.report import render_report

    from .hostile import SCRIPT, hostile_analysis

    # every field that carries markup in the hostile analysis carries a right-to-left override instead
    analysis = json.loads(json.dumps(hostile_analysis()).replace(SCRIPT, f"evil {RLO}txt.exe"))
    _assert_isolated(render_report(analysis, "html"), at_least=10)


def test_stylesheet_isolates_bdi_and_sentences() -> None:
    from newsprism.web.templating import inline_css

    assert "bdi, span.sent { unicode-bidi: isolate; }" in inline_css()


# ------------------------------------------------------------------ /docs offline


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not a.get("src"):
                self.inline_scripts += 1
        for name in ("src", "href"):
            if a.get(name):
                self.refs.append(str(a[name]))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"


def test_docs_is_served_from_the_package_under_the_strict_csp(empty_db: Path) -> None:
    from newsprism.web.app import CSP

    with TestClient(create_app(str(empty_db)), base_url=BASE) as client:
        docs = client.get("/docs")
        assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
        assert docs.headers["content-security-policy"] == CSP == client.get("/").headers["content-security-policy"]
        refs = _Refs()
        refs.feed(docs.text)
        assert refs.inline_scripts == 0, "no inline script (the CSP would block it)"
        assets = [r for r in refs.refs if not r.startswith("data:")]
        assert {"/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css", "/static/docs.js"} <= set(assets)
        assert all(r.startswith("/") and not r.startswith("//") for r in assets), assets
        assert "cdn" not in docs.text.lower()
        for ref in assets:
            asset = client.get(ref)
            assert asset.status_code == 200 and len(asset.content) > 100, ref
            assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css"), ref
        assert "SwaggerUIBundle" in client.get("/static/swagger-ui/swagger-ui-bundle.js").text
        assert "/openapi.json" in docs.text and client.get("/openapi.json").json()["openapi"].startswith("3.1")
        assert client.get("/static/swagger-ui/index.html").status_code == 404, "only the two assets are served"
        assert client.get("/static/style.css").status_code == 200, "the app's own static files still are"
