"""The store contract: every ``Store`` method behaves the same on SQLite and on PostgreSQL.

Each contract test runs twice (the ``location`` fixture): on an SQLite file and on a fresh database
of a throwaway PostgreSQL 18 with pgvector (``embedded_pg``). The tests at the end are PostgreSQL's
own: errors a server brings (unreachable, no pgvector, a password in the URL), the HNSW index, and
a real ingest of the seeds giving the same articles, duplicates and stories as SQLite.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import psycopg
import pytest

from newsprism.errors import NewerSchemaError, NoDatabaseError, NotFoundError, StoreError
from newsprism.models import CleanDocument, Sentence, Story, Storyline
from newsprism.store import MIGRATIONS, open_store

# Seconds a process waits for another in the writer-lock tests (far above the ~1 s a child needs to start).
WAIT_S = 30
BIG_IDS = (2**63, -2**63 - 1, 10**22)


def doc(key: str, text: str = "Alpha beta. Gamma delta.", **fields) -> CleanDocument:
    sentences = (Sentence(0, 0, 11, text[:11]), Sentence(1, 12, len(text), text[12:]))
    values = dict(origin=f"{key}.txt", title="Title " + key, text=text, sentences=sentences, language="en",
                  source="Outlet", published="2024-05-08", content_key=key,
                  metadata={"gold": key, "z": 1, "a": ["ünïcode", {"nested": None}]})
    values.update(fields)
    return CleanDocument(**values)


def raw_execute(location: str, sql: str) -> None:
    """Run ``sql`` on the database behind the store's back (as another program or version would)."""
    if location.startswith("postgresql://"):
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(sql)
    else:
        with sqlite3.connect(location) as conn:
            conn.execute(sql)


def is_postgres(location: str) -> bool:
    return location.startswith("postgresql://")


# ------------------------------------------------------------------------------------ schema
def test_migrations_are_applied_once_and_named_like_sqlites(location):
    store = open_store(location)
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    store.close()
    again = open_store(location)
    assert again.applied_migrations() == [name for name, _ in MIGRATIONS]
    again.close()


def test_newer_schema_is_refused_and_an_unknown_one_too(location):
    open_store(location).close()
    raw_execute(location, "INSERT INTO migrations VALUES ('0099_future', 'x')")
    with pytest.raises(NewerSchemaError, match="newer newsprism"):
        open_store(location)
    raw_execute(location, "DELETE FROM migrations WHERE name = '0099_future'")
    raw_execute(location, "INSERT INTO migrations VALUES ('other_tool', 'x')")
    with pytest.raises(StoreError, match="another newsprism") as caught:
        open_store(location)
    assert not isinstance(caught.value, NewerSchemaError)


def test_reading_a_missing_database_creates_nothing(location):
    with pytest.raises(NoDatabaseError):
        open_store(location, create=False)
    if is_postgres(location):
        with psycopg.connect(location) as conn:
            assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    else:
        assert not os.path.exists(location)
    open_store(location).close()
    open_store(location, create=False).close()  # once made, reading commands open it


# ------------------------------------------------------------------------------------ articles
def test_article_round_trip(db_store):
    art = db_store.add_article(doc("k1", url="http://x/1", author="A. Writer", external_id="e1"), None, b"\x00\x01")
    again = db_store.get_article(art.id)
    assert again == art and again.metadata == art.metadata == {"gold": "k1", "z": 1, "a": ["ünïcode", {"nested": None}]}
    assert list(again.metadata) == ["gold", "z", "a"]  # dictionaries come back in their order
    assert [s.text for s in again.sentences] == ["Alpha beta.", "Gamma delta."]
    assert (again.url, again.author, again.external_id, again.story, again.duplicate_of) == \
        ("http://x/1", "A. Writer", "e1", None, None)
    assert again.ingested_at and db_store.find_by_content_key("k1") == art.id
    assert db_store.find_by_content_key("nope") is None
    with pytest.raises(NotFoundError, match="no article with id 999"):
        db_store.get_article(999)


def test_many_articles(db_store):
    ids = [db_store.add_article(doc(f"k{n}", published=None, language=None, source=None), None, bytes([n]))
           .id for n in range(5)]
    assert db_store.count_articles() == 5
    assert [a.id for a in db_store.get_articles([ids[3], ids[1], ids[3], 999])] == [ids[3], ids[1]]
    assert db_store.get_articles([]) == []
    assert [a.id for a in db_store.iter_articles()] == sorted(ids)
    assert list(db_store.iter_fingerprints()) == [(aid, bytes([n])) for n, aid in enumerate(ids)]
    assert db_store.ungrouped_article_ids() == ids


