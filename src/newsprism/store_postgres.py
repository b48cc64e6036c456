"""``Store`` on a PostgreSQL server (psycopg 3 + pgvector): one database for a team.

``open_store`` picks this store for a ``postgresql://`` URL (``--db`` or ``NEWSPRISM_DB``). It keeps
the rows ``SQLiteStore`` keeps, under the same named migrations (``store_postgres_schema``), and gives
the same records back; article vectors live in a pgvector column with an HNSW index per model, the
clusterer's closed-story centroids in another (``cluster_state``), and the web UI's story search runs on
a full-text index of story titles and keywords (``search_stories``, ``websearch_to_tsquery``).

Connections. Writes go through one connection, serialised by a lock, in autocommit mode outside
``transaction()`` (each write method is its own transaction, as in SQLite). Reads from threads that
are not inside that transaction use a small pool of reader connections (``MAX_READERS``), each read
in one REPEATABLE READ snapshot, so the web UI's request threads read in parallel and neither wait for
an ingest's transaction nor see half of it. (The attributes are not named ``_db``/``_query``: the web
layer takes a store with those for an SQLite one and runs SQLite's SQL on it.)

Concurrency across processes. ``writer_lock`` is a session-level advisory lock held by a third
connection: one process at a time stores and groups (duplicate detection and grouping read what is
stored). The server drops the lock with the connection when the process dies. Migrations run under
a transaction-level advisory lock, so two processes opening a fresh database apply each once.

Errors. Every psycopg error becomes a one-line ``StoreError`` naming the server (user, host, port and
database, never the password) with what to do; the CLI prints it as ``error: ...``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy as np
import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Json
from pgvector.psycopg import register_vector

from . import store_postgres_schema as schema
from .errors import NewerSchemaError, NoDatabaseError, NotFoundError, StoreError
from .models import Article, CleanDocument, Sentence, Story, Storyline
from .store import MIGRATIONS as SQLITE_MIGRATIONS
from .store_cluster import ClusterRow
from .store import SEARCH_CHARS, SCHEMA_VERSION, SQLITE_INT_RANGE, _now, pack_text_vectors, schema_number, unpack_text_vectors

URL_PREFIXES = ("postgresql://", "postgres://")
MIN_SERVER_VERSION = 150000  # PostgreSQL 15 (server_version_num): the oldest we test against
MIN_PGVECTOR = (0, 5)  # HNSW indexes arrived in pgvector 0.5
CONNECT_TIMEOUT_S = 10
# Advisory lock keys (any fixed 64-bit numbers; they only have to differ from other applications'):
# the first eight bytes of a hash of a name that says what they guard.
WRITER_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"newsprism writer").digest()[:8], "big", signed=True)
MIGRATION_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"newsprism migrations").digest()[:8], "big", signed=True)
# Reader connections a store opens at most: the web UI's request threads read in parallel up to this
# many, the others wait for one (a server allows about 100 connections in all by default).
MAX_READERS = 4
# Above this many rows, vectors are loaded with COPY into a staging table, then merged in one statement.
COPY_MIN_ROWS = 64

_dumps = partial(json.dumps, ensure_ascii=False, default=str)


def is_postgres_url(path: object) -> bool:
    """Whether ``--db`` names a PostgreSQL database (a ``postgresql://`` URL) rather than a file."""
    return isinstance(path, str) and path.lower().startswith(URL_PREFIXES)


def server_name(url: str) -> str:
    """``postgresql://user@host:port/db``: the URL as messages may show it (no password, no options)."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"--db: not a valid PostgreSQL URL ({_first_line(exc)}); "
                         "write it as postgresql://user:password@host:port/database") from exc
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or 'localhost'}{port}/{info.get('dbname') or ''}"


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _in_int64(value: int) -> bool:
    return SQLITE_INT_RANGE[0] <= value <= SQLITE_INT_RANGE[1]  # PostgreSQL's bigint has the same range


def _vector(value: Any) -> np.ndarray:
    array = value.to_numpy() if hasattr(value, "to_numpy") else value
    return np.asarray(array, dtype=np.float32).copy()


class PostgresStore:
    """``Store`` on a PostgreSQL database (>= 15 with pgvector >= 0.5), given as a URL.

    With ``create=False`` a database without newsprism's tables is refused (``NoDatabaseError``) and
    nothing is written to it. The database itself must exist: newsprism makes tables, not databases."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.path = server_name(url)  # the name in messages (``SQLiteStore.path`` is its file name)
        self._url = url
        self._lock = threading.RLock()  # the write connection and the transaction depth
        self._owner: int | None = None  # thread inside ``transaction()``
        self._idle_readers: list[psycopg.Connection] = []  # reader connections not in use
        self._readers_lock = threading.Lock()
        self._reader_slots = threading.BoundedSemaphore(MAX_READERS)
        self._local = threading.local()  # .reader: the connection this thread's read block uses
        self._writer = threading.RLock()
        self._writer_depth = 0
        self._lock_conn: psycopg.Connection | None = None
        self._indexed: set[tuple[str, int]] = set()  # (model, dim) whose HNSW index exists
        self._conn = self._connect()
        with self._translated("open the database"):
            self._check_server()
            exists = self._conn.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()[0]
            if not exists and not create:
                self._conn.close()
                raise NoDatabaseError(f"{self.path}: no newsprism tables in this database; ingest something "
                                      "first or check --db")
            self._check_vector_extension()
            self._migrate()
            register_vector(self._conn)

    # --------------------------------------------------------------------------- plumbing
    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                   application_name="newsprism")
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect to the PostgreSQL server ({_first_line(exc)}); check "
                             "that it is running and reachable, and the URL given in --db or NEWSPRISM_DB") from exc
        return conn

    def _error(self, exc: psycopg.Error, doing: str) -> StoreError:
        """The one-line ``StoreError`` a psycopg error means for the user."""
        detail = _first_line(exc)
        if isinstance(exc, (pg_errors.UndefinedTable, pg_errors.UndefinedColumn)):
            return StoreError(f"{self.path}: its tables are not the ones this newsprism knows ({detail}); they "
                              "were made by another version of newsprism or changed by hand: pass another --db")
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            fix = "grant the database user the rights it needs on this database, or pass another user in --db"
        elif isinstance(exc, (pg_errors.DiskFull, pg_errors.ReadOnlySqlTransaction)):
            fix = "the server cannot take writes now; ask its administrator"
        elif isinstance(exc, psycopg.OperationalError):
            fix = "the connection to the server failed; check that it is running and run the command again"
        else:
            fix = "run the command again; if it fails again, report it with this message"
        return StoreError(f"{self.path}: cannot {doing} ({detail}); {fix}")

    @contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            raise self._error(exc, doing) from exc

    def _check_server(self) -> None:
        version = self._conn.info.server_version
        if version < MIN_SERVER_VERSION:
            raise StoreError(f"{self.path}: PostgreSQL {version // 10000} is too old; newsprism needs "
                             f"PostgreSQL {MIN_SERVER_VERSION // 10000} or newer with pgvector")

    def _check_vector_extension(self) -> None:
        row = self._conn.execute("SELECT extversion FROM pg_extension WHERE extname = %s",
                               (schema.VECTOR_EXTENSION,)).fetchone()
        if row is None:
            self._create_vector_extension()
            row = self._conn.execute("SELECT extversion FROM pg_extension WHERE extname = %s",
                                   (schema.VECTOR_EXTENSION,)).fetchone()
        parts = tuple(int(p) for p in str(row[0]).split(".")[:2] if p.isdigit())
        if parts < MIN_PGVECTOR:
            raise StoreError(f"{self.path}: pgvector {row[0]} is too old (HNSW indexes need "
                             f"{'.'.join(map(str, MIN_PGVECTOR))} or newer); run ALTER EXTENSION vector UPDATE "
                             "on the server after installing a newer pgvector")

    def _create_vector_extension(self) -> None:
        available = self._conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s",
                                     (schema.VECTOR_EXTENSION,)).fetchone()
        if available is None:
            raise StoreError(f"{self.path}: the server has no pgvector extension; install pgvector "
                             f"{'.'.join(map(str, MIN_PGVECTOR))} or newer on it (https://github.com/pgvector/"
                             "pgvector) and run the command again")
        try:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
                self._conn.execute(psycopg.sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                    psycopg.sql.Identifier(schema.VECTOR_EXTENSION)))
        except pg_errors.InsufficientPrivilege as exc:
            raise StoreError(f"{self.path}: pgvector is installed on the server but not enabled in this database, "
                             f"and this user may not enable it ({_first_line(exc)}); ask the database owner to run "
                             "CREATE EXTENSION vector; in it") from exc

    def _migrate(self) -> None:
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            self._conn.execute(schema.MIGRATIONS_TABLE)
            done = {row[0] for row in self._conn.execute("SELECT name FROM migrations")}
            self._refuse_unknown(done)
            for name, statements in schema.MIGRATIONS:
                if name not in done:
                    self._conn.execute(statements)
                    self._conn.execute("INSERT INTO migrations VALUES (%s, %s)", (name, _now()))

    def _refuse_unknown(self, applied: set[str]) -> None:
        """As ``SQLiteStore._refuse_unknown``: tables another newsprism changed are not touched."""
        unknown = sorted(applied - {name for name, _ in SQLITE_MIGRATIONS})
        if not unknown:
            return
        newest = max((n for n in map(schema_number, unknown) if n is not None), default=None)
        if newest is not None and newest > SCHEMA_VERSION:
            raise NewerSchemaError(f"{self.path}: made by a newer newsprism (schema {newest}, this version knows "
                                   f"up to {SCHEMA_VERSION}); upgrade newsprism")
        raise StoreError(f"{self.path}: made by another newsprism (unknown schema step {unknown[0]!r}; this "
                         f"version knows up to {SCHEMA_VERSION}); open it with the newsprism that made it")

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT name FROM migrations ORDER BY name")]

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One write transaction, rolled back on any error (``StoreError`` for a server error). Inside
        another transaction of this store (same thread) it is part of that one."""
        with self._lock:
            if self._owner == threading.get_ident():
                yield self._conn
                return
            self._owner = threading.get_ident()
            try:
                with self._translated("write to the database"), self._conn.transaction():
                    yield self._conn
            finally:
                self._owner = None

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Be the only writer of this database's articles and groupings until the block ends (other
        processes and threads wait on the server's advisory lock). Re-entrant in one thread."""
        with self._writer:
            if not self._writer_depth:
                with self._translated("take the writer lock"):
                    if self._lock_conn is None or self._lock_conn.closed:
                        self._lock_conn = self._connect()
                    self._lock_conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK_KEY,))
            self._writer_depth += 1
            try:
                yield
            finally:
                self._writer_depth -= 1
                if not self._writer_depth and self._lock_conn is not None:
                    with self._translated("release the writer lock"):
                        self._lock_conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK_KEY,))

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """The connection a read uses: the write connection inside this thread's transaction (its own
        writes are visible), else a pooled reader's, in one snapshot for the whole block (a nested
        read of the same thread shares it)."""
        if self._owner == threading.get_ident():
            with self._lock, self._translated("read the database"):
                yield self._conn
            return
        nested = getattr(self._local, "reader", None)
        if nested is not None:
            yield nested  # inside another read of this thread: the same snapshot
            return
        with self._reader_slots:
            conn = self._take_reader()
            self._local.reader = conn
            try:
                with self._translated("read the database"), conn.transaction():
                    yield conn
            finally:
                self._local.reader = None
                self._give_back_reader(conn)

    def _take_reader(self) -> psycopg.Connection:
        with self._readers_lock:
            while self._idle_readers:
                conn = self._idle_readers.pop()
                if not conn.closed:
                    return conn
        conn = self._connect()
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with self._translated("read the database"):
            register_vector(conn)
        return conn

    def _give_back_reader(self, conn: psycopg.Connection) -> None:
        if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.close()  # broken: the next read opens a fresh one
            return
        with self._readers_lock:
            self._idle_readers.append(conn)

    def _rows(self, sql: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reading() as conn:
            return conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._readers_lock:
            readers, self._idle_readers = self._idle_readers, []
        for conn in (self._conn, self._lock_conn, *readers):
            if conn is not None and not conn.closed:
                conn.close()

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
            id=aid, origin=origin, title=title, text=text, sentences=tuple(Sentence(i, a, b, text[a:b]) for i, (a, b) in enumerate(sentences)),
            language=language, source=source, published=published, url=url, author=author,
            external_id=external_id, content_key=key, duplicate_of=duplicate_of, story=story,
            ingested_at=ingested_at, metadata=metadata,
        )

    def find_by_content_key(self, key: str) -> int | None:
        rows = self._rows("SELECT id FROM articles WHERE content_key = %s", (key,))
        return int(rows[0][0]) if rows else None

    def add_article(self, doc: CleanDocument, duplicate_of: int | None, minhash: bytes) -> Article:
        with self.transaction() as db:
            article_id = int(db.execute(
                "INSERT INTO articles (content_key, origin, url, title, text, sentences, language, source, "
                "published, author, external_id, duplicate_of, ingested_at, metadata) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (doc.content_key, doc.origin, doc.url, doc.title, doc.text,
                 Json([[s.start, s.end] for s in doc.sentences]), doc.language, doc.source, doc.published,
                 doc.author, doc.external_id, duplicate_of, _now(), Json(doc.metadata, dumps=_dumps)),
            ).fetchone()[0])
            db.execute("INSERT INTO fingerprints VALUES (%s, %s)", (article_id, minhash))
            return self.get_article(article_id)

    def get_article(self, article_id: int) -> Article:
        rows = self._rows(f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id = %s",
                           (article_id,)) if _in_int64(article_id) else []
        if not rows:
            raise NotFoundError(f"no article with id {article_id}; list them with `newsprism articles`")
        return self._article(rows[0])

    def get_articles(self, ids: Iterable[int]) -> list[Article]:
        wanted = [i for i in dict.fromkeys(int(i) for i in ids) if _in_int64(i)]
        rows = self._rows(f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id = ANY(%s)", (wanted,))
        found = {row[0]: self._article(row) for row in rows}
        return [found[i] for i in wanted if i in found]

    def iter_articles(self) -> Iterator[Article]:
        last = 0
        while True:
            rows = self._rows(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id > %s ORDER BY id LIMIT 1000", (last,))
            if not rows:
                return
            yield from (self._article(row) for row in rows)
            last = rows[-1][0]

    def count_articles(self) -> int:
        return int(self._rows("SELECT count(*) FROM articles")[0][0])

    def repoint_duplicates(self, old_canonical: int, new_canonical: int) -> None:
        """Make ``new_canonical`` the copy every member of ``old_canonical``'s group points to."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET duplicate_of = %s WHERE (duplicate_of = %s OR id = %s) AND id != %s",
                       (new_canonical, old_canonical, old_canonical, new_canonical))
            db.execute("UPDATE articles SET duplicate_of = NULL WHERE id = %s", (new_canonical,))

    def duplicate_links(self) -> dict[int, int]:
        return {int(a): int(b) for a, b in self._rows(
            "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")}

    def iter_fingerprints(self) -> Iterator[tuple[int, bytes]]:
        for aid, blob in self._rows("SELECT article_id, minhash FROM fingerprints ORDER BY article_id"):
            yield int(aid), bytes(blob)

    def source_line_counts(self, source: str, hashes: Sequence[str]) -> dict[str, int]:
        if not hashes:
            return {}
        rows = self._rows("SELECT line_hash, articles FROM source_lines WHERE source = %s AND line_hash = ANY(%s)",
                           (source, list(hashes)))
        return {row[0]: int(row[1]) for row in rows}

    def add_source_lines(self, source: str, hashes: Iterable[str], article_id: int | None = None) -> None:
        hashes = sorted(set(hashes))
        with self.transaction() as db:
            db.execute("INSERT INTO source_lines SELECT %s, h, 1 FROM unnest(%s::text[]) AS h "
                       "ON CONFLICT (source, line_hash) DO UPDATE SET articles = source_lines.articles + 1",
                       (source, hashes))
            if article_id is not None:
                db.execute("INSERT INTO source_line_articles SELECT %s, h, %s FROM unnest(%s::text[]) AS h "
                           "ON CONFLICT DO NOTHING", (source, article_id, hashes))

    def articles_with_lines(self, source: str, hashes: Sequence[str]) -> list[int]:
        """Ids of the stored articles of ``source`` that carry any of the lines ``hashes``."""
        return [int(row[0]) for row in self._rows(
            "SELECT DISTINCT article_id FROM source_line_articles WHERE source = %s AND line_hash = ANY(%s) "
            "ORDER BY article_id", (source, list(hashes)))]

    def ungrouped_article_ids(self) -> list[int]:
        """Articles stored without a story (grouping was interrupted, or ingest ran without it)."""
        return [int(row[0]) for row in self._rows("SELECT id FROM articles WHERE story IS NULL ORDER BY id")]

    def update_article_text(self, article: Article) -> None:
        """Store a re-cleaned text (with its sentences and metadata) of an existing article."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET text = %s, sentences = %s, metadata = %s WHERE id = %s",
                       (article.text, Json([[s.start, s.end] for s in article.sentences]),
                        Json(article.metadata, dumps=_dumps), article.id))

    # --------------------------------------------------------------------------- vectors
    def get_embeddings(self, ids: Sequence[int], model: str) -> dict[int, np.ndarray]:
        rows = self._rows("SELECT article_id, vector FROM embeddings WHERE model = %s AND article_id = ANY(%s)",
                           (model, [int(i) for i in ids]))
        return {int(aid): _vector(vec) for aid, vec in rows}

    def put_embeddings(self, model: str, vectors: dict[int, np.ndarray]) -> None:
        rows = [(int(aid), model, np.asarray(vec, dtype=np.float32)) for aid, vec in vectors.items()]
        if not rows:
            return
        with self.transaction() as db:
            for dim in sorted({len(vec) for _, _, vec in rows}):
                self._ensure_index(model, dim)
            self._merge(db, "embeddings", ("article_id", "model", "vector"), "vector", rows)

    def _ensure_index(self, model: str, dim: int) -> None:
        """Make the HNSW index of ``model``'s vectors unless it exists. Before the rows go in, and under
        the migration lock: two processes storing a model's first vectors at once would otherwise both
        build it (one fails on the name), or deadlock on the table locks of their inserts."""
        if (model, dim) in self._indexed:
            return
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            if db.execute("SELECT to_regclass(%s)", (schema.hnsw_index_name(model, dim),)).fetchone()[0] is None:
                db.execute(schema.hnsw_index_sql(model, dim))
        self._indexed.add((model, dim))

    def nearest_articles(self, model: str, vector: np.ndarray, limit: int = 10) -> list[tuple[int, float]]:
        """The ``limit`` stored articles whose ``model`` vectors are closest to ``vector`` (cosine
        similarity, best first), found through the model's HNSW index (approximate, as HNSW is)."""
        query = np.asarray(vector, dtype=np.float32)
        rows = self._rows(schema.nearest_sql(len(query)), (query, model, query, int(limit)))
        return [(int(aid), float(score)) for aid, score in rows]

    def get_text_vectors(self, ids: Sequence[int], model: str) -> dict[int, dict[bytes, np.ndarray]]:
        """Per article, the stored vectors of its analysis texts by text key (``embed.text_key``)."""
        out: dict[int, dict[bytes, np.ndarray]] = {}
        for aid, keys, blob in self._rows(
                "SELECT article_id, keys, vectors FROM text_vectors WHERE model = %s AND article_id = ANY(%s)",
                (model, [int(i) for i in ids])):
            out[int(aid)] = unpack_text_vectors(bytes(keys), bytes(blob))
        return out

    def put_text_vectors(self, model: str, vectors: dict[int, dict[bytes, np.ndarray]]) -> None:
        """Store (replace) the analysis-text vectors of each article, one row per article."""
        rows = [(int(aid), model, *pack_text_vectors(by_key)) for aid, by_key in vectors.items()]
        if rows:
            with self.transaction() as db:
                self._merge(db, "text_vectors", ("article_id", "model", "keys", "vectors"), "keys, vectors", rows)

    @staticmethod
    def _merge(db: psycopg.Connection, table: str, columns: Sequence[str], replaced: str,
               rows: list[tuple[Any, ...]]) -> None:
        """Insert or replace ``rows`` (keyed by article and model): a bulk load goes through COPY into
        a staging table and one merging INSERT, a few rows through one INSERT each."""
        names = ", ".join(columns)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (p.strip() for p in replaced.split(",")))
        conflict = f"ON CONFLICT (article_id, model) DO UPDATE SET {updates}"
        if len(rows) < COPY_MIN_ROWS:
            marks = ", ".join(["%s"] * len(columns))
            with db.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}", rows)
            return
        db.execute(f"CREATE TEMP TABLE staging_{table} (LIKE {table}) ON COMMIT DROP")
        with db.cursor() as cur, cur.copy(f"COPY staging_{table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        db.execute(f"INSERT INTO {table} ({names}) SELECT DISTINCT ON (article_id, model) {names} "
                   f"FROM staging_{table} {conflict}")
        db.execute(f"DROP TABLE staging_{table}")

    # --------------------------------------------------------------------------- stories and storylines
    def set_article_stories(self, assignment: dict[int, int | None]) -> None:
        if not assignment:
            return
        with self.transaction() as db:
            db.execute("UPDATE articles SET story = v.story FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, story) "
                       "WHERE articles.id = v.id", (list(assignment), list(assignment.values())))

    def new_story_id(self) -> int:
        return int(self._rows("SELECT coalesce(max(id), 0) + 1 FROM stories")[0][0])

    def save_story(self, story: Story) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO stories (id, title, keywords, storyline) VALUES (%s, %s, %s, %s) "
                       "ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, keywords = EXCLUDED.keywords, "
                       "storyline = EXCLUDED.storyline",
                       (story.id, story.title, Json(list(story.keywords), dumps=_dumps), story.storyline))

    def delete_stories(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM stories WHERE id = ANY(%s)", ([int(i) for i in ids],))

    def _story_members(self, db: psycopg.Connection, story_ids: Sequence[int] | None) -> dict[int, list[tuple]]:
        sql = "SELECT story, id, source, language, published FROM articles WHERE story IS NOT NULL"
        params: tuple[Any, ...] = ()
        if story_ids is not None:
            sql += " AND story = ANY(%s)"
            params = (list(story_ids),)
        members: dict[int, list[tuple]] = {}
        for story, aid, source, language, published in db.execute(sql + " ORDER BY id", params):
            members.setdefault(int(story), []).append((aid, source, language, published))
        return members

    @staticmethod
    def _story(row: Sequence[Any], members: list[tuple]) -> Story:
        sid, title, keywords, storyline = row
        dates = sorted(p for _, _, _, p in members if p)
        return Story(
            id=sid, title=title, keywords=tuple(keywords), storyline=storyline,
            article_ids=tuple(a for a, _, _, _ in members),
            sources=tuple(sorted({s for _, s, _, _ in members if s})),
            languages=tuple(sorted({lang for _, _, lang, _ in members if lang})),
            first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
        )

    def get_story(self, story_id: int) -> Story:
        if _in_int64(story_id):
            with self._reading() as db:
                rows = db.execute("SELECT id, title, keywords, storyline FROM stories WHERE id = %s",
                                  (story_id,)).fetchall()
                if rows:
                    return self._story(rows[0], self._story_members(db, [story_id]).get(story_id, []))
        raise NotFoundError(f"no story with id {story_id}; list them with `newsprism stories`")

    def list_stories(self) -> list[Story]:
        with self._reading() as db:
            members = self._story_members(db, None)
            rows = db.execute("SELECT id, title, keywords, storyline FROM stories ORDER BY id").fetchall()
        return [self._story(row, members.get(row[0], [])) for row in rows]

    def search_stories(self, text: str) -> set[int]:
        """Ids of the stories whose title and keywords match ``text`` as a web search (words, "a phrase",
        -word, or), through the full-text index of migration 0006 ('simple': whole words, any language)."""
        text = text[:SEARCH_CHARS].strip()
        if not text:
            return set()
        return {int(row[0]) for row in self._rows(
            f"SELECT id FROM stories WHERE {schema.STORY_SEARCH_VECTOR} @@ websearch_to_tsquery('simple', %s)", (text,))}

    def new_storyline_id(self) -> int:
        return int(self._rows("SELECT coalesce(max(id), 0) + 1 FROM storylines")[0][0])

    def save_storyline(self, storyline: Storyline) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO storylines (id, title, keywords) VALUES (%s, %s, %s) "
                       "ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, keywords = EXCLUDED.keywords",
                       (storyline.id, storyline.title, Json(list(storyline.keywords), dumps=_dumps)))

    def delete_storylines(self, ids: Iterable[int]) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM storylines WHERE id = ANY(%s)", ([int(i) for i in ids],))

    def _storylines(self, storyline_id: int | None) -> list[Storyline]:
        with self._reading() as db:
            stories: dict[int, list[Story]] = {}
            for story in self.list_stories():
                if story.storyline is not None:
                    stories.setdefault(story.storyline, []).append(story)
            where, params = ("WHERE id = %s", (storyline_id,)) if storyline_id is not None else ("", ())
            rows = db.execute(f"SELECT id, title, keywords FROM storylines {where} ORDER BY id", params).fetchall()
        out = []
        for sid, title, keywords in rows:
            members = stories.get(sid, [])
            firsts = sorted(s.first_published for s in members if s.first_published)
            lasts = sorted(s.last_published for s in members if s.last_published)
            out.append(Storyline(id=sid, title=title, keywords=tuple(keywords), story_ids=tuple(s.id for s in members),
                                 first_published=firsts[0] if firsts else None,
                                 last_published=lasts[-1] if lasts else None))
        return out

    def get_storyline(self, storyline_id: int) -> Storyline:
        found = self._storylines(storyline_id) if _in_int64(storyline_id) else []
        if not found:
            raise NotFoundError(f"no storyline with id {storyline_id}; list them with `newsprism storylines`")
        return found[0]

    def list_storylines(self) -> list[Storyline]:
        return self._storylines(None)

    def delete_empty_groups(self) -> tuple[list[int], list[int]]:
        """Delete the stories without articles, then the storylines without stories; returns their ids
        (stories, storylines). Called in the transaction that regroups, none is ever left behind."""
        with self.transaction() as db:
            stories = sorted(int(row[0]) for row in db.execute(
                "DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles WHERE story = stories.id) RETURNING id"))
            lines = sorted(int(row[0]) for row in db.execute(
                "DELETE FROM storylines WHERE NOT EXISTS (SELECT 1 FROM stories WHERE storyline = storylines.id) "
                "RETURNING id"))
        return stories, lines

    # --------------------------------------------------------------------------- clusterer rows
    def put_cluster_rows(self, kind: str, rows: Sequence[ClusterRow]) -> None:
        """Insert or replace closed stories (``kind`` "story") or storylines ("storyline")."""
        data = [(kind, int(key), story_id, first, last,
                 None if centroid is None else np.asarray(centroid, dtype=np.float32), bytes(value))
                for key, story_id, first, last, value, centroid in rows]
        if not data:
            return
        for dim in sorted({len(row[5]) for row in data if row[5] is not None}):
            self._ensure_centroid_index(dim)
        with self.transaction() as db, db.cursor() as cur:
            cur.executemany("INSERT INTO cluster_state VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (kind, key) "
                            "DO UPDATE SET story_id = EXCLUDED.story_id, first_day = EXCLUDED.first_day, "
                            "last_day = EXCLUDED.last_day, centroid = EXCLUDED.centroid, value = EXCLUDED.value", data)

    def _ensure_centroid_index(self, dim: int) -> None:
        """Make the HNSW index of the story centroids of size ``dim`` unless it exists (as ``_ensure_index``)."""
        if ("cluster_state", dim) in self._indexed:
            return
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            for undated in (False, True):
                if db.execute("SELECT to_regclass(%s)", (schema.centroid_index_name(dim, undated),)).fetchone()[0] is None:
                    db.execute(schema.centroid_index_sql(dim, undated))
        self._indexed.add(("cluster_state", dim))

    def get_cluster_rows(self, kind: str, keys: Iterable[int]) -> dict[int, bytes]:
        keys = [int(k) for k in keys if _in_int64(k)]
        return {int(k): bytes(v) for k, v in self._rows(
            "SELECT key, value FROM cluster_state WHERE kind = %s AND key = ANY(%s)", (kind, keys))}

    def cluster_rows_between(self, kind: str, first_day: int, last_day: int) -> dict[int, bytes]:
        """The dated rows whose days overlap ``first_day``..``last_day``."""
        return {int(k): bytes(v) for k, v in self._rows(
            "SELECT key, value FROM cluster_state WHERE kind = %s AND first_day <= %s AND last_day >= %s",
            (kind, int(last_day), int(first_day)))}

    def cluster_rows_of_kind(self, kind: str) -> dict[int, bytes]:
        """Every row of one kind (the open stories: bounded by the clusterer's window)."""
        return {int(k): bytes(v) for k, v in self._rows("SELECT key, value FROM cluster_state WHERE kind = %s", (kind,))}

    def cluster_keys_of_stories(self, story_ids: Iterable[int]) -> dict[int, int]:
        """Stored story id -> key of its closed-story row, for the ids that have one."""
        ids = [int(i) for i in story_ids if _in_int64(i)]
        return {int(sid): int(k) for sid, k in self._rows(
            "SELECT story_id, key FROM cluster_state WHERE kind = 'story' AND story_id = ANY(%s)", (ids,))}

    def delete_cluster_rows(self, kind: str, keys: Iterable[int]) -> None:
        keys = [int(k) for k in keys if _in_int64(k)]
        if keys:
            with self.transaction() as db:
                db.execute("DELETE FROM cluster_state WHERE kind = %s AND key = ANY(%s)", (kind, keys))

    def clear_cluster_rows(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM cluster_state")

    def nearest_cluster_stories(self, vector: np.ndarray, limit: int, *,
                                undated: bool = False) -> list[tuple[int, float]]:
        """The ``limit`` closed stories (``undated``: undated ones) whose centroids are closest to
        ``vector`` (cosine, best first), through an HNSW index of the centroids (approximate, as HNSW is)."""
        query = np.asarray(vector, dtype=np.float32)
        rows = self._rows(schema.nearest_story_sql(len(query), undated), (query, query, int(limit)))
        return [(int(key), float(score)) for key, score in rows]

    def nearest_cluster_stories_many(self, vectors: Sequence[np.ndarray], limit: int, *,
                                     undated: bool = False) -> list[list[tuple[int, float]]]:
        """``nearest_cluster_stories`` of each of ``vectors`` (one index walk each)."""
        return [self.nearest_cluster_stories(v, limit, undated=undated) for v in vectors]

    # --------------------------------------------------------------------------- state and caches
    def get_state(self, name: str) -> bytes | None:
        rows = self._rows("SELECT value FROM state WHERE name = %s", (name,))
        return bytes(rows[0][0]) if rows else None

    def put_state(self, name: str, value: bytes) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO state VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                       (name, bytes(value)))

    def get_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str) -> Any | None:
        rows = self._rows("SELECT fingerprint, value FROM analyses WHERE scope = %s AND scope_id = %s AND kind = %s",
                           (scope, scope_id, kind)) if _in_int64(scope_id) else []
        return rows[0][1] if rows and rows[0][0] == fingerprint else None

    def put_analysis(self, scope: str, scope_id: int, kind: str, fingerprint: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO analyses VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, scope_id, kind) "
                       "DO UPDATE SET fingerprint = EXCLUDED.fingerprint, value = EXCLUDED.value",
                       (scope, scope_id, kind, fingerprint, Json(value, dumps=_dumps)))
