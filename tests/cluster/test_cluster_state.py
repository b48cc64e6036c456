"""The clusterer's windowed state (cluster.state): closed stories and storylines leave memory and the
state blob for rows of their own, late articles and copies reopen them, the groupings stay those of a
clusterer that keeps everything, and an older version's single blob is split on first load.

Constructed streams, no model: ``state_support.HashEmbedder`` gives articles sharing most words
near-identical vectors and distinct events near-orthogonal ones, far from any threshold.
"""

from __future__ import annotations

import itertools
import json
import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from state_support import HashEmbedder, groupings, storyline_groupings, synthetic_docs

from newsprism.cluster import assign, recluster
from newsprism.cluster.engine import STATE_NAME, grouping_settings
from newsprism.cluster.state import OPEN, STORY, STORYLINE, load_open
from newsprism.cluster.stories import StoryClusterer
from newsprism.cluster.storylines import STORYLINE_WINDOW_DAYS, StorylineClusterer
from newsprism.store import open_store

DATA = Path(__file__).parent / "data"
# Few recently active stories kept for undated articles, so that stories close within a short stream
# (the default, 3,000, keeps every story of these streams open).
SMALL_RECENT = {"undated_candidates": 4}


def _settings(embedder):
    from newsprism.cluster.settings import with_overrides
    return with_overrides(grouping_settings_for(embedder), {k: str(v) for k, v in SMALL_RECENT.items()})


def grouping_settings_for(embedder):
    from newsprism.cluster.settings import settings_for
    return settings_for(embedder.name)


def _ingest(store, docs, embedder, settings, batch=10, duplicate_of=None) -> list[int]:
    ids = [store.add_article(d, duplicate_of, b"").id for d in docs]
    for start in range(0, len(ids), batch):
        assign(store, ids[start:start + batch], embedder=embedder, settings=settings)
    return ids


def _state(store):
    """The engine's state as a batch sees it: the blob with the open stories read back from their rows."""
    state = pickle.loads(store.get_state(STATE_NAME))
    load_open(store, state)
    return state


def _rows(store) -> dict[str, int]:
    return {kind: n for kind, n in store._query("SELECT kind, count(*) FROM cluster_state GROUP BY kind")}


def _stream(store, embedder, settings, events):
    """A dated stream of ``events`` events 25 days apart, then late articles of early (closed) events
    and a copy of an early article whose story is closed."""
    docs = synthetic_docs(events=events, spacing_days=25)
    ids = _ingest(store, docs, embedder, settings)
    late = [replace(docs[i], origin=f"late/{i}", content_key=f"late{i}", text=docs[i].text + " Later.")
            for i in (1, 2, 37, 38)]
    _ingest(store, late, embedder, settings, batch=4)
    copy = replace(docs[6], origin="copy/6", content_key="copy6")
    _ingest(store, [copy], embedder, settings, duplicate_of=ids[6])
    return ids


@pytest.mark.parametrize("events", [24, 40])
def test_groupings_equal_with_and_without_closing(tmp_path, monkeypatch, events):
    """Stories: always the same. Storylines: the same while the stream (24 events: 600 days) is shorter
    than the storyline window; over 40 events (1,000 days) stories older than the window leave the
    candidates of long-running storylines, by design (storylines.STORYLINE_WINDOW_DAYS)."""
    embedder = HashEmbedder()
    settings = _settings(embedder)
    windowed = open_store(tmp_path / "windowed.db")
    _stream(windowed, embedder, settings, events)
    assert _rows(windowed).get(STORY, 0) > events // 2, "the stream closes most of its stories"
    whole = open_store(tmp_path / "whole.db")
    with monkeypatch.context() as m:
        for cls, name in ((StoryClusterer, "closable"), (StorylineClusterer, "closable"),
                          (StorylineClusterer, "retirable")):
            m.setattr(cls, name, lambda *a, **k: [])
        _stream(whole, embedder, settings, events)
    assert set(_rows(whole)) == {OPEN}
    assert groupings(windowed) == groupings(whole)
    if events * 25 < STORYLINE_WINDOW_DAYS:
        assert storyline_groupings(windowed) == storyline_groupings(whole)
    # the late articles found their closed stories, the copy its original's closed story
    by_article = {a.id: a.story for a in windowed.iter_articles()}
    late_ids = {a.origin: a.id for a in windowed.iter_articles() if a.origin.startswith(("late/", "copy/"))}
    assert by_article[late_ids["late/1"]] == by_article[2]
    assert by_article[late_ids["late/37"]] == by_article[38]
    assert by_article[late_ids["copy/6"]] == by_article[7]


