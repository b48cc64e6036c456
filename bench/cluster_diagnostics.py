"""Diagnostics of the clustering bench (``bench.cluster_bench``): language mixing, what the labels
allow, where story errors come from, order sensitivity and throughput at scale."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np

from bench.cluster_bench import DEFAULT_SETTINGS, Dataset, majority, run
from bench.metrics import bcubed
from newsprism.cluster import OnlineClusterer
from newsprism.cluster.features import ArticleFeatures

def small_line_oracle(lines: list[int], gold: list[str], min_size: int = 6) -> tuple[int, float]:
    """(articles in storylines smaller than ``min_size``, F1 if each such storyline joined the main
    storyline of its majority gold label): what the small storylines cost."""
    sizes = Counter(lines)
    line_gold, main_line = majority(lines, gold), majority(gold, lines)
    fixed = [main_line[line_gold[ln]] if sizes[ln] < min_size else ln for ln in lines]
    return sum(1 for ln in lines if sizes[ln] < min_size), bcubed(fixed, gold)[2]


def label_ceilings(data: Dataset, stories: list[int], field: str) -> tuple[int, int, float, float]:
    """What the gold labels allow: (identical-text groups with conflicting labels, their articles,
    F1 ceiling of any grouping that keeps identical texts together, F1 when each predicted story is
    given its majority gold label, i.e. the best storyline step over these stories)."""
    gold = data.gold(field)
    texts = [(a.title, a.text) for a in data.articles]
    labels_of: dict = defaultdict(set)
    for t, g in zip(texts, gold):
        labels_of[t].add(g)
    conflicting = [t for t, labels in labels_of.items() if len(labels) > 1]
    members = sum(1 for t in texts if len(labels_of[t]) > 1)
    text_label, story_label = majority(texts, gold), majority(stories, gold)
    ceiling = bcubed([text_label[t] for t in texts], gold)[2]
    oracle = bcubed([story_label[s] for s in stories], gold)[2]
    return len(conflicting), members, ceiling, oracle


def error_sources(data: Dataset, stories: list[int], window_days: int) -> list[str]:
    """Where the story errors on ECB+ come from, as markdown lines: F1 with each kind of error
    removed by the gold labels, the look-alike pairs merged whole, and the gold events whose dated
    articles span more than the story time window."""
    events, topics = data.gold("gold_event"), data.gold("gold_topic")
    f1 = bcubed(stories, events)[2]
    without_merges = bcubed(list(zip(stories, events)), events)[2]  # every story split by gold event
    main_story = majority(events, stories)
    without_splits = bcubed([main_story[e] for e in events], events)[2]  # every event in its main story
    size, in_main, dated = Counter(events), Counter(), Counter()
    story_sets, days = defaultdict(set), defaultdict(list)
    for s, e, f in zip(stories, events, data.features):
        in_main[e] += s == main_story[e]
        story_sets[e].add(s)
        if f.day is not None:
            dated[e] += 1
            days[e].append(f.day)
    pairs: dict = defaultdict(set)
    for e, t in zip(events, topics):
        pairs[t].add(e)
    whole = []
    for topic in sorted(pairs, key=lambda t: (len(t), t)):
        pair = sorted(pairs[topic])
        if (len(pair) == 2 and main_story[pair[0]] == main_story[pair[1]]
                and min(in_main[e] / size[e] for e in pair) >= 0.5):
            whole.append(f"{topic} (dated {dated[pair[0]] / size[pair[0]]:.0%} / {dated[pair[1]] / size[pair[1]]:.0%})")
    apart = _apart_by_kind(stories, events, data.features, main_story, window_days)
    long_events = [e for e, d in days.items() if max(d) - min(d) > window_days]
    long_split = sum(1 for e in long_events if len(story_sets[e]) > 1)
    return [f"Where the story errors come from: story F1 {f1:.3f}; {without_merges:.3f} if every story were split "
            f"by gold event (no look-alike merges), {without_splits:.3f} if every gold event were gathered in its "
            f"main story (no splits). Look-alike pairs merged whole (each event has half or more of its articles in "
            f"the shared story; share of articles with a date per event): {', '.join(whole) or 'none'}. "
            f"{len(long_events)} gold events have dated articles further apart than the {window_days}-day story window "
            f"(a shooting and the trial two years on are one gold event); {long_split} of them are split. "
            f"{sum(apart.values())} articles sit outside their gold event's main story: {apart['far']} dated more than "
            f"{window_days} days from every dated article of it (another event by the issue's own definition: a "
            f"trial is not the shooting), {apart['undated']} with no date on one side, {apart['near']} within the "
            f"window.", ""]


def _apart_by_kind(stories: list[int], events: list[str], features: list[ArticleFeatures],
                   main_story: dict, window_days: int) -> Counter:
    """Articles outside their gold event's main story, by what the dates say: 'far' (more than the window
    from every dated article of the main part), 'undated' (it or the main part has no date), 'near'."""
    main_days: dict = defaultdict(list)
    for s, e, f in zip(stories, events, features):
        if s == main_story[e] and f.day is not None:
            main_days[e].append(f.day)
    out: Counter = Counter(far=0, undated=0, near=0)
    for s, e, f in zip(stories, events, features):
        if s == main_story[e]:
            continue
        if f.day is None or not main_days[e]:
            out["undated"] += 1
        else:
            out["far" if min(abs(f.day - d) for d in main_days[e]) > window_days else "near"] += 1
    return out


def shuffled(features: list[ArticleFeatures], seed: int) -> list[ArticleFeatures]:
    out = list(features)
    random.Random(seed).shuffle(out)
    return out


def order_sensitivity(features: list[ArticleFeatures], gold: list[str], level: int) -> list[tuple[float, float]]:
    """(F1 vs gold, B-cubed F1 vs the canonical-order result) for 3 shuffled ingest orders."""
    base = run(features)[level]
    out = []
    for seed in (1, 2, 3):
        order = shuffled(features, seed)
        pred = dict(zip((f.id for f in order), run(order)[level]))
        labels = [pred[f.id] for f in features]
        out.append((bcubed(labels, gold)[2], bcubed(labels, base)[2]))
    return out


def replicate(features: list[ArticleFeatures], n: int) -> list[ArticleFeatures]:
    """``n`` articles from copies of the bench stream, each copy shifted by 400 days, vectors perturbed.

    Real streams always carry a publication date, so an undated bench article gets its copy's
    start date plus its position (the scale test measures cost, not quality).
    """
    rng = np.random.default_rng(7)
    base = min(f.day for f in features if f.day is not None)
    out = []
    copy = 0
    while len(out) < n:
        shift = copy * 400
        for i, f in enumerate(features):
            if len(out) == n:
                break
            vec = f.vector + rng.normal(0, 0.02, f.vector.shape).astype(np.float32)
            day = (f.day if f.day is not None else base + i % 365) + shift
            out.append(replace(f, id=len(out) + 1, vector=vec / np.linalg.norm(vec), day=day,
                               dates=frozenset(d + shift for d in f.dates), duplicate_of=None))
        copy += 1
    return sorted(out, key=lambda f: (f.day, f.id))


def scale(features: list[ArticleFeatures], sizes=(1_000, 10_000, 100_000)) -> list[tuple[int, float, float, int]]:
    """(articles, mean ms/article, ms/article over the last 1k, stories) feeding batches of 500."""
    rows = []
    for n in sizes:
        stream = replicate(features, n)
        engine = OnlineClusterer(DEFAULT_SETTINGS, dim=len(stream[0].vector))
        start = time.perf_counter()
        last = start
        for b in range(0, n, 500):
            if b == n - 1000:
                last = time.perf_counter()
            engine.add(stream[b:b + 500])
        end = time.perf_counter()
        tail = end - last if n > 1000 else end - start
        rows.append((n, 1000 * (end - start) / n, tail, len(engine.stories.stories)))
    return rows
