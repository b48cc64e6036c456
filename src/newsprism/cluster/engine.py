"""The clustering engine (stories + storylines) and its glue to a ``Store``.

``OnlineClusterer`` is pure and picklable. ``assign`` loads it from the store's state table, reopens
the closed stories and storylines the batch can reach (``state``), feeds it a batch of new articles,
writes stories/storylines with labels, closes what no next article can reach and saves the rest back,
so the next batch continues where this one stopped; ``recluster`` starts from nothing. The state blob
holds only the open stories and storylines (``state``): it, the memory and the rows written per batch
stay flat as the corpus grows. A database grouped by an older version (one blob with every story) is
split into rows the first time a batch loads it.

Both hold the store's writer lock from loading the state to saving it: two processes grouping from one
loaded state would each file articles the other does not know and write over each other's stories
(two one-article ingests at once left a story without articles in 5 runs out of 5). A batch's
groupings, its removals and the saved state are written in one transaction, which also deletes any
story left without articles or storyline left without stories, so none is ever stored.
"""

from __future__ import annotations

import json
import logging
import pickle
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from ..embed import Embedder, article_embedder, article_embedder_name, embed_articles
from ..errors import ModelError, SettingError
from ..models import Article, Story, Storyline
from ..store import Store
from .features import ArticleFeatures, article_features
from .labels import central_title, keywords, storyline_keywords
from .settings import DEFAULT_SETTINGS, SETTING_NOTES, ClusterSettings, setting_text, settings_for, with_overrides
from .pairs import idf as _idf
from .state import (OPEN, EngineState, blob_without_open, close_idle, load_members, load_open, open_rows_to_write,
                    reopen_for_batch, save_rows)
from .stories import StoryClusterer
from .storylines import StorylineClusterer

STATE_NAME = "cluster.engine.v1"
EMBEDDER_STATE = "cluster.embedder"  # name of the article embedder the groupings were built with
# Settings the user chose by name (``recluster --set``), as JSON {name: text}: every later batch of
# this database is grouped with them, so one database is grouped by one set of settings.
SETTINGS_STATE = "cluster.settings"
# Labels read at most this many members of a story (the most recent ones): bounded work per batch.
LABEL_MEMBERS = 200

_log = logging.getLogger(__name__)


class OnlineClusterer:
    """Stories and storylines together: ``add`` files articles, then refreshes touched storylines."""

    def __init__(self, settings: ClusterSettings = DEFAULT_SETTINGS, dim: int = 384) -> None:
        self.stories = StoryClusterer(settings, dim)
        self.storylines = StorylineClusterer(settings, dim)
        self.last_touched: list[int] = []
        self.last_merged: dict[int, int] = {}  # story index absorbed by the last ``add`` -> its new story
        self.last_moved: list[int] = []  # articles those merges moved to another story

    def set_settings(self, settings: ClusterSettings) -> None:
        self.stories.settings = settings
        self.storylines.settings = settings

    def add(self, features: Sequence[ArticleFeatures]) -> list[int]:
        """Story index per article (in order); storylines of the touched stories are updated."""
        out = self.stories.add(features)
        moved: list[int] = []
        merged = self.stories.merge_close_stories(moved)
        merged.update(self.stories.rejoin_singletons(moved))  # absorbs singletons only: kept stories stay
        out = [merged.get(s, s) for s in out]
        self.last_merged, self.last_moved = merged, moved
        touched = sorted(self.stories.touched)
        self.stories.touched.clear()
        sc = self.stories
        for gone in sorted(merged):
            self.storylines.remove(gone)
        live = [s for s in touched if sc.stories[s].size > 0]
        self.storylines.update([(s, sc.language_neutral_vector(s), sc.stories[s].size, *sc.story_days(s),
                                 sc.name_profile(s), sc.stories[s].languages) for s in live])
        # a second look once the whole batch is placed (measured at storylines.REVISIT_MARGIN)
        self.storylines.revisit(live)
        self.last_touched = touched
        return out

    def idf(self, language: str, term: int) -> float:
        sc = self.stories
        return _idf(sc.term_df.get(language, Counter()).get(term, 0), sc.docs[language])


def check_embedder(store: Store, embedder: Embedder | None = None) -> None:
    """Raise ``ModelError`` unless new articles can be grouped with ``embedder`` in this database
    (vectors of two models are not comparable). Cheap: reads one small state value."""
    embedder = embedder or article_embedder()
    built_with = _built_with(store)
    if built_with and built_with != embedder.name:
        raise ModelError(f"the stories in this database were built with the {built_with} embedder, not "
                         f"{embedder.name}; use the same --embedder, or regroup everything with "
                         f"`newsprism --embedder NAME recluster`")


