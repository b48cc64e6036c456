"""Quality floor on a fixed subset of ECB+ (6 topics, 100 articles, two look-alike events each),
through the store with the real embedder. Bench figures for the full data: docs/benchmarks/cluster.md."""

import hashlib
import json
import pytest
from cluster_support import SHARED

from bench.metrics import bcubed

from newsprism import cluster
from newsprism.models import CleanDocument

pytestmark = pytest.mark.slow

TOPICS = {"8", "11", "16", "20", "32", "33"}  # the smallest topics of both halves (fit and held out)


def test_ecbplus_subset_quality_floor(store, embedder):
    rows = [json.loads(line) for line in (SHARED / "bench" / "ecbplus_dev.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["gold_topic"] in TOPICS]
    assert len(rows) == 100
    gold = {}
    for r in rows:
        doc = CleanDocument(origin=r["id"], title=r["title"], text=r["text"], sentences=(), language="en",
                            source=None, published=r["published"],
                            content_key=hashlib.sha256(r["id"].encode()).hexdigest())
        gold[store.add_article(doc, None, b"").id] = (r["gold_event"], r["gold_topic"])
    cluster.assign(store, list(gold), embedder=embedder)
    ids = sorted(gold)
    story = {a.id: a.story for a in store.get_articles(ids)}
    line = {s.id: s.storyline for s in store.list_stories()}
    p, r, f1 = bcubed([story[i] for i in ids], [gold[i][0] for i in ids])
    assert f1 >= 0.83, (p, r, f1)
    lp, lr, lf1 = bcubed([line[story[i]] for i in ids], [gold[i][1] for i in ids])
    assert lp >= 0.95 and lf1 >= 0.75, (lp, lr, lf1)
    # look-alike events of one topic rarely share a story
    merged = set()
    for s in set(story.values()):
        events = {gold[i][0] for i in ids if story[i] == s}
        topics = {gold[i][1] for i in ids if story[i] == s}
        if len(events) > len(topics):
            merged.update(t for t in topics if sum(1 for e in events if e.startswith(f"{t}_")) > 1)
    assert len(merged) <= 2, merged
