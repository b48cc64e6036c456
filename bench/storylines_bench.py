"""Storyline variants measured for issue 18 and not adopted, kept so the figures can be rerun.

Each variant changes one method of the shipped storyline step for the length of its run and scores
ML-Crisis 2011 storylines (all, Jan-Jun, Jul-Dec; each half clustered alone) and ECB+ storylines
against gold topics, in-sample, beside the shipped step. None beat the shipped step on ML-Crisis
without costing ECB+, so none went on to the cross-validated protocol (``bench.cluster_bench --cv``).
The last section is an upper bound of the signals themselves: average-linkage agglomeration of the
finished stories over the whole file at once on the same similarity (language-neutral story cosine
plus a weight times the name-key cosine), with the cut chosen on the gold labels.

    .venv/bin/python -m bench.storylines_bench   # about 3 minutes; writes docs/benchmarks/storylines.md
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import replace

import time
from pathlib import Path

import numpy as np

from bench.cluster_bench import DEFAULT_SETTINGS, ECB, MLC, Dataset, clustered, run
from bench.cluster_diagnostics import shuffled
from bench.metrics import bcubed
from newsprism.cluster.pairs import idf
from newsprism.cluster.stories import StoryClusterer
from newsprism.cluster.storylines import StorylineClusterer

OUT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "storylines.md"


@contextlib.contextmanager
def patched(cls: type, name: str, make: Callable[[Callable], Callable]) -> Iterator[None]:
    """``cls.name`` replaced by ``make(original)`` inside the block."""
    original = getattr(cls, name)
    setattr(cls, name, make(original))
    try:
        yield
    finally:
        setattr(cls, name, original)


def lower_threshold_for_large(low: float, min_stories: int) -> Callable[[Callable], Callable]:
    """A story no storyline accepts joins the best one of at least ``min_stories`` stories scoring ``low``."""
    def make(pick: Callable) -> Callable:
        def _pick(self: StorylineClusterer, scores: dict[int, float]) -> int | None:
            best = pick(self, scores)
            if best is not None:
                return best
            large = {line: s for line, s in scores.items() if self.sizes.get(line, 0) >= min_stories and s >= low}
            return max(sorted(large), key=large.__getitem__) if large else None
        return _pick
    return make


def size_penalty(weight: float) -> Callable[[Callable], Callable]:
    """Each storyline's score lowered by ``weight`` x log(its stories): big storylines attract less."""
    def make(scores: Callable) -> Callable:
        def _scores(self: StorylineClusterer, *args: object) -> dict[int, float]:
            return {line: s - weight * math.log(self.sizes.get(line, 1)) for line, s in scores(self, *args).items()}
        return _scores
    return make


def name_weighting(kind: str) -> Callable[[Callable], Callable]:
    """Story name profiles weighted by ``kind`` of the key's IDF ('sqrt', 'no') instead of the IDF:
    a storyline's subject (its country) is a frequent name, which the IDF weighs least. The shipped
    profile, unit, is reweighted key by key (``kind`` of the IDF over the IDF) and made unit again."""
    scale = {"sqrt": math.sqrt, "no": lambda _: 1.0}[kind]

    def make(name_profile: Callable) -> Callable:
        def reweighted(self: StoryClusterer, story: int) -> dict[str, float]:
            prof = {}
            for k, v in name_profile(self, story).items():
                weight = idf(self.key_df[k], self.entity_docs)
                prof[k] = v * scale(weight) / weight
            norm = math.sqrt(sum(v * v for v in prof.values())) or 1.0
            return {k: v / norm for k, v in prof.items()}
        return reweighted
    return make


def scores(data: dict[str, tuple[Dataset, str]], threshold: float | None = None,
           name_weight: float | None = None) -> str:
    settings = DEFAULT_SETTINGS
    if threshold is not None:
        settings = replace(settings, storyline_threshold=threshold)
    if name_weight is not None:
        settings = replace(settings, storyline_name_weight=name_weight)
    return " | ".join(f"{bcubed(run(d.features, settings)[1], d.gold(field))[2]:.3f}" for d, field in data.values())


