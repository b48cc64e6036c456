"""The clusterer's closed stories and storylines in SQLite (the ``cluster_state`` table of migration
0005): ``SQLiteStore`` gets these methods from ``SQLiteClusterRows``; ``PostgresStore`` has its own.

``cluster.engine`` keeps only the open stories and storylines in its state blob and writes each closed
one as a row here, once, when it closes; a late article reopens rows by their days, a copy of an article
finds its original's closed story by the stored story id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# One closed story or storyline of the clusterer (``cluster.engine``): key (its index), stored story id,
# first and last day (None when undated), pickled record, unit centroid (stories; None for storylines).
ClusterRow = tuple[int, "int | None", "int | None", "int | None", bytes, "np.ndarray | None"]
# Rows of cluster_state read per query when scanning story centroids (SQLite's nearest search).
CENTROID_CHUNK = 2048
INT64 = (-2**63, 2**63 - 1)  # SQLite's integers: a larger key names nothing stored


def _is_int64(value: int) -> bool:
    return INT64[0] <= value <= INT64[1]


class SQLiteClusterRows:
    """``Store``'s clusterer-row methods over an SQLite connection (``_query``, ``transaction``)."""

    _query: Any
    transaction: Any

    def put_cluster_rows(self, kind: str, rows: Sequence[ClusterRow]) -> None:
        """Insert or replace closed stories (``kind`` "story") or storylines ("storyline")."""
        import numpy as np

        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO cluster_state VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (kind, key, story_id, first, last,
                 None if centroid is None else np.asarray(centroid, dtype=np.float32).tobytes(), value)
                for key, story_id, first, last, value, centroid in rows])

    def get_cluster_rows(self, kind: str, keys: Iterable[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        keys = [k for k in keys if _is_int64(k)]
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            out.update((int(k), bytes(v)) for k, v in self._query(
                f"SELECT key, value FROM cluster_state WHERE kind = ? AND key IN ({','.join('?' * len(chunk))})",
                (kind, *chunk)))
        return out

    def cluster_rows_between(self, kind: str, first_day: int, last_day: int) -> dict[int, bytes]:
        """The dated rows whose days overlap ``first_day``..``last_day``."""
        return {int(k): bytes(v) for k, v in self._query(
            "SELECT key, value FROM cluster_state WHERE kind = ? AND first_day <= ? AND last_day >= ?",
            (kind, last_day, first_day))}

    def cluster_rows_of_kind(self, kind: str) -> dict[int, bytes]:
        """Every row of one kind (the open stories: bounded by the clusterer's window)."""
        return {int(k): bytes(v) for k, v in self._query("SELECT key, value FROM cluster_state WHERE kind = ?", (kind,))}

    def cluster_keys_of_stories(self, story_ids: Iterable[int]) -> dict[int, int]:
        """Stored story id -> key of its closed-story row, for the ids that have one."""
        ids = [i for i in story_ids if _is_int64(i)]
        out: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update((int(sid), int(k)) for sid, k in self._query(
                f"SELECT story_id, key FROM cluster_state WHERE kind = 'story' AND story_id IN "
                f"({','.join('?' * len(chunk))})", chunk))
        return out

    def delete_cluster_rows(self, kind: str, keys: Iterable[int]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM cluster_state WHERE kind = ? AND key = ?", [(kind, k) for k in keys])

    def clear_cluster_rows(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM cluster_state")

    def nearest_cluster_stories(self, vector: np.ndarray, limit: int, *,
                                undated: bool = False) -> list[tuple[int, float]]:
        """The ``limit`` closed stories (``undated``: undated ones) whose centroids are closest to
        ``vector`` (cosine, best first), by an exact scan of the centroids CENTROID_CHUNK rows at a time
        (bounded memory)."""
        return self.nearest_cluster_stories_many([vector], limit, undated=undated)[0]

    def nearest_cluster_stories_many(self, vectors: Sequence[np.ndarray], limit: int, *,
                                     undated: bool = False) -> list[list[tuple[int, float]]]:
        """``nearest_cluster_stories`` of each of ``vectors``, in one scan of the centroids."""
        import numpy as np

        if not len(vectors):
            return []
        queries = np.stack([np.asarray(v, dtype=np.float32) for v in vectors])
        best: list[list[tuple[float, int]]] = [[] for _ in range(len(queries))]
        after = None
        while True:
            rows = self._query("SELECT key, centroid FROM cluster_state WHERE kind = 'story' AND centroid IS NOT NULL "
                               f"{'AND first_day IS NULL ' if undated else ''}"
                               "AND (? IS NULL OR key > ?) ORDER BY key LIMIT ?", (after, after, CENTROID_CHUNK))
            if not rows:
                break
            keys = [int(r[0]) for r in rows]
            matrix = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype=np.float32).reshape(len(rows), -1)
            sims = queries @ matrix.T
            for q, row in enumerate(sims):
                top = np.argsort(-row, kind="stable")[:limit]
                merged = best[q] + [(float(row[i]), keys[i]) for i in top]
                best[q] = sorted(merged, key=lambda t: (-t[0], t[1]))[:limit]
            after = keys[-1]
        return [[(key, sim) for sim, key in found] for found in best]
