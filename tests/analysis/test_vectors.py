"""Analysis vectors: embedded once per article at ingest, stored, and reused by story analyses."""

from __future__ import annotations

import hashlib

import numpy as np

from newsprism.analysis.vectors import analysis_texts, load_analysis_vectors, store_analysis_vectors
from newsprism.embed import CachedEmbedder
from newsprism.clean import prepare
from newsprism.models import CleanDocument, RawDocument
from newsprism.pipeline import ingest

from conftest import make_article


class CountingEmbedder:
    """A deterministic stand-in model that records every text it is asked to embed."""

    name = "counting-test-model"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:32], dtype=np.uint8)[:8].astype(np.float32) + 1
                for t in texts]
        vecs = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


ARTICLE = """NATO will not send troops to Ukraine, Stoltenberg says
NATO has no plans to send combat troops to Ukraine, Secretary General Jens Stoltenberg said on Tuesday.
"We are not part of the conflict," he told reporters in Brussels.
At least five allies pledged new air defence systems for Kyiv."""


def _stored(store, text: str, article_id: int):
    doc: CleanDocument = prepare(RawDocument(origin=f"test:{article_id}", text=text))
    return store.add_article(doc, None, b"")


def test_texts_cover_title_sentences_and_claim_cores():
    article = make_article(ARTICLE)
    texts = analysis_texts(article)
    assert texts[0] == article.title
    assert all(s.text in texts for s in article.sentences)
    # the claim core of an attributed sentence is embedded too ("..., X said" split off)
    assert any(t.startswith("NATO has no plans") and "Stoltenberg" not in t for t in texts)
    assert len(texts) == len(set(texts))


def test_vectors_are_stored_once_and_a_later_analysis_embeds_only_new_texts(store):
    article = _stored(store, ARTICLE, 1)
    model = CountingEmbedder()
    assert store_analysis_vectors(store, [article], model) == 1
    first = len(model.seen)
    assert first >= len(article.sentences)
    assert store_analysis_vectors(store, [article], model) == 0  # already stored: nothing embedded
    assert len(model.seen) == first

    cache = CachedEmbedder(model)
    assert load_analysis_vectors(store, [article.id], cache) == first
    sentences = [s.text for s in article.sentences]
    stored_vecs = cache.embed(sentences)
    assert len(model.seen) == first  # every sentence came from the store
    np.testing.assert_allclose(stored_vecs, model.embed(sentences), rtol=1e-6)
    cache.embed(["A sentence no article has."])
    assert model.seen[-1] == "A sentence no article has."


def test_ingest_stores_the_vectors_of_every_new_article(tmp_path, store, monkeypatch):
    model = CountingEmbedder()
    monkeypatch.setattr("newsprism.analysis.vectors.sentence_embedder", lambda: CachedEmbedder(model))
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("five", "six").replace("Tuesday", "Monday") +
                                    "\nThe next summit is in July.", encoding="utf-8")
    report = ingest(store, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], group=False, features=True)
    stored = store.get_text_vectors(report.ingested, model.name)
    assert sorted(stored) == sorted(report.ingested)
    for article in store.get_articles(report.ingested):
        assert len(stored[article.id]) == len(analysis_texts(article))


def test_quote_texts_are_analysis_texts_too():
    from newsprism.analysis.quotes import extract_quotes

    article = make_article(ARTICLE)
    quotes = extract_quotes(article, ())
    assert quotes and all(q.text in analysis_texts(article) for q in quotes)
