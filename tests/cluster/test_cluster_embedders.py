"""Grouping with the fast USE embedder, and one embedder per database."""

import pytest

from bench.demo_bench import evaluate
from newsprism.cluster import recluster
from newsprism.embed import article_embedder
from newsprism.errors import ModelError
from newsprism.pipeline import ingest

# Measured with USE on the demo corpus: stories F1 0.919, storylines 1.000 (as with e5).
STORY_F1_FLOOR = 0.85
STORYLINE_F1_FLOOR = 0.85


@pytest.mark.slow
def test_demo_corpus_groups_like_the_gold_with_the_fast_embedder(tmp_path):
    result = evaluate(tmp_path / "demo.db", article_embedder("use"))
    assert result["stories"][2] >= STORY_F1_FLOOR, result
    assert result["storylines"][2] >= STORYLINE_F1_FLOOR, result


@pytest.mark.slow
def test_a_database_keeps_its_embedder_until_reclustered(store, seeds_dir, tmp_path):
    use, e5 = article_embedder("use"), article_embedder("e5")
    first = sorted(seeds_dir.glob("*.txt"))
    ingest(store, [str(p) for p in first[:3]], embedder=use)
    with pytest.raises(ModelError, match="built with the use-m3-centred embedder.*recluster"):
        ingest(store, [str(p) for p in first[3:]], embedder=e5)
    assert store.count_articles() == 3  # refused before anything was read
    recluster(store, embedder=e5)
    report = ingest(store, [str(p) for p in first[3:]], embedder=e5)
    assert len(report.ingested) == 2
    assert all(a.story is not None for a in store.iter_articles())


@pytest.mark.slow
def test_seeds_follow_their_events_with_the_fast_embedder(store, seeds_dir):
    """As with e5: one storyline; 000 and 001 (the same May 2024 interview) one story, the rest apart."""
    ingest(store, [str(seeds_dir)], embedder=article_embedder("use"))
    by_story: dict[int, list[str]] = {}
    for article in store.iter_articles():
        by_story.setdefault(article.story, []).append(article.origin.rsplit("/", 1)[-1][:3])
    assert sorted(sorted(v) for v in by_story.values()) == [["000", "001"], ["002"], ["003"], ["004"]]
    assert len(store.list_storylines()) == 1