def test_closed_stories_leave_memory_and_late_articles_reopen_them(tmp_path):
    embedder = HashEmbedder()
    settings = _settings(embedder)
    store = open_store(tmp_path / "s.db")
    docs = synthetic_docs(events=20, spacing_days=30)
    ids = _ingest(store, docs, embedder, settings)
    state = _state(store)
    sc = state.engine.stories
    first_story = next(a.story for a in store.get_articles([ids[0]]))
    index = next(i for i, sid in state.story_ids.items() if sid == first_story) if first_story in \
        state.story_ids.values() else store.cluster_keys_of_stories([first_story])[first_story]
    assert index not in sc.stories, "the first event's story closed long ago"
    assert index in store.get_cluster_rows(STORY, [index])
    assert len(sc.stories) < 12 and not sc.article_story
    late = replace(docs[0], origin="late/0", content_key="late0", text=docs[0].text + " Update.")
    _ingest(store, [late], embedder, settings)
    assert store.get_articles([ids[-1] + 1])[0].story == first_story
    # reopened and recently active again: open, its row gone; closed again once others are more recent
    state = _state(store)
    assert index in state.engine.stories.stories and not store.get_cluster_rows(STORY, [index])
    _ingest(store, synthetic_docs(events=5, spacing_days=30, start_event=20), embedder, settings)
    state = _state(store)
    assert index not in state.engine.stories.stories and store.get_cluster_rows(STORY, [index])


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_an_undated_article_finds_its_closed_story_by_centroid(tmp_path, request, backend):
    """Undated articles look at the recently active stories, and at the closed stories nearest to them
    (the store's centroid search: HNSW on PostgreSQL, a scan on SQLite): an undated report of an event
    whose story has left the recent ones still joins it."""
    embedder = HashEmbedder()
    settings = _settings(embedder)  # 4 recently active stories kept
    store = open_store(request.getfixturevalue("pg_url") if backend == "postgres" else tmp_path / "s.db")
    try:
        docs = [replace(d, published=None) for d in synthetic_docs(events=12, spacing_days=30)]
        ids = _ingest(store, docs, embedder, settings)
        first_story = store.get_articles([ids[0]])[0].story
        assert first_story in store.cluster_keys_of_stories([first_story]), "its story closed (a row)"
        late = replace(docs[1], origin="late/1", content_key="late1", text=docs[1].text + " Update.")
        _ingest(store, [late], embedder, settings)
        assert store.get_articles([ids[-1] + 1])[0].story == first_story
        assert len(groupings(store)) == 12
    finally:
        store.close()


def test_closed_storylines_leave_memory_and_a_late_story_reopens_its_storyline(tmp_path):
    embedder = HashEmbedder()
    settings = _settings(embedder)
    store = open_store(tmp_path / "s.db")
    docs = synthetic_docs(events=18, spacing_days=60)  # 18 places: no subject returns
    ids = _ingest(store, docs, embedder, settings)
    assert _rows(store).get(STORYLINE, 0) >= 3
    line_of = {s.id: s.storyline for s in store.list_stories()}
    first_line = line_of[store.get_articles([ids[0]])[0].story]
    state = _state(store)
    assert first_line not in state.line_ids.values(), "the first storyline closed"
    late = replace(docs[0], origin="late/0", content_key="late0", text=docs[0].text + " Update.")
    _ingest(store, [late], embedder, settings)
    late_story = store.get_articles([ids[-1] + 1])[0].story
    assert late_story == store.get_articles([ids[0]])[0].story
    assert {s.id: s.storyline for s in store.list_stories()}[late_story] == first_line
    assert len(store.list_storylines()) == len(set(line_of.values()))


def test_state_blob_stays_flat_as_the_stream_grows(tmp_path):
    embedder = HashEmbedder()
    settings = _settings(embedder)
    store = open_store(tmp_path / "s.db")
    sizes = []
    for part in range(4):
        _ingest(store, synthetic_docs(events=15, spacing_days=60, start_event=15 * part), embedder, settings)
        sizes.append(len(store.get_state(STATE_NAME)))
    assert _rows(store)[STORY] > 40
    # four times the stream, the same open window: the blob does not grow with the corpus
    assert max(sizes[1:]) < 1.3 * min(sizes[1:]), sizes
    # a batch writes the rows of the stories it touched, not every open story's
    written = []
    put = store.put_cluster_rows
    store.put_cluster_rows = lambda kind, rows: (written.extend((kind, r[0]) for r in rows), put(kind, rows))
    _ingest(store, synthetic_docs(events=1, per_event=5, start_event=59, spacing_days=60)[4:], embedder, settings)
    assert [kind for kind, _ in written] == [OPEN] and _rows(store)[OPEN] > 3


