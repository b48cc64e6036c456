"""Story (event) and storyline clustering: online, incremental, multilingual.

Public API:
    assign(store, article_ids, *, embedder=None, settings=None)   file new articles
    recluster(store, *, embedder=None, settings=None, overrides=None, reset=False)   rebuild everything
    grouping_settings(store, embedder_name) -> ClusterSettings  the settings new batches get
    settings_report(store) -> rows of name, value, default, changed, note    ``newsprism settings``
    check_embedder(store, embedder=None)                         can this database group with it?
    StoryClusterer / StorylineClusterer / OnlineClusterer                   pure, picklable cores
    article_features(article, vector) -> ArticleFeatures                     per-article signals
"""

from .engine import (OnlineClusterer, assign, check_embedder, grouping_settings, recluster, saved_overrides,
                     settings_report)
from .features import ArticleFeatures, article_features
from .pairs import PAIR_FEATURES
from .settings import DEFAULT_SETTINGS, ClusterSettings
from .stories import StoryClusterer
from .storylines import StorylineClusterer

__all__ = [
    "ArticleFeatures", "ClusterSettings", "DEFAULT_SETTINGS", "OnlineClusterer", "PAIR_FEATURES",
    "StoryClusterer", "StorylineClusterer", "article_features", "assign", "check_embedder", "grouping_settings",
    "recluster", "saved_overrides", "settings_report",
]
