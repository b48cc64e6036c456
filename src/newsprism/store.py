"""Storage behind one interface: SQLite now, another engine later.

``Store`` is the Protocol every stage and front end uses; ``SQLiteStore`` implements it on one file
in WAL mode with named, transactional migrations. A single ``threading.Lock`` serialises writes
(one writer), readers use the same connection under the lock, which is plenty for a laptop tool;
the web server opens one store per process.

Crash safety: each article is written in its own transaction together with its fingerprint, so an
interrupted ingest leaves only whole articles behind and re-running it skips what is stored.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # numpy is imported where vectors are read or written: listing commands start faster
    import numpy as np

from .errors import NewerSchemaError, NoDatabaseError, NotFoundError, StoreError
from .models import Article, CleanDocument, Sentence, Story, Storyline
from .store_cluster import ClusterRow, SQLiteClusterRows

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the writer lock then only covers one process
    fcntl = None  # type: ignore[assignment]

DEFAULT_DB = "newsprism.db"
# The writer lock (``SQLiteStore.writer_lock``) is an flock on this file beside the database: one
# process at a time stores and groups, since duplicate detection and grouping read what is stored
# and the clusterer state is read, extended and written back whole. SQLite's own lock cannot be held
# that long (another writer gives up after busy_timeout); the OS drops an flock with its process.
WRITER_LOCK_SUFFIX = ".lock"
# SQLite's integers (row ids included) are signed 64-bit: a larger id names nothing stored.
SQLITE_INT_RANGE = (-2**63, 2**63 - 1)
# SQLite result codes that mean the file cannot be written, with what to do about it. Busy and locked
# databases are not among them: they are another writer's, not the file's, problem.
WRITE_PROBLEMS: dict[int, str] = {
    sqlite3.SQLITE_READONLY: "make the file and its directory writable, or copy it somewhere writable",
    sqlite3.SQLITE_FULL: "free some disk space and run the command again",
    sqlite3.SQLITE_CANTOPEN: "make the directory of the file writable (SQLite keeps its journal beside it)",
    sqlite3.SQLITE_IOERR: "check the disk the file is on",
}
# How SQLite words a query over tables or columns that are not there (another schema than ours).
SCHEMA_MISMATCH = re.compile(r"no such (table|column)|table \S+ has no column named")
# Names SQLite takes for a temporary database instead of a file: whatever is written vanishes on exit.
TRANSIENT_DB_NAMES = ("", ":memory:")
SEARCH_CHARS = 200  # a search text is cut here (the web UI's query box has the same cap)
TEXT_KEY_BYTES = 16  # length of ``embed.text_key``: the stored key of an analysis text's vector

# Named migrations, applied in order, each once, each in its own transaction.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            content_key TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            sentences TEXT NOT NULL,
            language TEXT,
            source TEXT,
            published TEXT,
            author TEXT,
            external_id TEXT,
            duplicate_of INTEGER REFERENCES articles(id),
            story INTEGER,
            ingested_at TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX articles_story ON articles(story);
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_external_id ON articles(external_id);
        CREATE TABLE fingerprints (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            minhash BLOB NOT NULL
        );
        CREATE TABLE source_lines (
            source TEXT NOT NULL,
            line_hash TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (source, line_hash)
        );
        """,
    ),
    (
        "0002_groups",
        """
        CREATE TABLE embeddings (
            article_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, model)
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]',
            storyline INTEGER
        );
        CREATE INDEX stories_storyline ON stories(storyline);
        CREATE TABLE storylines (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE state (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE analyses (
            scope TEXT NOT NULL,
            scope_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (scope, scope_id, kind)
        );
        """,
    ),
    (
        # which stored articles carry each short line, so that a line which only later turns out
        # to be a source's repeated furniture can be removed from the articles stored before
        "0003_source_line_articles",
        """
        CREATE TABLE source_line_articles (
            source TEXT NOT NULL,
            line_hash TEXT NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (source, line_hash, article_id)
        );
        """,
    ),
    (
        # per-article features: the vectors of every text an article's analyses embed (sentences,
        # claim cores), computed once at ingest; keyed by a hash of the text, so a re-cleaned
        # article only needs the texts that changed
        "0004_text_vectors",
        """
        CREATE TABLE text_vectors (
            article_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            keys BLOB NOT NULL,
            vectors BLOB NOT NULL,
            PRIMARY KEY (article_id, model)
        );
        """,
    ),
    (
        # the clusterer's closed stories and storylines, one row each (cluster.engine keeps only the
        # open ones in its state blob): key = its story / storyline index, the days it spans, a story's
        # stored id and unit centroid (float32) for finding it again, and the pickled record
        "0005_cluster_state",
        """
        CREATE TABLE cluster_state (
            kind TEXT NOT NULL,
            key INTEGER NOT NULL,
            story_id INTEGER,
            first_day INTEGER,
            last_day INTEGER,
            centroid BLOB,
            value BLOB NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE INDEX cluster_state_days ON cluster_state(kind, first_day, last_day);
        CREATE INDEX cluster_state_story ON cluster_state(story_id);
        """,
    ),
    (
        # PostgreSQL indexes the stories for full-text search here; SQLite searches titles and keywords
        # by substring (``search_stories``): nothing to make, the name keeps the two schemas in step
        "0006_story_search",
        "SELECT 1",
    ),
)



