"""Coverage matrix (claims x sources, with the evidence sentence per cell), omissions, and
``compare_story``: the whole outlet comparison of one story as JSON-ready data.

Omissions: a claim is *widely reported* when it is not unique and at least
``max(2, ceil(M / 2))`` of the story's M independent sources report it (consensus, partial or
conflict claims alike: in a conflict every side reports the fact, with different values). A source
omits a widely reported claim when none of its articles has an evidence sentence for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..embed import CachedEmbedder, Embedder, sentence_embedder
from ..models import Article, Claim, Quote
from .claims import attach_quote_speakers, claim_json, extract_claims, independence_units, source_name
from .framing import analyze_framing
from .provenance import cited_sources, link_json, provenance_graph, reuse_links
from .timeline import build_timeline, timeline_json


def widely_reported_minimum(m: int) -> int:
    """Independent sources a claim needs to count as widely reported: max(2, ceil(M/2))."""
    return max(2, math.ceil(m / 2))


def _sources_in_order(articles: Sequence[Article]) -> list[str]:
    return list(dict.fromkeys(source_name(a) for a in articles))


def coverage_matrix(claims: Sequence[Claim], articles: Sequence[Article], *,
                    units: dict[int, int] | None = None) -> dict:
    """Claims x sources with the first evidence sentence per cell (or None), plus omissions.

    ``units`` (article id -> independent unit) is computed from duplicate links and text reuse when
    not given. Returns {"sources", "rows", "omissions", "independent_sources", "articles", "headline"}.
    """
    arts = list(articles)
    if units is None:
        units = independence_units(arts, reuse_links(arts, translations=False))
    by_id = {a.id: a for a in arts}
    m = len(set(units.values())) if arts else 0
    sources = _sources_in_order(arts)
    rows = []
    omissions: dict[str, list[int]] = {s: [] for s in sources}
    need = widely_reported_minimum(m)
    for claim in claims:
        cells: dict[str, dict | None] = {s: None for s in sources}
        for ev in claim.evidence:
            art = by_id.get(ev.article_id)
            if art is None:
                continue
            name = source_name(art)
            if cells.get(name) is None:
                cells[name] = {"article": ev.article_id, "sentence": ev.sentence, "text": ev.text}
        rows.append({"claim": claim.id, "text": claim.text, "status": claim.status, "cells": cells})
        k = len({units[e.article_id] for e in claim.evidence if e.article_id in units})
        if claim.status != "unique" and k >= need:
            for name, cell in cells.items():
                if cell is None:
                    omissions[name].append(claim.id)
    omissions = {s: ids for s, ids in omissions.items() if ids}
    return {"sources": sources, "rows": rows, "omissions": omissions, "independent_sources": m,
            "articles": len(arts), "headline": f"{len(arts)} articles from {m} independent sources",
            "definitions": {"consensus_minimum": max(2, math.ceil(0.6 * m - 1e-9)) if m else 0,
                            "widely_reported_minimum": need}}


def compare_story(articles: Sequence[Article], *, quotes: Sequence[Quote] | None = None,
                  embedder: Embedder | None = None, framing_lexicon: str | None = None) -> dict:
    """Compare the outlets of one story: claims, coverage, framing, provenance, timeline (JSON-ready).

    ``quotes`` (from the quote extractor) fill in who a claim is attributed to when the sentence
    rules do not find it. ``framing_lexicon`` is an optional user YAML extending the shipped lexicons.
    """
    arts = list(articles)
    embedder = embedder or sentence_embedder()
    if not isinstance(embedder, CachedEmbedder) and not hasattr(embedder, "cache"):
        embedder = CachedEmbedder(embedder)  # provenance and claims embed the same sentences
    reuse = reuse_links(arts, embedder=embedder)
    units = independence_units(arts, reuse)
    claims = extract_claims(arts, embedder=embedder)
    if quotes:
        claims = attach_quote_speakers(claims, quotes)
    links = reuse + cited_sources(arts)
    return {
        "claims": [claim_json(c) for c in claims],
        "coverage": coverage_matrix(claims, arts, units=units),
        "framing": analyze_framing(arts, user_lexicon=framing_lexicon),
        "provenance": {"links": [link_json(x) for x in links], "graph": provenance_graph(links, arts)},
        "timeline": timeline_json(build_timeline(arts)),
    }
