"""HTTP fetching for URL inputs and feed links: capped, time-limited, redirect-checked.

Redirects are followed by hand (at most ``MAX_REDIRECTS``) so every hop is checked to stay on
http(s): a page or feed must never lead newsprism to ``file://`` or another scheme. Bodies are
streamed and refused as soon as they pass ``MAX_INPUT_BYTES``. One deadline (``TOTAL_FETCH_SECONDS``)
covers a whole fetch, every hop's connect, TLS handshake, headers and body: the clients of
``make_client`` give each socket operation at most the time the fetch has left, so a server that
trickles its status line or headers a byte at a time cannot stall a run either. Links found in a feed fetched from the
internet are fetched with ``public_only``: no hop may reach a loopback, private or link-local address
(a hostile feed must not make newsprism read pages of the network it runs in). URLs the user gives,
and links of feeds that are themselves local files or on internal hosts, are fetched as given.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import Message
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsprism.errors import FetchError
from newsprism.ingest.decode import MAX_INPUT_BYTES, ContentKind, binary_kind, sniff_kind, too_large_problem

USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
TIMEOUT_SECONDS = 10.0  # connect/read/write/pool timeout of one request
# One fetch in all (connect, headers and body of every redirect hop): a slow-drip server cannot
# stall a run. Large real pages arrive in 1-3 s; 30 s leaves room for slow links.
TOTAL_FETCH_SECONDS = 30.0
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = frozenset({"http", "https"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A downloaded response body with what the server said about it."""

    requested_url: str
    final_url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case, e.g. "text/html"; "" if none was sent
    charset: str | None  # from the Content-Type header
    body: bytes


def is_url(value: str) -> bool:
    """True for anything with a URL scheme (``http://``, ``ftp://``, ``file://``)."""
    scheme = urlsplit(value).scheme
    return len(scheme) > 1 and "://" in value  # "C:\\x" has a one-letter scheme


def check_scheme(url: str, origin: str) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(origin, f"unsupported URL scheme '{scheme or 'none'}' (only http and https)")


def is_internal_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, an address that is not on the public internet
    (loopback, private, link-local, reserved). An unresolvable name is not internal: its fetch
    fails with its own clear message."""
    host = host.strip("[]").lower()
    if not host:
        return False
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(not address.is_global for address in addresses)


INTERNAL_REFUSED = "refused: the link leads to a private or local address (a feed from the internet cannot make newsprism fetch internal pages)"


def make_client(timeout: float = TIMEOUT_SECONDS) -> httpx.Client:
    """The default client: clear user agent, timeouts, no automatic redirects (checked by hand),
    and connections that keep to the deadline of the fetch they serve."""
    client = httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"},
    )
    # httpx builds its connection pools itself (one per proxy from the environment, one direct);
    # each is given the deadline-keeping backend. httpx has no public hook for this.
    for transport in (client._transport, *client._mounts.values()):  # noqa: SLF001
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.ConnectionPool):
            pool._network_backend = _DeadlineBackend()  # noqa: SLF001
    return client


def fetch(url: str, client: httpx.Client, origin: str | None = None, *, public_only: bool = False) -> FetchedPage:
    """Download ``url`` (following up to ``MAX_REDIRECTS`` http(s) redirects) with a size cap;
    with ``public_only`` every hop must be on a public address.

    Raises ``FetchError`` with a short problem: "HTTP 404", "connection refused", "timed out",
    "larger than 5 MB cap", "too many redirects", "redirect to unsupported scheme 'file'"...
    """
    origin = origin or url
    check_scheme(url, origin)
    deadline = time.monotonic() + TOTAL_FETCH_SECONDS
    token = _DEADLINE.set(deadline)  # read by the connections of make_client's clients
    try:
        return _follow(url, client, origin, deadline, public_only)
    finally:
        _DEADLINE.reset(token)


def _follow(url: str, client: httpx.Client, origin: str, deadline: float, public_only: bool) -> FetchedPage:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        if public_only and is_internal_host(urlsplit(current).hostname or ""):
            raise FetchError(origin, INTERNAL_REFUSED)
        try:
            page, location = _fetch_once(current, client, origin, deadline)
        except FetchError:
            raise
        except (httpx.TimeoutException, _DeadlinePassed):
            raise FetchError(origin, "timed out") from None
        except httpx.ConnectError as exc:
            raise FetchError(origin, _connect_problem(exc)) from None
        except httpx.UnsupportedProtocol:
            raise FetchError(origin, "unsupported URL scheme (only http and https)") from None
        except httpx.InvalidURL as exc:
            raise FetchError(origin, f"invalid URL ({exc})") from None
        except httpx.RemoteProtocolError:
            raise FetchError(origin, "server closed the connection or sent a malformed response") from None
        except httpx.HTTPError as exc:
            raise FetchError(origin, f"download failed ({type(exc).__name__})") from None
        if location is None:
            return page
        target = urljoin(current, location)
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise FetchError(origin, f"redirect to unsupported scheme '{scheme}'")
        current = target
    raise FetchError(origin, f"too many redirects (more than {MAX_REDIRECTS})")


def _fetch_once(
    url: str, client: httpx.Client, origin: str, deadline: float
) -> tuple[FetchedPage, str | None]:
    left = _time_left(deadline)  # also bounds each operation of a client not made by make_client
    limits = client.timeout
    timeout = httpx.Timeout(**{name: left if value is None else min(value, left) for name, value in (
        ("connect", limits.connect), ("read", limits.read), ("write", limits.write), ("pool", limits.pool))})
    request = client.build_request("GET", url, headers={"User-Agent": USER_AGENT}, timeout=timeout)
    response = client.send(request, stream=True, follow_redirects=False)
    try:
        if response.is_redirect and response.headers.get("location"):
            return _page(url, response, b""), response.headers["location"]
        if response.status_code >= 400:
            raise FetchError(origin, f"HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
            raise FetchError(origin, too_large_problem())
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_INPUT_BYTES:
                raise FetchError(origin, too_large_problem())
            _time_left(deadline)
            chunks.append(chunk)
        return _page(url, response, b"".join(chunks)), None
    finally:
        response.close()


def _page(url: str, response: httpx.Response, body: bytes) -> FetchedPage:
    content_type, charset = parse_content_type(response.headers.get("content-type", ""))
    return FetchedPage(
        requested_url=url,
        final_url=str(response.url),
        status=response.status_code,
        content_type=content_type,
        charset=charset,
        body=body,
    )


def parse_content_type(header: str) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` to ``("text/html", "UTF-8")``."""
    if not header:
        return "", None
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower(), charset if isinstance(charset, str) else None