def schema_number(migration: str) -> int | None:
    """The schema version a migration brings a database to: the number its name starts with."""
    head = migration.split("_", 1)[0]
    return int(head) if head.isdigit() else None


# The schema this code writes and reads; a database with a later migration is refused.
SCHEMA_VERSION = max(schema_number(name) or 0 for name, _ in MIGRATIONS)


class Store(Protocol):
    """What newsprism needs from a database. Implementations: ``SQLiteStore``."""

    def find_by_content_key(self, key: str) -> int | None: ...
    def add_article(self, doc: CleanDocument, duplicate_of: int | None, minhash: bytes) -> Article: ...
    def get_article(self, article_id: int) -> Article: ...
    def get_articles(self, ids: Iterable[int]) -> list[Article]: ...
    def iter_articles(self) -> Iterator[Article]: ...
    def count_articles(self) -> int: ...
    def repoint_duplicates(self, old_canonical: int, new_canonical: int) -> None: ...
    def duplicate_links(self) -> dict[int, int]: ...
    def iter_fingerprints(self) -> Iterator[tuple[int, bytes]]: ...
    def source_line_counts(self, source: str, hashes: Sequence[str]) -> dict[str, int]: ...
    def add_source_lines(self, source: str, hashes: Iterable[str], article_id: int | None = None) -> None: ...
    def articles_with_lines(self, source: str, hashes: Sequence[str]) -> list[int]: ...
    def ungrouped_article_ids(self) -> list[int]: ...
    def update_article_text(self, article: Article) -> None: ...
    def get_embeddings(self, ids: Sequence[int], model: str) -> dict[int, np.ndarray]: ...
    def put_embeddings(self, model: str, vectors: dict[int, np.ndarray]) -> None: ...
    def get_text_vectors(self, ids: Sequence[int], model: str) -> dict[int, dict[bytes, np.ndarray]]: ...
    def put_text_vectors(self, model: str, vectors: dict[int, dict[bytes, np.ndarray]]) -> None: ...
    def set_article_stories(self, assignment: dict[int, int | None]) -> None: ...
    def save_story(self, story: Story) -> None: ...
    def delete_stories(self, ids: Iterable[int]) -> None: ...
    def new_story_id(self) -> int: ...
    def get_story(self, story_id: int) -> Story: ...
    def list_stories(self) -> list[Story]: ...
    def save_storyline(self, storyline: Storyline) -> None: ...
    def delete_storylines(self, ids: Iterable[int]) -> None: ...
    def new_storyline_id(self) -> int: ...
    def get_storyline(self, storyline_id: int) -> Storyline: ...
    def list_storylines(self) -> list[Storyline]: ...
    def get_state(self, name: str) -> bytes | None: ...
    def put_state(self, name: str, value: bytes) -> None: ...
    def get_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str) -> Any | None: ...
    def put_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str, value: Any) -> None: ...
    def transaction(self) -> AbstractContextManager[Any]: ...
    def writer_lock(self) -> AbstractContextManager[None]: ...
    def delete_empty_groups(self) -> tuple[list[int], list[int]]: ...
    def search_stories(self, text: str) -> set[int]: ...
    def put_cluster_rows(self, kind: str, rows: Sequence[ClusterRow]) -> None: ...
    def get_cluster_rows(self, kind: str, keys: Iterable[int]) -> dict[int, bytes]: ...
    def cluster_rows_between(self, kind: str, first_day: int, last_day: int) -> dict[int, bytes]: ...
    def cluster_rows_of_kind(self, kind: str) -> dict[int, bytes]: ...
    def cluster_keys_of_stories(self, story_ids: Iterable[int]) -> dict[int, int]: ...
    def delete_cluster_rows(self, kind: str, keys: Iterable[int]) -> None: ...
    def clear_cluster_rows(self) -> None: ...
    def nearest_cluster_stories(self, vector: np.ndarray, limit: int, *,
                                undated: bool = False) -> list[tuple[int, float]]: ...
    def nearest_cluster_stories_many(self, vectors: Sequence[np.ndarray], limit: int, *,
                                     undated: bool = False) -> list[list[tuple[int, float]]]: ...
    def close(self) -> None: ...


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_int64(value: int) -> bool:
    """Whether SQLite can bind ``value`` (a bigger Python int raises ``OverflowError``)."""
    return SQLITE_INT_RANGE[0] <= value <= SQLITE_INT_RANGE[1]


