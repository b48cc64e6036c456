"""HTTP fetching for URL inputs and feed links: capped, time-limited, redirect-checked.

Redirects are followed by hand (at most ``MAX_REDIRECTS``) so every hop is checked to stay on
http(s): a page or feed must never lead newsprism to ``file://`` or another scheme. Bodies are
streamed and refused as soon as they pass ``MAX_INPUT_BYTES``. Links found in a feed fetched from the
internet are fetched with ``public_only``: no hop may reach a loopback, private or link-local address
(a hostile feed must not make newsprism read pages of the network it runs in). URLs the user gives,
and links of feeds that are themselves local files or on internal hosts, are fetched as given.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import httpx

from newsprism.errors import FetchError
from newsprism.ingest.decode import MAX_INPUT_BYTES, ContentKind, binary_kind, sniff_kind, too_large_problem

USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
TIMEOUT_SECONDS = 10.0  # connect/read/write/pool timeout of one request
TOTAL_FETCH_SECONDS = 30.0  # whole download incl. redirects: a slow-drip server cannot stall a run
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
    """The default client: clear user agent, timeouts, no automatic redirects (checked by hand)."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"},
    )


def fetch(url: str, client: httpx.Client, origin: str | None = None, *, public_only: bool = False) -> FetchedPage:
    """Download ``url`` (following up to ``MAX_REDIRECTS`` http(s) redirects) with a size cap;
    with ``public_only`` every hop must be on a public address.

    Raises ``FetchError`` with a short problem: "HTTP 404", "connection refused", "timed out",
    "larger than 5 MB cap", "too many redirects", "redirect to unsupported scheme 'file'"...
    """
    origin = origin or url
    check_scheme(url, origin)
    deadline = time.monotonic() + TOTAL_FETCH_SECONDS
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        if public_only and is_internal_host(urlsplit(current).hostname or ""):
            raise FetchError(origin, INTERNAL_REFUSED)
        try:
            page, location = _fetch_once(current, client, origin, deadline)
        except FetchError:
            raise
        except httpx.TimeoutException:
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
    request = client.build_request("GET", url, headers={"User-Agent": USER_AGENT})
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
            if time.monotonic() > deadline:
                raise FetchError(origin, "timed out")
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
