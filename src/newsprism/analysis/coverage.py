"""Coverage matrix (claims x sources, with the evidence sentence per cell), omissions, and
``compare_story``: the whole outlet comparison of one story as JSON-ready data.

Omissions, two kinds. A translation, rewrite or copy leaves out a claim of its original when the
monotone alignment of the two (``claims.compare_claims``) has no sentence for it. Between independent
reports: a claim is *widely reported* when it is not unique and at least
``max(2, ceil(M / 2))`` of the story's M independent sources report it (consensus, partial or
conflict claims alike: in a conflict every side reports the fact, with different values). A source
omits a widely reported claim when none of its articles has an evidence sentence for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..embed import CachedEmbedder, Embedder, sentence_embedder
from ..models import Article, Claim, Quote
from .align import PRIOR_NULL
from .conflicts import quantities
from .claims import LeftOut, _stems, attach_quote_speakers, claim_json, compare_claims, independence_units, source_name
from .provenance import sentence_anchors
from .framing import analyze_framing
from .provenance import cited_sources, link_json, provenance_graph, reuse_links
from .timeline import build_timeline, timeline_json


# A sentence this similar to a claim (z against unrelated pairs of the two languages, align.PRIOR_NULL)
# or sharing COVERED_ANCHORS numbers/names with it reports the claim in other words: translations
# score z 2.2-4, unrelated sentences of one story below 2.2 at the 99th percentile (xling_dev).
COVERED_Z = 2.2
COVERED_ANCHORS = 2
# A sentence that states every number of the claim (counts, amounts, percentages, number words: not
# years; a name is shared by half the story) reports it when it is also more similar than most
# unrelated pairs (z 1.0, the 84th percentile of a normal bulk): a long sentence stating several
# facts scores low as a whole ("... which says about 1,300 people have joined the strike, is
# demanding a 15% pay rise" for "Związkowcy domagają się 15-procentowych podwyżek płac").
COVERED_Z_WITH_NUMBERS = 1.0
# Within one language, a sentence that contains nearly all the claim's content words reports it, however
# much it adds ("...not asking for soldiers" inside a longer quote scores low as a whole sentence).
COVERED_STEM_SHARE = 0.8


def widely_reported_minimum(m: int) -> int:
    """Independent sources a claim needs to count as widely reported: max(2, ceil(M/2))."""
    return max(2, math.ceil(m / 2))


def _sources_in_order(articles: Sequence[Article]) -> list[str]:
    return list(dict.fromkeys(source_name(a) for a in articles))


def _closest(claim: Claim, articles: Sequence[Article], by_id: dict[int, Article], embedder: Embedder) -> dict | None:
    """The sentence of ``articles`` closest to the claim's evidence: {article, sentence, text, score, anchors}."""
    evidence = [e for e in claim.evidence if e.article_id in by_id]
    sentences = [(a, s) for a in articles for s in a.sentences]
    if not evidence or not sentences:
        return None
    ev_vecs = embedder.embed([e.text[:400] for e in evidence])
    ev_numbers = [_numbers(e.text, by_id[e.article_id].language) for e in evidence]
    vecs = embedder.embed([s.text[:400] for _, s in sentences])
    sims = vecs @ ev_vecs.T
    best = None
    for k, (a, s) in enumerate(sentences):
        for m, e in enumerate(evidence):
            same = (by_id[e.article_id].language or "")[:2] == (a.language or "")[:2]
            med, spread = PRIOR_NULL[same]
            z = (float(sims[k, m]) - med) / spread
            common = sentence_anchors(s.text, a.language) & sentence_anchors(e.text, by_id[e.article_id].language)
            shared = len(common)
            claim_numbers = ev_numbers[m]
            all_numbers = bool(claim_numbers) and claim_numbers <= _numbers(s.text, a.language)
            claim_stems = _stems(e.text)
            share = len(claim_stems & _stems(s.text)) / len(claim_stems) if same and claim_stems else 0.0
            near = {"article": a.id, "sentence": s.index, "text": s.text, "score": round(z, 2),
                    "shared_anchors": shared, "states_its_numbers": all_numbers, "stem_share": round(share, 2)}
            key = (_covered(near), z)
            if best is None or key > best[0]:
                best = (key, near)
    return best[1] if best else None


