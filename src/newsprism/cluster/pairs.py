"""How one article is scored against one candidate story: the pair features, the scorer's join
probability (a fitted logistic regression plus a time-decay prior, see ``settings``) and the lead-name
veto. Plain functions over an article's ``ArticleFeatures`` and a story's ``StoryState`` aggregates,
so the bench can fit the scorer on exactly what runs in production.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from .features import ArticleFeatures
from .settings import ClusterSettings

PAIR_FEATURES: tuple[str, ...] = (
    "dense_cosine",        # article vector . story centroid
    "sparse_cosine",       # same-language TF-IDF cosine (imputed from dense across languages)
    "entity_in_story",     # IDF-weighted share of the article's names that the story's articles use
    "story_core_in_article",  # IDF-weighted share of the story's frequent names the article uses
    "lead_names_in_story",  # IDF-weighted share of the article's lead names that the story uses at all
    "story_lead_in_article",  # IDF-weighted share of the story's frequent lead names the article uses
    "number_conflict",     # both state numbers and none agree
    "number_agreement",    # share of the article's numbers found in the story
    "log_day_gap",         # log1p(days between article and the story's date range), 0 when unknown
    "day_unknown",         # 1 when either side has no date
    "stated_date_conflict",  # log1p(min days between dates stated in article and story), >2 days apart
    "year_conflict",       # both mention years and share none
    "log_story_size",
    "value_conflict",      # share of the slots both state ("hour", "schiff") where no value agrees
    "value_agreement",     # share of the article's slot values the story states too
)


def idf(df: int, n: int) -> float:
    """Smoothed inverse document frequency of a term or name seen in ``df`` of ``n`` documents."""
    return math.log((n + 1) / (df + 1)) + 1.0


class StoryState:
    """Aggregates of one story used by the scorer."""

    __slots__ = ("size", "first_day", "last_day", "sparse", "sparse_norm", "entities", "lead", "name_keys", "numbers",
                 "years", "dates", "members", "languages", "values", "value_slots")

    def __init__(self) -> None:
        self.size = 0
        self.first_day: int | None = None
        self.last_day: int | None = None
        self.sparse: dict[str, dict[int, float]] = {}  # language -> term -> summed weight
        self.sparse_norm: dict[str, float] = {}
        self.entities: Counter[str] = Counter()
        self.lead: Counter[str] = Counter()
        self.name_keys: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.years: Counter[int] = Counter()
        self.dates: set[int] = set()
        self.members: list[int] = []
        self.languages: Counter[str] = Counter()  # members per language (duplicates left out)
        self.values: Counter[str] = Counter()  # "slot\tvalue" -> members stating it
        self.value_slots: Counter[str] = Counter()  # slot -> members stating a value in it

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        self.languages = Counter()  # absent from states saved before they existed
        self.values, self.value_slots = Counter(), Counter()
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)


def pair_features(f: ArticleFeatures, weights: dict[int, float], s: StoryState, centroid: np.ndarray,
                  entity_idf: Callable[[str], float], settings: ClusterSettings) -> np.ndarray:
    """The PAIR_FEATURES of article ``f`` (unit TF-IDF ``weights``) against story ``s`` (unit ``centroid``)."""
    dense = float(centroid @ f.vector)
    terms = s.sparse.get(f.language)
    if terms:
        sparse = sum(w * terms.get(t, 0.0) for t, w in weights.items()) / s.sparse_norm[f.language]
    else:
        a, b = settings.sparse_from_dense
        sparse = min(1.0, max(0.0, a + b * dense))
    frequent, frequent_lead = in_half_the_story(s.entities, s.size), in_half_the_story(s.lead, s.size)
    names_in_story = _idf_share(f.entities, lambda n: min(1.0, s.entities.get(n, 0) / s.size), entity_idf, 0.0)
    story_core = _idf_share(frequent, lambda n: float(n in f.entities), entity_idf, 0.0)
    lead_in_story = _idf_share(f.lead_entities, lambda n: float(n in s.entities), entity_idf, 0.5)
    story_lead = _idf_share(frequent_lead, lambda n: float(n in f.entities), entity_idf, 0.5)
    number_conflict = number_agreement = 0.0
    if f.numbers and s.numbers:
        shared = sum(1 for n in f.numbers if n in s.numbers)
        number_agreement = shared / len(f.numbers)
        number_conflict = 1.0 if shared == 0 else 0.0
    if f.day is not None and s.first_day is not None:
        gap = max(0, s.first_day - f.day, f.day - (s.last_day or s.first_day))
        log_gap, unknown = math.log1p(gap), 0.0
    else:
        log_gap, unknown = 0.0, 1.0
    date_conflict = 0.0
    if f.dates and s.dates:
        nearest = min(abs(a - b) for a in f.dates for b in s.dates)
        date_conflict = math.log1p(nearest) if nearest > 2 else 0.0
    year_conflict = 1.0 if f.years and s.years and not any(y in s.years for y in f.years) else 0.0
    value_conflict, value_agreement = _value_features(f.values, s)
    return np.array([
        dense, sparse, names_in_story, story_core, lead_in_story, story_lead, number_conflict, number_agreement,
        log_gap, unknown, date_conflict, year_conflict, math.log(s.size), value_conflict, value_agreement],
        dtype=np.float64)


def _value_features(values: frozenset[str], s: StoryState) -> tuple[float, float]:
    """(value_conflict, value_agreement) of an article's slot values against a story's."""
    if not values or not s.values:
        return 0.0, 0.0
    by_slot: dict[str, bool] = {}  # slot both state -> whether a value agrees
    for key in values:
        slot = key.partition("\t")[0]
        if slot in s.value_slots:
            by_slot[slot] = by_slot.get(slot, False) or key in s.values
    conflict = sum(1 for agrees in by_slot.values() if not agrees) / len(by_slot) if by_slot else 0.0
    return conflict, sum(1 for key in values if key in s.values) / len(values)


def add_values(s: StoryState, values: Iterable[str] | Counter[str]) -> None:
    """Count an article's (or a merged story's) slot values into story ``s``."""
    counts = values if isinstance(values, Counter) else Counter(values)
    s.values.update(counts)
    slots: Counter[str] = Counter()
    for key, n in counts.items():
        slots[key.partition("\t")[0]] += n
    s.value_slots.update(slots)


def in_half_the_story(counts: Counter[str], size: int) -> list[str]:
    """The names of ``counts`` (articles per name) found in at least half of a story's ``size`` articles."""
    return [n for n, c in counts.items() if c * 2 >= size]


