"""The web app over HTTP (Starlette TestClient): listing, filters, JSON twins, and the guards
(escaping, token, host check, cross-site POST, id validation, path traversal, upload caps)."""

from __future__ import annotations

import hashlib
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.models import CleanDocument, Sentence, Story
from newsprism.store import open_store
from newsprism.web import create_app
from newsprism.web.jobs import safe_filename

from .hostile import ATTR, HOSTILE_SOURCE, HOSTILE_TEXT, HOSTILE_TITLE, JS_URL, SCRIPT

BASE = "http://127.0.0.1"


def _doc(title: str, text: str, source: str, language: str, published: str, url: str | None) -> CleanDocument:
    body = f"{title}\n\n{text}"
    starts = [0, len(title) + 2]
    sentences = (Sentence(0, 0, len(title), title), Sentence(1, starts[1], len(body), text))
    return CleanDocument(origin=f"test:{title[:20]}", title=title, text=body, sentences=sentences,
                         language=language, source=source, published=published, url=url,
                         content_key=hashlib.sha256(body.encode()).hexdigest())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two stories (one hostile) and an unassigned hostile article, written through the store API."""
    path = tmp_path / "web.db"
    store = open_store(path)
    a1 = store.add_article(_doc("River closed", "The river was closed on Tuesday.", "River Post", "en",
                                "2025-03-04", "https://river.example/a"), None, b"m").id
    a2 = store.add_article(_doc(HOSTILE_TITLE, HOSTILE_TEXT, HOSTILE_SOURCE, "de", "2025-03-05", JS_URL), None, b"m").id
    a3 = store.add_article(_doc("River copy", "The river was closed on Tuesday, again.", "Copy Desk", "en",
                                "2025-03-05", None), a1, b"m").id
    b1 = store.add_article(_doc("Tram approved", "Lyon approved the tram extension.", "Metro Europe", "fr",
                                "2025-06-10", None), None, b"m").id
    store.save_story(Story(id=1, title=HOSTILE_TITLE, article_ids=(), keywords=(SCRIPT, "river")))
    store.save_story(Story(id=2, title="Tram extension approved", article_ids=(), keywords=("tram",)))
    store.set_article_stories({a1: 1, a2: 1, a3: 1, b1: 2})
    store.add_article(_doc("Loose " + SCRIPT, HOSTILE_TEXT, HOSTILE_SOURCE, "it", "2025-01-01", JS_URL), None, b"m")
    store.close()
    return path


@pytest.fixture
def client(db: Path):
    with TestClient(create_app(str(db)), base_url=BASE) as c:
        yield c


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _no_live_markup(html: str) -> None:
    """Hostile input stays text: no script/img element, no on* attribute, no javascript: link."""
    assert SCRIPT not in html and "<img src=x" not in html
    parser = _Tags()
    parser.feed(html)
    assert not [t for t, _ in parser.tags if t in ("script", "img", "iframe")]
    assert not [k for _, a in parser.tags for k in a if k.startswith("on")], "no event-handler attribute"
    assert not [v for _, a in parser.tags for k, v in a.items()
                if k in ("href", "src", "action") and str(v).strip().lower().startswith("javascript")]


def test_story_list_counts_filters_and_escaping(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    _no_live_markup(page.text)
    assert "&lt;script&gt;" in page.text and "Tram extension approved" in page.text
    api = client.get("/api/stories").json()
    assert api["total"] == 2 and api["article_count"] == 5
    river = next(s for s in api["stories"] if s["id"] == 1)
    assert river["article_count"] == 3
    assert river["independent_sources"] == 2, "the near-duplicate from Copy Desk is not independent"
    assert api["stories"][0]["id"] == 2, "newest first"
    assert [s["id"] for s in client.get("/api/stories", params={"language": "fr"}).json()["stories"]] == [2]
    assert [s["id"] for s in client.get("/api/stories", params={"source": HOSTILE_SOURCE}).json()["stories"]] == [1]
    assert [s["id"] for s in client.get("/api/stories", params={"q": "TRAM"}).json()["stories"]] == [2]
    dated = client.get("/api/stories", params={"date_from": "2025-04-01", "date_to": "2025-12-31"}).json()
    assert [s["id"] for s in dated["stories"]] == [2]
    assert client.get("/api/stories", params={"date_from": "not-a-date"}).json()["total"] == 2  # ignored
    paged = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert paged["pages"] == 2 and [s["id"] for s in paged["stories"]] == [1]
    html = client.get("/", params={"language": "fr"}).text
    assert "Tram extension approved" in html and "River closed" not in html


def test_article_page_escapes_and_anchors_sentences(client: TestClient) -> None:
    page = client.get("/articles/5")  # not in a story: no analysis needed
    assert page.status_code == 200
    _no_live_markup(page.text)
    assert 'id="s-0"' in page.text and 'id="s-1"' in page.text
    assert "original ↗" not in page.text, "javascript: URL is never linked"
    data = client.get("/api/articles/5").json()
    assert data["title"].startswith("Loose <script>") and data["sentences"][1]["index"] == 1


def test_security_headers(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path, status", [
    ("/stories/abc", 422), ("/stories/0", 422), ("/stories/-3", 422), ("/stories/99999999999999999999999", 422),
    ("/api/stories/1.5", 422), ("/articles/999", 404), ("/api/articles/999", 404),
    ("/storylines/x", 422), ("/stories/1/report.exe", 422), ("/ingest/jobs/..%2f..%2fetc", 404),
    ("/static/../app.py", 404), ("/static/%2e%2e/app.py", 404), ("/static/..%2fapp.py", 404),
    ("/api/ingest/jobs/0123456789abcdef", 404),
])
def test_ids_validated_and_no_traversal(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text[:200]
    assert "def create_app" not in response.text


def test_every_page_has_a_json_twin(client: TestClient) -> None:
    for page in ("/", "/storylines", "/articles/5", "/ingest"):
        html = client.get(page).text
        twin = re.search(r'JSON twin: <a href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        response = client.get(twin)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json", page


def test_static_css_served_locally(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "--consensus" in css.text and "http" not in css.text


def test_openapi_offline(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/storylines/{storyline_id}",
                 "/api/articles/{article_id}", "/api/ingest", "/api/ingest/jobs/{job_id}"):
        assert path in schema["paths"], path


def test_settings_listed_with_their_defaults(client: TestClient) -> None:
    rows = {r["name"]: r for r in client.get("/api/settings").json()["settings"]}
    assert rows["storyline_threshold"]["value"] == rows["storyline_threshold"]["default"]
    assert not any(r["changed"] for r in rows.values()) and all(r["note"] for r in rows.values())


def test_token_required_when_set(db: Path) -> None:
    with TestClient(create_app(str(db), token="s3cret"), base_url="http://192.0.2.10:8000") as c:
        assert c.get("/api/stories").status_code == 401
        assert c.get("/static/style.css").status_code == 401
        assert c.get("/api/stories", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        first = c.get("/?token=s3cret&language=fr", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/?language=fr"
        assert "httponly" in first.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200, "the cookie carries the token from now on"


def test_env_token(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPRISM_TOKEN", "from-env")
    with TestClient(create_app(str(db)), base_url=BASE) as c:
        assert c.get("/").status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_loopback_only_without_token(client: TestClient) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 403
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_cross_site_post_refused(client: TestClient) -> None:
    r = client.post("/api/ingest", data={"urls": "https://example.org/x"},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/ingest", data={"urls": "https://example.org/x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


@pytest.mark.parametrize("field, value", [
    ("urls", "/etc/passwd"), ("urls", "file:///etc/passwd"), ("urls", "../../newsprism.db"),
    ("feeds", "javascript:alert(1)"), ("urls", ""),
])
def test_ingest_accepts_only_web_urls_and_uploads(client: TestClient, field: str, value: str) -> None:
    r = client.post("/api/ingest", data={field: value})
    assert r.status_code == 400, r.text


def test_upload_caps(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsprism.web.routes import ingest as ingest_routes

    monkeypatch.setattr(ingest_routes, "MAX_FILE_BYTES", 1000)
    r = client.post("/api/ingest", files=[("files", ("big.txt", b"x" * 5000, "text/plain"))])
    assert r.status_code == 413
    huge = client.post("/api/ingest", content=b"x", headers={"Content-Length": str(10**10),
                                                             "Content-Type": "multipart/form-data; boundary=b"})
    assert huge.status_code == 413


def test_safe_filename() -> None:
    assert safe_filename("../../etc/passwd", 3) == "003_passwd"
    assert safe_filename("..\\..\\win.ini", 0) == "000_win.ini"
    assert safe_filename("....", 1) == "001_upload"
    assert "/" not in safe_filename("a/b/<c>.txt", 2) and safe_filename("a/b/<c>.txt", 2).endswith(".txt")


def test_error_pages_are_html_and_escaped(client: TestClient) -> None:
    r = client.get("/nothing-here-" + "%3Cscript%3E")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    _no_live_markup(r.text)
    assert client.get("/api/nothing").headers["content-type"].startswith("application/json")


def _when_analysed(client: TestClient, path: str, timeout: float = 300.0):
    """The page at ``path`` once its analysis is ready (a pending page reloads itself, as here)."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(path)
        if "analysis-pending" not in page.text or time.monotonic() > deadline:
            return page
        assert 'http-equiv="refresh"' in page.text
        time.sleep(0.5)


@pytest.mark.slow
def test_story_page_with_real_analysis(client: TestClient) -> None:
    page = _when_analysed(client, "/stories/1")
    assert page.status_code == 200, page.text[:500]
    _no_live_markup(page.text)
    for section in ("summary", "sources", "coverage", "who", "framing", "provenance", "timeline"):
        assert f'id="{section}"' in page.text
    data = client.get("/api/stories/1").json()
    assert data["id"] == 1 and {a["id"] for a in data["articles"]} == {1, 2, 3}
    for fmt, kind in (("html", "text/html"), ("md", "text/markdown"), ("json", "application/json")):
        report = client.get(f"/stories/1/report.{fmt}")
        assert report.status_code == 200 and report.headers["content-type"].startswith(kind)
        assert "attachment" in report.headers["content-disposition"]
        if fmt != "json":
            assert SCRIPT not in report.text
    assert ATTR not in client.get("/stories/1/report.html").text
