"""Vectors by sparse integer key (story or storyline index) in one compact numpy matrix.

The clusterers index stories and storylines by an ever-growing integer; only the open ones are in
memory (``engine`` evicts the others into the store). ``KeyedRows`` keeps their vectors in the rows of
one matrix, reuses the rows of keys that leave, and answers the numpy indexing the clusterers use:
``rows[key]`` (a view of one row, so ``rows[key] += v`` works), ``rows[keys]`` for an array of keys,
and assignment. Memory is then proportional to the open keys, not to every key ever made.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class KeyedRows:
    """A (key -> row) map over a growable float matrix; rows of dropped keys are reused."""

    def __init__(self, dim: int, dtype: type = np.float32, capacity: int = 64) -> None:
        self.dim = dim
        self.data = np.zeros((capacity, dim), dtype=dtype)
        self.row: dict[int, int] = {}
        self.free: list[int] = []
        self.used = 0  # rows handed out so far (free ones included)

    def __len__(self) -> int:
        return len(self.row)

    def __contains__(self, key: int) -> bool:
        return key in self.row

    def keys(self) -> Iterable[int]:
        return self.row.keys()

    def add(self, key: int, vector: np.ndarray | None = None) -> None:
        """Give ``key`` a row (zero, or ``vector``) unless it has one."""
        if key not in self.row:
            if self.free:
                r = self.free.pop()
            else:
                if self.used >= len(self.data):
                    grown = np.zeros((2 * len(self.data), self.dim), dtype=self.data.dtype)
                    grown[:len(self.data)] = self.data
                    self.data = grown
                r, self.used = self.used, self.used + 1
            self.row[key] = r
            self.data[r] = 0.0
        if vector is not None:
            self.data[self.row[key]] = vector

    def drop(self, key: int) -> np.ndarray | None:
        """Forget ``key``; returns a copy of its row (None when it had none)."""
        r = self.row.pop(key, None)
        if r is None:
            return None
        out = self.data[r].copy()
        self.data[r] = 0.0
        self.free.append(r)
        return out

    def rows_of(self, keys: Iterable[int]) -> np.ndarray:
        row = self.row
        return np.fromiter((row[int(k)] for k in keys), dtype=np.int64)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            return self.data[self.row[int(key)]]
        return self.data[self.rows_of(key)]

    def __setitem__(self, key, value) -> None:
        if isinstance(key, (int, np.integer)):
            self.data[self.row[int(key)]] = value
        else:
            self.data[self.rows_of(key)] = value

    def __getstate__(self) -> dict:
        keys = list(self.row)
        return {"dim": self.dim, "dtype": self.data.dtype.str, "keys": keys,
                "data": self.data[self.rows_of(keys)] if keys else np.zeros((0, self.dim), self.data.dtype)}

    def __setstate__(self, state: dict) -> None:
        keys, data = state["keys"], state["data"]
        self.__init__(state["dim"], np.dtype(state["dtype"]).type, max(64, 1 << max(len(keys), 1).bit_length()))
        for key, vector in zip(keys, data):
            self.add(key, vector)

    @classmethod
    def from_dense(cls, matrix: np.ndarray, keys: Iterable[int]) -> "KeyedRows":
        """Rows of ``matrix`` at ``keys`` (an older state's matrix indexed by key)."""
        out = cls(matrix.shape[1], matrix.dtype.type)
        for key in keys:
            out.add(int(key), matrix[int(key)])
        return out
