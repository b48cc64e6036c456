"""Fixtures for ingest tests: fixture paths and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest
from ingest_support import (
    BIG_BYTES,
    BILLION_LAUGHS,
    CP1251_PAGE,
    FIXTURES,
    LATIN1_PAGE,
    PLAIN_TEXT,
    PNG_BYTES,
    SLOW_SECONDS,
)



@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    stream_bytes: int = 0  # if set: stream this many bytes with no Content-Length


def _routes(base: str) -> dict[str, Response]:
    def fixture(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    html = (("Content-Type", "text/html; charset=utf-8"),)
    links_feed = fixture("feed_links.atom.template").replace(b"{base}", base.encode())
    return {
        "/article.html": Response(body=fixture("article.html"), headers=html),
        "/linked_1.html": Response(body=fixture("linked_1.html"), headers=html),
        "/linked_2.html": Response(body=fixture("linked_2.html"), headers=html),
        "/cp1251.html": Response(body=CP1251_PAGE.encode("cp1251"), headers=(("Content-Type", "text/html"),)),
        "/latin1.html": Response(body=LATIN1_PAGE.encode("latin-1"), headers=(("Content-Type", "text/html"),)),
        "/plain.txt": Response(body=PLAIN_TEXT.encode(), headers=(("Content-Type", "text/plain; charset=utf-8"),)),
        "/image.png": Response(body=PNG_BYTES, headers=(("Content-Type", "image/png"),)),
        "/feed-full.rss": Response(body=fixture("feed_full.rss"), headers=(("Content-Type", "application/rss+xml"),)),
        "/feed-links.atom": Response(body=links_feed, headers=(("Content-Type", "application/atom+xml"),)),
        "/feed-as-xml": Response(body=fixture("feed_full.rss"), headers=(("Content-Type", "text/xml"),)),
        "/evil.rss": Response(body=BILLION_LAUGHS, headers=(("Content-Type", "application/rss+xml"),)),
        "/broken.rss": Response(body=b"<?xml version='1.0'?><rss><channel><item><title>unclosed", headers=(("Content-Type", "application/rss+xml"),)),
        "/home.html": Response(
            body=b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed-full.rss"></head>'
            b"<body><p>Welcome to the Valley Times.</p></body></html>",
            headers=html,
        ),
        "/redirect": Response(status=302, headers=(("Location", "/article.html"),)),
        "/redirect-2": Response(status=301, headers=(("Location", f"{base}/redirect"),)),
        "/loop": Response(status=302, headers=(("Location", "/loop"),)),
        "/to-file": Response(status=302, headers=(("Location", "file:///etc/passwd"),)),
        "/error": Response(status=500, body=b"boom"),
        "/slow": Response(body=b"<html><body><p>Too late.</p></body></html>", headers=html, delay=SLOW_SECONDS),
        "/big": Response(headers=html, stream_bytes=BIG_BYTES),
        "/big-declared": Response(body=b"x" * 100, headers=(("Content-Type", "text/html"), ("Content-Length", str(BIG_BYTES)))),
    }


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path.split("?", 1)[0], Response(status=404, body=b"not found"))
        try:
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            names = {name.lower() for name, _ in route.headers}
            for name, value in route.headers:
                self.send_header(name, value)
            if "content-length" not in names and not route.stream_bytes:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.stream_bytes:
                chunk = b"<p>" + b"a" * 65_529 + b"</p>\n"
                for _ in range(route.stream_bytes // len(chunk) + 1):
                    self.wfile.write(chunk)
            else:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (cap reached, timeout): expected

    def log_message(self, format: str, *args: object) -> None:  # silence test output
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Response]
    requests: list[str]


@dataclass
class LocalServer:
    base: str
    server: _Server

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def requests(self) -> list[str]:
        return self.server.requests


@pytest.fixture(scope="session")
def http_server() -> Iterator[LocalServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = _routes(base)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LocalServer(base, server)
    server.shutdown()
    server.server_close()


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    """A short-timeout client so the slow endpoint times out quickly."""
    from newsprism.ingest.web import make_client

    with make_client(timeout=0.5) as c:
        yield c


@pytest.fixture()
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"


@pytest.fixture()
def write_file(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