def _continue_old_stream(store, embedder) -> None:
    """The batch that old_state_continued.json was made with: new events, a late article, a copy."""
    docs = synthetic_docs(events=24)
    more = [store.add_article(d, None, b"").id for d in synthetic_docs(events=6, start_event=24)]
    early = docs[1]
    more.append(store.add_article(replace(early, origin="synthetic/late", content_key="late" + early.content_key[4:],
                                          title=early.title + " update", text=early.text + " Update."), None, b"").id)
    more.append(store.add_article(replace(docs[5], origin="synthetic/copy", content_key="copy" + docs[5].content_key[4:]),
                                  6, b"").id)
    assign(store, more, embedder=embedder)


def test_an_older_single_blob_is_split_and_grouping_goes_on_as_before(tmp_path):
    """old_state.db was grouped by the single-blob engine (main at 79df9b9, batches of 20); going on
    from its blob must give what going on from this version's own state gives, and (while the scorer is
    the one of 79df9b9) what the old engine gave: old_state_continued.json."""
    shutil.copy(DATA / "old_state.db", tmp_path / "old.db")
    store = open_store(tmp_path / "old.db")
    embedder = HashEmbedder()
    old = store.get_state(STATE_NAME)
    assert isinstance(pickle.loads(old).engine.stories.__dict__.get("article_story"), dict)
    _continue_old_stream(store, embedder)
    fresh = open_store(tmp_path / "fresh.db")
    ids = [fresh.add_article(d, None, b"").id for d in synthetic_docs(events=24)]
    for start in range(0, len(ids), 20):
        assign(fresh, ids[start:start + 20], embedder=embedder)
    _continue_old_stream(fresh, embedder)
    assert groupings(store) == groupings(fresh)
    assert storyline_groupings(store) == storyline_groupings(fresh)
    expected = json.loads((DATA / "old_state_continued.json").read_text())
    assert [list(g) for g in groupings(store)] == expected["stories"]
    assert [[list(s) for s in line] for line in storyline_groupings(store)] == expected["storylines"]
    state = _state(store)
    assert state.windowed and not state.engine.stories.article_story
    assert len(store.get_state(STATE_NAME)) < len(old) / 3


def test_an_older_blob_splits_into_rows_when_few_stories_stay_open(tmp_path):
    shutil.copy(DATA / "old_state.db", tmp_path / "old.db")
    store = open_store(tmp_path / "old.db")
    embedder = HashEmbedder()
    settings = _settings(embedder)
    doc = synthetic_docs(events=1, start_event=40)[0]
    assign(store, [store.add_article(doc, None, b"").id], embedder=embedder, settings=settings)
    rows = _rows(store)
    assert rows[STORY] >= 15 and rows.get(STORYLINE, 0) >= 1
    before = groupings(store)
    recluster(store, embedder=embedder, settings=settings)
    assert groupings(store) == before
    assert _rows(store)[STORY] >= 15  # rebuilt from nothing, closed again


def test_recluster_clears_the_rows(tmp_path):
    embedder = HashEmbedder()
    settings = _settings(embedder)
    store = open_store(tmp_path / "s.db")
    _ingest(store, synthetic_docs(events=12, spacing_days=40), embedder, settings)
    before = groupings(store), storyline_groupings(store)
    recluster(store, embedder=embedder, settings=settings)
    assert (groupings(store), storyline_groupings(store)) == before


