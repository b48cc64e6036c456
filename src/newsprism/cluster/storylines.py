"""Online storyline clustering: stories (via their centroids) grouped into long-running subjects.

A story is scored against each candidate storyline by

    link cosine + storyline_name_weight * name-key cosine - DECAY * log1p(gap_days / 30)

The link cosine is the mean of the story's LINK best cosines to the storyline's stories (unit,
language-neutral story centroids, so one big story does not drown the small ones and one language
does not pull its stories together). The name-key cosine compares the
story's IDF-weighted profile of phonetic name keys (language-neutral: Kadhafi = Gheddafi = Gadafi,
Libia = Libye) with the storyline's summed profile; it is weighted heavily because dense vectors
alone make look-alike subjects (four Arab Spring countries) chain together. Both signals are
multilingual, so a storyline does not split by language. The time decay is slow (log of months). A
story is placed when it opens and re-examined each time it doubles in size (a one-article centroid is
noisy). Candidates come from the LINK_SCAN most similar stories: the cost per story is bounded.

Storylines are keyed by an ever-growing index. ``close_line`` takes a storyline and everything known of
its stories out of memory as one record, ``reopen_line`` puts it back: the engine keeps in memory only
the storylines active within STORYLINE_WINDOW_DAYS of the stream's newest day (and the undated ones of
open stories), so memory stays flat as the corpus grows.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .rows import KeyedRows
from .settings import DEFAULT_SETTINGS, ClusterSettings

# Only this many most similar stories are read when scoring storylines (bounds the cost per story).
LINK_SCAN = 256

# --- tuned constants ---------------------------------------------------------------------------
# Chosen by grids on ECB+ topics 1-17 (storylines vs gold topics) plus ML-Crisis Jan-Jun (storylines
# vs gold storylines); ECB+ topics 18-35 and ML-Crisis Jul-Dec are held out (docs/benchmarks/cluster.md).
# Grid: threshold 0.40-0.65, name weight 0.3-2.0, decay 0-0.06, link 1/3. Variants measured and
# rejected (no held-out gain): a minimum name agreement gate, "storyline anchor names" gates,
# name share / name lift scores, name profiles restricted to keys other stories share.
# Slow decay per log-month of gap: the slowest non-zero decay keeps multi-year storylines together.
DECAY = 0.01
# Mean of this many best story cosines (1 = single link, which chains subjects; measured on ML-Crisis).
LINK = 3
# After a batch, a story moves to another storyline only when that one scores this much above its
# own (StorylineClusterer.revisit). Without the margin, moves snowball: a storyline gives its stories
# away one by one to a look-alike subject (ML-Crisis Jul-Dec: Yemen drained into Syria). Margin 0 /
# 0.05 / 0.1 / 0.2 (with revisit; without it): ML-Crisis 0.784 / 0.785 / 0.783 / 0.783 (0.783),
# Jul-Dec 0.711 / 0.711 / 0.743 / 0.743 (0.750), mean of 3 shuffled orders 0.742 / 0.742 / 0.743 /
# 0.743 (0.739); ECB+ storylines vs topics 0.890 / 0.890 / 0.890 / 0.881 (0.881). Chosen on all of these,
# so ML-Crisis Jul-Dec is not held out for this constant.
REVISIT_MARGIN = 0.1
# A dated story placed in a storyline of at most SMALL_LINE_STORIES stories (alone, most often) is
# placed once more each time the stream moves STORYLINE_LONE_REVIEW_DAYS on, up to SMALL_LINE_REVIEWS
# times (a year at 14 days) while its storyline stays small: its subject may arrive later. Bounded
# work: at most that many reviews per story. Measured against one review of lone stories only:
# ML-Crisis 0.786 -> 0.792 (Jan-Jun 0.790 -> 0.796, Jul-Dec 0.741 -> 0.753, 3 shuffled orders
# 0.748/0.731/0.749 -> 0.749/0.734/0.751); ECB+ unchanged (mostly undated). Doubling delays
# (14, 28, 56, ... days, 5 reviews) gained less: 0.788, Jul-Dec 0.750.
SMALL_LINE_STORIES = 2
SMALL_LINE_REVIEWS = 26
# On its second look (revisit), a story whose best storyline holds at most LANGUAGE_PAIR_STORIES other
# stories, all in the story's own languages, goes instead to the best larger storyline that also accepts
# it (score >= threshold) and has stories in other languages. Two same-language stories agree partly
# through their language (outlet style, untranslated words the language-neutral vectors keep), so
# their pair is weaker evidence than a multilingual storyline's acceptance; without the rule, a pair of
# Italian Egypt stories held each other apart from the Spanish-French Egypt storyline (ML-Crisis
# Jul-Dec, a storyline split by language). Measured (ML-Crisis / Jan-Jun / Jul-Dec / 3 shuffled
# orders; ECB+ is one language, so unchanged): without 0.792 / 0.796 / 0.753 / 0.749, 0.734, 0.751;
# with 1 other story 0.790 / 0.796 / 0.760 / 0.752, 0.736, 0.754; with 2, 0.795 / 0.802 / 0.715
# (Yemen, still a small Spanish storyline, drained into Syria).
LANGUAGE_PAIR_STORIES = 1
# A story's storyline is re-examined each time the story grows by this factor (its centroid settles).
REVIEW_GROWTH = 2
# A dated storyline none of whose stories is open, whose last day is more than this many days before the
# stream's newest day, is closed (its stories are then no candidates for new stories' storylines until a
# late story reopens it). Two years: a storyline stays open while its subject returns at least every two
# years (the slow time decay, DECAY, is there to keep multi-year storylines together: the seeds' NATO
# troops storyline runs 2022-2024), and it is longer than the year of reviews of a small storyline's
# stories (SMALL_LINE_REVIEWS x storyline_lone_review_days = 364 days), so none is pending when it closes.
# The single-blob engine kept every storyline: with this window, a story more than two years after the
# last story of a storyline can no longer join it (measured: docs/benchmarks/cluster.md, clusterer state).
STORYLINE_WINDOW_DAYS = 730


class StorylineClusterer:
    """Pure, picklable online storyline clusterer over story indices of a ``StoryClusterer``."""

    def __init__(self, settings: ClusterSettings = DEFAULT_SETTINGS, dim: int = 384) -> None:
        # the join threshold and name weight depend on the embedder: they are in ``settings``
        self.settings = settings
        self.dim = dim
        self.sums = KeyedRows(dim, np.float64, 16)  # summed story vectors per open storyline
        self.next_line = 0  # index of the next storyline opened
        self.sizes: dict[int, int] = {}  # stories per open storyline
        self.first_day: dict[int, int | None] = {}
        self.last_day: dict[int, int | None] = {}
        self.story_line: dict[int, int] = {}  # story index -> storyline index
        self.line_stories: dict[int, set[int]] = {}  # storyline index -> story indices
        self.story_vec: dict[int, np.ndarray] = {}  # the unit vector each story contributed
        self.story_reviewed_at: dict[int, int] = {}  # story size at its last placement
        self.vectors = KeyedRows(dim)  # unit centroid per placed story of an open storyline
        self.rows = 0  # story indices seen so far (the others count as zero vectors in ``_scores``)
        self.line_norms: dict[int, float] = {}  # norm of each storyline's name profile
        self.story_names: dict[int, dict[str, float]] = {}  # name profile each story contributed
        self.line_names: dict[int, dict[str, float]] = {}  # summed name profiles per storyline
        self.touched: set[int] = set()
        # stories (re)placed since the engine last saved: the only ones whose storyline may have changed,
        # so the only story rows to rewrite (not every member of a touched, possibly years-long, storyline)
        self.placed: set[int] = set()
        self.lone_due: list[tuple[int, ...]] = []  # heap of (review day, story, reviews) for small storylines
        self.story_span: dict[int, tuple[int | None, int | None]] = {}  # story -> (first, last day)
        self.story_languages: dict[int, frozenset[str]] = {}  # story -> languages of its articles
        self.line_languages: dict[int, Counter[str]] = {}  # stories per language in each storyline
        self.latest_day: int | None = None

    def __setstate__(self, state: dict) -> None:
        self.lone_due, self.story_span, self.latest_day = [], {}, None  # absent from older saved states
        self.story_languages, self.placed = {}, set()
        self.__dict__.update(state)
        if "line_languages" not in state:
            lines = range(len(self.sizes)) if isinstance(self.sizes, list) else self.sizes
            self.line_languages = {line: Counter() for line in lines}
            for story, line in self.story_line.items():
                self.line_languages[line].update(self.story_languages.get(story, ()))
        if isinstance(self.sizes, list):  # saved before storylines were keyed (every one, dense matrices)
            n = self.next_line = len(self.sizes)
            for name in ("sizes", "first_day", "last_day", "line_norms", "line_names", "line_languages"):
                value = getattr(self, name)
                setattr(self, name, dict(enumerate(value)) if isinstance(value, list) else value)
            self.sums = KeyedRows.from_dense(np.asarray(state["sums"], dtype=np.float64), range(n))
            self.vectors = KeyedRows.from_dense(np.asarray(state["vectors"], dtype=np.float32), self.story_line)

    def __len__(self) -> int:
        return len(self.sizes)

    # ------------------------------------------------------------------ closing and reopening storylines
    def closable(self, open_stories: set[int], newest_day: int | None) -> list[int]:
        """Open storylines none of whose stories is in ``open_stories`` (the story clusterer's), and,
        when dated, whose last day is more than STORYLINE_WINDOW_DAYS before ``newest_day``."""
        out = []
        for line, stories in self.line_stories.items():
            if line in self.touched or any(story in open_stories for story in stories):
                continue
            last = self.last_day.get(line)
            if last is None or (newest_day is not None and last < newest_day - STORYLINE_WINDOW_DAYS):
                out.append(line)
        return out

    def retirable(self, open_stories: set[int], newest_day: int | None) -> list[int]:
        """Dated stories of open storylines, themselves closed, whose last day is more than
        STORYLINE_WINDOW_DAYS before ``newest_day``: a long-running storyline keeps them as members
        (in its sums, name profile, size and languages) but not their vectors (``retire_story``)."""
        if newest_day is None:
            return []
        horizon = newest_day - STORYLINE_WINDOW_DAYS
        out = []
        for story, (first, last) in self.story_span.items():
            day = last if last is not None else first
            if day is not None and day < horizon and story in self.story_vec and story not in open_stories \
                    and self.story_line.get(story) not in self.touched:
                out.append(story)
        return out

    def retire_story(self, story: int) -> tuple:
        """Take a story's own vector, names and days out of memory (its storyline keeps it as a member);
        ``restore_story`` puts them back. A retired story is no candidate link for new stories."""
        self.vectors.drop(story)
        return (self.story_vec.pop(story), self.story_names.pop(story), self.story_reviewed_at.pop(story, None),
                self.story_span.pop(story, None), self.story_languages.pop(story, None))

    def restore_story(self, story: int, record: tuple) -> None:
        """Put back what ``retire_story`` took (its storyline must be open)."""
        vec, names, reviewed, span, languages = record
        self.story_vec[story], self.story_names[story] = vec, names
        for target, value in ((self.story_reviewed_at, reviewed), (self.story_span, span),
                              (self.story_languages, languages)):
            if value is not None:
                target[story] = value
        self.vectors.add(story, vec.astype(np.float32))

    def close_line(self, line: int) -> dict:
        """Take an open storyline and what is known of its stories out of memory (a picklable record
        for ``reopen_line``)."""
        stories = self.line_stories.pop(line, set())
        per_story, retired = {}, []
        for story in stories:
            if story in self.story_vec:
                per_story[story] = self.retire_story(story)
            else:
                retired.append(story)
            del self.story_line[story]
        self.lone_due = [entry for entry in self.lone_due if entry[1] not in stories]
        heapq.heapify(self.lone_due)
        return {"sum": self.sums.drop(line), "size": self.sizes.pop(line), "first": self.first_day.pop(line),
                "last": self.last_day.pop(line), "norm": self.line_norms.pop(line),
                "names": self.line_names.pop(line), "languages": self.line_languages.pop(line), "stories": per_story,
                "retired": retired}

    def reopen_line(self, line: int, record: dict) -> None:
        """Put a storyline closed by ``close_line`` back (no-op when it is open)."""
        if line in self.sizes:
            return
        self.sums.add(line, record["sum"])
        self.sizes[line], self.first_day[line], self.last_day[line] = record["size"], record["first"], record["last"]
        self.line_norms[line], self.line_names[line] = record["norm"], record["names"]
        self.line_languages[line] = record["languages"]
        self.line_stories[line] = set(record["stories"]) | set(record.get("retired", ()))
        for story in self.line_stories[line]:
            self.story_line[story] = line
        for story, per_story in record["stories"].items():
            self.restore_story(story, per_story)

    def update(self, stories: Sequence[tuple]) -> dict[int, int]:
        """Place or refresh stories given as (index, unit centroid, size, first_day, last_day, name profile,
        optionally the languages of its articles).

        Returns story index -> storyline index for the stories given.
        """
        out = {}
        for story, vector, size, first, last, names, *languages in stories:
            vector = np.asarray(vector, dtype=np.float64)
            self.story_span[story] = (first, last)
            self._set_languages(story, frozenset(languages[0]) if languages else frozenset())
            if last is not None and (self.latest_day is None or last > self.latest_day):
                self.latest_day = last
            line = self.story_line.get(story)
            reviewed = self.story_reviewed_at.get(story, 0)
            if line is not None and size < reviewed * REVIEW_GROWTH:
                self._move_vector(line, self.story_vec[story], vector)
                self._move_names(line, self.story_names[story], names)
                self.story_vec[story] = vector
                self.story_names[story] = names
                self._set_vector(story, vector)
                self._extend_days(line, first, last)
            else:
                if line is not None:
                    self._remove(story, line)
                line = self._best(vector, names, first, last)
                if line is None:
                    line = self._open()
                self._add(story, line, vector, names, first, last)
                delay = self.settings.storyline_lone_review_days
                if last is not None and delay is not None and self.sizes[line] <= SMALL_LINE_STORIES:
                    heapq.heappush(self.lone_due, (last + delay, story, 1))
                self.story_reviewed_at[story] = size
            out[story] = line
            self.touched.add(line)
        out.update(self._review_lone())
        return out

    def revisit(self, stories: Sequence[int]) -> dict[int, int]:
        """Place the given stories once more now that the whole batch is placed; returns the moves.

        Within a batch a story is placed before the stories that come after it: a story placed
        next to a weak match may find its subject's storyline only once a later story has joined it.
        A story moves only when another storyline beats its own by REVISIT_MARGIN.
        """
        moved = {}
        for story in stories:
            line = self.story_line.get(story)
            if line is None:
                continue
            vector, names = self.story_vec[story], self.story_names[story]
            first, last = self.story_span.get(story, (None, None))
            self._remove(story, line)
            scores = self._scores(vector, names, first, last)
            best = self._pick(scores)
            if best is not None and line in scores and scores[best] < scores[line] + REVISIT_MARGIN:
                best = line  # stays unless another storyline is clearly better
            if best is not None:
                best = self._multilingual_alternative(story, best, scores)
            if best is None and self.sizes[line]:
                best = self._open()
            self._add(story, line if best is None else best, vector, names, first, last)
            if self.story_line[story] != line:
                moved[story] = self.story_line[story]
                self.touched.add(moved[story])
        return moved

    def _multilingual_alternative(self, story: int, best: int, scores: dict[int, float]) -> int:
        """``best``, unless it is a same-language pair in the making (LANGUAGE_PAIR_STORIES) and a larger
        storyline with stories in other languages also accepts the story: then that storyline."""
        own = self.story_languages.get(story, frozenset())
        if not own or self.sizes[best] > LANGUAGE_PAIR_STORIES or self._languages(best) - own:
            return best
        others = {line: score for line, score in scores.items()
                  if line != best and self.sizes[line] > self.sizes[best] and self._languages(line) - own}
        alternative = self._pick(others)
        return best if alternative is None else alternative

    def _languages(self, line: int) -> set[str]:
        return set(self.line_languages[line])

    def _set_languages(self, story: int, languages: frozenset[str]) -> None:
        old = self.story_languages.get(story, frozenset())
        line = self.story_line.get(story)
        if line is not None and languages != old:
            self.line_languages[line].subtract(old)
            self.line_languages[line].update(languages)
            self.line_languages[line] = +self.line_languages[line]  # drop zero counts
        self.story_languages[story] = languages

    def _review_lone(self) -> dict[int, int]:
        """Place again the stories of small storylines whose review day the stream has reached."""
        moved = {}
        delay = self.settings.storyline_lone_review_days or 0
        while self.lone_due and self.latest_day is not None and self.lone_due[0][0] <= self.latest_day:
            due, story, *seen = heapq.heappop(self.lone_due)  # states saved before the count: 2-tuples
            reviews = seen[0] if seen else 1
            line = self.story_line.get(story)
            if line is None or self.sizes[line] > SMALL_LINE_STORIES:
                continue  # merged away, or its storyline has since grown
            moved.update(self.revisit([story]))
            if reviews < SMALL_LINE_REVIEWS and self.sizes[self.story_line[story]] <= SMALL_LINE_STORIES:
                heapq.heappush(self.lone_due, (due + delay, story, reviews + 1))
        return moved

    def remove(self, story: int) -> None:
        """Take a story (merged into another, so now empty) out of its storyline."""
        line = self.story_line.get(story)
        if line is not None:
            self._remove(story, line)
            self.story_reviewed_at.pop(story, None)
            self.story_span.pop(story, None)
            self.story_languages.pop(story, None)

    def members(self, line: int) -> list[int]:
        return sorted(self.line_stories.get(line, ()))

    # ------------------------------------------------------------------ internals
    def _best(self, vector: np.ndarray, names: dict[str, float], first: int | None, last: int | None) -> int | None:
        return self._pick(self._scores(vector, names, first, last))

    def _pick(self, scores: dict[int, float]) -> int | None:
        """The best-scoring storyline at or above the join threshold (lowest index on ties)."""
        best, best_score = None, self.settings.storyline_threshold
        for line in sorted(scores):
            score = scores[line]
            if score >= best_score and (best is None or score > best_score):
                best, best_score = line, score
        return best

    def _scores(self, vector: np.ndarray, names: dict[str, float], first: int | None, last: int | None
                ) -> dict[int, float]:
        """Score of each candidate storyline for a story (see the module docstring)."""
        # A story is scored against each storyline by the mean of its STORYLINE_LINK best cosines to
        # the storyline's stories: a long storyline is a chain of related events, not a ball around
        # one centroid (the centroid of a broad storyline drifts to the generic "news about X"
        # direction and attracts every story; measured on ML-Crisis).
        n = self.rows
        if not self.sizes or not n:
            return {}
        # Every story index seen so far counts, the ones without a vector here (not placed, merged away,
        # or of a closed storyline) as zero vectors: they fill the LINK_SCAN places as zeros would, so
        # the candidates are those of a matrix with one row per story index ever made.
        vectors = self.vectors
        live = vectors.used
        sims = vectors.data[:live] @ vector.astype(np.float32)  # float32: no upcast copy of the matrix
        row_story = np.full(live, -1, dtype=np.int64)
        for story, row in vectors.row.items():
            row_story[row] = story
        k = min(LINK_SCAN, n)
        zeros = min(k, n - live)  # freed rows are zero already; the story indices never given one
        if zeros > 0:
            sims = np.concatenate([sims, np.zeros(zeros, dtype=sims.dtype)])
            row_story = np.concatenate([row_story, np.full(zeros, -1, dtype=np.int64)])
        top = np.argpartition(-sims, k - 1)[:k] if len(sims) > k else np.arange(len(sims))
        best_k: dict[int, list[float]] = {}
        for i in sorted(top.tolist(), key=lambda i: (-float(sims[i]), int(row_story[i]))):
            story = int(row_story[i])
            line = self.story_line.get(story) if story >= 0 else None
            if line is not None:
                best_k.setdefault(line, []).append(float(sims[i]))
        name_weight = self.settings.storyline_name_weight
        scores = {}
        for line, cosines in best_k.items():
            score = sum(cosines[:LINK]) / min(LINK, self.sizes[line])
            score += name_weight * self._name_cosine(line, names)
            gap = self._gap(line, first, last)
            if gap:
                score -= DECAY * math.log1p(gap / 30.0)
            scores[line] = score
        return scores

    def _name_cosine(self, line: int, names: dict[str, float]) -> float:
        profile = self.line_names[line]
        norm = self.line_norms[line]
        if not norm or not names:
            return 0.0
        return sum(w * profile.get(k, 0.0) for k, w in names.items()) / norm

    def _move_names(self, line: int, old: dict[str, float], new: dict[str, float]) -> None:
        profile = self.line_names[line]
        for k, v in old.items():
            profile[k] = profile.get(k, 0.0) - v
        for k, v in new.items():
            profile[k] = profile.get(k, 0.0) + v
        for k in [k for k, v in profile.items() if abs(v) < 1e-9]:
            del profile[k]
        self.line_norms[line] = math.sqrt(sum(v * v for v in profile.values()))

    def _gap(self, line: int, first: int | None, last: int | None) -> int:
        lf, ll = self.first_day[line], self.last_day[line]
        if first is None or lf is None:
            return 0
        last = first if last is None else last
        ll = lf if ll is None else ll
        return max(0, lf - last, first - ll)

    def _open(self) -> int:
        line = self.next_line
        self.next_line += 1
        self.sums.add(line)
        self.sizes[line] = 0
        self.line_languages[line] = Counter()
        self.line_names[line] = {}
        self.line_norms[line] = 0.0
        self.first_day[line] = None
        self.last_day[line] = None
        return line

    def _add(self, story: int, line: int, vector: np.ndarray, names: dict[str, float], first: int | None,
             last: int | None) -> None:
        self._move_names(line, {}, names)
        self.story_names[story] = names
        self.sums[line] += vector
        self.sizes[line] += 1
        self.story_line[story] = line
        self.placed.add(story)
        self.line_stories.setdefault(line, set()).add(story)
        self.line_languages[line].update(self.story_languages.get(story, ()))
        self.story_vec[story] = vector
        self._set_vector(story, vector)
        self._extend_days(line, first, last)

    def _set_vector(self, story: int, vector: np.ndarray) -> None:
        self.vectors.add(story, vector)
        self.rows = max(self.rows, story + 1)

    def _remove(self, story: int, line: int) -> None:
        self.vectors.drop(story)
        self.sums[line] -= self.story_vec.pop(story)
        self._move_names(line, self.story_names.pop(story), {})
        self.sizes[line] -= 1
        del self.story_line[story]
        self.line_stories[line].discard(story)
        self.line_languages[line].subtract(self.story_languages.get(story, ()))
        self.line_languages[line] = +self.line_languages[line]
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