def _built_with(store: Store) -> str:
    """Name of the embedder this database's groupings were built with ("" before the first batch)."""
    built_with = (store.get_state(EMBEDDER_STATE) or b"").decode()
    if not built_with and store.get_state(STATE_NAME):
        built_with = "e5-small-q4-centred"  # grouped before the embedder was recorded: the only one then
    return built_with


def settings_report(store: Store) -> list[dict[str, str | bool]]:
    """Every clustering setting of this database: name, value in use, the tuned default for its
    embedder (the one it was grouped with, else the one chosen now), whether it was changed, and what
    it does."""
    embedder_name = _built_with(store) or article_embedder_name()
    defaults, used = settings_for(embedder_name), grouping_settings(store, embedder_name)
    rows = []
    for name, note in SETTING_NOTES.items():
        value, default = setting_text(getattr(used, name)), setting_text(getattr(defaults, name))
        rows.append({"name": name, "value": value, "default": default, "changed": value != default,
                     "note": note})
    return rows


def saved_overrides(store: Store) -> dict[str, str]:
    """The settings this database was last reclustered with by name (empty: the tuned defaults)."""
    raw = store.get_state(SETTINGS_STATE)
    return json.loads(raw.decode()) if raw else {}


def grouping_settings(store: Store, embedder_name: str) -> ClusterSettings:
    """The settings new articles of this database are grouped with: the ones tuned for the embedder,
    with the database's saved overrides on top."""
    try:
        return with_overrides(settings_for(embedder_name), saved_overrides(store))
    except SettingError as exc:  # saved by another version of newsprism
        raise SettingError(f"this database's saved settings no longer apply ({exc}); "
                           f"run `newsprism recluster --reset` to go back to the defaults") from None


def _load(store: Store, settings: ClusterSettings, embedder: Embedder) -> EngineState:
    check_embedder(store, embedder)
    raw = store.get_state(STATE_NAME)
    if raw:
        state: EngineState = pickle.loads(raw)
        state.engine.set_settings(settings)
        load_open(store, state)
        if not state.windowed:
            _split_whole_state(store, state)
        return state
    store.put_state(EMBEDDER_STATE, embedder.name.encode())
    return EngineState(OnlineClusterer(settings, embedder.dim))


def _split_whole_state(store: Store, state: EngineState) -> None:
    """Write an older version's whole state (every story in one blob) in the windowed form, once."""
    sc = state.engine.stories
    state.windowed = True
    state.engine.stories.article_story.clear()  # the store knows each article's story
    days = [s.last_day for s in sc.stories.values() if s.last_day is not None]
    state.newest_day = max(days) if days else None
    rows, dropped = close_idle(store, state)
    rows[OPEN] = open_rows_to_write(state, ())
    with store.transaction():
        save_rows(store, state, rows, dropped)
        store.put_state(STATE_NAME, blob_without_open(state))
    load_open(store, state)
    _log.info("clusterer state split: %s rows written", {kind: len(r) for kind, r in rows.items()})


def production_order(article: Article) -> tuple[bool, str, int]:
    # production order: published date then id; duplicates after their originals
    return (article.duplicate_of is not None, article.published or "", article.id)


def assign(store: Store, article_ids: Sequence[int], *, embedder: Embedder | None = None,
           settings: ClusterSettings | None = None, features: Mapping[int, ArticleFeatures] | None = None) -> None:
    """File new articles into existing or new stories and storylines (online, incremental).

    ``embedder`` defaults to ``embed.article_embedder()``; ``settings`` to the ones tuned for it, with
    the database's saved overrides (``recluster(overrides=...)``) on top. ``features``: article id ->
    ``article_features`` of the stored article and its stored vector, computed elsewhere (the Ray
    engine maps them in parallel); the others are computed here."""
    embedder = embedder or article_embedder()
    with store.writer_lock():  # the state is read here and written back by _persist (module docstring)
        settings = settings or grouping_settings(store, embedder.name)
        _assign(store, article_ids, embedder, settings, features)