@pytest.fixture(scope="module")
def pg_cluster():
    """A throwaway PostgreSQL 18 with pgvector (tests/store/embedded_pg.py)."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
    from embedded_pg import EmbeddedPostgres

    server = EmbeddedPostgres().start()
    yield server
    server.stop()


_DATABASES = itertools.count()


@pytest.fixture
def pg_url(pg_cluster):
    """A new database on the throwaway server, one per test."""
    return pg_cluster.create_database(f"cluster_state_{next(_DATABASES)}")


def test_windowed_state_on_postgres_groups_as_on_sqlite(tmp_path, pg_url):
    """The same stream on both stores: rows with pgvector centroids on PostgreSQL, the same groupings."""
    embedder = HashEmbedder()
    settings = _settings(embedder)
    lite = open_store(tmp_path / "lite.db")
    _stream(lite, embedder, settings, 30)
    pg = open_store(pg_url)
    try:
        _stream(pg, embedder, settings, 30)
        assert groupings(pg) == groupings(lite)
        assert storyline_groupings(pg) == storyline_groupings(lite)
        import psycopg
        with psycopg.connect(pg_url) as conn:
            rows = dict(conn.execute("SELECT kind, count(*) FROM cluster_state GROUP BY kind").fetchall())
            with_centroid = conn.execute("SELECT count(*) FROM cluster_state WHERE kind = 'story' "
                                         "AND centroid IS NOT NULL").fetchone()[0]
        assert rows == _rows(lite) and with_centroid == rows[STORY]
        some = next(iter(pg.get_cluster_rows(STORY, range(200))))
        closed = pickle.loads(pg.get_cluster_rows(STORY, [some])[some])[0]
        assert pg.nearest_cluster_stories(closed.vector / np.linalg.norm(closed.vector), 1)[0][0] == some
    finally:
        pg.close()


def _returning_subject(events: int, start: int = 0) -> list:
    """One subject (the place Arlen) returning every 150 days as a new event (its own words):
    each event's story closes after the story window, the storyline stays open for years."""
    import hashlib
    from newsprism.models import CleanDocument

    docs = []
    for e in range(start, start + events):
        tag = " ".join(f"w{e}k{j}z{e * j % 7}" for j in range(8))  # the event's own words
        for i in range(3):
            title = f"Arlen {tag} report {i}"
            text = f"{title}\n\n{tag} {tag} in Arlen, officials said. {tag} Arlen."
            docs.append(CleanDocument(origin=f"wave/{e}/{i}", title=title, text=text, sentences=(), language="en",
                                      source=f"outlet{i}", published=f"{2024 + (150 * e + i) // 365}-"
                                      f"{1 + (150 * e + i) % 365 // 31:02d}-{1 + (150 * e + i) % 365 % 31 % 28:02d}",
                                      content_key=hashlib.sha256(text.encode()).hexdigest()))
    return docs


def test_closed_members_of_a_long_storyline_are_rows_and_the_blob_stays_flat(tmp_path, monkeypatch):
    """The ids, labels and sizes of a long-running storyline's closed stories are "member" rows, not
    blob entries: the blob does not grow with the storyline, and groupings, titles and keywords equal
    those of the blob that keeps them."""
    from newsprism.cluster import state as state_module

    embedder = HashEmbedder()
    settings = _settings(embedder)

    def run(path):
        store = open_store(path)
        sizes = []
        for part in range(3):
            _ingest(store, _returning_subject(12, 12 * part), embedder, settings, batch=6)
            sizes.append(len(store.get_state(STATE_NAME)))
        stories = sorted((tuple(sorted(s.article_ids)), s.title, s.keywords) for s in store.list_stories())
        lines = sorted((s.title, s.keywords, len(s.story_ids)) for s in store.list_storylines())
        return store, sizes, (groupings(store), storyline_groupings(store), stories, lines)

    store, sizes, result = run(tmp_path / "rows.db")
    state = _state(store)
    line, longest = max(state.engine.storylines.line_stories.items(), key=lambda kv: len(kv[1]))
    closed = [s for s in longest if s not in state.engine.stories.stories]
    assert len(closed) > 20, "one storyline holds the closed stories of the returning subject"
    assert set(store.get_cluster_rows(state_module.MEMBER, closed)) == set(closed)
    assert not any(s in state.labels for s in closed), "a batch reads member rows only where it needs them"
    state_module.load_members(store, state, [line])
    assert all(state.labels[s] and state.story_ids[s] and state.sizes[s] for s in closed)
    assert max(sizes) < 1.3 * min(sizes), sizes
    with monkeypatch.context() as m:  # the closed members kept in the blob, as before
        m.setattr(state_module, "save_members", lambda store, state: None)
        old_store, old_sizes, old_result = run(tmp_path / "blob.db")
    assert _rows(old_store).get(state_module.MEMBER, 0) == 0 and old_sizes[-1] > 1.5 * old_sizes[0], old_sizes
    assert result == old_result
