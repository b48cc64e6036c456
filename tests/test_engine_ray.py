"""``newsprism ingest --engine ray`` gives the same articles, duplicate links, stories and storylines as a
local run on the same input (the seeds plus a JSONL and a Parquet shard: a near copy, an exact copy,
another event in two languages with dates out of input order, a bad row in each shard), written to
PostgreSQL while the local run writes SQLite; the analyses of the touched stories, computed in the Ray
map, equal what a local ``analyze`` computes. One local Ray (2 CPUs) serves the whole module."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsprism.analyze import story_analysis
from newsprism.cli import app
from newsprism.embed import E5Embedder
from newsprism.store import open_store

sys.path.insert(0, str(Path(__file__).parent / "store"))  # the throwaway PostgreSQL of the store tests


@pytest.fixture(scope="module")
def local_ray():
    try:
        import ray
    except ImportError as exc:
        pytest.fail(f"the Ray engine test needs the dev extra ({exc}): pip install -e '.[dev]'")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def pg_url():
    from embedded_pg import EmbeddedPostgres

    server = EmbeddedPostgres().start()
    yield server.create_database("engine_ray")
    server.stop()


def _rows(seeds: Path) -> list[dict]:
    first, second = sorted(seeds.glob("*.txt"))[:2]
    first_lines = first.read_text(encoding="utf-8").strip().splitlines()
    near = "\n".join(first_lines[:-1] + ["Syndicated by the Daily Relay. All rights reserved."])
    flood_en = ("Floods close the river port of Lenz\n\nThe river port of Lenz closed on Monday after the water "
                "rose two metres above its normal level, the harbour master Anna Weber said. Barges were moored "
                "upstream and the ferry to Ostdorf stopped. 'We have not seen the river this high since 2013,' "
                "Weber said. Engineers will inspect the quay walls before the port reopens, probably on Friday.")
    flood_de = ("Hochwasser schließt den Flusshafen von Lenz\n\nDer Flusshafen von Lenz ist seit Montag geschlossen, "
                "nachdem das Wasser zwei Meter über den normalen Pegel gestiegen war, sagte Hafenmeisterin Anna "
                "Weber. Schiffe wurden flussaufwärts festgemacht, die Fähre nach Ostdorf fährt nicht. Ingenieure "
                "prüfen die Kaimauern, bevor der Hafen voraussichtlich am Freitag wieder öffnet.")
    jsonl = [
        {"title": "Lenz flood", "text": flood_en, "source": "Wire", "published": "2023-03-02"},
        {"text": near, "source": "Daily Relay", "published": "2024-05-09"},
        {"text": second.read_text(encoding="utf-8"), "source": "Mirror Site"},  # exact copy of a seed
        {"source": "Broken"},  # neither text nor html: a rejection
    ]
    parquet = [
        {"title": "Hochwasser in Lenz", "text": flood_de, "source": "Lenzer Bote", "published": "2023-03-01"},
        {"title": None, "text": None, "source": "Broken", "published": None},  # a rejection
    ]
    return jsonl, parquet


class _Uncached:
    """A store whose analysis cache is always empty: ``analyze.story_analysis`` computes, as a local
    ``analyze`` of a story never viewed does."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def get_analysis(self, *args):
        return None

    def put_analysis(self, *args) -> None:
        pass


def _groupings(location: str) -> dict:
    """What must not depend on the engine, in terms of content keys (ids differ with store order)."""
    store = open_store(location)
    try:
        articles = {a.id: a for a in store.iter_articles()}
        key = {i: a.content_key for i, a in articles.items()}
        stories = {s.id: frozenset(key[i] for i in s.article_ids) for s in store.list_stories()}
        vectors = store.get_embeddings(sorted(articles), E5Embedder.name)
        texts = store.get_text_vectors(sorted(articles), E5Embedder.name)
        return {
            "articles": {a.content_key: a.text for a in articles.values()},
            "duplicates": {(key[a], key[b]) for a, b in store.duplicate_links().items()},
            "stories": set(stories.values()),
            "storylines": {frozenset(stories[s] for s in line.story_ids) for line in store.list_storylines()},
            "ungrouped": len(store.ungrouped_article_ids()),
            "vectors": {key[i]: v for i, v in vectors.items()},
            "texts": {key[i]: len(t) for i, t in texts.items()},
        }
    finally:
        store.close()


