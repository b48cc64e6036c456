"""HTTP fetching for URL inputs and feed links: capped, time-limited, redirect-checked.

Redirects are followed by hand (at most ``MAX_REDIRECTS``) so every hop is checked to stay on
http(s): a page or feed must never lead newsprism to ``file://`` or another scheme. Bodies are
streamed and refused as soon as they pass ``MAX_INPUT_BYTES``. One deadline
(``TOTAL_FETCH_SECONDS``) covers a whole fetch, every hop's connect, TLS handshake, headers and
body: the clients of ``make_client`` give each socket operation at most the time the fetch has
left, so a server that trickles its status line or headers a byte at a time cannot stall a run.

Links found in a feed fetched from the internet are fetched with ``public_only``: no hop may reach
a loopback, private or link-local address (a hostile feed must not make newsprism read pages of
the network it runs in); the web UI fetches everything with a public-only client
(``make_client(public_only=True)``). Both check the address actually connected to, resolved once
for check and connect, so DNS rebinding cannot slip past. URLs the user of the CLI gives, and
links of feeds that are themselves local files or on internal hosts, are fetched as given.
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


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet: not loopback, private (incl. IPv6 ULA),
    link-local (169.254.169.254, the cloud metadata service), reserved, shared or multicast."""
    return address.is_global and not address.is_multicast


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
    return any(not is_public_address(address) for address in addresses)


INTERNAL_REFUSED = "refused: the link leads to a private or local address (a feed from the internet cannot make newsprism fetch internal pages)"
# What a public-only client reports by default ({host}: the name of the hop, {address}: what it resolved to).
PRIVATE_REFUSED = "refused: {host} is a private or local address ({address}); only public addresses are fetched here"


def make_client(timeout: float = TIMEOUT_SECONDS, *, public_only: bool = False,
                refusal: str = PRIVATE_REFUSED) -> httpx.Client:
    """The default client: clear user agent, timeouts, no automatic redirects (checked by hand),
    and connections that keep to the deadline of the fetch they serve.

    A ``public_only`` client connects to public addresses only, on every hop of every fetch (the
    web UI's, where whoever pastes a URL must not reach the server's own network); a private one
    fails with ``refusal`` (formatted with ``host`` and ``address``). It connects directly, never
    through a proxy from the environment, since the address it checks must be the one it reaches.
    """
    client = httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"},
        transport=httpx.HTTPTransport() if public_only else None,
    )
    # httpx builds its connection pools itself (one direct, one per proxy from the environment);
    # each is given newsprism's backend. httpx has no public hook for this.
    for transport in (client._transport, *client._mounts.values()):  # noqa: SLF001
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.ConnectionPool):
            direct = not isinstance(pool, (httpcore.HTTPProxy, httpcore.SOCKSProxy))
            pool._network_backend = _Backend(direct, refusal if public_only else None)  # noqa: SLF001
    return client


def fetch(url: str, client: httpx.Client, origin: str | None = None, *, public_only: bool = False) -> FetchedPage:
    """Download ``url`` (following up to ``MAX_REDIRECTS`` http(s) redirects) with a size cap,
    all within ``TOTAL_FETCH_SECONDS``; with ``public_only`` every hop's host must resolve to public
    addresses, and (with a client of ``make_client``) the address connected to must be one.

    Raises ``FetchError`` with a short problem: "HTTP 404", "connection refused", "timed out",
    "larger than 5 MB cap", "too many redirects", "redirect to unsupported scheme 'file'"...
    """
    origin = origin or url
    check_scheme(url, origin)
    deadline = time.monotonic() + TOTAL_FETCH_SECONDS
    token = _CURRENT.set(_Fetch(deadline, public_only))  # read by the connections of make_client's clients
    try:
        return _follow(url, client, origin, deadline, public_only)
    finally:
        _CURRENT.reset(token)


def _follow(url: str, client: httpx.Client, origin: str, deadline: float, public_only: bool) -> FetchedPage:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        if public_only and is_internal_host(urlsplit(current).hostname or ""):
            raise FetchError(origin, INTERNAL_REFUSED)
        try:
            page, location = _fetch_once(current, client, origin, deadline)
        except FetchError:
            raise
        except _RefusedAddress as exc:
            raise FetchError(origin, exc.problem) from None
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


@dataclass(frozen=True, slots=True)
class _Fetch:
    """What the fetch in progress (in this thread) asks of the connections it uses."""

    deadline: float  # time.monotonic() by which the whole fetch must be done
    public_only: bool


_CURRENT: ContextVar[_Fetch | None] = ContextVar("newsprism_fetch", default=None)


class _DeadlinePassed(httpcore.TimeoutException):
    """The fetch in progress has used up ``TOTAL_FETCH_SECONDS`` (httpx reports it as a timeout)."""


class _RefusedAddress(Exception):
    """A connection would reach a private or local address; ``problem`` says so to the user."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


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
    current = _CURRENT.get()
    if current is None:
        return timeout
    left = _time_left(current.deadline)
    return left if timeout is None else min(timeout, left)


def _checked_addresses(host: str, refusal: str) -> list[str]:
    """The addresses ``host`` resolves to, all public, or ``_RefusedAddress``: a name with any
    private address is refused as a whole (it is not ours to pick the harmless one)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"getaddrinfo: {exc}") from None  # reported as "cannot resolve host name"
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not is_public_address(address):
            raise _RefusedAddress(refusal.format(host=host, address=address))
        if str(address) not in addresses:
            addresses.append(str(address))
    return addresses


class _Stream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the current fetch's deadline
    (looked up per operation: a kept-alive connection serves later fetches with their own). A
    direct connection reused by a public-only fetch is checked again: its peer must be public."""

    def __init__(self, stream: httpcore.NetworkStream, backend: _Backend) -> None:
        self._stream, self._backend = stream, backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        refusal = self._backend.refusal()
        if refusal is not None:
            peer = self._stream.get_extra_info("server_addr")
            address = ipaddress.ip_address(str(peer[0]).split("%")[0]) if peer else None
            if address is None or not is_public_address(address):
                raise _RefusedAddress(refusal.format(host=address, address=address))
        self._stream.write(buffer, _within_deadline(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, _within_deadline(timeout)), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Opens the connections of make_client's clients, bounded by the deadline. A ``direct`` one
    (not to a proxy) checks addresses for a public-only client (``refusal`` set) or fetch: it
    resolves the host itself and connects to the very address it checked, so a DNS answer that
    changes between check and connect (rebinding) cannot lead it inside."""

    def __init__(self, direct: bool = True, refusal: str | None = None) -> None:
        self._base = httpcore.SyncBackend()
        self._direct, self._refusal = direct, refusal

    def refusal(self) -> str | None:
        """The problem to report for a private address, or None when addresses are not checked now."""
        if not self._direct:
            return None  # the proxy resolves; fetch(public_only=True) still checks each hop's host
        if self._refusal is not None:
            return self._refusal
        current = _CURRENT.get()
        return INTERNAL_REFUSED if current is not None and current.public_only else None

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        refusal = self.refusal()
        if refusal is None:
            return _Stream(self._base.connect_tcp(host, port, _within_deadline(timeout), local_address,
                                                  socket_options), self)
        error: httpcore.ConnectError | None = None
        for address in _checked_addresses(host, refusal):  # each in turn, as socket.create_connection does
            try:
                return _Stream(self._base.connect_tcp(address, port, _within_deadline(timeout), local_address,
                                                      socket_options), self)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by newsprism")

    def sleep(self, seconds: float) -> None:
        self._base.sleep(seconds)