def page_kind(page: FetchedPage) -> ContentKind | str:
    """What a fetched body is: "html", "feed", "text", or "binary (...)" for refused payloads.

    The Content-Type header decides when it is specific; generic or missing types are sniffed.
    """
    kind = binary_kind(page.body)
    if kind:
        return f"binary ({kind})"
    media = page.content_type
    if media in _FEED_TYPES:
        return "feed"
    sniffed = sniff_kind(page.body)
    if media in _HTML_TYPES:
        return "feed" if sniffed == "feed" else "html"  # some servers send feeds as text/html
    if media in _XML_TYPES:
        return "feed" if sniffed == "feed" else "xml"
    if media in _TEXT_TYPES:
        return sniffed if sniffed in ("html", "feed") else "text"
    if media.startswith(("image/", "audio/", "video/", "font/")) or media in (
        "application/pdf",
        "application/zip",
    ):
        return f"binary ({media})"
    return sniffed


def _connect_problem(exc: httpx.ConnectError) -> str:
    message = str(exc).lower()
    if "refused" in message:
        return "connection refused"
    if "name or service not known" in message or "nodename nor servname" in message or "resolution" in message or "getaddrinfo" in message:
        return "cannot resolve host name"
    if "ssl" in message or "certificate" in message:
        return "TLS/certificate error"
    if "timed out" in message:
        return "timed out"
    return "cannot connect"


# --------------------------------------------------------------------------- connections

_DEADLINE: ContextVar[float | None] = ContextVar("newsprism_fetch_deadline", default=None)


class _DeadlinePassed(httpcore.TimeoutException):
    """The fetch in progress has used up ``TOTAL_FETCH_SECONDS`` (httpx reports it as a timeout)."""


def _time_left(deadline: float | None) -> float:
    """Seconds until ``deadline`` (a ``time.monotonic()`` value); raises once it has passed."""
    if deadline is None:
        return float("inf")
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed(f"over {TOTAL_FETCH_SECONDS:g} s in total")
    return left


def _within_deadline(timeout: float | None) -> float | None:
    """``timeout`` of one socket operation, cut to what the fetch in progress has left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = _time_left(deadline)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the current fetch's deadline
    (looked up per operation: a kept-alive connection serves later fetches with their own)."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within_deadline(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _within_deadline(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """Opens the connections of make_client's clients: plain sockets, bounded by the deadline."""

    def __init__(self) -> None:
        self._base = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        stream = self._base.connect_tcp(host, port, _within_deadline(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._base.connect_unix_socket(path, _within_deadline(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._base.sleep(seconds)