@pytest.mark.parametrize("big", BIG_IDS)
def test_ids_beyond_64_bits_are_not_found(db_store, big):
    db_store.add_article(doc("k1"), None, b"x")
    for get, what in ((db_store.get_story, "story"), (db_store.get_storyline, "storyline"),
                      (db_store.get_article, "article")):
        with pytest.raises(NotFoundError, match=f"no {what} with id {big}"):
            get(big)
    assert [a.id for a in db_store.get_articles([1, big])] == [1]


def test_duplicates_are_linked_and_repointed(db_store):
    first = db_store.add_article(doc("k1"), None, b"a").id
    copy = db_store.add_article(doc("k2"), first, b"b").id
    other = db_store.add_article(doc("k3"), first, b"c").id
    assert db_store.duplicate_links() == {copy: first, other: first}
    db_store.repoint_duplicates(first, copy)  # the copy becomes the canonical one
    assert db_store.duplicate_links() == {first: copy, other: copy}
    assert db_store.get_article(copy).duplicate_of is None


def test_source_lines(db_store):
    a = db_store.add_article(doc("k1"), None, b"a").id
    b = db_store.add_article(doc("k2"), None, b"b").id
    assert db_store.source_line_counts("Outlet", []) == {}
    db_store.add_source_lines("Outlet", ["h1", "h2", "h2"], a)
    db_store.add_source_lines("Outlet", ["h2", "h3"], b)
    db_store.add_source_lines("Other", ["h1"])
    assert db_store.source_line_counts("Outlet", ["h1", "h2", "h3", "h4"]) == {"h1": 1, "h2": 2, "h3": 1}
    assert db_store.source_line_counts("Other", ["h1", "h2"]) == {"h1": 1}
    assert db_store.articles_with_lines("Outlet", ["h2"]) == [a, b]
    assert db_store.articles_with_lines("Outlet", ["h3", "h9"]) == [b]
    assert db_store.articles_with_lines("Other", ["h1"]) == []  # counted without an article
    db_store.add_source_lines("Outlet", [], a)  # nothing to add is fine


def test_update_article_text(db_store):
    art = db_store.add_article(doc("k1"), None, b"a")
    text = "Gamma delta."
    from dataclasses import replace
    db_store.update_article_text(replace(art, text=text, sentences=(Sentence(0, 0, 12, text),),
                                         metadata={"cleaned": True}))
    again = db_store.get_article(art.id)
    assert (again.text, [s.text for s in again.sentences], again.metadata) == (text, [text], {"cleaned": True})
    assert again.content_key == "k1"


# ------------------------------------------------------------------------------------ vectors
@pytest.mark.parametrize("count", [3, 150])  # a few rows, and a bulk load (COPY on PostgreSQL)
def test_embeddings(db_store, count):
    rng = np.random.default_rng(1)
    vectors = {i + 1: rng.normal(size=8).astype(np.float32) for i in range(count)}
    db_store.put_embeddings("m1", vectors)
    db_store.put_embeddings("m2", {1: np.ones(3, dtype=np.float32)})
    got = db_store.get_embeddings(list(vectors) + [10_000], "m1")
    assert got.keys() == vectors.keys()
    assert all(got[i].dtype == np.float32 and np.array_equal(got[i], vectors[i]) for i in vectors)
    assert np.array_equal(db_store.get_embeddings([1], "m2")[1], np.ones(3, dtype=np.float32))
    replaced = {i: -v for i, v in vectors.items()}
    db_store.put_embeddings("m1", replaced)
    assert np.array_equal(db_store.get_embeddings([count], "m1")[count], -vectors[count])
    assert db_store.get_embeddings([], "m1") == {} and db_store.get_embeddings([1], "nope") == {}


@pytest.mark.parametrize("count", [2, 100])
def test_text_vectors(db_store, count):
    rng = np.random.default_rng(2)
    stored = {aid: {bytes([aid % 256, k]) * 8: rng.normal(size=6).astype(np.float32) for k in range(3)}
              for aid in range(1, count + 1)}
    db_store.put_text_vectors("m", stored)
    got = db_store.get_text_vectors(list(stored) + [9999], "m")
    assert got.keys() == stored.keys()
    for aid, by_key in stored.items():
        assert list(got[aid]) == list(by_key)
        assert all(np.array_equal(got[aid][k], v) for k, v in by_key.items())
    db_store.put_text_vectors("m", {1: {b"k" * 16: np.zeros(6, dtype=np.float32)}})
    assert list(db_store.get_text_vectors([1], "m")[1]) == [b"k" * 16]
    assert db_store.get_text_vectors([1], "other") == {}


