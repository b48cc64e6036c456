"""``pipeline.assign_in_batches``: an ingest of many articles is grouped ``GROUP_BATCH`` at a time in the
order one ``cluster.assign`` call would file them, so the groupings do not depend on the order the ids
come in (the local pipeline stores in input order, the Ray engine in publication order), and an ingest
of at most ``GROUP_BATCH`` articles is grouped by one call, as before."""

from __future__ import annotations

import random

from state_support import HashEmbedder, groupings, storyline_groupings, synthetic_docs

from newsprism import pipeline
from newsprism.cluster import assign
from newsprism.store import open_store


def _grouped(path, docs, order, **kwargs):
    store = open_store(path)
    ids = [store.add_article(d, None, b"").id for d in docs]
    chosen = [ids[i] for i in order]
    if kwargs.pop("one_call", False):
        assign(store, chosen, embedder=HashEmbedder())
    else:
        pipeline.assign_in_batches(store, chosen, embedder=HashEmbedder(), **kwargs)
    assert not store.ungrouped_article_ids()
    return groupings(store), storyline_groupings(store)


def test_batches_follow_publication_order_whatever_the_id_order(tmp_path):
    docs = synthetic_docs(events=12, spacing_days=20)
    random.Random(3).shuffle(docs)  # stored out of publication order, as a local ingest may store them
    shuffled = list(range(len(docs)))
    random.Random(5).shuffle(shuffled)
    calls = []
    one = _grouped(tmp_path / "a.db", docs, range(len(docs)), batch=7,
                   progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert one == _grouped(tmp_path / "b.db", docs, shuffled, batch=7)
    assert calls[-1] == ("cluster", len(docs), len(docs)) and len(calls) == -(-len(docs) // 7)


def test_at_most_one_batch_is_one_call(tmp_path):
    docs = synthetic_docs(events=6)
    assert _grouped(tmp_path / "a.db", docs, range(len(docs)), batch=len(docs)) == \
        _grouped(tmp_path / "b.db", docs, range(len(docs)), one_call=True)


def test_features_fetched_ahead_give_the_same_groupings(tmp_path, monkeypatch):
    """``fetch_features`` (what the Ray engine runs on its workers) is started for the next call before
    this one clusters, its features are the ones ``assign`` would compute, and ``assign`` uses them."""
    from newsprism.cluster import engine
    from newsprism.embed import article_embedding_text

    docs = synthetic_docs(events=12, spacing_days=20)
    fetched, computed_in_assign = [], []
    fetching = [False]
    real = engine.article_features

    def counted(article, vector):
        if not fetching[0]:
            computed_in_assign.append(article.id)
        return real(article, vector)

    monkeypatch.setattr(engine, "article_features", counted)

    def fetch(ids):
        store = open_store(tmp_path / "fetched.db")
        fetched.append(list(ids))
        articles = store.get_articles(ids)
        texts = [article_embedding_text(a) for a in articles]
        vectors = dict(zip([a.id for a in articles], HashEmbedder().embed(texts)))
        store.put_embeddings(HashEmbedder.name, vectors)  # the Ray engine's vector stage stores them first
        fetching[0] = True
        features = engine.stored_features(articles, vectors)
        fetching[0] = False
        return lambda: features

    ahead = _grouped(tmp_path / "fetched.db", docs, range(len(docs)), batch=7, fetch_features=fetch)
    assert len(fetched) == -(-len(docs) // 7) and not computed_in_assign
    assert ahead == _grouped(tmp_path / "plain.db", docs, range(len(docs)), batch=7)
    assert len(computed_in_assign) == len(docs)
