"""Clustering settings by name: parsing and checking ``NAME=VALUE``, and a database that keeps the
settings it was reclustered with for every later batch."""

from dataclasses import fields

import pytest

from newsprism import cluster
from newsprism.cluster.settings import (
    DEFAULT_SETTINGS, SETTING_NOTES, USE_SETTINGS, ClusterSettings, parse_assignments, setting_text, with_overrides)
from newsprism.errors import SettingError

from cluster_support import add_docs, make_doc


def test_every_setting_has_a_note() -> None:
    assert list(SETTING_NOTES) == [f.name for f in fields(ClusterSettings)]


def test_values_are_parsed_by_the_type_of_the_setting() -> None:
    s = with_overrides(DEFAULT_SETTINGS, parse_assignments(
        ["storyline_threshold=0.35", "top-candidates = 5", "storyline_lone_review_days=none",
         "sparse_from_dense=0.1, 0.5"]))
    assert (s.storyline_threshold, s.top_candidates, s.storyline_lone_review_days) == (0.35, 5, None)
    assert s.sparse_from_dense == (0.1, 0.5) and isinstance(s.top_candidates, int)
    # a setting that is off (None) for one embedder takes a whole number again
    assert with_overrides(USE_SETTINGS, {"storyline_lone_review_days": "7"}).storyline_lone_review_days == 7
    # round trip: what `newsprism settings` shows, --set takes back
    text = {f.name: setting_text(getattr(DEFAULT_SETTINGS, f.name)) for f in fields(ClusterSettings)}
    assert with_overrides(DEFAULT_SETTINGS, text) == DEFAULT_SETTINGS


@pytest.mark.parametrize("item, problem", [
    ("storyline_treshold=0.3", "unknown setting 'storyline_treshold'"),
    ("top_candidates=2.5", "expected a whole number"),
    ("story_join_probability=1.5", "must lie between 0 and 1"),
    ("story_bias=inf", "finite"),
    ("story_weights=1,2,3", "expected 15 comma-separated numbers"),
    ("storyline_lone_review_days=soon", "whole number or none"),
    ("storyline_threshold", "expected NAME=VALUE"),
    ("=0.3", "expected NAME=VALUE"),
    # before: accepted, though no storyline score reaches 7 and every one reaches -3
    ("storyline_threshold=7", "storyline_threshold=7: must lie between -1 and 2, the range of storyline scores"),
    ("storyline_threshold=-3", "storyline_threshold=-3: must lie between -1 and 2"),
    ("storyline_name_weight=-2", "must lie between 0 and 10"),
    ("story_decay_weight=-1", "must lie between 0 and 100"),
])
def test_bad_names_and_values_are_named_in_the_error(item: str, problem: str) -> None:
    with pytest.raises(SettingError, match=problem):
        with_overrides(DEFAULT_SETTINGS, parse_assignments([item]))


def test_the_storyline_threshold_range_follows_the_name_weight() -> None:
    s = with_overrides(DEFAULT_SETTINGS, {"storyline_name_weight": "2", "storyline_threshold": "2.5"})
    assert (s.storyline_name_weight, s.storyline_threshold) == (2.0, 2.5)
    with pytest.raises(SettingError, match=r"storyline_threshold 2.5 \(with --set storyline_name_weight=1\): "
                                           "must lie between -1 and 2"):
        with_overrides(s, {"storyline_name_weight": "1"})  # the threshold of 2.5 is now out of reach
    assert with_overrides(DEFAULT_SETTINGS, {"storyline_threshold": "-1"}).storyline_threshold == -1


@pytest.mark.slow
def test_a_database_keeps_its_settings_for_later_batches(store, embedder, news_events) -> None:
    held_back = "rate-poland"  # by default not in an earthquake's storyline (test_cluster_online)
    first = [add_docs(store, [make_doc(*doc)])[0]
             for event, docs in news_events.items() if event != held_back for doc in docs]
    cluster.assign(store, first, embedder=embedder)
    # a storyline threshold every score reaches: every story joins the first storyline, now and later
    cluster.recluster(store, embedder=embedder, overrides={"storyline_threshold": "-1"})
    later = [add_docs(store, [make_doc(*doc)])[0] for doc in news_events[held_back]]
    cluster.assign(store, later, embedder=embedder)
    assert len(store.list_storylines()) == 1 and len(store.list_stories()) == 3
    rows = {r["name"]: r for r in cluster.settings_report(store)}
    assert rows["storyline_threshold"]["value"] == "-1.0" and rows["storyline_threshold"]["changed"]
    assert rows["storyline_threshold"]["default"] == "0.3"

    # a bad value is refused before anything stored changes
    before = {a.id: a.story for a in store.iter_articles()}
    with pytest.raises(SettingError, match="top_candidates"):
        cluster.recluster(store, embedder=embedder, overrides={"top_candidates": "0"})
    assert {a.id: a.story for a in store.iter_articles()} == before
    assert cluster.saved_overrides(store) == {"storyline_threshold": "-1"}

    cluster.recluster(store, embedder=embedder, reset=True)
    assert cluster.saved_overrides(store) == {}
    assert not any(r["changed"] for r in cluster.settings_report(store))
    assert len(store.list_storylines()) >= 2 and len(store.list_stories()) == 3