def _sentences_to_json(sentences: Sequence[Sentence]) -> str:
    return json.dumps([[s.start, s.end] for s in sentences])


def _sentences_from_json(text: str, raw: str) -> tuple[Sentence, ...]:
    return tuple(Sentence(i, a, b, text[a:b]) for i, (a, b) in enumerate(json.loads(raw)))


def pack_text_vectors(by_key: dict[bytes, np.ndarray]) -> tuple[bytes, bytes]:
    """One article's analysis-text vectors as stored: (the text keys joined, the float32 rows)."""
    import numpy as np

    keys = list(by_key)
    return b"".join(keys), np.asarray([by_key[k] for k in keys], dtype=np.float32).tobytes()


def unpack_text_vectors(keys: bytes, blob: bytes) -> dict[bytes, np.ndarray]:
    """The inverse of ``pack_text_vectors``."""
    import numpy as np

    rows = np.frombuffer(blob, dtype=np.float32).reshape(len(keys) // TEXT_KEY_BYTES, -1)
    return {keys[i * TEXT_KEY_BYTES:(i + 1) * TEXT_KEY_BYTES]: rows[i].copy() for i in range(len(rows))}


def check_path(path: str | Path) -> str:
    """``path`` as a string, or ``StoreError`` when SQLite would not keep it in a file."""
    text = str(path)
    if text in TRANSIENT_DB_NAMES:
        raise StoreError(f"{text!r}: not a database file name (SQLite would keep the database in memory "
                         "and lose it on exit); pass a file path, e.g. --db newsprism.db")
    return text


class SQLiteStore(SQLiteClusterRows):
    """``Store`` on one SQLite file (WAL, foreign keys on, migrations recorded).

    With ``create=False`` a file that does not exist is refused (``NoDatabaseError``), not created."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = check_path(path)
        if not create and not Path(self.path).exists():
            raise NoDatabaseError(f"{self.path}: no such database; ingest something first or check --db")
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path} as a newsprism database ({exc}); "
                             "pass another --db path or check its permissions") from exc
        self._lock = threading.RLock()
        self._writer = threading.RLock()
        self._writer_depth = 0
        self._writer_file: Any = None
        self._migrate()

    # --------------------------------------------------------------------------- plumbing
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error so the file stays consistent. A file that
        cannot be written (read-only, disk full) or tables of another schema raise ``StoreError``;
        other SQLite errors (a busy database, a broken constraint) pass as they are. Inside another
        transaction of this store it is part of that one (committed or rolled back with it)."""
        with self._lock:
            if self._db.in_transaction:
                yield self._db
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:  # SQLite may have rolled back already
                        self._db.execute("ROLLBACK")
                    raise
                else:
                    self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                error = self._store_error(exc, writing=True)
                if error is None:
                    raise
                raise error from exc

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Be the only writer of this database's articles and groupings until the block ends (other
        processes and threads wait; see WRITER_LOCK_SUFFIX). Re-entrant in one thread."""
        with self._writer:
            if not self._writer_depth:
                self._writer_file = self._lock_file()
            self._writer_depth += 1
            try:
                yield
            finally:
                self._writer_depth -= 1
                if not self._writer_depth:
                    self._writer_file.close()  # releases the flock
                    self._writer_file = None

    def _lock_file(self) -> Any:
        path = self.path + WRITER_LOCK_SUFFIX
        try:
            handle = open(path, "ab")
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the writer lock beside the database ({exc.strerror}); "
                             "make the directory of the database writable") from exc
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        return handle

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                error = self._store_error(exc, writing=False)
                if error is None:
                    raise
                raise error from exc

    def _store_error(self, exc: sqlite3.OperationalError, *, writing: bool) -> StoreError | None:
        """The ``StoreError`` an SQLite error means for the user, or None to let it pass as it is."""
        if SCHEMA_MISMATCH.match(str(exc)):
            return StoreError(f"{self.path}: its tables are not the ones this newsprism knows ({exc}); it was "
                              "made by another version of newsprism or changed by hand: pass another --db path")
        fix = WRITE_PROBLEMS.get(exc.sqlite_errorcode & 0xFF) if writing else None  # primary of an extended code
        return StoreError(f"{self.path}: cannot write the database ({exc}); {fix}") if fix else None

    def _migrate(self) -> None:
        try:
            with self.transaction() as db:
                db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in self._query("SELECT name FROM migrations")}
            self._refuse_unknown(done)
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                with self.transaction() as db:
                    for statement in sql.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {self.path} as a newsprism database ({exc}); pass another --db path") from exc

    def _refuse_unknown(self, applied: set[str]) -> None:
        """A migration this code does not know means another newsprism changed the tables: reading them
        would fail half way (or worse, write rows it cannot read), so nothing is touched."""
        unknown = sorted(applied - {name for name, _ in MIGRATIONS})
        if not unknown:
            return
        newest = max((n for n in map(schema_number, unknown) if n is not None), default=None)
        if newest is not None and newest > SCHEMA_VERSION:
            raise NewerSchemaError(f"{self.path}: made by a newer newsprism (schema {newest}, this version knows "
                                   f"up to {SCHEMA_VERSION}); upgrade newsprism")
        raise StoreError(f"{self.path}: made by another newsprism (unknown schema step {unknown[0]!r}; this "
                         f"version knows up to {SCHEMA_VERSION}); open it with the newsprism that made it")

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self._query("SELECT name FROM migrations ORDER BY name")]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --------------------------------------------------------------------------- articles
    _ARTICLE_COLUMNS = (
        "id, origin, title, text, sentences, language, source, published, url, author, "
        "external_id, content_key, duplicate_of, story, ingested_at, metadata"
    )

    @staticmethod
    def _article(row: Sequence[Any]) -> Article:
        (aid, origin, title, text, sentences, language, source, published, url, author,
         external_id, key, duplicate_of, story, ingested_at, metadata) = row
        return Article(
            id=aid, origin=origin, title=title, text=text, sentences=_sentences_from_json(text, sentences),
            language=language, source=source, published=published, url=url, author=author,
            external_id=external_id, content_key=key, duplicate_of=duplicate_of, story=story,
            ingested_at=ingested_at, metadata=json.loads(metadata),
        )

    def find_by_content_key(self, key: str) -> int | None:
        rows = self._query("SELECT id FROM articles WHERE content_key = ?", (key,))
        return rows[0][0] if rows else None

    def add_article(self, doc: CleanDocument, duplicate_of: int | None, minhash: bytes) -> Article:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO articles (content_key, origin, url, title, text, sentences, language, source, "
                "published, author, external_id, duplicate_of, ingested_at, metadata) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.content_key, doc.origin, doc.url, doc.title, doc.text, _sentences_to_json(doc.sentences),
                 doc.language, doc.source, doc.published, doc.author, doc.external_id, duplicate_of, _now(),
                 json.dumps(doc.metadata, default=str, ensure_ascii=False)),
            )
            article_id = int(cur.lastrowid or 0)
            db.execute("INSERT INTO fingerprints VALUES (?, ?)", (article_id, minhash))
        return self.get_article(article_id)

    def get_article(self, article_id: int) -> Article:
        rows = self._query(f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id = ?",
                           (article_id,)) if _is_int64(article_id) else []
        if not rows:
            raise NotFoundError(f"no article with id {article_id}; list them with `newsprism articles`")
        return self._article(rows[0])

    def get_articles(self, ids: Iterable[int]) -> list[Article]:
        wanted = [i for i in dict.fromkeys(int(i) for i in ids) if _is_int64(i)]
        found: dict[int, Article] = {}
        for chunk_start in range(0, len(wanted), 500):
            chunk = wanted[chunk_start:chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._query(f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                found[row[0]] = self._article(row)
        return [found[i] for i in wanted if i in found]

    def iter_articles(self) -> Iterator[Article]:
        last = 0
        while True:
            rows = self._query(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id > ? ORDER BY id LIMIT 1000", (last,))
            if not rows:
                return
            for row in rows:
                yield self._article(row)
            last = rows[-1][0]

    def count_articles(self) -> int:
        return int(self._query("SELECT count(*) FROM articles")[0][0])

    def repoint_duplicates(self, old_canonical: int, new_canonical: int) -> None:
        """Make ``new_canonical`` the copy every member of ``old_canonical``'s group points to."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET duplicate_of = ? WHERE (duplicate_of = ? OR id = ?) AND id != ?",
                       (new_canonical, old_canonical, old_canonical, new_canonical))
            db.execute("UPDATE articles SET duplicate_of = NULL WHERE id = ?", (new_canonical,))

    def duplicate_links(self) -> dict[int, int]:
        return {int(a): int(b) for a, b in self._query(
            "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")}

    def iter_fingerprints(self) -> Iterator[tuple[int, bytes]]:
        for row in self._query("SELECT article_id, minhash FROM fingerprints ORDER BY article_id"):
            yield int(row[0]), bytes(row[1])

    def source_line_counts(self, source: str, hashes: Sequence[str]) -> dict[str, int]:
        if not hashes:
            return {}
        marks = ",".join("?" * len(hashes))
        rows = self._query(
            f"SELECT line_hash, articles FROM source_lines WHERE source = ? AND line_hash IN ({marks})",
            (source, *hashes))
        return {row[0]: int(row[1]) for row in rows}

    def add_source_lines(self, source: str, hashes: Iterable[str], article_id: int | None = None) -> None:
        hashes = sorted(set(hashes))
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO source_lines VALUES (?, ?, 1) "
                "ON CONFLICT(source, line_hash) DO UPDATE SET articles = articles + 1",
                [(source, h) for h in hashes])
            if article_id is not None:
                db.executemany("INSERT OR IGNORE INTO source_line_articles VALUES (?, ?, ?)",
                               [(source, h, article_id) for h in hashes])

    def articles_with_lines(self, source: str, hashes: Sequence[str]) -> list[int]:
        """Ids of the stored articles of ``source`` that carry any of the lines ``hashes``."""
        found: set[int] = set()
        hashes = list(hashes)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(int(row[0]) for row in self._query(
                f"SELECT article_id FROM source_line_articles WHERE source = ? AND line_hash IN ({marks})",
                (source, *chunk)))
        return sorted(found)

    def ungrouped_article_ids(self) -> list[int]:
        """Articles stored without a story (grouping was interrupted, or ingest ran without it)."""
        return [int(row[0]) for row in self._query("SELECT id FROM articles WHERE story IS NULL ORDER BY id")]

    def update_article_text(self, article: Article) -> None:
        """Store a re-cleaned text (with its sentences and metadata) of an existing article."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET text = ?, sentences = ?, metadata = ? WHERE id = ?",
                       (article.text, _sentences_to_json(article.sentences),
                        json.dumps(article.metadata, default=str, ensure_ascii=False), article.id))

    # --------------------------------------------------------------------------- embeddings
    def get_embeddings(self, ids: Sequence[int], model: str) -> dict[int, np.ndarray]:
        import numpy as np

        out: dict[int, np.ndarray] = {}
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, blob in self._query(
                    f"SELECT article_id, vector FROM embeddings WHERE model = ? AND article_id IN ({marks})",
                    (model, *chunk)):
                out[int(aid)] = np.frombuffer(blob, dtype=np.float32).copy()
        return out

    def put_embeddings(self, model: str, vectors: dict[int, np.ndarray]) -> None:
        import numpy as np

        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(aid, model, np.asarray(vec, dtype=np.float32).tobytes()) for aid, vec in vectors.items()])

    def get_text_vectors(self, ids: Sequence[int], model: str) -> dict[int, dict[bytes, np.ndarray]]:
        """Per article, the stored vectors of its analysis texts by text key (``embed.text_key``)."""
        out: dict[int, dict[bytes, np.ndarray]] = {}
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, keys, blob in self._query(
                    f"SELECT article_id, keys, vectors FROM text_vectors WHERE model = ? AND article_id IN ({marks})",
                    (model, *chunk)):
                out[int(aid)] = unpack_text_vectors(bytes(keys), bytes(blob))
        return out

    def put_text_vectors(self, model: str, vectors: dict[int, dict[bytes, np.ndarray]]) -> None:
        """Store (replace) the analysis-text vectors of each article, one row per article."""
        rows = [(aid, model, *pack_text_vectors(by_key)) for aid, by_key in vectors.items()]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO text_vectors VALUES (?, ?, ?, ?)", rows)

    # --------------------------------------------------------------------------- stories
    def set_article_stories(self, assignment: dict[int, int | None]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE articles SET story = ? WHERE id = ?",
                           [(story, aid) for aid, story in assignment.items()])

    def new_story_id(self) -> int:
        return int(self._query("SELECT coalesce(max(id), 0) + 1 FROM stories")[0][0])

    def save_story(self, story: Story) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO stories (id, title, keywords, storyline) VALUES (?, ?, ?, ?)",
                       (story.id, story.title, json.dumps(list(story.keywords), ensure_ascii=False),
                        story.storyline))

    def delete_stories(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in ids])

    def _story_members(self, story_ids: Sequence[int] | None) -> dict[int, list[tuple[Any, ...]]]:
        sql = "SELECT story, id, source, language, published FROM articles WHERE story IS NOT NULL"
        params: tuple[Any, ...] = ()
        if story_ids is not None:
            sql += f" AND story IN ({','.join('?' * len(story_ids))})"
            params = tuple(story_ids)
        members: dict[int, list[tuple[Any, ...]]] = {}
        for story, aid, source, language, published in self._query(sql + " ORDER BY id", params):
            members.setdefault(int(story), []).append((aid, source, language, published))
        return members

    @staticmethod
    def _story(row: Sequence[Any], members: list[tuple[Any, ...]]) -> Story:
        sid, title, keywords, storyline = row
        dates = sorted(p for _, _, _, p in members if p)
        return Story(
            id=sid, title=title, keywords=tuple(json.loads(keywords)), storyline=storyline,
            article_ids=tuple(a for a, _, _, _ in members),
            sources=tuple(sorted({s for _, s, _, _ in members if s})),
            languages=tuple(sorted({lang for _, _, lang, _ in members if lang})),
            first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
        )

    def get_story(self, story_id: int) -> Story:
        rows = self._query("SELECT id, title, keywords, storyline FROM stories WHERE id = ?",
                           (story_id,)) if _is_int64(story_id) else []
        if not rows:
            raise NotFoundError(f"no story with id {story_id}; list them with `newsprism stories`")
        return self._story(rows[0], self._story_members([story_id]).get(story_id, []))

    def list_stories(self) -> list[Story]:
        members = self._story_members(None)
        rows = self._query("SELECT id, title, keywords, storyline FROM stories ORDER BY id")
        return [self._story(row, members.get(row[0], [])) for row in rows]

    def search_stories(self, text: str) -> set[int]:
        """Ids of the stories whose title and keywords contain every word of ``text`` (case-folded
        substrings; PostgreSQL's store searches whole words with its full-text index instead)."""
        words = text[:SEARCH_CHARS].casefold().split()
        if not words:
            return set()
        return {int(sid) for sid, title, keywords in self._query("SELECT id, title, keywords FROM stories")
                if all(w in f"{title} {' '.join(json.loads(keywords or '[]'))}".casefold() for w in words)}

    # --------------------------------------------------------------------------- storylines
    def new_storyline_id(self) -> int:
        return int(self._query("SELECT coalesce(max(id), 0) + 1 FROM storylines")[0][0])

    def save_storyline(self, storyline: Storyline) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO storylines (id, title, keywords) VALUES (?, ?, ?)",
                       (storyline.id, storyline.title, json.dumps(list(storyline.keywords), ensure_ascii=False)))

    def delete_storylines(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM storylines WHERE id = ?", [(i,) for i in ids])

    def _storylines(self, where: str, params: Sequence[Any]) -> list[Storyline]:
        stories: dict[int, list[Story]] = {}
        for story in self.list_stories():
            if story.storyline is not None:
                stories.setdefault(story.storyline, []).append(story)
        out = []
        for sid, title, keywords in self._query(f"SELECT id, title, keywords FROM storylines {where} ORDER BY id",
                                                params):
            members = stories.get(sid, [])
            firsts = sorted(s.first_published for s in members if s.first_published)
            lasts = sorted(s.last_published for s in members if s.last_published)
            out.append(Storyline(id=sid, title=title, keywords=tuple(json.loads(keywords)),
                                 story_ids=tuple(s.id for s in members),
                                 first_published=firsts[0] if firsts else None,
                                 last_published=lasts[-1] if lasts else None))
        return out

    def get_storyline(self, storyline_id: int) -> Storyline:
        found = self._storylines("WHERE id = ?", (storyline_id,)) if _is_int64(storyline_id) else []
        if not found:
            raise NotFoundError(f"no storyline with id {storyline_id}; list them with `newsprism storylines`")
        return found[0]

    def list_storylines(self) -> list[Storyline]:
        return self._storylines("", ())

    def delete_empty_groups(self) -> tuple[list[int], list[int]]:
        """Delete the stories without articles, then the storylines without stories; returns their ids
        (stories, storylines). Called in the transaction that regroups, none is ever left behind."""
        with self.transaction() as db:
            stories = [int(row[0]) for row in db.execute(
                "SELECT id FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles WHERE story = stories.id)")]
            db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in stories])
            lines = [int(row[0]) for row in db.execute(
                "SELECT id FROM storylines WHERE NOT EXISTS "
                "(SELECT 1 FROM stories WHERE storyline = storylines.id)")]
            db.executemany("DELETE FROM storylines WHERE id = ?", [(i,) for i in lines])
        return stories, lines

    # --------------------------------------------------------------------------- state and caches
    def get_state(self, name: str) -> bytes | None:
        rows = self._query("SELECT value FROM state WHERE name = ?", (name,))
        return bytes(rows[0][0]) if rows else None

    def put_state(self, name: str, value: bytes) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))

    def get_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str) -> Any | None:
        rows = self._query("SELECT fingerprint, value FROM analyses WHERE scope = ? AND scope_id = ? AND kind = ?",
                           (scope, scope_id, kind))
        if rows and rows[0][0] == fingerprint:
            return json.loads(rows[0][1])
        return None

    def put_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?)",
                       (scope, scope_id, kind, fingerprint, json.dumps(value, ensure_ascii=False, default=str)))


def open_store(path: str | Path = DEFAULT_DB, *, create: bool = True) -> SQLiteStore:
    """Open (and migrate) the database at ``path``; create it unless ``create`` is False, in which
    case a missing file raises ``NoDatabaseError`` and nothing is written to disk. A ``postgresql://``
    URL opens a ``store_postgres.PostgresStore`` on that server instead (extra ``newsprism[postgres]``)."""
    if isinstance(path, str) and path.lower().startswith(("postgresql://", "postgres://")):
        try:
            from .store_postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(f"a PostgreSQL --db needs psycopg and pgvector ({exc}); install them with "
                             "pip install 'newsprism[postgres]'") from exc
        return PostgresStore(path, create=create)  # type: ignore[return-value]  # same Store protocol
    return SQLiteStore(path, create=create)


def record_to_json(record: Any) -> Any:
    """A record as plain JSON-ready data (dataclasses become dicts)."""
    return asdict(record)
