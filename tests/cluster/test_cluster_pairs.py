"""Pair scoring of an article against a story: the lead-name veto and the time-decay prior."""

import math
from dataclasses import replace

import numpy as np

from newsprism.cluster import DEFAULT_SETTINGS, StoryClusterer, article_features
from newsprism.models import Article


def _article(text: str, title: str) -> Article:
    return Article(id=1, origin="t", title=title, text=text, sentences=(), language="en", source=None, published=None)


def test_lead_veto_refuses_topical_lookalike_without_dates():
    venue_a = ("Stoltenberg met Meloni in Rome at Palazzo Chigi; ANSA interview with Italy's Prime Minister "
               "Giorgia Meloni on Washington summit, SAMP/T, Bulgaria battle group, Kosovo KFOR")
    venue_b = "Stoltenberg in Helsinki: Finland and Finnish Supreme Allied Commander Cavoli on Normandy"
    vec = np.zeros(384, dtype=np.float32)
    vec[0] = 1.0
    first = article_features(_article(venue_a, "Stoltenberg in Rome with Meloni, ANSA"), vec)
    second = article_features(_article(venue_b, "Stoltenberg in Helsinki with Cavoli"), vec)
    sc = StoryClusterer()
    sc.add([first])
    x = sc.pair_features(second, sc._observe(second), 0)
    x[0] = 0.68  # a topical dense cosine
    assert sc.lead_veto(second, 0, x)
    x[0] = 0.9  # near-identical texts are never vetoed
    assert not sc.lead_veto(second, 0, x)
    x[0], x[8], x[9] = 0.68, 0.0, 0.0  # dated the same day: the time features decide
    assert not sc.lead_veto(second, 0, x)
    x[8] = math.log1p(50)  # dated weeks apart: names must agree
    assert sc.lead_veto(second, 0, x)


def test_time_decay_lowers_joins_months_apart_but_not_within_the_grace_period():
    sc = StoryClusterer(DEFAULT_SETTINGS)
    no_decay = StoryClusterer(replace(DEFAULT_SETTINGS, story_decay_weight=0.0))

    def pair(gap_days: float | None) -> np.ndarray:
        x = np.zeros(len(DEFAULT_SETTINGS.story_weights))
        x[0], x[1], x[2], x[4] = 0.75, 0.5, 0.8, 0.8  # dense, sparse, names, lead names: a plausible join
        x[8], x[9] = (0.0, 1.0) if gap_days is None else (math.log1p(gap_days), 0.0)
        return x

    grace = DEFAULT_SETTINGS.story_decay_grace_days
    for gap in (None, 0, 3, grace):
        assert sc.probability(pair(gap)) == no_decay.probability(pair(gap))
    four_months = pair(114)
    assert no_decay.probability(four_months) >= DEFAULT_SETTINGS.story_join_probability  # joins without it
    assert sc.probability(four_months) < no_decay.probability(four_months) - 0.3
    assert sc.probability(pair(114)) < sc.probability(pair(60)) < sc.probability(pair(grace))
