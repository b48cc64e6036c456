"""Ingest: turn files, directories, URLs, feeds and JSONL/CSV tables into ``RawDocument``s.

``collect`` is the one entry point. It yields documents in input order and never raises for a
bad input: each one becomes a ``Rejection(origin, problem)`` and the run goes on. One module per
input kind does the work (``files``, ``html``, ``web``, ``feeds``, ``tables``; ``decode`` and
``dates`` are shared helpers).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import urljoin, urlsplit

import httpx

from newsprism.errors import FetchError, InputError, ParseError
from newsprism.ingest import feeds as feeds_mod
from newsprism.ingest.decode import binary_kind, binary_problem, decode_bytes, sniff_kind
from newsprism.ingest.files import KNOWN_EXTENSIONS, file_kind, parse_text, read_capped, walk_directory
from newsprism.ingest.html import decode_html, discover_feed_url, parse_html
from newsprism.ingest.parquet import read_parquet
from newsprism.ingest.tables import read_csv, read_jsonl
from newsprism.ingest.web import (
    ALLOWED_SCHEMES,
    FetchedPage,
    check_scheme,
    fetch,
    is_internal_host,
    is_url,
    make_client,
    page_kind,
)
from newsprism.models import RawDocument, Rejection

__all__ = ["collect", "collect_one", "Item"]

Item = RawDocument | Rejection
_log = logging.getLogger(__name__)
_UNREACHABLE = frozenset({"timed out", "connection refused", "cannot resolve host name", "cannot connect"})


class _LazyClient:
    """Creates the default HTTP client only when a URL is actually fetched."""

    def __init__(self, client: httpx.Client | None) -> None:
        self._client = client
        self._owned: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self._client is None:
            self._owned = self._client = make_client()
        return self._client

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()


def collect(
    inputs: Sequence[str],
    feeds: Sequence[str] = (),
    *,
    source: str | None = None,
    client: httpx.Client | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument or a Rejection for everything in ``inputs``, then in ``feeds``.

    ``inputs`` may be files, directories (walked recursively), http(s) URLs, feed files or
    JSONL/CSV tables; ``feeds`` are feed URLs or paths. ``source`` overrides the outlet name on
    every document. ``client`` is used for all HTTP (a default one is made and closed otherwise).
    """
    # a lone string is a Sequence of characters: treat it as one input, not many
    inputs = [inputs] if isinstance(inputs, str) else inputs
    feeds = [feeds] if isinstance(feeds, str) else feeds
    lazy = _LazyClient(client)
    try:
        for item in inputs:
            yield from _with_source(collect_one(item, lazy.get), source)
        for feed in feeds:
            yield from _with_source(_guarded(feed, lambda f=feed: _collect_feed_input(f, lazy.get)), source)
    finally:
        lazy.close()


def collect_one(item: str, get_client: Callable[[], httpx.Client]) -> Iterator[Item]:
    """Everything one input yields (a directory or feed yields many)."""
    if not item or not item.strip():
        yield Rejection(repr(item), "empty input name")
        return
    if is_url(item):
        yield from _guarded(item, lambda: _collect_url(item, item, get_client))
        return
    path = Path(item)
    if not path.exists() and _looks_like_bare_url(item):
        yield Rejection(item, "no such file or directory (for a web page, start it with https://)")
        return
    if path.is_dir():
        found_any = False
        for found in walk_directory(path):
            found_any = True
            origin = str(found)
            yield from _guarded(origin, lambda f=found, o=origin: _collect_file(f, o, get_client))
        if not found_any:
            kinds = " ".join(sorted(KNOWN_EXTENSIONS))
            yield Rejection(item, f"no supported files in directory (looked for {kinds})")
        return
    yield from _guarded(item, lambda: _collect_file(path, item, get_client))


def _looks_like_bare_url(item: str) -> bool:
    head = item.split("/", 1)[0]
    return item.startswith("www.") or ("/" in item and "." in head and not head.startswith(".") and " " not in head)


def _with_source(items: Iterable[Item], source: str | None) -> Iterator[Item]:
    for item in items:
        if source and isinstance(item, RawDocument):
            item = replace(item, source=source)
        yield item


