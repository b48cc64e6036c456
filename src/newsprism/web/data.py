"""What the web pages and their JSON twins show: the filtered, paginated story list and the
story/storyline/article analyses (computed and cached by ``newsprism.analyze``).
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from typing import Any

from ..store import Store

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 200

# One pass over the articles table: counts per story, independent sources = distinct sources of
# articles that are not near-duplicates of another stored article.
_STORY_ROWS_SQL = """
SELECT s.id, s.title, s.keywords, s.storyline,
       count(a.id),
       count(DISTINCT CASE WHEN a.duplicate_of IS NULL THEN a.source END),
       min(a.published), max(a.published),
       json_group_array(DISTINCT a.language),
       json_group_array(DISTINCT a.source)
FROM stories s LEFT JOIN articles a ON a.story = s.id
GROUP BY s.id
"""


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters of the story list (all optional)."""

    q: str | None = None
    source: str | None = None
    language: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def filtered(self) -> bool:
        return any((self.q, self.source, self.language, self.date_from, self.date_to))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clean_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is ignored rather than trusted."""
    value = (value or "").strip()
    return value if _ISO_DATE.match(value) else None


def _json_list(raw: Any) -> list[str]:
    try:
        return sorted({str(x) for x in json.loads(raw or "[]") if x})
    except (TypeError, ValueError):
        return []


_ROWS_CACHE: dict[int, tuple[tuple[int, int], list[dict[str, Any]]]] = {}
_ROWS_LOCK = threading.Lock()


def _db_version(store: Store) -> tuple[int, int] | None:
    """Changes since open on this connection + SQLite's data_version (bumped by other connections'
    commits): equal versions mean an unchanged database."""
    db = getattr(store, "_db", None)
    lock = getattr(store, "_lock", None)
    if db is None or lock is None:
        return None
    with lock:
        return int(db.total_changes), int(db.execute("PRAGMA data_version").fetchone()[0])


def story_rows(store: Store) -> list[dict[str, Any]]:
    """Every story with its counts (one SQL query on SQLite, memoised until the database changes;
    the Store protocol elsewhere). Treat the result as read-only."""
    version = _db_version(store)
    if version is not None:
        cached = _ROWS_CACHE.get(id(store))
        if cached and cached[0] == version:
            return cached[1]
    rows = _compute_story_rows(store)
    if version is not None:
        with _ROWS_LOCK:
            _ROWS_CACHE[id(store)] = (version, rows)
    return rows


def _compute_story_rows(store: Store) -> list[dict[str, Any]]:
    query = getattr(store, "_query", None)
    rows: list[dict[str, Any]] = []
    if query is not None:
        for sid, title, keywords, storyline, n, independent, first, last, langs, sources in query(_STORY_ROWS_SQL):
            rows.append({"id": sid, "title": title, "keywords": _json_list(keywords), "storyline": storyline,
                         "article_count": n, "independent_sources": independent, "first_published": first,
                         "last_published": last, "languages": _json_list(langs), "sources": _json_list(sources)})
        return rows
    for s in store.list_stories():
        rows.append({"id": s.id, "title": s.title, "keywords": list(s.keywords), "storyline": s.storyline,
                     "article_count": len(s.article_ids), "independent_sources": len(s.sources),
                     "first_published": s.first_published, "last_published": s.last_published,
                     "languages": list(s.languages), "sources": list(s.sources)})
    return rows


def _matches(row: dict[str, Any], query: StoryQuery, words: list[str], found: set[int] | None = None) -> bool:
    if query.source and query.source not in row["sources"]:
        return False
    if query.language and query.language not in row["languages"]:
        return False
    first, last = (row["first_published"] or "")[:10], (row["last_published"] or "")[:10]
    if query.date_from and (not last or last < query.date_from):
        return False
    if query.date_to and (not first or first > query.date_to):
        return False
    if words:
        if found is not None:  # the database's full-text search over titles and keywords, or the sources
            return row["id"] in found or all(w in " ".join(row["sources"]).casefold() for w in words)
        hay = " ".join([row["title"] or "", *row["keywords"], *row["sources"]]).casefold()
        return all(w in hay for w in words)
    return True


def _full_text(store: Store, text: str) -> set[int] | None:
    """Stories matching ``text`` by the database's full-text search (PostgreSQL: whole words, web-search
    syntax, through an index), or None where the story rows are searched here (SQLite's cached rows)."""
    if getattr(store, "_query", None) is not None or not hasattr(store, "search_stories"):
        return None
    return store.search_stories(text)


def list_stories(store: Store, query: StoryQuery) -> dict[str, Any]:
    """The story list page: matching stories newest first, one page of them, and the facets."""
    rows = story_rows(store)
    text = (query.q or "")[:MAX_QUERY_CHARS]
    words = text.casefold().split()
    found = _full_text(store, text) if words else None
    hits = [r for r in rows if r["article_count"] and _matches(r, query, words, found)]
    hits.sort(key=lambda r: (r["last_published"] or "", r["id"]), reverse=True)
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    pages = max(1, math.ceil(len(hits) / per_page))
    page = max(1, min(query.page, pages))
    return {
        "total": len(hits), "page": page, "per_page": per_page, "pages": pages, "filtered": query.filtered,
        "query": {"q": query.q, "source": query.source, "language": query.language,
                  "date_from": query.date_from, "date_to": query.date_to},
        "article_count": store.count_articles(),
        "facets": {"sources": sorted({s for r in rows for s in r["sources"]}, key=str.casefold),
                   "languages": sorted({lang for r in rows for lang in r["languages"]})},
        "stories": hits[(page - 1) * per_page: page * per_page],
    }


def list_storylines(store: Store) -> list[dict[str, Any]]:
    """Every storyline, newest first."""
    out = [{"id": s.id, "title": s.title, "keywords": list(s.keywords), "story_ids": list(s.story_ids),
            "first_published": s.first_published, "last_published": s.last_published}
           for s in store.list_storylines()]
    out.sort(key=lambda s: (s["last_published"] or "", s["id"]), reverse=True)
    return out


def story_outline(store: Store, story_id: int) -> dict[str, Any]:
    """What is stored of a story without its analysis: title, dates and articles (a pending page)."""
    from ..analyze import article_summary, story_summary

    story_ = store.get_story(story_id)
    return {**story_summary(story_), "kind": "story",
            "articles": [article_summary(a) for a in store.get_articles(story_.article_ids)]}


def storyline_outline(store: Store, storyline_id: int) -> dict[str, Any]:
    """What is stored of a storyline without its analysis (a pending page)."""
    from ..analyze import article_summary

    line = store.get_storyline(storyline_id)
    ids = [aid for sid in line.story_ids for aid in store.get_story(sid).article_ids]
    return {"id": line.id, "title": line.title, "kind": "storyline", "first_published": line.first_published,
            "last_published": line.last_published, "articles": [article_summary(a) for a in store.get_articles(ids)]}


def story(store: Store, story_id: int, lang: str | None = None) -> dict[str, Any]:
    from ..analyze import story_analysis

    return story_analysis(store, story_id, lang=lang)  # type: ignore[return-value]


def storyline(store: Store, storyline_id: int, lang: str | None = None) -> dict[str, Any]:
    from ..analyze import storyline_analysis

    return storyline_analysis(store, storyline_id, lang=lang)  # type: ignore[return-value]


def article(store: Store, article_id: int) -> dict[str, Any]:
    from ..analyze import article_view

    return article_view(store, article_id)
