"""Online storyline clustering: stories (via their centroids) grouped into long-running subjects.

A storyline centroid is the normalised sum of its stories' unit centroids, so one big story does not
drown the small ones. Scoring uses dense vectors only (they are multilingual), which is why a
storyline never splits by language; the time decay is slow (log of months). A story is placed when
it opens and re-examined each time it doubles in size, because a one-article centroid is noisy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .settings import DEFAULT_SETTINGS, ClusterSettings


class StorylineClusterer:
    """Pure, picklable online storyline clusterer over story indices of a ``StoryClusterer``."""

    def __init__(self, settings: ClusterSettings = DEFAULT_SETTINGS, dim: int = 384) -> None:
        self.settings = settings
        self.dim = dim
        self.sums = np.zeros((16, dim), dtype=np.float64)
        self.sizes: list[int] = []  # stories per storyline
        self.first_day: list[int | None] = []
        self.last_day: list[int | None] = []
        self.story_line: dict[int, int] = {}  # story index -> storyline index
        self.line_stories: dict[int, set[int]] = {}  # storyline index -> story indices
        self.story_vec: dict[int, np.ndarray] = {}  # the unit vector each story contributed
        self.story_reviewed_at: dict[int, int] = {}  # story size at its last placement
        self.touched: set[int] = set()

    def __len__(self) -> int:
        return len(self.sizes)

    def update(self, stories: Sequence[tuple[int, np.ndarray, int, int | None, int | None]]) -> dict[int, int]:
        """Place or refresh stories given as (index, unit centroid, size, first_day, last_day).

        Returns story index -> storyline index for the stories given.
        """
        out = {}
        for story, vector, size, first, last in stories:
            vector = np.asarray(vector, dtype=np.float64)
            line = self.story_line.get(story)
            reviewed = self.story_reviewed_at.get(story, 0)
            if line is not None and size < reviewed * self.settings.storyline_review_growth:
                self._move_vector(line, self.story_vec[story], vector)
                self.story_vec[story] = vector
                self._extend_days(line, first, last)
            else:
                if line is not None:
                    self._remove(story, line)
                line = self._best(vector, first, last)
                if line is None:
                    line = self._open()
                self._add(story, line, vector, first, last)
                self.story_reviewed_at[story] = size
            out[story] = line
            self.touched.add(line)
        return out

    def members(self, line: int) -> list[int]:
        return sorted(self.line_stories.get(line, ()))

    # ------------------------------------------------------------------ internals
    def _centroids(self) -> np.ndarray:
        n = len(self.sizes)
        sums = self.sums[:n]
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)

    def _best(self, vector: np.ndarray, first: int | None, last: int | None) -> int | None:
        if not self.sizes:
            return None
        scores = self._centroids() @ vector
        decay = self.settings.storyline_decay
        for line in range(len(self.sizes)):
            if self.sizes[line] == 0:
                scores[line] = -math.inf
                continue
            gap = self._gap(line, first, last)
            if gap:
                scores[line] -= decay * math.log1p(gap / 30.0)
        best = int(np.argmax(scores))  # argmax takes the lowest index on ties: deterministic
        return best if scores[best] >= self.settings.storyline_threshold else None

    def _gap(self, line: int, first: int | None, last: int | None) -> int:
        lf, ll = self.first_day[line], self.last_day[line]
        if first is None or lf is None:
            return 0
        last = first if last is None else last
        ll = lf if ll is None else ll
        return max(0, lf - last, first - ll)

    def _open(self) -> int:
        line = len(self.sizes)
        if line >= len(self.sums):
            self.sums = np.vstack([self.sums, np.zeros_like(self.sums)])
        self.sizes.append(0)
        self.first_day.append(None)
        self.last_day.append(None)
        return line

    def _add(self, story: int, line: int, vector: np.ndarray, first: int | None, last: int | None) -> None:
        self.sums[line] += vector
        self.sizes[line] += 1
        self.story_line[story] = line
        self.line_stories.setdefault(line, set()).add(story)
        self.story_vec[story] = vector
        self._extend_days(line, first, last)

    def _remove(self, story: int, line: int) -> None:
        self.sums[line] -= self.story_vec.pop(story)
        self.sizes[line] -= 1
        del self.story_line[story]
        self.line_stories[line].discard(story)
        self.touched.add(line)

    def _move_vector(self, line: int, old: np.ndarray, new: np.ndarray) -> None:
        self.sums[line] += new - old

    def _extend_days(self, line: int, first: int | None, last: int | None) -> None:
        if first is None:
            return
        last = first if last is None else last
        lf, ll = self.first_day[line], self.last_day[line]
        self.first_day[line] = first if lf is None else min(lf, first)
        self.last_day[line] = last if ll is None else max(ll, last)