def _guarded(origin: str, produce: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """Run ``produce``; an error becomes a Rejection instead of ending the whole run."""
    try:
        yield from produce()
    except InputError as exc:
        yield Rejection(exc.origin, exc.problem)
    except Exception as exc:  # a bug or library failure on hostile input: report, keep going
        _log.exception("ingest failed on %s", origin)
        yield Rejection(origin, f"internal error ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})")


# ------------------------------------------------------------------------------------- files


def _collect_file(path: Path, origin: str, get_client: Callable[[], httpx.Client]) -> Iterator[Item]:
    """One file. Directory walks only pass known extensions; an unknown one was named explicitly
    and is sniffed."""
    if not path.exists():
        raise InputError(origin, "no such file or directory")
    kind = file_kind(path)
    if kind == "table":
        suffix = path.suffix.lower()
        reader = read_jsonl if suffix in (".jsonl", ".ndjson") else read_parquet if suffix == ".parquet" else read_csv
        yield from reader(path, origin)
        return
    data = read_capped(path, origin)
    if kind == "unknown":
        kind = _sniff_unknown(data, path, origin)
    elif kind == "feed" and sniff_kind(data) == "html":
        kind = "html"  # XHTML saved as .xml
    if kind in ("text", "markdown"):
        yield parse_text(decode_bytes(data, origin), origin, markdown=kind == "markdown")
    elif kind == "html":
        yield parse_html(decode_html(data, origin), origin)
    elif kind == "feed":
        yield from _feed_documents(data, origin, get_client, base_url=None)


def _sniff_unknown(data: bytes, path: Path, origin: str) -> str:
    """Kind of an explicitly named file whose extension newsprism does not know."""
    binary = binary_kind(data)
    if binary:
        raise ParseError(origin, binary_problem(binary))
    sniffed = sniff_kind(data)
    if sniffed in ("html", "feed", "text"):
        return sniffed
    ext = path.suffix or "(none)"
    if sniffed == "json":
        raise ParseError(origin, f"unsupported file type '{ext}' (JSON: save one article per line as .jsonl)")
    raise ParseError(origin, f"unsupported file type '{ext}' (XML that is not an RSS/Atom feed)")


# --------------------------------------------------------------------------------------- web


def _collect_url(url: str, origin: str, get_client: Callable[[], httpx.Client]) -> Iterator[Item]:
    page = fetch(url, get_client(), origin)
    kind = page_kind(page)
    if kind == "feed":
        yield from _feed_documents(page.body, origin, get_client, base_url=page.final_url)
    else:
        yield _page_document(page, origin, kind)


def _page_document(page: FetchedPage, origin: str, kind: str) -> RawDocument:
    if kind == "html":
        return parse_html(decode_html(page.body, origin, page.charset), origin, url=page.final_url)
    if kind == "text":
        if not page.body.strip():
            raise ParseError(origin, "page is empty")
        return replace(parse_text(decode_bytes(page.body, origin, page.charset), origin), url=page.final_url)
    if kind.startswith("binary"):
        raise ParseError(origin, f"{kind.replace('binary', 'binary content', 1)}, not an article")
    raise ParseError(origin, f"unsupported content type '{page.content_type or kind}'")


# ------------------------------------------------------------------------------------- feeds


def _collect_feed_input(feed: str, get_client: Callable[[], httpx.Client]) -> Iterator[Item]:
    if is_url(feed):
        page = fetch(feed, get_client(), feed)
        kind = page_kind(page)
        if kind == "html":  # a site's home page: follow its advertised feed, once
            advertised = discover_feed_url(decode_html(page.body, feed, page.charset), page.final_url)
            if advertised:
                check_scheme(advertised, feed)
                page = fetch(advertised, get_client(), feed)
                kind = page_kind(page)
        if kind != "feed":
            raise ParseError(feed, f"not an RSS/Atom feed (got {page.content_type or kind})")
        yield from _feed_documents(page.body, feed, get_client, base_url=page.final_url)
        return
    path = Path(feed)
    if path.is_dir():
        raise InputError(feed, "is a directory, not a feed")
    yield from _feed_documents(read_capped(path, feed), feed, get_client, base_url=None)


def _feed_documents(
    data: bytes, feed_origin: str, get_client: Callable[[], httpx.Client], base_url: str | None
) -> Iterator[Item]:
    entries = feeds_mod.parse_feed(data, feed_origin)
    if not entries:
        raise ParseError(feed_origin, "feed has no entries")
    dead_hosts: set[str] = set()  # hosts that timed out / refused: not retried for every entry
    # a feed from the internet may only lead to public pages; a feed file or intranet feed is trusted
    public_only = base_url is not None and not is_internal_host(urlsplit(base_url).hostname or "")
    for entry in entries:
        if entry.link and base_url:
            entry = replace(entry, link=urljoin(base_url, entry.link))
        origin = feeds_mod.entry_origin(entry, feed_origin)
        yield from _guarded(
            origin, lambda e=entry, o=origin: _entry_documents(e, o, feed_origin, get_client, dead_hosts, public_only)
        )


def _entry_documents(
    entry: feeds_mod.FeedEntry,
    origin: str,
    feed_origin: str,
    get_client: Callable[[], httpx.Client],
    dead_hosts: set[str],
    public_only: bool = False,
) -> Iterator[Item]:
    if entry.has_full_text or (entry.text and not entry.link):
        yield feeds_mod.entry_document(entry, feed_origin)
        return
    if not entry.link:
        raise ParseError(origin, "feed entry has no text and no link")
    parts = urlsplit(entry.link)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        problem = f"entry link has unsupported scheme '{scheme}'" if scheme else "entry link is relative and the feed has no base URL"
        raise ParseError(origin, problem)
    host = parts.netloc.lower()
    if host in dead_hosts:
        raise FetchError(origin, "skipped: host unreachable for an earlier entry of this feed")
    try:
        page = fetch(entry.link, get_client(), origin, public_only=public_only)
    except FetchError as exc:
        if exc.problem in _UNREACHABLE:
            dead_hosts.add(host)
        raise
    kind = page_kind(page)
    if kind == "feed":
        raise ParseError(origin, "entry link leads to another feed, not an article")
    yield feeds_mod.merge_entry(_page_document(page, origin, kind), entry, feed_origin)
