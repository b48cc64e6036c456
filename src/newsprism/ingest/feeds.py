"""RSS/Atom feeds: safe parsing with feedparser, entries to RawDocuments.

feedparser only ever sees bytes newsprism read itself, wrapped in a stream (given a ``str`` or
``bytes`` it would open URLs or local files named by the payload). DTD tricks are refused before
parsing: entity declarations and internal DTD subsets (billion laughs) reject the feed; a bare
``<!DOCTYPE rss ...>`` (RSS 0.91) is removed. An entry that carries its full text becomes a
document directly; otherwise the caller fetches its link as a page and ``merge_entry`` fills the
page's missing metadata from the entry.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any

import feedparser

from newsprism.errors import ParseError
from newsprism.ingest.dates import normalize_date
from newsprism.ingest.decode import MAX_INPUT_BYTES, bom_encoding, too_large_problem
from newsprism.ingest.html import html_fragment_to_text, normalize_language
from newsprism.models import RawDocument

# An entry whose content has at least this many characters of plain text is taken as the full
# article; shorter ones are teasers and the linked page is fetched. Teasers in real feeds run
# 150-400 characters, full articles well over 1000.
FULL_TEXT_MIN_CHARS = 500
MAX_FEED_ENTRIES = 300  # entries read from one feed; each may cost a page fetch
_PROLOG_END = re.compile(rb"<[A-Za-z_]")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[)?[^>]*>", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item, reduced to what newsprism uses."""

    index: int  # 1-based position in the feed
    title: str | None
    link: str | None
    published: str | None
    author: str | None
    entry_source: str | None  # the entry's own <source> (aggregators name the real outlet here)
    feed_title: str | None
    language: str | None
    guid: str | None
    text: str  # plain text of the fullest content or summary the entry carries ("" if none)

    @property
    def has_full_text(self) -> bool:
        """True when ``text`` is long enough to be the article itself, not a teaser."""
        return len(self.text) >= FULL_TEXT_MIN_CHARS


def guard_xml(data: bytes, origin: str) -> bytes:
    """Refuse DTD entity tricks; return ``data`` with a harmless bare DOCTYPE removed."""
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(origin, too_large_problem())
    encoding = bom_encoding(data)
    if encoding in ("utf-16", "utf-32"):
        prolog_text = data[:8192].decode(encoding, errors="ignore")
        if "<!doctype" in prolog_text.lower() or "<!entity" in prolog_text.lower():
            raise ParseError(origin, "feed declares a DOCTYPE (refused: XML entity expansion risk)")
        return data
    end = _PROLOG_END.search(data)
    prolog = data[: end.start()] if end else data
    if _ENTITY_DECL.search(prolog):
        raise ParseError(origin, "feed declares XML entities (refused: entity expansion risk)")
    doctype = _DOCTYPE.search(prolog)
    if doctype is None:
        return data
    if doctype.group(1):
        raise ParseError(origin, "feed has an internal DTD subset (refused: entity expansion risk)")
    return data[: doctype.start()] + data[doctype.end():]


def parse_feed(data: bytes, origin: str) -> list[FeedEntry]:
    """Parse RSS/Atom bytes into entries. Raises ``ParseError`` for unsafe or malformed feeds."""
    safe = guard_xml(data, origin)
    parsed = feedparser.parse(io.BytesIO(safe), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({_one_line(str(reason))})" if reason else ""
        raise ParseError(origin, f"not a valid RSS/Atom feed{detail}")
    feed = parsed.feed
    feed_title = _text_value(feed.get("title"))
    feed_language = normalize_language(feed.get("language"))
    entries = []
    for index, raw in enumerate(parsed.entries[:MAX_FEED_ENTRIES], start=1):
        entries.append(_entry(raw, index, feed_title, feed_language))
    # feedparser recovers from broken XML; recovered entries are kept when they are usable
    # (real feeds often have a stray "&"), otherwise the feed as a whole is malformed.
    if parsed.get("bozo") and not any(e.link or e.text for e in entries):
        reason = _one_line(str(parsed.get("bozo_exception") or "not well-formed XML"))
        raise ParseError(origin, f"malformed feed ({reason})")
    return entries


def _entry(raw: Any, index: int, feed_title: str | None, feed_language: str | None) -> FeedEntry:
    source = raw.get("source") or {}
    published = None
    for key in ("published", "updated", "created"):
        published = normalize_date(raw.get(key)) or normalize_date(raw.get(f"{key}_parsed"))
        if published:
            break
    return FeedEntry(
        index=index,
        title=_text_value(raw.get("title")),
        link=_text_value(raw.get("link")),
        published=published,
        author=_text_value(raw.get("author")),
        entry_source=_text_value(source.get("title")) if isinstance(source, dict) else None,
        feed_title=feed_title,
        language=normalize_language(raw.get("language")) or feed_language,
        guid=_text_value(raw.get("id")),
        text=_fullest_text(raw),
    )


def _fullest_text(raw: Any) -> str:
    candidates: list[tuple[str, str]] = []
    for content in raw.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or "text/html"))
    detail = raw.get("summary_detail") or {}
    if raw.get("summary"):
        candidates.append((raw["summary"], detail.get("type") or "text/html"))
    best = ""
    for value, media in candidates:
        text = html_fragment_to_text(value) if media in _HTML_TYPES else _plain(value)
        if len(text) > len(best):
            best = text
    return best


def entry_document(entry: FeedEntry, feed_origin: str) -> RawDocument:
    """A RawDocument from the entry's own text (full-text feeds, or entries without a link)."""
    if not entry.text:
        raise ParseError(entry_origin(entry, feed_origin), "feed entry has no text and no link")
    text = entry.text
    if entry.title and not text.startswith(entry.title):
        text = f"{entry.title}\n\n{text}"  # like a .txt article: title line first
    return RawDocument(
        origin=entry_origin(entry, feed_origin),
        text=text,
        title=entry.title,
        url=entry.link,
        published=entry.published,
        language=entry.language,
        source=entry.entry_source or entry.feed_title,
        author=entry.author,
        metadata=_entry_metadata(entry, feed_origin),
    )


def merge_entry(page: RawDocument, entry: FeedEntry, feed_origin: str) -> RawDocument:
    """The fetched page of an entry, with gaps filled from the entry (page metadata wins,
    except an entry's explicit <source>, which names the outlet behind an aggregator)."""
    return replace(
        page,
        title=page.title or entry.title,
        published=page.published or entry.published,
        language=page.language or entry.language,
        source=entry.entry_source or page.source or entry.feed_title,
        author=page.author or entry.author,
        metadata={**page.metadata, **_entry_metadata(entry, feed_origin)},
    )


def entry_origin(entry: FeedEntry, feed_origin: str) -> str:
    """An entry is named by its link, or by its position in the feed when it has none."""
    return entry.link or f"{feed_origin}#E{entry.index}"


def _entry_metadata(entry: FeedEntry, feed_origin: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"feed": feed_origin, "feed_entry": entry.index}
    if entry.guid:
        meta["feed_guid"] = entry.guid
    if entry.feed_title:
        meta["feed_title"] = entry.feed_title
    return meta


def _text_value(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _plain(value: str) -> str:
    paragraphs = re.split(r"\n\s*\n", value.replace("\r\n", "\n"))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _one_line(text: str) -> str:
    return " ".join(text.split())[:160]