def stored_features(articles: Sequence[Article], vectors: Mapping[int, np.ndarray]) -> dict[int, ArticleFeatures]:
    """``article_features`` of stored articles with their stored vectors (those that have one): what
    ``assign(features=...)`` takes, a pure function to run wherever the articles are."""
    return {a.id: article_features(a, vectors[a.id]) for a in articles if a.id in vectors}


def _assign(store: Store, article_ids: Sequence[int], embedder: Embedder, settings: ClusterSettings,
            given: Mapping[int, ArticleFeatures] | None = None) -> None:
    given = given or {}
    state = _load(store, settings, embedder)
    engine = state.engine
    engine.stories.article_story.clear()  # this batch's only: the store knows every other article's story
    articles = sorted((a for a in store.get_articles(article_ids) if a.story is None), key=production_order)
    if not articles:
        return
    batch_ids = {a.id for a in articles}
    known = _original_stories(store, state, {a.duplicate_of for a in articles
                                             if a.duplicate_of is not None and a.duplicate_of not in batch_ids})
    needs_vector = [a for a in articles if a.duplicate_of is None
                    or (a.duplicate_of not in known and a.duplicate_of not in batch_ids)]
    vectors = embed_articles(store, needs_vector, embedder) if needs_vector else {}
    zero = np.zeros(embedder.dim, dtype=np.float32)
    features = []
    for a in articles:
        if a.id not in vectors and a.duplicate_of is not None and a.duplicate_of not in batch_ids:
            a = _without_original(a, known)
        f = given.get(a.id)
        if f is not None and a.id in vectors and f.duplicate_of == a.duplicate_of:  # the same inputs
            features.append(f)
        else:
            features.append(article_features(a, vectors.get(a.id, zero)))
    reopen_for_batch(store, state, features, set(known.values()))
    engine.stories.article_story.update(known)  # copies join their originals' stories
    days = [f.day for f in features if f.day is not None]
    if days:
        state.newest_day = max(days) if state.newest_day is None else max(state.newest_day, *days)
    story_index = engine.add(features)
    _persist(store, state, embedder, {a.id: s for a, s in zip(articles, story_index)})


def _original_stories(store: Store, state: EngineState, originals: set[int]) -> dict[int, int]:
    """Original article id -> its story's index, for the originals that are grouped."""
    if not originals:
        return {}
    story_of = {a.id: a.story for a in store.get_articles(sorted(originals)) if a.story is not None}
    index_of = {sid: index for index, sid in state.story_ids.items()}
    missing = {sid for sid in story_of.values() if sid not in index_of}
    index_of.update(store.cluster_keys_of_stories(sorted(missing)) if missing else {})
    return {aid: index_of[sid] for aid, sid in story_of.items() if sid in index_of}


def _without_original(article: Article, known: dict[int, int]) -> Article:
    from dataclasses import replace
    return article if article.duplicate_of in known else replace(article, duplicate_of=None)