def _translated_elsewhere(x: LeftOut, by_id: dict[int, Article], embedder: Embedder) -> dict | None:
    """The sentence of the derived article that translates the original's sentence ``x`` although the
    in-order alignment left it unpaired (moved, or merged with a neighbour), else None: the two must
    score like a translation (COVERED_Z) and be each other's best match, so that a sentence which
    translates a neighbour of ``x`` does not count."""
    derived, original = by_id.get(x.article_id), by_id.get(x.original_id)
    if derived is None or original is None or not derived.sentences or not original.sentences:
        return None
    mine = embedder.embed([s.text[:400] for s in derived.sentences])
    theirs = embedder.embed([s.text[:400] for s in original.sentences])
    row = next((k for k, s in enumerate(original.sentences) if s.index == x.sentence), None)
    if row is None:
        return None
    sims = theirs @ mine.T
    best = int(np.argmax(sims[row]))
    same = (derived.language or "")[:2] == (original.language or "")[:2]
    med, spread = PRIOR_NULL[same]
    z = (float(sims[row, best]) - med) / spread
    if z < COVERED_Z or int(np.argmax(sims[:, best])) != row:
        return None
    s = derived.sentences[best]
    return {"article": derived.id, "sentence": s.index, "text": s.text, "score": round(z, 2)}


def _numbers(text: str, language: str | None) -> frozenset[float]:
    """The quantities a sentence states (digits and number words; not years, dates or times)."""
    return frozenset(round(q.value, 6) for q in quantities(text, (language or "")[:2] or None))


def _covered(near: dict) -> bool:
    """Whether the closest sentence of a source reports the claim (see the COVERED_* constants)."""
    return (near["score"] >= COVERED_Z or near["shared_anchors"] >= COVERED_ANCHORS
            or (near.get("states_its_numbers", False) and near["score"] >= COVERED_Z_WITH_NUMBERS)
            or near.get("stem_share", 0.0) >= COVERED_STEM_SHARE)


def coverage_matrix(claims: Sequence[Claim], articles: Sequence[Article], *,
                    units: dict[int, int] | None = None, left_out: Sequence[LeftOut] = (),
                    embedder: Embedder | None = None) -> dict:
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
    details: list[dict] = []
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
                if cell is not None:
                    continue
                own = [a for a in arts if source_name(a) == name]
                near = _closest(claim, own, by_id, embedder) if embedder is not None else None
                if near and _covered(near):
                    continue  # said in other words (a headline, a quote): not an omission
                omissions[name].append(claim.id)
                details.append({"source": name, "claim": claim.id, "kind": "consensus",
                                "reported_by": list(claim.sources), "closest": near})
    texts = {c.id: c for c in claims}
    for x in left_out:
        name = source_name(by_id[x.article_id])
        claim = texts.get(x.claim)
        if claim is None or any(by_id.get(e.article_id) is not None and source_name(by_id[e.article_id]) == name
                                for e in claim.evidence) or x.claim in omissions[name]:
            continue
        near = _translated_elsewhere(x, by_id, embedder) if embedder is not None else None
        if near is not None:
            continue
        omissions[name].append(x.claim)
        details.append({"source": name, "claim": x.claim, "kind": x.relation, "article": x.article_id,
                        "original": x.original_id, "reported_by": list(claim.sources),
                        "note": f"this {x.relation} leaves out a sentence of article {x.original_id}",
                        "closest": None})
    omissions = {s: ids for s, ids in omissions.items() if ids}
    return {"sources": sources, "rows": rows, "omissions": omissions, "omission_details": details,
            "independent_sources": m,
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
    claims, left_out = compare_claims(arts, embedder=embedder, links=reuse)
    if quotes:
        claims = attach_quote_speakers(claims, quotes)
    links = reuse + cited_sources(arts)
    return {
        "claims": [claim_json(c) for c in claims],
        "coverage": coverage_matrix(claims, arts, units=units, left_out=left_out, embedder=embedder),
        "framing": analyze_framing(arts, user_lexicon=framing_lexicon),
        "provenance": {"links": [link_json(x) for x in links], "graph": provenance_graph(links, arts)},
        "timeline": timeline_json(build_timeline(arts)),
    }