# ------------------------------------------------------------------------------------ groups
def test_stories_and_storylines(db_store):
    a = db_store.add_article(doc("k1", published="2024-05-08", language="en", source="B"), None, b"a").id
    b = db_store.add_article(doc("k2", published="2024-05-01", language="uk", source="A"), None, b"b").id
    c = db_store.add_article(doc("k3", published=None, language=None, source=None), None, b"c").id
    assert db_store.new_story_id() == 1 and db_store.new_storyline_id() == 1
    db_store.save_storyline(Storyline(id=1, title="Line", story_ids=(), keywords=("x", "ü")))
    db_store.save_story(Story(id=1, title="One", article_ids=(), keywords=("nato", "troops"), storyline=1))
    db_store.save_story(Story(id=2, title="Two", article_ids=(), storyline=1))
    db_store.set_article_stories({a: 1, b: 1, c: 2})
    one = db_store.get_story(1)
    assert (one.article_ids, one.sources, one.languages, one.keywords) == ((a, b), ("A", "B"), ("en", "uk"),
                                                                           ("nato", "troops"))
    assert (one.first_published, one.last_published, one.storyline) == ("2024-05-01", "2024-05-08", 1)
    assert db_store.get_story(2).first_published is None and db_store.new_story_id() == 3
    line = db_store.get_storyline(1)
    assert (line.story_ids, line.keywords, line.first_published, line.last_published) == \
        ((1, 2), ("x", "ü"), "2024-05-01", "2024-05-08")
    db_store.save_story(Story(id=1, title="One again", article_ids=(), storyline=None))  # replaces
    assert [(s.id, s.title) for s in db_store.list_stories()] == [(1, "One again"), (2, "Two")]
    assert db_store.list_storylines()[0].story_ids == (2,)
    db_store.set_article_stories({c: None})
    assert db_store.ungrouped_article_ids() == [c]
    assert db_store.delete_empty_groups() == ([2], [1])  # story 2 lost its article, then line 1 its story
    db_store.delete_stories([1])
    db_store.save_storyline(Storyline(id=5, title="Gone", story_ids=()))
    db_store.delete_storylines([5])
    assert db_store.list_stories() == [] and db_store.list_storylines() == []
    with pytest.raises(NotFoundError, match="no story with id 1"):
        db_store.get_story(1)
    with pytest.raises(NotFoundError, match="no storyline with id 5"):
        db_store.get_storyline(5)


def test_search_stories(db_store, location):
    """Story search by the words of titles and keywords: substrings on SQLite, the full-text index with
    web-search syntax on PostgreSQL; words common to both behave alike."""
    db_store.save_story(Story(id=1, title="NATO will not send troops to Ukraine", article_ids=(),
                              keywords=("stoltenberg", "troops")))
    db_store.save_story(Story(id=2, title="Central bank cuts interest rates", article_ids=(), keywords=("inflation",)))
    db_store.save_story(Story(id=3, title="Столтенберг: войска НАТО не будут направлены", article_ids=(),
                              keywords=("нато",)))
    assert db_store.search_stories("nato troops") == {1}
    assert db_store.search_stories("Stoltenberg") == {1}  # a keyword, any case
    assert db_store.search_stories("НАТО") == {3}  # Cyrillic, case-folded
    assert db_store.search_stories("inflation bank") == {2}
    assert db_store.search_stories("nato inflation") == set() and db_store.search_stories("  ") == set()
    if is_postgres(location):  # web-search syntax and whole words
        assert db_store.search_stories("nato -troops") == set()
        assert db_store.search_stories('"interest rates" or stoltenberg') == {1, 2}
        assert db_store.search_stories("troop") == set()
        assert db_store.search_stories("'); DROP TABLE stories; --") == set()
        assert len(db_store.list_stories()) == 3
        with psycopg.connect(location) as conn:
            conn.execute("ANALYZE stories")
            conn.execute("SET enable_seqscan = off")
            from newsprism.store_postgres_schema import STORY_SEARCH_VECTOR
            plan = "\n".join(r[0] for r in conn.execute(
                f"EXPLAIN SELECT id FROM stories WHERE {STORY_SEARCH_VECTOR} @@ websearch_to_tsquery('simple', 'nato')"))
        assert "stories_search" in plan, plan
    else:
        assert db_store.search_stories("troop") == {1}  # substrings


