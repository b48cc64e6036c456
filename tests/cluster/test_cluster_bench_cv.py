"""Cross-validation helpers of ``bench.cluster_cv``: folds keep whole topics apart, and the TF-IDF +
agglomerative baseline picks its threshold on training data only (no model involved)."""

from __future__ import annotations

import numpy as np

from bench import cluster_bench, cluster_cv
from bench.metrics import bcubed
from newsprism.models import Article

SUBJECTS = {
    "quake": "earthquake magnitude epicentre rubble rescue aftershock Sumatra villages collapsed",
    "rates": "central bank interest rate inflation basis points governor monetary policy decision",
    "final": "football final goal penalty stadium trophy striker extra time champions",
    "strike": "dock workers strike union harbour ships wages port closed hours",
}


def _dataset(groups: dict[str, int], noise: int) -> cluster_bench.Dataset:
    """Articles on distinct subjects, ``groups[subject]`` each, with a few words of shared filler."""
    rng = np.random.default_rng(noise)
    filler = "said reported on Tuesday officials according to the statement people city".split()
    rows, articles = [], []
    for topic, (subject, count) in enumerate(groups.items()):
        words = SUBJECTS[subject].split()
        for k in range(count):
            text = " ".join(list(rng.choice(words, 12)) + list(rng.choice(filler, 4)))
            rows.append({"id": f"{subject}-{k}", "gold_event": subject, "gold_topic": str(topic)})
            articles.append(Article(id=len(articles) + 1, origin=rows[-1]["id"], title=subject, text=text,
                                    sentences=(), language="en", source=None, published=None))
    data = object.__new__(cluster_bench.Dataset)
    data.name, data.rows, data.articles, data.features = "synthetic", rows, articles, [None] * len(rows)
    return data


def test_folds_are_disjoint_cover_every_topic_and_are_seeded():
    data = _dataset({"quake": 3, "rates": 3, "final": 3, "strike": 3}, noise=1)
    folds = cluster_cv.folds_by(data, "gold_topic", k=2)
    assert len(folds) == 2 and not folds[0] & folds[1]
    assert folds[0] | folds[1] == set(data.gold("gold_topic"))
    assert folds == cluster_cv.folds_by(data, "gold_topic", k=2)


def test_baseline_threshold_is_chosen_on_training_data_and_recovers_distinct_subjects():
    train = _dataset({"quake": 5, "rates": 5}, noise=2)
    test = _dataset({"final": 4, "strike": 6}, noise=3)
    threshold = cluster_cv.baseline_threshold(train, "gold_event")
    assert threshold in cluster_cv.BASELINE_THRESHOLDS
    pred = cluster_cv.baseline_cut(cluster_cv.baseline_tree(test), threshold, len(test.rows))
    assert bcubed(pred, test.gold("gold_event"))[2] == 1.0


def test_pooled_keeps_equal_labels_of_different_folds_apart():
    pred, gold = cluster_cv.pooled([([1, 1], ["a", "a"]), ([1, 1], ["b", "b"])])
    assert bcubed(pred, gold) == (1.0, 1.0, 1.0)


def test_pooled_scores_a_gold_label_running_through_two_folds_per_fold():
    # each time half is clustered alone, so one storyline found whole in each half is a perfect score
    pred, gold = cluster_cv.pooled([([1, 1], ["egypt", "egypt"]), ([1, 1], ["egypt", "egypt"])])
    assert bcubed(pred, gold) == (1.0, 1.0, 1.0)