@pytest.mark.slow
def test_ray_ingest_equals_local(local_ray, pg_url, seeds_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSPRISM_EMBEDDER", raising=False)
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows, shard_rows = _rows(seeds_dir)
    table, shard = tmp_path / "extra.jsonl", tmp_path / "extra.parquet"
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(shard_rows), shard)
    runner = CliRunner()
    sqlite = str(tmp_path / "local.db")
    inputs = [str(seeds_dir), str(table), str(shard)]
    local = runner.invoke(app, ["--db", sqlite, "ingest", "-q", *inputs])
    distributed = runner.invoke(app, ["--db", pg_url, "ingest", "-q", "--engine", "ray", *inputs])
    for run in (local, distributed):
        assert run.exit_code == 1, run.output  # the bad rows
        assert f"error: {table}#L4: line 4: row has neither 'text' nor 'html'" in run.output
        assert f"error: {shard}#R2: row 2: row has neither 'text' nor 'html'" in run.output
    expected, got = _groupings(sqlite), _groupings(pg_url)
    # the input exercises what the comparison is about: copies, several stories, a cross-lingual one
    assert len(expected["articles"]) == 8 and len(expected["duplicates"]) == 1
    assert len(expected["stories"]) >= 3 and any(len(s) == 2 for s in expected["stories"])
    assert expected["ungrouped"] == got["ungrouped"] == 0
    for part in ("articles", "duplicates", "stories", "storylines", "texts"):
        assert got[part] == expected[part], part
    assert got["vectors"].keys() == expected["vectors"].keys() == expected["articles"].keys()
    for content_key, vector in expected["vectors"].items():
        assert np.allclose(got["vectors"][content_key], vector, atol=1e-6)

    # the Ray map cached every story's analysis; a local analyze computes the same
    store = open_store(pg_url)
    try:
        for story in store.list_stories():
            cached = story_analysis(store, story.id, compute=False)
            assert cached is not None, f"story {story.id} has no cached analysis"
            local_view = story_analysis(_Uncached(store), story.id)
            assert json.loads(json.dumps(cached)) == json.loads(json.dumps(local_view)), story.id
        assert any(story_analysis(store, s.id, compute=False)["claims"] for s in store.list_stories())
    finally:
        store.close()


def test_missing_ray_is_a_one_line_error(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    run = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", "--engine", "ray", str(seeds_dir)])
    assert run.exit_code == 1
    assert run.output.strip() == "error: the Ray engine needs the ray package: pip install 'newsprism[ray]'"


def test_the_writer_uses_the_workers_minhash_signatures(tmp_path, seeds_dir):
    """``Ingestor.store_batch`` takes a text's signature from the workers; any other text is hashed."""
    from newsprism import clean, dedupe, pipeline
    from newsprism.embed import text_key
    from newsprism.ingest import collect

    first, second = (clean.prepare(raw) for raw in collect(sorted(map(str, seeds_dir.glob("*.txt")))[:2]))
    planted = dedupe.signature_bytes(dedupe.minhash(dedupe.shingles("a different text altogether " * 5)))
    store = open_store(tmp_path / "sig.db")
    try:
        pipeline.Ingestor(store).store_batch([first, second], signatures={text_key(first.text): planted})
        stored = dict(store.iter_fingerprints())
        by_key = {a.content_key: a.id for a in store.iter_articles()}
        assert stored[by_key[first.content_key]] == planted
        assert stored[by_key[second.content_key]] == dedupe.signature_bytes(dedupe.minhash(dedupe.shingles(second.text)))
    finally:
        store.close()


@pytest.mark.slow
def test_deferred_comparison_stores_and_groups_only(local_ray, seeds_dir, tmp_path, monkeypatch):
    """``features=False`` (``--defer-comparison``): article vectors and stories, but neither the analysis
    texts' vectors nor the analyses map (a story's first view computes them, as after a local run)."""
    from newsprism import engine_ray, pipeline

    monkeypatch.delenv("NEWSPRISM_EMBEDDER", raising=False)
    store = open_store(tmp_path / "deferred.db")
    try:
        times = pipeline.StageTimes()
        report = engine_ray.ingest(store, [str(seeds_dir)], features=False, times=times)
        ids = sorted(report.ingested)
        assert len(ids) == 5 and not store.ungrouped_article_ids() and store.list_stories()
        assert set(store.get_embeddings(ids, E5Embedder.name)) == set(ids)
        assert store.get_text_vectors(ids, E5Embedder.name) == {}
        assert all(story_analysis(store, s.id, compute=False) is None for s in store.list_stories())
        assert {"read+prepare", "store", "vectors", "cluster"} <= set(times.seconds) and "analyses" not in times.seconds
    finally:
        store.close()