def test_web_story_list_searches_with_the_database(db_store):
    from newsprism.web.data import StoryQuery, list_stories

    a = db_store.add_article(doc("k1", source="Kyiv Independent"), None, b"a").id
    b = db_store.add_article(doc("k2", source="Reuters"), None, b"b").id
    db_store.save_story(Story(id=1, title="NATO will not send troops to Ukraine", article_ids=(), keywords=("troops",)))
    db_store.save_story(Story(id=2, title="Central bank cuts interest rates", article_ids=(), keywords=()))
    db_store.set_article_stories({a: 1, b: 2})
    ids = lambda q: [s["id"] for s in list_stories(db_store, StoryQuery(q=q))["stories"]]  # noqa: E731
    assert ids("nato") == [1] and ids("interest rates") == [2] and ids("reuters") == [2]
    assert ids("kyiv independent") == [1] and ids("nato reuters") == []


def test_state_and_analyses(db_store):
    assert db_store.get_state("s") is None
    db_store.put_state("s", b"\x00\xff" * 1000)
    db_store.put_state("s", b"v2")
    db_store.put_state("empty", b"")
    assert (db_store.get_state("s"), db_store.get_state("empty")) == (b"v2", b"")
    value = {"claims": [{"text": "Столтенберг said", "n": 2}], "ok": True, "none": None}
    assert db_store.get_analysis("story", 1, "claims", "f1") is None
    db_store.put_analysis("story", 1, "claims", "f1", value)
    assert db_store.get_analysis("story", 1, "claims", "f1") == value
    assert db_store.get_analysis("story", 1, "claims", "f2") is None  # an older fingerprint's value
    db_store.put_analysis("story", 1, "claims", "f2", [1, 2])
    assert db_store.get_analysis("story", 1, "claims", "f2") == [1, 2]
    assert db_store.get_analysis("storyline", 1, "claims", "f2") is None


