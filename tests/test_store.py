"""SQLiteStore: migrations, round trips, transactions that leave the file consistent."""

import sqlite3

import numpy as np
import pytest

from newsprism.errors import NewerSchemaError, NoDatabaseError, NotFoundError, StoreError
from newsprism.models import CleanDocument, Sentence, Story, Storyline
from newsprism.store import MIGRATIONS, SCHEMA_VERSION, open_store


def doc(key: str, text: str = "Alpha beta. Gamma delta.", **kw) -> CleanDocument:
    sentences = (Sentence(0, 0, 11, text[:11]), Sentence(1, 12, len(text), text[12:]))
    fields = dict(origin=f"{key}.txt", title="Title " + key, text=text, sentences=sentences, language="en",
                  source="Outlet", published="2024-05-08", content_key=key, metadata={"gold": key})
    fields.update(kw)
    return CleanDocument(**fields)


def test_new_file_is_wal_and_migrated(tmp_path):
    store = open_store(tmp_path / "n.db")
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    mode = sqlite3.connect(tmp_path / "n.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()
    # reopening applies nothing twice
    assert open_store(tmp_path / "n.db").applied_migrations() == [name for name, _ in MIGRATIONS]


def test_article_round_trip_keeps_sentences_and_metadata(tmp_path):
    store = open_store(tmp_path / "n.db")
    art = store.add_article(doc("k1"), None, b"\x00" * 8)
    again = store.get_article(art.id)
    assert again == art
    assert [s.text for s in again.sentences] == ["Alpha beta.", "Gamma delta."]
    assert again.metadata == {"gold": "k1"}
    assert store.find_by_content_key("k1") == art.id
    assert store.find_by_content_key("nope") is None
    with pytest.raises(NotFoundError):
        store.get_article(999)


@pytest.mark.parametrize("big", [2**63, -2**63 - 1, 10**22])
def test_ids_beyond_sqlite_integers_are_not_found(tmp_path, big):
    """SQLite binds signed 64-bit integers only: a bigger id raised OverflowError instead of NotFoundError."""
    store = open_store(tmp_path / "n.db")
    store.add_article(doc("k1"), None, b"x")
    for get, what in ((store.get_story, "story"), (store.get_storyline, "storyline"), (store.get_article, "article")):
        with pytest.raises(NotFoundError, match=f"no {what} with id {big}"):
            get(big)
    assert [a.id for a in store.get_articles([1, big])] == [1]


def test_failed_transaction_leaves_nothing_behind(tmp_path):
    store = open_store(tmp_path / "n.db")
    store.add_article(doc("k1"), None, b"x")
    with pytest.raises(sqlite3.IntegrityError):
        store.add_article(doc("k1"), None, b"x")  # same content key: rejected as a whole
    assert store.count_articles() == 1
    assert len(list(store.iter_fingerprints())) == 1


def test_stories_and_storylines_are_derived_from_members(tmp_path):
    store = open_store(tmp_path / "n.db")
    a = store.add_article(doc("a", published="2024-01-02"), None, b"x")
    b = store.add_article(doc("b", published="2024-03-04", source="Other", language="de"), None, b"x")
    sid = store.new_story_id()
    store.save_story(Story(id=sid, title="T", article_ids=(), keywords=("k",), storyline=7))
    store.save_storyline(Storyline(id=7, title="L", story_ids=()))
    store.set_article_stories({a.id: sid, b.id: sid})
    story = store.get_story(sid)
    assert story.article_ids == (a.id, b.id)
    assert story.sources == ("Other", "Outlet") and story.languages == ("de", "en")
    assert (story.first_published, story.last_published) == ("2024-01-02", "2024-03-04")
    line = store.get_storyline(7)
    assert line.story_ids == (sid,) and line.first_published == "2024-01-02"


def test_embeddings_state_and_analysis_cache(tmp_path):
    store = open_store(tmp_path / "n.db")
    store.put_embeddings("m", {1: np.arange(4, dtype=np.float32)})
    assert np.array_equal(store.get_embeddings([1, 2], "m")[1], np.arange(4, dtype=np.float32))
    store.put_state("s", b"abc")
    assert store.get_state("s") == b"abc" and store.get_state("t") is None
    store.put_analysis("story", 1, "full", "fp1", {"x": [1]})
    assert store.get_analysis("story", 1, "full", "fp1") == {"x": [1]}
    assert store.get_analysis("story", 1, "full", "fp2") is None  # stale fingerprint is a miss


def test_not_a_database_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open .* as a newsprism database"):
        open_store(bad)


def test_a_database_that_cannot_be_written_is_a_store_error(tmp_path):
    """Writing to a read-only database raised sqlite3.OperationalError, which reached the user as a traceback."""
    store = open_store(tmp_path / "n.db")
    store.add_article(doc("k1"), None, b"x")
    store._db.execute("PRAGMA query_only = ON")  # SQLite then answers every write as for a read-only file
    with pytest.raises(StoreError, match=r"n\.db: cannot write the database \(attempt to write a readonly database\); "
                                         "make the file"):
        store.add_article(doc("k2"), None, b"x")
    with pytest.raises(StoreError, match="readonly"):
        store.put_state("s", b"x")
    assert not store._db.in_transaction and store.count_articles() == 1
    store._db.execute("PRAGMA query_only = OFF")
    with pytest.raises(sqlite3.IntegrityError):  # other errors pass unchanged
        store.add_article(doc("k1"), None, b"x")


def test_a_missing_file_is_refused_unless_creating(tmp_path):
    with pytest.raises(NoDatabaseError, match="typo.db: no such database"):
        open_store(tmp_path / "typo.db", create=False)
    assert list(tmp_path.iterdir()) == []
    open_store(tmp_path / "typo.db").close()
    open_store(tmp_path / "typo.db", create=False).close()


@pytest.mark.parametrize("name", ["", ":memory:"])
def test_sqlite_temporary_databases_are_refused(name):
    with pytest.raises(StoreError, match="not a database file name"):
        open_store(name)


def record_migration(path, name, sql=""):
    """What another newsprism would leave in the file: a migration applied and recorded."""
    db = sqlite3.connect(path)
    with db:
        if sql:
            db.execute(sql)
        db.execute("INSERT INTO migrations VALUES (?, '2031-01-01T00:00:00+00:00')", (name,))
    db.close()


def test_a_database_of_a_newer_schema_is_refused_untouched(tmp_path):
    """A migration this code does not know used to be ignored: the database opened with no warning."""
    path = tmp_path / "n.db"
    open_store(path).close()
    assert SCHEMA_VERSION == len(MIGRATIONS)
    record_migration(path, f"{SCHEMA_VERSION + 2:04d}_future_things")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError) as caught:
        open_store(path)
    assert str(caught.value) == (f"{path}: made by a newer newsprism (schema {SCHEMA_VERSION + 2}, this version "
                                 f"knows up to {SCHEMA_VERSION}); upgrade newsprism")
    assert path.read_bytes() == before


def test_a_database_of_another_branch_is_refused(tmp_path):
    path = tmp_path / "n.db"
    open_store(path).close()
    record_migration(path, "0002_other_groups")
    with pytest.raises(StoreError, match="made by another newsprism .*'0002_other_groups'") as caught:
        open_store(path)
    assert not isinstance(caught.value, NewerSchemaError)


def test_tables_of_another_schema_are_a_store_error(tmp_path):
    """A column gone (renamed by hand, or by a newsprism that did not record it) was an OperationalError."""
    path = tmp_path / "n.db"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE articles RENAME COLUMN title TO headline")
    db.close()
    store = open_store(path)
    with pytest.raises(StoreError, match=r"n\.db: its tables are not the ones this newsprism knows \(no such column"):
        list(store.iter_articles())
    with pytest.raises(StoreError, match="has no column named title"):
        store.add_article(doc("k1"), None, b"x")
