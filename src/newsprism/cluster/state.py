"""The clusterer's state in the store, windowed: open stories and storylines in one small blob, closed
ones as rows of their own.

Only the stories a new article can still reach are kept in memory and in the state blob: those listed
in the week buckets of the story window around the stream's newest day, the recently active ones (the
pool of undated articles) and the ones the last batch touched (``StoryClusterer.closable``). The others
are closed: each becomes one row (``Store.put_cluster_rows``, kind "story") written once, when it
closes, with its days, its stored story id and its unit centroid. Storylines close when none of their
stories is open and, if dated, they have been idle for ``storylines.STORYLINE_WINDOW_DAYS``; a closed
storyline's row carries everything the storyline clusterer and the engine knew of its stories.

Before a batch, ``reopen_for_batch`` puts back the closed stories the batch can reach (same groupings as
with everything in memory): the stories of the week buckets the batch's articles look at (a late
article's old window included), then the stories of the windows of those stories' own spans (the
post-batch merge looks there), the stories of copies whose original's story is closed, and the
storylines of all of these. Memory, the blob and the rows written per batch then stay flat as the
corpus grows; the rows grow with it, in the database. (One case is not covered: a batch whose merge
step chains, a touched story absorbing a story whose own span reaches further back than the reopened
windows, would not see closed stories there; none of the benches has one.)

Open stories are rows too (kind "open"), written only when a batch touched them: the blob itself keeps
the statistics (bounded by the vocabulary), the week and recency indices (numbers), the open
storylines and the labels of the open stories, not the stories' aggregates and vectors (about 10 KB per
story with e5), so a batch writes what it changed, not the whole window. ``load_open`` reads them back.

The stored id, label and size of each closed story of an open storyline (what a touched storyline's
title and keywords are made from) are rows too (kind "member"), written when they change, which is
once, when the story closes: a storyline that stays open for years (its subject returns within
``STORYLINE_WINDOW_DAYS``) gathers hundreds of closed stories, and in the blob their labels made it
grow with the corpus (0.9 MB at 2.5k articles, 5.5 MB at 100k in the scale bench). A batch reads back
only those of the storylines it touched or closes (``load_members``), so it sees what a whole state
would show there, and reading them does not grow with the corpus either.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..store import Store
from .features import ArticleFeatures
from .stories import _WEEK, ClosedStory
from .storylines import STORYLINE_WINDOW_DAYS

STORY, STORYLINE, RETIRED, OPEN = "story", "storyline", "retired", "open"  # kinds of rows
MEMBER = "member"  # the stored id, label and size of a closed story of an open storyline
_MEMBER_FIELDS = ("story_ids", "labels", "sizes")  # the EngineState mappings a member row holds
_ABSENT = object()  # a member row's field that the state's mapping does not have
_PICKLE = pickle.HIGHEST_PROTOCOL


@dataclass
class EngineState:
    """What ``assign`` persists between batches in the state blob (open stories and storylines)."""

    engine: object  # OnlineClusterer (typed loosely: engine.py imports this module)
    story_ids: dict[int, int] = field(default_factory=dict)  # story index -> store story id
    line_ids: dict[int, int] = field(default_factory=dict)  # storyline index -> store storyline id
    labels: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # story index -> label
    sizes: dict[int, int] = field(default_factory=dict)  # closed stories of open storylines -> size
    newest_day: int | None = None  # the latest publication day grouped so far
    windowed: bool = True  # False: a whole state of an older version, not yet split into rows
    reopened: set[tuple[str, int]] = field(default_factory=set)  # rows read back this batch (deleted on save)
    open_rows: bool = False  # True: the open stories are "open" rows, not in the blob
    dirty_all: bool = False  # loaded from a blob holding its open stories: write every open row once
    member_rows: bool = False  # True: the closed stories' ids, labels and sizes are "member" rows
    members: dict[int, tuple] = field(default_factory=dict)  # the member rows as loaded (not pickled)

    def __setstate__(self, state: dict) -> None:
        self.sizes, self.newest_day, self.windowed, self.reopened = {}, None, False, set()  # older states
        self.open_rows = self.dirty_all = self.member_rows = False
        self.members = {}
        self.__dict__.update(state)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["reopened"] = set()
        state["members"] = {}
        if self.member_rows:  # the closed stories' entries are rows (``save_members``)
            for name in _MEMBER_FIELDS:
                state[name] = {k: v for k, v in state[name].items() if k not in self.members}
        return state

    def size_of(self, story: int) -> int:
        """Articles of a story of an open storyline (open or closed)."""
        stories = self.engine.stories.stories
        return stories[story].size if story in stories else self.sizes[story]


# ------------------------------------------------------------------------------------------ reopening
def reopen_for_batch(store: Store, state: EngineState, features: Sequence[ArticleFeatures],
                     original_stories: Iterable[int]) -> None:
    """Reopen the closed stories and storylines the batch ``features`` can reach (module docstring),
    and the stories ``original_stories`` (indices of the stories of copies' originals)."""
    sc = state.engine.stories
    window = sc.settings.story_window_days
    filing = [_filing_day(sc, f) for f in features]
    days = [d for d in filing if d is not None]
    weeks: set[int] = set()
    for day in days:
        weeks.update(range((day - window) // _WEEK, (day + window) // _WEEK + 1))
    _reopen_stories(store, state, _spans((w * _WEEK, w * _WEEK + _WEEK - 1) for w in weeks))
    spans = []
    for week in weeks:  # the merge step pools over a touched story's whole span
        for story in sc.weeks.get(week, ()):
            s = sc.stories[story]
            if s.first_day is not None:
                spans.append((s.first_day - window - _WEEK, (s.last_day or s.first_day) + window + _WEEK))
    _reopen_stories(store, state, _spans(spans))
    closed = [s for s in original_stories if s not in sc.stories]
    _reopen_story_rows(store, state, store.get_cluster_rows(STORY, closed) if closed else {})
    newest = state.newest_day
    old_days = [d for d in days if newest is None or d < newest - STORYLINE_WINDOW_DAYS]
    for first, last in _spans((d - STORYLINE_WINDOW_DAYS, d + STORYLINE_WINDOW_DAYS) for d in old_days):
        for line, value in store.cluster_rows_between(STORYLINE, first, last).items():
            _reopen_line(state, line, value)
    _reopen_nearest(store, state, [f for f, day in zip(features, filing) if day is None])


def _reopen_nearest(store: Store, state: EngineState, undated: Sequence[ArticleFeatures]) -> None:
    """Reopen the closed undated stories nearest to the batch's undated articles
    (``StoryClusterer.nearby``). An undated article's pool is otherwise the recently active stories only,
    so an undated story that left them (undated stories close by recency alone) would be out of every
    later undated report's reach. Closed dated stories stay out of reach, as in a clusterer that keeps
    everything: an undated text meeting an old dated story of the same place is too easily a false
    merge. The store finds them by centroid (PostgreSQL: an HNSW index; SQLite: one scan per batch)."""
    sc = state.engine.stories
    sc.nearby = set()
    queries = [f.vector for f in undated if f.duplicate_of is None and np.any(f.vector)]
    if not queries:
        return
    hits = store.nearest_cluster_stories_many(queries, sc.settings.top_candidates, undated=True)
    keys = sorted({key for found in hits for key, _sim in found})
    _reopen_story_rows(store, state, store.get_cluster_rows(STORY, keys))
    sc.nearby = {key for key in keys if key in sc.stories}


def _filing_day(sc, f: ArticleFeatures) -> int | None:
    """The day ``StoryClusterer.add`` files ``f`` under (its own, or one its text's weekday gives)."""
    dated = getattr(sc, "_dated_by_weekday", None)
    return (dated(f) if dated is not None else f).day


def _spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching day ranges merged."""
    out: list[list[int]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [(a, b) for a, b in out]


def _reopen_stories(store: Store, state: EngineState, spans: list[tuple[int, int]]) -> None:
    for first, last in spans:
        _reopen_story_rows(store, state, store.cluster_rows_between(STORY, first, last))


def _reopen_story_rows(store: Store, state: EngineState, rows: dict[int, bytes]) -> None:
    sc, sl = state.engine.stories, state.engine.storylines
    for story, value in sorted(rows.items()):
        if story in sc.stories:
            continue
        closed, line, story_id, label, _size = pickle.loads(value)
        if line is not None and line not in sl.sizes:
            for key, line_value in store.get_cluster_rows(STORYLINE, [line]).items():
                _reopen_line(state, key, line_value)
        sc.reopen_story(story, closed)
        if story in sl.story_line and story not in sl.story_vec:  # retired from its open storyline
            for key, retired in store.get_cluster_rows(RETIRED, [story]).items():
                sl.restore_story(key, pickle.loads(retired))
                state.reopened.add((RETIRED, key))
        state.sizes.pop(story, None)
        if story_id is not None:
            state.story_ids[story] = story_id
        if label is not None:
            state.labels[story] = label
        state.reopened.add((STORY, story))


def _reopen_line(state: EngineState, line: int, value: bytes) -> None:
    sl = state.engine.storylines
    if line in sl.sizes:
        return
    record = pickle.loads(value)
    sl.reopen_line(line, record["clusterer"])
    state.line_ids[line] = record["line_id"]
    for story, (story_id, label, size) in record["stories"].items():
        state.story_ids.setdefault(story, story_id)
        state.labels.setdefault(story, label)
        if story not in state.engine.stories.stories:
            state.sizes[story] = size
    state.reopened.add((STORYLINE, line))


def story_of_original(store: Store, state: EngineState, story_id: int) -> int | None:
    """The story index of a stored story id (open, of an open storyline, or closed), None if unknown."""
    for index, sid in state.story_ids.items():
        if sid == story_id:
            return index
    return store.cluster_keys_of_stories([story_id]).get(story_id)


# ------------------------------------------------------------------------------------------ closing
def close_idle(store: Store, state: EngineState) -> tuple[dict[str, list], list[int]]:
    """Close what no next article can reach: (rows by kind, story rows to delete)."""
    sc, sl = state.engine.stories, state.engine.storylines
    story_rows, dropped = [], []
    for story in sc.closable(state.newest_day):
        s = sc.stories[story]
        if s.size == 0:  # merged away: nothing to keep
            sc.close_story(story)
            dropped.append(story)
            continue
        centroid = sc.centroids[story].copy()
        closed = sc.close_story(story)
        line = sl.story_line.get(story)
        state.sizes[story] = closed.state.size
        value = pickle.dumps((closed, line, state.story_ids.get(story), state.labels.get(story), closed.state.size),
                             protocol=_PICKLE)
        story_rows.append((story, state.story_ids.get(story), s.first_day, s.last_day, value, centroid))
    line_rows = []
    closing = sl.closable(set(sc.stories), state.newest_day)
    load_members(store, state, closing)  # a closed storyline's row carries its stories' ids and labels
    for line in closing:
        first, last = sl.first_day[line], sl.last_day[line]
        record = sl.close_line(line)
        stories = {story: (state.story_ids.pop(story, None), state.labels.pop(story, None), state.sizes.pop(story, 0))
                   for story in record["stories"]}
        value = pickle.dumps({"clusterer": record, "line_id": state.line_ids.pop(line, None), "stories": stories},
                             protocol=_PICKLE)
        line_rows.append((line, None, first, last, value, None))
    retired_rows = []
    for story in sl.retirable(set(sc.stories), state.newest_day):
        first, last = sl.story_span.get(story, (None, None))
        record = sl.retire_story(story)
        retired_rows.append((story, state.story_ids.get(story), first, last, pickle.dumps(record, protocol=_PICKLE), None))
    # ids and labels of stories neither open nor in an open storyline (an older state's) are not needed
    keep = set(sc.stories) | set(sl.story_line)
    for name in _MEMBER_FIELDS:
        mapping = getattr(state, name)
        for story in [s for s in mapping if s not in keep]:
            del mapping[story]
    return {STORY: story_rows, STORYLINE: line_rows, RETIRED: retired_rows}, dropped


def save_rows(store: Store, state: EngineState, rows: dict[str, list], dropped: Iterable[int]) -> None:
    """Write the closed rows and delete the rows reopened this batch that stayed open, and the open
    rows of stories that closed or went (in the caller's transaction); then the member rows."""
    written = {(kind, row[0]) for kind, kind_rows in rows.items() for row in kind_rows}
    gone = sorted(state.reopened - written)
    closed_now = [row[0] for row in rows.get(STORY, ())]
    for kind in (STORY, STORYLINE, RETIRED, OPEN):
        keys = [k for k_kind, k in gone if k_kind == kind] + (list(dropped) if kind == STORY else [])
        if kind == OPEN:
            keys = list(dropped) + closed_now
        if keys:
            store.delete_cluster_rows(kind, keys)
        if rows.get(kind):
            store.put_cluster_rows(kind, rows[kind])
    save_members(store, state)
    state.reopened = set()


def _member(state: EngineState, story: int) -> tuple:
    return tuple(getattr(state, name).get(story, _ABSENT) for name in _MEMBER_FIELDS)


def save_members(store: Store, state: EngineState) -> None:
    """Write the "member" rows (module docstring) of the closed stories in memory whose id, label or
    size is new or changed since ``load_members`` read them; delete those of stories no longer closed
    members (their storyline closed, or the story was merged away) and of stories reopened this batch
    that stay open (the blob holds them). The blob then leaves these entries out
    (``EngineState.__getstate__``)."""
    open_stories = state.engine.stories.stories
    closed = {story for name in _MEMBER_FIELDS for story in getattr(state, name)
              if story not in open_stories}
    now = {story: _member(state, story) for story in closed}
    gone = set(state.members) - closed
    gone.update(story for kind, story in state.reopened if kind == STORY and story in open_stories)
    changed = sorted(story for story, value in now.items() if state.members.get(story) != value)
    if gone:
        store.delete_cluster_rows(MEMBER, sorted(gone))
    if changed:
        store.put_cluster_rows(MEMBER, [(story, None, None, None, pickle.dumps(
            tuple(None if v is _ABSENT else (v,) for v in now[story]), protocol=_PICKLE), None) for story in changed])
    state.members, state.member_rows = now, True


def load_members(store: Store, state: EngineState, lines: Iterable[int]) -> None:
    """Read back the member rows of the closed stories of storylines ``lines`` (ids, labels, sizes),
    those not in memory already: what the storylines' titles and keywords, and a closing storyline's
    row, are made from."""
    if not state.member_rows:
        return  # an older state: every entry is in the blob
    sc, sl = state.engine.stories, state.engine.storylines
    wanted = sorted({story for line in lines for story in sl.members(line)
                     if story not in sc.stories and story not in state.members})
    for story, value in store.get_cluster_rows(MEMBER, wanted).items() if wanted else ():
        fields = pickle.loads(value)
        for name, v in zip(_MEMBER_FIELDS, fields):
            if v is not None:  # what this batch set (a story reopened and closed again) stands
                getattr(state, name).setdefault(story, v[0])
        state.members[story] = tuple(_ABSENT if v is None else v[0] for v in fields)


# ------------------------------------------------------------------------------------------ open rows
def load_open(store: Store, state: EngineState) -> None:
    """Put the open stories of a blob saved by ``blob_without_open`` back from their rows (the closed
    stories' member rows are read when needed: ``load_members``)."""
    state.members = {}
    if not state.open_rows:
        state.dirty_all = True
        return
    sc, sl = state.engine.stories, state.engine.storylines
    rows = store.cluster_rows_of_kind(OPEN)
    for story, value in sorted(rows.items()):
        closed, line_part = pickle.loads(value)
        sc.reopen_story(story, closed)
        if line_part is not None:
            sl.restore_story(story, line_part)
    state.open_rows = False  # in memory, the state is whole again


def open_rows_to_write(state: EngineState, touched: Iterable[int]) -> list:
    """Rows (kind "open") of the open stories this batch changed (``touched``) or reopened."""
    sc, sl = state.engine.stories, state.engine.storylines
    dirty = set(sc.stories) if state.dirty_all else set(touched) | {k for kind, k in state.reopened if kind == STORY}
    rows = []
    for story in sorted(dirty):
        if story not in sc.stories:
            continue
        s = sc.stories[story]
        record = ClosedStory(s, sc.sums[story].copy(), sc.story_weeks(story))
        line_part = _line_part(sl, story)
        rows.append((story, state.story_ids.get(story), s.first_day, s.last_day,
                     pickle.dumps((record, line_part), protocol=_PICKLE), None))
    return rows


def _line_part(sl, story: int) -> tuple | None:
    if story not in sl.story_vec:
        return None
    return (sl.story_vec[story], sl.story_names[story], sl.story_reviewed_at.get(story), sl.story_span.get(story),
            sl.story_languages.get(story))


def blob_without_open(state: EngineState) -> bytes:
    """The state blob without the open stories' aggregates and vectors (they are "open" rows). The
    in-memory state is left without them too: ``assign`` loads it afresh for every batch."""
    sc, sl = state.engine.stories, state.engine.storylines
    for story in list(sc.stories):
        sc.stories.pop(story)
        sc.sums.drop(story)
        sc.centroids.drop(story)
        if story in sl.story_vec:
            sl.retire_story(story)
    state.open_rows, state.dirty_all = True, False
    return pickle.dumps(state, protocol=_PICKLE)