def test_cluster_rows(db_store):
    """The clusterer's closed stories and storylines (cluster.state): upsert, by key, by overlapping
    days, by stored story id, delete, clear, nearest centroids (exact on SQLite, HNSW on PostgreSQL)."""
    rng = np.random.default_rng(5)
    centroids = rng.normal(size=(40, 8)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    rows = [(i, 100 + i, 10 * i, 10 * i + 4, bytes([i]) * (i + 1), centroids[i]) for i in range(40)]
    rows.append((40, None, None, None, b"undated", None))
    db_store.put_cluster_rows("story", rows)
    db_store.put_cluster_rows("storyline", [(3, None, 0, 500, b"line", None)])
    assert db_store.get_cluster_rows("story", [2, 40, 99, 2**70]) == {2: b"\x02" * 3, 40: b"undated"}
    assert db_store.get_cluster_rows("storyline", [3, 2]) == {3: b"line"}
    assert sorted(db_store.cluster_rows_between("story", 33, 52)) == [3, 4, 5]  # days 30-34, 40-44, 50-54
    assert sorted(db_store.cluster_rows_between("storyline", 499, 900)) == [3]
    assert db_store.cluster_keys_of_stories([101, 139, 5, 2**70]) == {101: 1, 139: 39}
    assert db_store.cluster_rows_of_kind("storyline") == {3: b"line"} and db_store.cluster_rows_of_kind("x") == {}
    db_store.put_cluster_rows("story", [(2, 102, 20, 60, b"new", centroids[2])])  # replaced
    assert db_store.get_cluster_rows("story", [2]) == {2: b"new"}
    assert sorted(db_store.cluster_rows_between("story", 54, 58)) == [2, 5]
    query = centroids[7] + 0.05 * rng.normal(size=8).astype(np.float32)
    exact = sorted(range(40), key=lambda i: -float(centroids[i] @ query))[:3]
    found = db_store.nearest_cluster_stories(query, 3)
    assert [key for key, _ in found] == exact and found[0][0] == 7
    scale = float(np.linalg.norm(query)) if is_postgres(db_store.path) else 1.0  # cosine vs dot of a unit centroid
    assert found[0][1] == pytest.approx(float(centroids[7] @ query) / scale, abs=1e-4)
    # undated ones only (what the clusterer asks for its undated articles), several queries at once
    db_store.put_cluster_rows("story", [(60 + i, None, None, None, b"u", centroids[i]) for i in (3, 7, 30)])
    assert [key for key, _ in db_store.nearest_cluster_stories(query, 2, undated=True)] == [67, sorted(
        (63, 90), key=lambda k: -float(centroids[k - 60] @ query))[0]]
    many = db_store.nearest_cluster_stories_many([query, centroids[30]], 3)
    assert many[0] == db_store.nearest_cluster_stories(query, 3) and {k for k, _ in many[1][:2]} == {30, 90}
    assert [k for k, _ in db_store.nearest_cluster_stories_many([centroids[30]], 1, undated=True)[0]] == [90]
    db_store.delete_cluster_rows("story", [63, 67, 90])
    db_store.delete_cluster_rows("story", [7, 8])
    assert 7 not in [key for key, _ in db_store.nearest_cluster_stories(query, 3)]
    assert db_store.get_cluster_rows("story", [7, 8, 9]) == {9: b"\x09" * 10}
    with db_store.transaction():  # written with the state blob in one transaction by the engine
        db_store.put_cluster_rows("story", [(50, 150, 0, 1, b"x", None)])
        db_store.put_state("cluster", b"blob")
    db_store.clear_cluster_rows()
    assert db_store.get_cluster_rows("story", [9, 50]) == {} and db_store.get_cluster_rows("storyline", [3]) == {}
    assert db_store.nearest_cluster_stories(query, 3) == []


# ------------------------------------------------------------------------------------ transactions
def test_failed_transaction_leaves_nothing(db_store):
    db_store.add_article(doc("k1"), None, b"x")
    with pytest.raises(RuntimeError, match="boom"):
        with db_store.transaction():
            db_store.add_article(doc("k2"), None, b"y")
            db_store.put_state("s", b"v")
            db_store.save_story(Story(id=7, title="t", article_ids=()))
            with db_store.transaction():  # a nested one is part of the outer one
                db_store.put_embeddings("m", {1: np.ones(2, dtype=np.float32)})
            raise RuntimeError("boom")
    assert db_store.count_articles() == 1 and db_store.get_state("s") is None
    assert db_store.list_stories() == [] and db_store.get_embeddings([1], "m") == {}
    assert len(list(db_store.iter_fingerprints())) == 1
    # a database error inside (the same content key twice) rolls back the whole transaction too
    with pytest.raises((sqlite3.IntegrityError, StoreError)):
        with db_store.transaction():
            db_store.add_article(doc("k3"), None, b"z")
            db_store.add_article(doc("k1"), None, b"x")
    assert db_store.find_by_content_key("k3") is None and db_store.count_articles() == 1
    db_store.put_state("after", b"ok")  # the store is still usable
    assert db_store.get_state("after") == b"ok"


def _hold_writer_lock(location: str, held, release, log_path: str) -> None:
    """Child process: hold the writer lock until ``release`` is set (or until killed)."""
    store = open_store(location)
    with store.writer_lock():
        with open(log_path, "a") as log:
            log.write("child in\n")
        held.set()
        release.wait(WAIT_S)
        with open(log_path, "a") as log:
            log.write("child out\n")
    store.close()


def _start_holder(location: str, log_path: str):
    ctx = multiprocessing.get_context("spawn")  # no inherited connections
    held, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_writer_lock, args=(location, held, release, log_path))
    child.start()
    assert held.wait(WAIT_S), "the child never took the writer lock"
    return child, release


def _take_lock_in_thread(store, log_path: str) -> threading.Thread:
    def take() -> None:
        with store.writer_lock(), store.writer_lock():  # re-entrant in one thread
            with open(log_path, "a") as log:
                log.write("parent in\n")

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread


def test_writer_lock_lets_one_process_at_a_time(db_store, location, tmp_path):
    log_path = str(tmp_path / "order.log")
    child, release = _start_holder(location, log_path)
    thread = _take_lock_in_thread(db_store, log_path)
    thread.join(0.5)
    assert thread.is_alive(), "took the writer lock while another process held it"
    release.set()
    thread.join(WAIT_S)
    child.join(WAIT_S)
    assert not thread.is_alive() and child.exitcode == 0
    assert open(log_path).read().splitlines() == ["child in", "child out", "parent in"]


def test_writer_lock_dies_with_its_process(db_store, location, tmp_path):
    log_path = str(tmp_path / "order.log")
    child, _release = _start_holder(location, log_path)
    thread = _take_lock_in_thread(db_store, log_path)
    thread.join(0.3)
    assert thread.is_alive()
    child.kill()
    child.join(WAIT_S)
    thread.join(WAIT_S)
    assert not thread.is_alive(), "the lock of a killed process was never released"
    assert open(log_path).read().splitlines() == ["child in", "parent in"]


