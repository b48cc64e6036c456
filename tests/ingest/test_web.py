"""URL inputs against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from newsprism.errors import FetchError
from newsprism.ingest import collect
from newsprism.ingest.web import USER_AGENT, fetch, make_client, page_kind, parse_content_type
from newsprism.models import RawDocument, Rejection


def _one(url: str, client: httpx.Client) -> RawDocument | Rejection:
    items = list(collect([url], client=client))
    assert len(items) == 1, items
    return items[0]


def test_html_page_with_metadata(http_server, client) -> None:
    doc = _one(http_server.url("/article.html"), client)
    assert isinstance(doc, RawDocument)
    assert doc.origin == http_server.url("/article.html")
    assert doc.url == http_server.url("/article.html")  # the fetched URL wins over rel=canonical
    assert doc.title == "Harbour strike ends after pay deal"
    assert doc.source == "The Coastal Herald"
    assert doc.author == "Maria Keller"
    assert doc.published == "2024-03-14T08:30:00+01:00"
    assert doc.language == "en"
    assert "Dock workers in the port of Westhaven" in doc.text
    assert "said union secretary Tomas Brandt" in doc.text  # blockquote kept
    assert "Reader123" not in doc.text  # comments dropped
    assert "All rights reserved" not in doc.text
    assert "\n\n" in doc.text
    assert doc.html is not None and "<article>" in doc.html


def test_redirects_are_followed_and_final_url_kept(http_server, client) -> None:
    doc = _one(http_server.url("/redirect-2"), client)
    assert isinstance(doc, RawDocument)
    assert doc.origin == http_server.url("/redirect-2")
    assert doc.url == http_server.url("/article.html")


def test_redirect_loop_is_refused(http_server, client) -> None:
    rej = _one(http_server.url("/loop"), client)
    assert isinstance(rej, Rejection)
    assert rej.problem == "too many redirects (more than 5)"


def test_redirect_to_file_scheme_is_refused(http_server, client) -> None:
    rej = _one(http_server.url("/to-file"), client)
    assert rej == Rejection(http_server.url("/to-file"), "redirect to unsupported scheme 'file'")


@pytest.mark.parametrize(("path", "problem"), [("/nothing-here", "HTTP 404"), ("/error", "HTTP 500")])
def test_http_errors(http_server, client, path: str, problem: str) -> None:
    assert _one(http_server.url(path), client) == Rejection(http_server.url(path), problem)


def test_connection_refused(closed_port_url, client) -> None:
    assert _one(closed_port_url, client) == Rejection(closed_port_url, "connection refused")


def test_slow_server_times_out(http_server, client) -> None:
    started = time.monotonic()
    rej = _one(http_server.url("/slow"), client)
    assert rej == Rejection(http_server.url("/slow"), "timed out")
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_oversized_body_is_refused(http_server, client, path: str) -> None:
    rej = _one(http_server.url(path), client)
    assert rej == Rejection(http_server.url(path), "larger than 5 MB cap")


def test_windows_1251_page_without_declared_charset(http_server, client) -> None:
    doc = _one(http_server.url("/cp1251.html"), client)
    assert isinstance(doc, RawDocument)
    assert "В Томске открыли новый мост через реку" in doc.text
    assert "четыре миллиарда рублей" in doc.text


def test_latin1_page_without_declared_charset(http_server, client) -> None:
    doc = _one(http_server.url("/latin1.html"), client)
    assert isinstance(doc, RawDocument)
    assert "fête de la musique" in doc.text
    assert "« C'était une très belle soirée »" in doc.text


def test_plain_text_url(http_server, client) -> None:
    doc = _one(http_server.url("/plain.txt"), client)
    assert isinstance(doc, RawDocument)
    assert doc.title == "Storm warning for the coast"
    assert doc.url == http_server.url("/plain.txt")
    assert "storm warning for the whole coast" in doc.text


def test_binary_url_is_refused(http_server, client) -> None:
    rej = _one(http_server.url("/image.png"), client)
    assert isinstance(rej, Rejection)
    assert "binary" in rej.problem and "PNG" in rej.problem


def test_unsupported_scheme_is_refused_without_fetching() -> None:
    items = list(collect(["ftp://example.org/a.txt", "file:///etc/passwd"]))
    assert [i.problem for i in items] == [  # type: ignore[union-attr]
        "unsupported URL scheme 'ftp' (only http and https)",
        "unsupported URL scheme 'file' (only http and https)",
    ]


def test_fetch_sends_user_agent_and_reports_final_url(http_server) -> None:
    seen: list[str] = []

    def record(request: httpx.Request) -> None:
        seen.append(request.headers["user-agent"])

    with httpx.Client(timeout=2, event_hooks={"request": [record]}, follow_redirects=True) as c:
        page = fetch(http_server.url("/redirect"), c)
    assert page.final_url == http_server.url("/article.html")
    assert page.status == 200 and page.content_type == "text/html" and page.charset == "utf-8"
    assert seen == [USER_AGENT, USER_AGENT]  # two hops, each checked by hand
    assert page_kind(page) == "html"


def test_fetch_raises_fetch_error(http_server, client) -> None:
    with pytest.raises(FetchError) as info:
        fetch(http_server.url("/error"), client)
    assert info.value.problem == "HTTP 500"


def test_default_client_settings() -> None:
    with make_client() as c:
        assert c.timeout.read == 10.0
        assert c.headers["user-agent"] == USER_AGENT
        assert c.follow_redirects is False  # hops are followed and checked by fetch()


def test_parse_content_type() -> None:
    assert parse_content_type('text/HTML; charset="windows-1251"') == ("text/html", "windows-1251")
    assert parse_content_type("") == ("", None)


class _Trickler:
    """A raw HTTP server on 127.0.0.1 that sends its status line and headers one byte per
    ``interval`` seconds (each byte well inside the per-read timeout, the whole far beyond)."""

    HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 200 + b"\r\nContent-Length: 2\r\n\r\nok"

    def __init__(self, interval: float = 0.05) -> None:
        import threading

        self.interval = interval
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                try:
                    for byte in self.HEAD:
                        if self.stop.is_set():
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(self.interval)
                except OSError:
                    pass  # the client gave up: expected

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_one_deadline_covers_the_headers_of_a_trickling_server(client, monkeypatch) -> None:
    from newsprism.ingest import web

    monkeypatch.setattr(web, "TOTAL_FETCH_SECONDS", 1.0)
    trickler = _Trickler()  # ~12 s of headers at 0.05 s a byte, each byte inside the 0.5 s read timeout
    try:
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch(trickler.url, client)
        elapsed = time.monotonic() - started
    finally:
        trickler.close()
    assert info.value.problem == "timed out" and "\n" not in str(info.value)
    assert elapsed < 1.0 + 0.5, f"the fetch took {elapsed:.1f} s, past its 1 s deadline"


def test_deadline_spans_redirect_hops(http_server, client, monkeypatch) -> None:
    from newsprism.ingest import web

    monkeypatch.setattr(web, "TOTAL_FETCH_SECONDS", 1.0)
    trickler = _Trickler()
    http_server.server.routes["/to-trickler"] = type(http_server.server.routes["/redirect"])(
        status=302, headers=(("Location", trickler.url),))
    try:
        started = time.monotonic()
        rej = _one(http_server.url("/to-trickler"), client)
        elapsed = time.monotonic() - started
    finally:
        trickler.close()
        del http_server.server.routes["/to-trickler"]
    assert rej == Rejection(http_server.url("/to-trickler"), "timed out")
    assert elapsed < 1.5


# ------------------------------------------------------------------ public-only fetching


class _Site:
    """A tiny HTTP server on one loopback address (127.0.0.2 stands in for a public host)."""

    def __init__(self, host: str, routes: dict[str, tuple[int, dict[str, str], bytes]], port: int = 0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(self.path)
                status, headers, body = routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


ARTICLE = (200, {"Content-Type": "text/html; charset=utf-8"},
           b"<html><head><title>Harbour reopens</title></head><body><article><p>The harbour reopened on "
           b"Monday after the strike ended.</p></article></body></html>")


@pytest.fixture()
def fake_public(monkeypatch):
    """127.0.0.2 counts as a public address (everything else as usual): a stand-in for a public
    server, so that real connections show which address each hop reached."""
    from newsprism.ingest import web

    real = web.is_public_address
    monkeypatch.setattr(web, "is_public_address", lambda a: str(a) == "127.0.0.2" or real(a))


@pytest.fixture()
def two_sites():
    """The same port on 127.0.0.2 (the 'public' site) and on 127.0.0.1 (the internal one)."""
    for _attempt in range(20):
        public = _Site("127.0.0.2", {"/article": ARTICLE})
        try:
            internal = _Site("127.0.0.1", {"/article": ARTICLE, "/secret": ARTICLE}, port=public.port)
        except OSError:
            public.close()
            continue
        yield public, internal
        public.close()
        internal.close()
        return
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


def test_public_only_client_refuses_loopback(http_server) -> None:
    before = len(http_server.requests)
    with make_client(timeout=2, public_only=True) as c, pytest.raises(FetchError) as info:
        fetch(http_server.url("/article.html"), c)
    assert info.value.problem == "refused: 127.0.0.1 is a private or local address (127.0.0.1); only public addresses are fetched here"
    assert len(http_server.requests) == before, "nothing was sent to the internal server"


def test_public_only_client_refuses_a_redirect_to_an_internal_address(two_sites, fake_public) -> None:
    public, internal = two_sites
    redirect = _Site("127.0.0.2", {"/go": (302, {"Location": f"{internal.base}/secret"}, b"")})
    try:
        with make_client(timeout=2, public_only=True, refusal="no: {host} ({address})") as c:
            with pytest.raises(FetchError) as info:
                fetch(f"{redirect.base}/go", c)
            assert info.value.problem == "no: 127.0.0.1 (127.0.0.1)"
            assert fetch(f"{public.base}/article", c).status == 200  # the 'public' site itself is fetched
    finally:
        redirect.close()
    assert redirect.requests == ["/go"] and internal.requests == []


def test_public_only_connects_to_the_address_it_checked(two_sites, fake_public, monkeypatch) -> None:
    """DNS rebinding: the name resolves to a public address once, to an internal one after."""
    public, internal = two_sites
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"])

    def rebinding(host, *args, **kwargs):  # first answer public, every later one internal
        if host == "rebind.test":
            return real(next(answers, "127.0.0.1"), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with make_client(timeout=2, public_only=True) as c:
        page = fetch(f"http://rebind.test:{public.port}/article", c)
    assert page.status == 200 and public.requests == ["/article"] and internal.requests == []


def test_feed_link_checked_again_at_connect(two_sites, fake_public, monkeypatch, client) -> None:
    """A feed link (public_only fetch, ordinary client) whose name passes the hop check and then
    rebinds to an internal address is refused when connecting, not fetched."""
    from newsprism.ingest.web import INTERNAL_REFUSED

    public, internal = two_sites
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"])

    def rebinding(host, *args, **kwargs):
        if host == "rebind.test":
            return real(next(answers, "127.0.0.1"), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(FetchError) as info:
        fetch(f"http://rebind.test:{internal.port}/secret", client, public_only=True)
    assert info.value.problem == INTERNAL_REFUSED and internal.requests == []


def test_internal_addresses_are_not_public() -> None:
    import ipaddress

    from newsprism.ingest.web import is_public_address

    for literal in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                    "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1"):
        assert not is_public_address(ipaddress.ip_address(literal)), literal
    assert is_public_address(ipaddress.ip_address("93.184.215.14"))
    assert is_public_address(ipaddress.ip_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
