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