# ------------------------------------------------------------------------------------ a real ingest
def seed_inputs(seeds_dir, tmp_path):
    """The seeds, plus a near copy of one (one word changed: a duplicate link) and an exact copy."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    files = sorted(seeds_dir.glob("*.txt"))
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    text = files[0].read_text(encoding="utf-8")
    word = next(w for w in text.split() if len(w) > 6 and w.isalpha() and text.count(w) == 1)
    (folder / "zz_near_copy.txt").write_text(text.replace(word, word.upper()[::-1]), encoding="utf-8")
    (folder / "zz_exact_copy.txt").write_text(text, encoding="utf-8")
    return [str(folder)]


def stored_articles(store):
    from dataclasses import replace
    return [(replace(a, ingested_at=""), a.metadata) for a in store.iter_articles()]


def test_seed_ingest_gives_the_same_articles_and_duplicates(pg_server, seeds_dir, tmp_path):
    from newsprism.pipeline import ingest

    inputs = seed_inputs(seeds_dir, tmp_path)
    results = []
    for location in (str(tmp_path / "seeds.db"), pg_server.create_database("seeds_ingest")):
        store = open_store(location)
        try:
            report = ingest(store, inputs, group=False)
            results.append((report, stored_articles(store), store.duplicate_links(),
                            list(store.iter_fingerprints()), store.ungrouped_article_ids()))
        finally:
            store.close()
    sqlite_result, postgres_result = results
    report = sqlite_result[0]
    assert len(report.ingested) == 6 and len(report.already_stored) == 1 and report.duplicates
    assert sqlite_result[2], "the near copy was not linked"
    assert postgres_result == sqlite_result


class RememberingEmbedder:
    """The article embedder, each text embedded once for both databases (half the model time)."""

    def __init__(self) -> None:
        from newsprism.embed import article_embedder

        self.inner = article_embedder("e5")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.seen: dict[str, np.ndarray] = {}

    def embed(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            self.seen.update(zip(todo, self.inner.embed(todo)))
        return np.asarray([self.seen[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dim)


@pytest.mark.slow  # groups with the embedding model
def test_seed_grouping_and_cli_give_the_same_stories(pg_server, seeds_dir, tmp_path):
    from newsprism.pipeline import ingest

    embedder = RememberingEmbedder()
    inputs = seed_inputs(seeds_dir, tmp_path)
    locations = (str(tmp_path / "seeds.db"), pg_server.create_database("seeds_grouped"))
    results = []
    for location in locations:
        store = open_store(location)
        try:
            ingest(store, inputs, group=False)
            ingest(store, inputs, group=True, features=False, embedder=embedder)  # groups what is stored
            results.append((store.list_stories(), store.list_storylines(), stored_articles(store),
                            store.ungrouped_article_ids()))
        finally:
            store.close()
    assert results[0][3] == [] and len(results[0][0]) >= 2
    assert results[1] == results[0]
    # the command line reads the same stories from the server, through --db and through NEWSPRISM_DB
    outputs = []
    for location, env in ((locations[0], {}), (locations[1], {}), (locations[1], {"NEWSPRISM_DB": locations[1]})):
        args = ["stories", "--json"] if env else ["--db", location, "stories", "--json"]
        proc = subprocess.run([sys.executable, "-m", "newsprism", *args], capture_output=True, text=True,
                              timeout=120, env={**os.environ, **env})
        assert proc.returncode == 0, proc.stderr
        outputs.append(json.loads(proc.stdout))
    assert outputs[0] and outputs[1] == outputs[0] and outputs[2] == outputs[0]


# ------------------------------------------------------------------------------------ PostgreSQL's own
def test_postgres_migrations_are_sqlites(pg_server):
    from newsprism import store_postgres_schema

    assert [name for name, _ in store_postgres_schema.MIGRATIONS] == [name for name, _ in MIGRATIONS]


def _one_line_store_error(url: str, *match: str) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message and all(part in message for part in match), message
    return message


def test_unreachable_server_is_one_line_naming_it_without_the_password(pg_server):
    from embedded_pg import free_port

    port = free_port()
    message = _one_line_store_error(f"postgresql://newsprism:s3cret@127.0.0.1:{port}/news",
                                    f"postgresql://newsprism@127.0.0.1:{port}/news", "cannot connect")
    assert "s3cret" not in message
    _one_line_store_error(pg_server.url("no_such_db"), "no_such_db", "does not exist")
    _one_line_store_error("postgresql://127.0.0.1:notaport/x", "notaport")


def test_server_without_pgvector_is_one_line(pg_server, monkeypatch):
    from newsprism import store_postgres_schema

    monkeypatch.setattr(store_postgres_schema, "VECTOR_EXTENSION", "vector_not_installed")
    _one_line_store_error(pg_server.create_database("no_vector"), "no pgvector extension", "install pgvector")


def test_user_who_may_not_enable_pgvector_is_told_whom_to_ask(pg_server):
    url = pg_server.create_database("plain_user")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("CREATE ROLE reader LOGIN")
        admin.execute("GRANT ALL ON SCHEMA public TO reader")
    _one_line_store_error(url.replace("postgres@", "reader@"), "CREATE EXTENSION vector")


def test_cli_prints_a_server_error_as_one_line(pg_server):
    from embedded_pg import free_port

    proc = subprocess.run([sys.executable, "-m", "newsprism", "--db",
                           f"postgresql://u:pw@127.0.0.1:{free_port()}/db", "stories"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: postgresql://u@127.0.0.1:"), proc.stderr


def test_server_error_while_writing_is_one_line_and_the_store_goes_on(pg_server):
    store = open_store(pg_server.create_database("bad_write"))
    try:
        with pytest.raises(StoreError, match="NUL") as caught:
            store.add_article(doc("k1", title="nul\x00byte"), None, b"x")
        assert "\n" not in str(caught.value) and store.count_articles() == 0
        store.add_article(doc("k1"), None, b"x")
        assert store.count_articles() == 1
    finally:
        store.close()


def test_nearest_articles_walks_the_hnsw_index_and_matches_exact_search(pg_server):
    from newsprism.store_postgres_schema import hnsw_index_name, nearest_sql

    url = pg_server.create_database("vectors")
    store = open_store(url)
    try:
        rng = np.random.default_rng(3)
        vectors = {i: v / np.linalg.norm(v) for i, v in enumerate(rng.normal(size=(300, 16)).astype(np.float32), 1)}
        store.put_embeddings("e5", vectors)
        store.put_embeddings("other", {1: np.ones(4, dtype=np.float32)})  # another model, another dimension
        query = vectors[7] + 0.1 * rng.normal(size=16).astype(np.float32)
        exact = sorted(vectors, key=lambda i: -float(vectors[i] @ query) / float(np.linalg.norm(query)))[:5]
        found = store.nearest_articles("e5", query, 5)
        assert [aid for aid, _ in found] == exact and found[0][0] == 7
        assert found[0][1] == pytest.approx(float(vectors[7] @ query) / float(np.linalg.norm(query)), abs=1e-5)
        with psycopg.connect(url) as conn:
            from pgvector.psycopg import register_vector
            register_vector(conn)
            conn.execute("SET enable_seqscan = off")  # 300 rows: the planner would rather scan them
            plan = "\n".join(row[0] for row in conn.execute(
                b"EXPLAIN " + nearest_sql(16).as_bytes(conn), (query, "e5", query, 5)))
        assert hnsw_index_name("e5", 16) in plan, plan
    finally:
        store.close()


def test_nearest_closed_stories_walk_the_centroid_hnsw_index(pg_server):
    from newsprism.store_postgres_schema import centroid_index_name, nearest_story_sql

    url = pg_server.create_database("centroids")
    store = open_store(url)
    try:
        rng = np.random.default_rng(4)
        centroids = rng.normal(size=(5000, 16)).astype(np.float32)
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        # every third story undated (no days): the undated search walks an index of its own
        store.put_cluster_rows("story", [(i, i, None if i % 3 == 0 else i, None if i % 3 == 0 else i, b"s", centroids[i])
                                         for i in range(5000)])
        query = centroids[11] + 0.1 * rng.normal(size=16).astype(np.float32)
        exact = sorted(range(5000), key=lambda i: -float(centroids[i] @ query))[:5]
        assert [key for key, _ in store.nearest_cluster_stories(query, 5)] == exact
        exact_undated = sorted(range(0, 5000, 3), key=lambda i: -float(centroids[i] @ query))[:5]
        assert [key for key, _ in store.nearest_cluster_stories(query, 5, undated=True)] == exact_undated
        with psycopg.connect(url) as conn:
            from pgvector.psycopg import register_vector
            register_vector(conn)
            conn.execute("ANALYZE cluster_state")
            conn.execute("SET enable_seqscan = off")
            conn.execute("SET enable_bitmapscan = off")
            plan = "\n".join(row[0] for row in conn.execute(
                b"EXPLAIN " + nearest_story_sql(16).as_bytes(conn), (query, query, 5)))
            plan_undated = "\n".join(row[0] for row in conn.execute(
                b"EXPLAIN " + nearest_story_sql(16, undated=True).as_bytes(conn), (query, query, 5)))
        assert centroid_index_name(16) in plan, plan
        assert centroid_index_name(16, undated=True) in plan_undated, plan_undated
    finally:
        store.close()


def test_readers_neither_wait_for_nor_see_an_open_transaction(pg_server):
    store = open_store(pg_server.create_database("readers"))
    try:
        store.put_state("s", b"old")
        inside, done = threading.Event(), threading.Event()

        def write() -> None:
            with store.transaction():
                store.put_state("s", b"new")
                inside.set()
                done.wait(WAIT_S)

        writer = threading.Thread(target=write)
        writer.start()
        assert inside.wait(WAIT_S)
        started = time.perf_counter()
        assert store.get_state("s") == b"old" and store.list_stories() == []  # another thread: committed rows
        assert time.perf_counter() - started < 1.0
        done.set()
        writer.join(WAIT_S)
        assert store.get_state("s") == b"new"
    finally:
        store.close()


# ------------------------------------------------------------------------------------ the web UI
READERS = 8  # concurrent requests while a writer holds its transaction open
READ_DEADLINE_S = 5.0  # a request that took longer waited for the writer


def _serve(location: str):
    """The web app over ``location`` on 127.0.0.1 (a real server in a thread); returns it and its URL."""
    import uvicorn
    from embedded_pg import free_port

    from newsprism.web import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(location), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_S
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web server did not start"
    return server, thread, f"http://127.0.0.1:{port}"


def test_web_readers_go_on_while_another_process_writes(location):
    import httpx

    store = open_store(location)
    ids = [store.add_article(doc(f"k{n}", source=f"Outlet {n}"), None, bytes([n])).id for n in range(3)]
    store.save_story(Story(id=1, title="Committed story", article_ids=()))
    store.set_article_stories({ids[0]: 1, ids[1]: 1})
    store.close()
    server, thread, base = _serve(location)
    writer = open_store(location)  # another connection, as another process's ingest has
    try:
        def titles() -> tuple[list[str], float]:
            started = time.perf_counter()
            reply = httpx.get(f"{base}/api/stories", timeout=WAIT_S)
            assert reply.status_code == 200, reply.text
            return [s["title"] for s in reply.json()["stories"]], time.perf_counter() - started

        assert titles()[0] == ["Committed story"]
        with writer.transaction():
            writer.save_story(Story(id=2, title="Uncommitted story", article_ids=()))
            writer.set_article_stories({ids[2]: 2})
            answers: list[tuple[list[str], float]] = []
            readers = [threading.Thread(target=lambda: answers.append(titles())) for _ in range(READERS)]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join(WAIT_S * 2)
            assert len(answers) == READERS, "a reader failed or never came back"
            assert all(seen == ["Committed story"] for seen, _ in answers), answers
            assert max(took for _, took in answers) < READ_DEADLINE_S
        assert sorted(titles()[0]) == ["Committed story", "Uncommitted story"]  # committed now
    finally:
        writer.close()
        server.should_exit = True
        thread.join(WAIT_S)


# ------------------------------------------------------------------------------------ two ingests at once
class HashEmbedder:
    """Unit vectors of hashed words (texts sharing words are close): grouping without a model."""

    name = "test-word-hash"
    dim = 64

    def embed(self, texts):
        import re
        import zlib

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                h = zlib.crc32(word.encode())
                out[row, h % self.dim] += 1.0 if h & 1 << 16 else -1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _ingest_together(location: str, inputs: list[str], barrier) -> None:
    """Child: ingest ``inputs`` and group them, starting when the other child is ready too."""
    from newsprism.pipeline import ingest

    store = open_store(location)
    try:
        barrier.wait(WAIT_S)
        ingest(store, inputs, embedder=HashEmbedder(), features=False)
    finally:
        store.close()


def test_two_processes_ingesting_at_once_on_postgres_leave_no_phantom_groups(pg_server, seeds_dir):
    """As tests/test_concurrent_ingest.py does for SQLite (here once: each child loads the cleaners)."""
    location = pg_server.create_database("two_ingests")
    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    children = [ctx.Process(target=_ingest_together, args=(location, part, barrier))
                for part in (files[::2], files[1::2])]
    for child in children:
        child.start()
    for child in children:
        child.join(WAIT_S * 2)
    assert [child.exitcode for child in children] == [0, 0], "an ingest failed (its traceback is above)"
    store = open_store(location)
    try:
        articles, stories, lines = list(store.iter_articles()), store.list_stories(), store.list_storylines()
    finally:
        store.close()
    assert len(articles) == len(files) and all(a.story is not None for a in articles)
    assert all(s.article_ids for s in stories) and all(line.story_ids for line in lines)
    assert sorted(aid for s in stories for aid in s.article_ids) == sorted(a.id for a in articles)
    assert {s.storyline for s in stories} == {line.id for line in lines}