def _idf_share(names: Iterable[str], credit: Callable[[str], float], entity_idf: Callable[[str], float],
               empty: float) -> float:
    """IDF-weighted mean of ``credit`` over ``names`` (``empty`` when there are none)."""
    total = hit = 0.0
    for name in names:
        w = entity_idf(name)
        total += w
        hit += w * credit(name)
    return hit / total if total else empty


def join_probability(x: np.ndarray, settings: ClusterSettings) -> float:
    """The scorer's probability that the pair ``x`` (PAIR_FEATURES) is one event, time-decay prior included."""
    st = settings
    z = float(np.dot(st.story_weights, x)) + st.story_bias
    # x[8] is log1p(day gap), 0 when a date is unknown: the decay prior (settings) only acts on dated pairs
    z -= st.story_decay_weight * max(0.0, x[8] - math.log1p(st.story_decay_grace_days))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def lead_veto(f: ArticleFeatures, s: StoryState, x: np.ndarray, settings: ClusterSettings) -> bool:
    """True when the story's own lead names (actors, place, venue) are mostly absent from the article
    and its lead names are mostly new to the story: a topical look-alike, not the same event.
    Only when time cannot tell (a date unknown) or the dates are weeks apart."""
    st = settings
    # dated pairs published close together are left to the time features
    close_in_time = x[9] == 0.0 and x[8] <= math.log1p(st.veto_min_gap_days)
    if x[0] >= st.veto_max_dense or close_in_time:
        return False
    core = in_half_the_story(s.lead, s.size)
    if len(core) < st.veto_min_names:
        return False
    story_missing = sum(1 for n in core if n not in f.entities) / len(core)
    article_new = sum(1 for n in f.lead_entities if n not in s.entities) / max(1, len(f.lead_entities))
    return story_missing >= st.veto_story_missing and article_new >= st.veto_article_new
