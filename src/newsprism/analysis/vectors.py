"""Per-article analysis vectors: embedded once at ingest, stored, reused by every story analysis.

A story analysis compares sentences across articles (claims, provenance, omissions, statements,
summary), and embedding those sentences was most of the time of a first story view (18 s for the
two-article seed story). Every text an analysis embeds for an article is a function of that article
alone: its title, its sentences, the claim cores of its claim sentences (attribution split off), each
cut to the analyses' 400 characters, and its quotes (matched as statements across articles). So they
are embedded once, when the article is ingested, and stored under their text key
(``embed.text_key``); a story analysis loads the vectors of its
articles into the sentence embedder's cache and embeds only what it has never seen (a sentence
changed since by re-cleaning).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..embed import CachedEmbedder, Embedder, sentence_embedder, text_key
from ..models import Article
from ..store import Store
from .claims import MAX_CLAIM_CHARS, claim_sentences
from .quotes import extract_quotes

# Articles embedded per model call: large enough to batch the model well, small enough that an
# interrupted ingest loses little (whatever is missing is embedded at the next view).
ARTICLES_PER_BATCH = 16


def analysis_texts(article: Article) -> list[str]:
    """The distinct texts a story analysis embeds for ``article``, in article order."""
    texts = [article.title[:MAX_CLAIM_CHARS]]
    texts += [s.text[:MAX_CLAIM_CHARS] for s in article.sentences]
    texts += [c.core[:MAX_CLAIM_CHARS] for c in claim_sentences(article)]
    # quote spans do not depend on the story's entities (only their speakers do: 188 of 189 demo quotes)
    texts += [q.text for q in extract_quotes(article, ())]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def _inner(embedder: Embedder) -> Embedder:
    """The model behind a cache (vectors are stored under the model, not the cache)."""
    return embedder.inner if isinstance(embedder, CachedEmbedder) else embedder


def store_analysis_vectors(store: Store, articles: Iterable[Article], embedder: Embedder | None = None) -> int:
    """Embed and store the analysis texts of each article that has none stored; returns how many.

    ``embedder`` defaults to the sentence embedder (e5). Runs outside the writer lock: rows are per
    article and written whole, so two ingests at once at worst embed one article twice."""
    model = _inner(embedder or sentence_embedder())
    articles = list(articles)
    have = store.get_text_vectors([a.id for a in articles], model.name)
    todo = [a for a in articles if a.id not in have]
    for start in range(0, len(todo), ARTICLES_PER_BATCH):
        batch = todo[start:start + ARTICLES_PER_BATCH]
        texts = [analysis_texts(a) for a in batch]
        vecs = model.embed([t for group in texts for t in group])
        rows: dict[int, dict[bytes, np.ndarray]] = {}
        offset = 0
        for article, group in zip(batch, texts):
            rows[article.id] = {text_key(t): vecs[offset + i] for i, t in enumerate(group)}
            offset += len(group)
        store.put_text_vectors(model.name, rows)
    return len(todo)


def load_analysis_vectors(store: Store, article_ids: Sequence[int], embedder: Embedder | None = None) -> int:
    """Seed ``embedder`` (default: the shared sentence embedder) with the stored vectors of these
    articles; returns how many vectors were loaded. An embedder without a cache is left alone."""
    embedder = embedder or sentence_embedder()
    if not isinstance(embedder, CachedEmbedder):
        return 0
    stored = store.get_text_vectors(list(article_ids), embedder.inner.name)
    vectors = {key: vec for by_key in stored.values() for key, vec in by_key.items()}
    embedder.preload(vectors)
    return len(vectors)