def _persist(store: Store, state: EngineState, embedder: Embedder, filed: dict[int, int]) -> None:
    """Write what the last ``engine.add`` changed, and the state, in one transaction (labels first)."""
    engine = state.engine
    sc, sl = engine.stories, engine.storylines
    filed = dict(filed)
    absorbed = []
    # a merged story's earlier members move to the story that absorbed it; its row goes
    filed.update({member: sc.article_story[member] for member in engine.last_moved})
    for gone in sorted(engine.last_merged):
        if gone in state.story_ids:
            absorbed.append(state.story_ids.pop(gone))
        state.labels.pop(gone, None)
    # ids for new stories and storylines (max + 1 onwards: the writer lock keeps them this batch's)
    next_story, next_line = store.new_story_id(), store.new_storyline_id()
    new_stories = []
    for index in sorted(set(filed.values())):
        if index not in state.story_ids:
            state.story_ids[index], next_story = next_story, next_story + 1
            new_stories.append(index)
    for line in sorted(sl.touched):
        if sl.sizes[line] > 0 and line not in state.line_ids:
            state.line_ids[line], next_line = next_line, next_line + 1
    emptied = [state.line_ids.pop(line) for line in sorted(sl.touched)
               if sl.sizes[line] == 0 and line in state.line_ids]

    stories: dict[int, Story] = {}  # story index -> row to write
    for index in sorted(set(engine.last_touched) | set(new_stories)):
        if not sc.stories[index].size:
            continue  # absorbed by a merge
        members = sc.stories[index].members[-LABEL_MEMBERS:]
        articles = store.get_articles(members)
        vectors = store.get_embeddings(members, embedder.name)
        title = central_title(articles, vectors, sc.story_vector(index))
        state.labels[index] = (title, keywords(articles, engine.idf))
        stories[index] = Story(id=state.story_ids[index], title=title, article_ids=(),
                               keywords=state.labels[index][1],
                               storyline=state.line_ids.get(sl.story_line.get(index, -1)))
    storylines = []
    load_members(store, state, sl.touched)  # the closed stories' labels and sizes make the titles
    for line in sorted(sl.touched):
        if sl.sizes[line] == 0:
            continue
        members = sl.members(line)
        for index in members:  # stories placed in this line this batch need their storyline id updated
            if index in sl.placed and index not in stories and index in state.story_ids:  # (no id: row empty)
                title, words = state.labels[index]
                stories[index] = Story(id=state.story_ids[index], title=title, article_ids=(), keywords=words,
                                       storyline=state.line_ids[line])
        lead = max(members, key=lambda i: (state.size_of(i), -i))
        words = storyline_keywords([(state.labels[index][1], state.size_of(index)) for index in members])
        storylines.append(Storyline(id=state.line_ids[line], title=state.labels[lead][0], story_ids=(),
                                    keywords=words))
    sl.touched.clear()
    sl.placed.clear()
    sc.article_story.clear()  # filed above; the blob keeps no article ids
    assignment = {aid: state.story_ids[index] for aid, index in filed.items()}
    rows, dropped = close_idle(store, state)  # may close stories of this batch (and their ids)
    rows[OPEN] = open_rows_to_write(state, engine.last_touched)

    with store.transaction():  # readers (and a crash) see the batch's groupings whole or not at all
        store.set_article_stories(assignment)
        store.delete_stories(absorbed)
        store.delete_storylines(emptied)
        for story in stories.values():
            store.save_story(story)
        for storyline in storylines:
            store.save_storyline(storyline)
        _drop_empty_groups(store, state)
        save_rows(store, state, rows, dropped)
        store.put_state(STATE_NAME, blob_without_open(state))


def _drop_empty_groups(store: Store, state: EngineState) -> None:
    """Delete stories without articles and storylines without stories, in the caller's transaction.

    The grouping above leaves none; rows found here are an earlier run's (two ingests at once before
    the writer lock, or an interrupted older version), and the state forgets their ids."""
    stories, lines = store.delete_empty_groups()
    if not stories and not lines:
        return
    _log.warning("removed %d stories without articles and %d storylines without stories (left by an "
                 "earlier run); if the groupings look wrong, `newsprism recluster` rebuilds them",
                 len(stories), len(lines))
    gone_stories, gone_lines = set(stories), set(lines)
    state.story_ids = {i: sid for i, sid in state.story_ids.items() if sid not in gone_stories}
    state.line_ids = {i: lid for i, lid in state.line_ids.items() if lid not in gone_lines}


def recluster(store: Store, *, embedder: Embedder | None = None, settings: ClusterSettings | None = None,
              overrides: Mapping[str, str] | None = None, reset: bool = False) -> None:
    """Rebuild all stories and storylines from the stored articles (published date, then id).

    ``overrides`` (setting name -> value as text) are added to the database's saved ones, or replace
    them all after ``reset``; later batches are grouped with them too. They are checked before anything
    stored changes: a bad name or value raises ``SettingError`` and leaves the groupings as they were.
    """
    embedder = embedder or article_embedder()
    with store.writer_lock():  # no ingest groups (or reads the state) until everything is rebuilt
        if not reset:
            grouping_settings(store, embedder.name)  # the saved overrides still apply (else: how to reset)
        chosen = {} if reset else saved_overrides(store)
        chosen.update(overrides or {})
        checked = with_overrides(settings_for(embedder.name), chosen)
        settings = settings or checked
        articles = list(store.iter_articles())
        with store.transaction():  # never a story row without its articles
            store.put_state(SETTINGS_STATE, json.dumps(chosen, sort_keys=True).encode())
            store.set_article_stories({a.id: None for a in articles})
            store.delete_stories([s.id for s in store.list_stories()])
            store.delete_storylines([s.id for s in store.list_storylines()])
            store.put_state(STATE_NAME, b"")
            store.put_state(EMBEDDER_STATE, b"")
            store.clear_cluster_rows()
        ordered = [a.id for a in sorted(articles, key=production_order)]
        for start in range(0, len(ordered), 1000):
            _assign(store, ordered[start:start + 1000], embedder, settings)
