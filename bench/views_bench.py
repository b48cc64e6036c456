"""How fast a story is shown (first views from stored features, cached views, CLI start times), and
how the demo corpus's comparison meets its gold (``bench.demo_compare``).

The demo corpus (57 articles, 8 languages) is ingested into a new database, which embeds and stores
every article's analysis texts (``analysis.vectors``). Then, in one process with the models loaded
(one story analysed first to load them):

* first view of every story and of the largest storyline (an unanalysed story: claims, quotes,
  provenance, coverage, summary computed from the stored features, then stored);
* cached view: the stored analysis read back (``story_analysis``), 200 times, p50/p95;
* CLI start: ``newsprism articles`` / ``stories`` / ``storylines`` as new processes, median of 5.

    .venv/bin/python -m bench.views_bench
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "newsprism" / "data" / "demo"
OUT = ROOT / "docs" / "benchmarks" / "views.md"
CLI = str(Path(sys.executable).with_name("newsprism"))


def _cli_seconds(db: Path, command: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([CLI, "--db", str(db), command], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from newsprism import analyze
    from newsprism.embed import sentence_embedder
    from newsprism.pipeline import StageTimes, ingest
    from newsprism.store import open_store

    db = Path(tempfile.mkdtemp(prefix="np-views-")) / "views.db"
    store = open_store(db)
    times = StageTimes()
    started = time.perf_counter()
    report = ingest(store, [str(DEMO)], times=times)
    ingest_s = time.perf_counter() - started
    n = len(report.ingested)
    stories = sorted(store.list_stories(), key=lambda s: len(s.article_ids))
    # every model a story may need (e5, spaCy, natasha per language) loaded by one pass, then the
    # stored analyses dropped: the timed views below are first views with the models loaded
    started = time.perf_counter()
    for story in stories:
        analyze.story_analysis(store, story.id)
    load_s = time.perf_counter() - started
    with store.transaction() as connection:
        connection.execute("DELETE FROM analyses")
    sentence_embedder().clear()  # no vector of the first pass (quote texts) is reused
    first = []
    for story in stories:
        started = time.perf_counter()
        analyze.story_analysis(store, story.id)
        first.append((len(story.article_ids), len(store.get_story(story.id).languages), time.perf_counter() - started))
    lines = store.list_storylines()
    largest = max(lines, key=lambda s: sum(len(store.get_story(i).article_ids) for i in s.story_ids))
    size = sum(len(store.get_story(i).article_ids) for i in largest.story_ids)
    started = time.perf_counter()
    analyze.storyline_analysis(store, largest.id)
    line_s = time.perf_counter() - started
    biggest = stories[-1].id
    cached = []
    for _ in range(200):
        started = time.perf_counter()
        analyze.story_analysis(store, biggest)
        cached.append(time.perf_counter() - started)
    cached.sort()
    from bench.demo_compare import evaluate_comparison

    comparison = evaluate_comparison(store)
    store.close()
    cli = {c: _cli_seconds(db, c) for c in ("articles", "stories", "storylines")}

    secs = [s for _, _, s in first]
    rows = "\n".join(f"| {a} | {langs} | {s:.2f} |" for a, langs, s in sorted(first))
    text = f"""## Showing a story (issue: comparison you can trust)

`.venv/bin/python -m bench.views_bench` — the demo corpus ({n} articles, 8 languages) ingested into a
new database in {ingest_s:.0f} s, of which {times.seconds.get('features', 0.0):.0f} s embed and store every
article's analysis texts ({n / max(times.seconds.get('features', 1e-9), 1e-9):.1f} articles/s) and
{times.seconds.get('embed', 0.0):.0f} s the article vectors for grouping. Then, with every model loaded
(a first pass over all stories, model loads included, took {load_s:.1f} s; its stored analyses were
then dropped):

| measure | value |
|---|---|
| first view of a story from stored features, mean / max ({len(first)} stories) | {statistics.mean(secs):.2f} s / {max(secs):.2f} s |
| first view of the largest storyline ({size} articles, {len(largest.story_ids)} stories) | {line_s:.2f} s |
| cached story view (stored analysis read back), p50 / p95 | {cached[len(cached) // 2] * 1000:.1f} ms / {cached[int(len(cached) * 0.95)] * 1000:.1f} ms |
| CLI start + `articles` / `stories` / `storylines` (median of 5) | {cli['articles']:.2f} s / {cli['stories']:.2f} s / {cli['storylines']:.2f} s |

First views by story size:

| articles | languages | seconds |
|---:|---:|---:|
{rows}

The comparison on the demo corpus against its gold (`bench.demo_compare`, same database): planted
disagreements found with both values {len(comparison['found'])} of {comparison['gold_conflicts']}
(missed: {'; '.join(comparison['missed']) or 'none'}); conflicts listed {comparison['listed_conflicts']}, of
which {comparison['unconfirmed_conflicts']} match no planted disagreement (the gold lists only the planted
ones); omissions listed {comparison['omissions']}, of which {len(comparison['contradicted_omissions'])} are
contradicted by the numbers of the omitting source's closest sentence.

A web page waits at most 3 s for an analysis (`web.analysis_runner.PAGE_WAIT_SECONDS`) and otherwise shows
the stored articles and reloads itself until the analysis is stored; the analysis runs on one
background thread. Times are from a 2-core machine shared with other work while measured; rerun for
your own.
"""
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