def shuffled_orders(data: dict[str, tuple[Dataset, str]], threshold: float) -> str:
    """Storyline F1 over 3 shuffled ingest orders (seeds 1-3) of ML-Crisis and ECB+, at ``threshold``."""
    settings = replace(DEFAULT_SETTINGS, storyline_threshold=threshold)
    cells = []
    for name in ("ML-Crisis", "ECB+ topics"):
        d, field = data[name]
        gold = dict(zip((f.id for f in d.features), d.gold(field)))
        f1s = []
        for seed in (1, 2, 3):
            order = shuffled(d.features, seed)
            f1s.append(bcubed(run(order, settings)[1], [gold[f.id] for f in order])[2])
        cells.append(f"{', '.join(f'{x:.3f}' for x in f1s)} (mean {sum(f1s) / 3:.3f})")
    return " | ".join(cells)


def agglomerative_bound(data: Dataset, field: str, weight: float) -> tuple[float, float]:
    """Best storyline F1 (and its cut) of average-linkage agglomeration of the online run's stories."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    sc = clustered(data.features).stories
    article_story = [sc.article_story[f.id] for f in data.features]
    stories = sorted(set(article_story))
    row = {s: i for i, s in enumerate(stories)}
    vectors = np.stack([sc.language_neutral_vector(s) for s in stories]).astype(np.float64)
    profiles = [sc.name_profile(s) for s in stories]
    keys = {k: i for i, k in enumerate(sorted({k for p in profiles for k in p}))}
    names = np.zeros((len(stories), len(keys)))
    for i, profile in enumerate(profiles):
        for k, v in profile.items():
            names[i, keys[k]] = v
    sim = vectors @ vectors.T + weight * (names @ names.T)
    dist = np.clip(sim.max() - sim, 0.0, None)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    gold = data.gold(field)
    return max((bcubed([fcluster(tree, t, "distance")[row[s]] for s in article_story], gold)[2], round(float(t), 2))
               for t in np.arange(0.2, float(sim.max()) + 0.8, 0.05))


def main() -> None:
    lines = ["## Storyline variants measured and not adopted (issue 18)", "",
             f"Command: `.venv/bin/python -m bench.storylines_bench` (run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). "
             "In-sample storyline B-cubed F1; each half of ML-Crisis clustered alone.", ""]

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    mlc, ecb = Dataset(MLC), Dataset(ECB)
    data = {"ML-Crisis": (mlc, "gold_storyline"),
            "Jan-Jun": (mlc.subset(lambda r: (r["published"] or "") < "2011-07"), "gold_storyline"),
            "Jul-Dec": (mlc.subset(lambda r: (r["published"] or "") >= "2011-07"), "gold_storyline"),
            "ECB+ topics": (ecb, "gold_topic")}
    say("| variant | ML-Crisis | Jan-Jun | Jul-Dec | ECB+ storylines vs topics |")
    say("|---|---|---|---|---|")
    say(f"| shipped (threshold {DEFAULT_SETTINGS.storyline_threshold}) | {scores(data)} |")
    for threshold in (0.35, 0.4):  # the variants below that move the threshold compare with these
        say(f"| shipped step, threshold {threshold} | {scores(data, threshold)} |")
    for low, least in ((0.2, 3), (0.2, 10), (0.0, 10)):
        with patched(StorylineClusterer, "_pick", lower_threshold_for_large(low, least)):
            say(f"| a story no storyline accepts joins one of >= {least} stories at {low} | {scores(data)} |")
    for weight in (0.01, 0.02, 0.04):
        with patched(StorylineClusterer, "_scores", size_penalty(weight)):
            say(f"| score - {weight} x log(storyline stories) | {scores(data)} |")
    for kind in ("sqrt", "no"):
        with patched(StoryClusterer, "name_profile", name_weighting(kind)):
            for threshold, weight in ((0.3, 1.0), (0.4, 1.0), (0.5, 2.0)):
                say(f"| name keys weighted by {kind} IDF, threshold {threshold}, name weight {weight} | "
                    f"{scores(data, threshold, weight)} |")
    say("")
    say("The shipped step at its threshold and at 0.35 (the best in the production order above), over 3 shuffled "
        "ingest orders:")
    say("")
    say("| threshold | ML-Crisis storylines F1 per order | ECB+ storylines vs topics per order |")
    say("|---|---|---|")
    for threshold in (DEFAULT_SETTINGS.storyline_threshold, 0.35):
        say(f"| {threshold} | {shuffled_orders(data, threshold)} |")
    say("")
    say("Upper bound of the signals (agglomeration of the finished stories, cut chosen on gold):")
    say("")
    for weight in (1.0, 2.0, 8.0):
        f1, cut = agglomerative_bound(mlc, "gold_storyline", weight)
        say(f"- ML-Crisis, name weight {weight}: storyline F1 {f1:.3f} (cut {cut})")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
