"""Named, documented thresholds and weights of story and storyline clustering.

The story scorer is a logistic regression over the pair features of ``stories.PAIR_FEATURES``
(article vs candidate story). Its weights were fitted by ``python -m bench.cluster_bench --fit`` on
ECB+ topics 1-17 only (simulated online assignment against gold events, candidates = the top dense
matches, exactly as at run time); topics 18-35 and ML-Crisis stay held out. Thresholds were then
chosen on the same training topics; see docs/benchmarks/cluster.md for the held-out figures.
No setting depends on the dataset: the same values serve every language and source.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- story (event) level -------------------------------------------------------------------------
# Logistic-regression weights, in the order of stories.PAIR_FEATURES (fitted, see module docstring).
STORY_WEIGHTS: tuple[float, ...] = (
    9.0, 6.0, 2.0, 1.0, 1.0, 1.0, -0.5, 0.3, -0.6, 0.0, -0.8, -0.8, 0.0)
STORY_BIAS = -9.0
# Join the best candidate story when its probability reaches this; otherwise open a new story.
# Chosen on ECB+ topics 1-17 by B-cubed F1 of the simulated online run.
STORY_JOIN_PROBABILITY = 0.5
# Sparse cosine is only comparable within one language. For a candidate story with no article in the
# article's language it is imputed from the dense cosine (least-squares line over same-language
# training pairs), so the lexical term never vetoes a cross-language match.
SPARSE_FROM_DENSE = (0.0, 0.5)
# Dated articles look for stories with a member published within this many days.
STORY_WINDOW_DAYS = 10
# Undated articles look at this many most recently active stories (bounds the cost per article).
UNDATED_CANDIDATES = 3000
# Full pair features are computed for the best dense matches only.
TOP_CANDIDATES = 10
# Per story and language, the sparse centroid keeps its heaviest terms only (memory bound).
STORY_SPARSE_TERMS = 400

# --- storyline level -----------------------------------------------------------------------------
# A story joins the storyline whose centroid scores highest when
#   cosine(story centroid, storyline centroid) - STORYLINE_DECAY * log1p(gap_days / 30)
# reaches STORYLINE_THRESHOLD (gap = days between their date ranges, 0 when unknown).
STORYLINE_THRESHOLD = 0.45
STORYLINE_DECAY = 0.03
# A story's storyline is re-examined each time the story doubles in size (its centroid settles).
STORYLINE_REVIEW_GROWTH = 2


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """All knobs of the clustering stage; the defaults are the tuned constants above."""

    story_weights: tuple[float, ...] = STORY_WEIGHTS
    story_bias: float = STORY_BIAS
    story_join_probability: float = STORY_JOIN_PROBABILITY
    sparse_from_dense: tuple[float, float] = SPARSE_FROM_DENSE
    story_window_days: int = STORY_WINDOW_DAYS
    undated_candidates: int = UNDATED_CANDIDATES
    top_candidates: int = TOP_CANDIDATES
    story_sparse_terms: int = STORY_SPARSE_TERMS
    storyline_threshold: float = STORYLINE_THRESHOLD
    storyline_decay: float = STORYLINE_DECAY
    storyline_review_growth: int = STORYLINE_REVIEW_GROWTH


DEFAULT_SETTINGS = ClusterSettings()
