"""Story, storyline and article analyses as JSON-ready dicts, cached in the store.

This is the one place that strings the analysis stages together for the front ends (CLI, reports,
web). Each analysis is cached under a fingerprint of the article ids and their story assignment,
so a story page is computed once and recomputed only when its membership changes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from .models import Article, Quote, Story
from .outlets import ENV_VAR, load_registry, lookup
from .store import Store

# Bump when the shape or the algorithms behind an analysis change, to invalidate cached results.
ANALYSIS_VERSION = "6"


def article_summary(article: Article) -> dict[str, Any]:
    """The stable JSON fields of an article (``articles --json``)."""
    return {
        "id": article.id, "origin": article.origin, "title": article.title, "source": article.source,
        "language": article.language, "published": article.published, "story": article.story,
        "duplicate_of": article.duplicate_of, "external_id": article.external_id, "url": article.url,
        "author": article.author,
    }


def story_summary(story: Story) -> dict[str, Any]:
    """The stable JSON fields of a story (``stories --json``)."""
    return {
        "id": story.id, "title": story.title, "keywords": list(story.keywords), "storyline": story.storyline,
        "articles": list(story.article_ids), "sources": list(story.sources), "languages": list(story.languages),
        "first_published": story.first_published, "last_published": story.last_published,
    }


def analysis_key(articles: Sequence[Article], extra: str = "") -> str:
    """The cache key of an analysis of ``articles`` (a story's; ``extra`` names other kinds): it
    changes when a member, its story or its original changes, or the analysis code (ANALYSIS_VERSION).
    Public because the Ray engine caches the analyses it computes under it."""
    payload = json.dumps([ANALYSIS_VERSION, extra, [(a.id, a.story, a.duplicate_of) for a in articles]])
    return hashlib.sha256(payload.encode()).hexdigest()


def _quote_records(articles: Sequence[Article], quotes: Sequence[dict[str, Any]]) -> list[Quote]:
    """Quote records (with sentence indices) from who-said-what JSON, for claim attribution."""
    by_id = {a.id: a for a in articles}
    records = []
    for q in quotes:
        article = by_id.get(q.get("article"))
        if article is None:
            continue
        index = next((s.index for s in article.sentences if s.start <= q.get("start", -1) < s.end), -1)
        records.append(Quote(article_id=article.id, text=q["text"], speaker=q.get("speaker"),
                             direct=bool(q.get("direct")), start=q.get("start", 0), end=q.get("end", 0),
                             sentence=index))
    return records


def analyse_articles(articles: Sequence[Article]) -> dict[str, Any]:
    """All per-story analyses over a set of articles (pure: no store access)."""
    from .analysis.coverage import compare_story
    from .analysis.quotes import who_said_what
    from .summary import summarize

    said = who_said_what(articles)
    compared = compare_story(articles, quotes=_quote_records(articles, said.get("quotes", [])))
    summary = summarize(compared.get("claims", []), _plain_articles(articles))
    return {**said, **compared, "summary": summary}


def registry_path(store: Store) -> Path | None:
    """The outlet registry for a database: ``$NEWSPRISM_OUTLETS``, else ``<db>.outlets.yaml`` beside the
    database file, else ``./outlets.yaml`` (see ``outlets.default_registry_path``)."""
    if not os.environ.get(ENV_VAR):
        beside = Path(str(getattr(store, "path", ""))).with_suffix(".outlets.yaml")
        if beside.is_file():
            return beside
    return None


def _outlets(store: Store, articles: Sequence[Article]) -> dict[str, Any]:
    registry = load_registry(registry_path(store))
    found: dict[str, Any] = {}
    for article in articles:
        outlet = lookup(registry, article.source, article.url) if article.source or article.url else None
        if outlet is not None and article.source:
            found[article.source] = {
                "name": outlet.name, "domains": list(outlet.domains), "country": outlet.country,
                "language": outlet.language, "owner": outlet.owner, "type": outlet.type}
    return found


def _load_vectors(store: Store, articles: Sequence[Article]) -> None:
    """Put the articles' stored analysis vectors in the sentence embedder's cache (those of articles
    stored before vectors were kept at ingest are embedded and stored now, once)."""
    from .analysis.vectors import load_analysis_vectors, store_analysis_vectors

    store_analysis_vectors(store, articles)
    load_analysis_vectors(store, [a.id for a in articles])


def _plain_articles(articles: Sequence[Article]) -> list[dict[str, Any]]:
    """Article dicts with their sentence texts, as the summary reads them."""
    return [article_summary(a) | {"sentences": [s.text for s in a.sentences]} for a in articles]


def _summary_in(cached: dict[str, Any], articles: Sequence[Article], lang: str | None) -> dict[str, Any]:
    """The analysis with its summary in ``lang`` (the stored one is in the majority language)."""
    if not lang:
        return cached
    from .summary import summarize

    return {**cached, "summary": summarize(cached.get("claims", []), _plain_articles(articles), lang=lang.lower())}


def story_analysis(store: Store, story_id: int, *, compute: bool = True,
                   lang: str | None = None) -> dict[str, Any] | None:
    """The story with its articles and every analysis (``story ID --json``), the summary in ``lang``
    (default: the story's majority language). With ``compute`` False, ``None`` when the analysis is
    not stored yet (a cheap look, for pages that must not wait)."""
    story = store.get_story(story_id)
    articles = store.get_articles(story.article_ids)
    key = analysis_key(articles)
    cached = store.get_analysis("story", story_id, "full", key)
    if cached is None:
        if not compute:
            return None
        _load_vectors(store, articles)
        cached = analyse_articles(articles)
        store.put_analysis("story", story_id, "full", key, cached)
    cached = _summary_in(cached, articles, lang)
    return {**story_summary(story), "articles": [article_summary(a) for a in articles],
            "article_ids": list(story.article_ids), "outlets": _outlets(store, articles), **cached}


def storyline_analysis(store: Store, storyline_id: int, *, compute: bool = True,
                       lang: str | None = None) -> dict[str, Any] | None:
    """The storyline, its stories, and the analyses across all of them (``storyline ID --json``);
    ``compute`` and ``lang`` as in ``story_analysis``."""
    storyline = store.get_storyline(storyline_id)
    stories = [store.get_story(sid) for sid in storyline.story_ids]
    articles = store.get_articles([aid for s in stories for aid in s.article_ids])
    key = analysis_key(articles, "storyline")
    cached = store.get_analysis("storyline", storyline_id, "full", key)
    if cached is None:
        if not compute:
            return None
        from .analysis.coverage import compare_story
        from .summary import summarize

        _load_vectors(store, articles)
        compared = compare_story(articles)
        cached = {**compared, "summary": summarize(compared.get("claims", []), _plain_articles(articles))}
        store.put_analysis("storyline", storyline_id, "full", key, cached)
    cached = _summary_in(cached, articles, lang)
    return {
        "id": storyline.id, "title": storyline.title, "keywords": list(storyline.keywords),
        "stories": [story_summary(s) for s in stories], "first_published": storyline.first_published,
        "last_published": storyline.last_published, "articles": [article_summary(a) for a in articles],
        "outlets": _outlets(store, articles), **cached,
    }


def article_view(store: Store, article_id: int) -> dict[str, Any]:
    """One article with its text, sentences, and the quotes, entities and claims found in it."""
    article = store.get_article(article_id)
    view = article_summary(article) | {
        "text": article.text,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text} for s in article.sentences],
    }
    if article.story is None:
        return view | {"quotes": [], "entities": [], "claims": []}
    story = story_analysis(store, article.story)
    view["quotes"] = [q for q in story.get("quotes", []) if q.get("article") == article_id]
    view["entities"] = [m for m in story.get("mentions", []) if m.get("article_id") == article_id]
    view["claims"] = [
        {"id": c["id"], "status": c["status"], "text": c["text"],
         "sentences": [e["sentence"] for e in c.get("evidence", []) if e.get("article") == article_id]}
        for c in story.get("claims", []) if any(e.get("article") == article_id for e in c.get("evidence", []))
    ]
    return view


def analyse_all(store: Store, progress: Any | None = None) -> int:
    """Compute (or refresh) the cached analysis of every story and storyline; returns how many.

    Analyses are otherwise computed on first view; running this first makes every page instant.
    """
    scopes = [(story_analysis, s.id) for s in store.list_stories()]
    scopes += [(storyline_analysis, s.id) for s in store.list_storylines()]
    for done, (analyse, scope_id) in enumerate(scopes, start=1):
        analyse(store, scope_id)
        if progress:
            progress("analyse", done, len(scopes))
    return len(scopes)
