"""The whole pipeline on the bundled demo corpus, scored against its gold labels.

The demo corpus (57 articles, 8 languages, 12 events in 4 multi-event storylines plus single-event
storylines, look-alike events months apart) was written for newsprism; its gold labels live in
``tests/fixtures/demo_gold.json``. This measures what a user of ``make demo`` sees: B-cubed F1 of
stories vs events and storylines vs storylines, language splits, and whether the syndicated copy is
linked to its original.
Run: .venv/bin/python -m bench.demo_bench
"""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from pathlib import Path

from bench.metrics import bcubed
from newsprism.cli import demo_corpus_path
from newsprism.pipeline import ingest
from newsprism.store import open_store

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "demo_gold.json"
OUT = ROOT / "docs" / "benchmarks" / "demo.md"


def gold_key(origin: str, corpus: Path) -> str:
    """The gold file name of an article's origin (JSONL rows are named by their id)."""
    rel = origin[len(str(corpus)) + 1:] if origin.startswith(str(corpus)) else origin
    return rel


def evaluate(db_path: Path, embedder: object | None = None) -> dict:
    """Ingest the demo corpus into ``db_path`` (grouping with ``embedder``, default e5) and score it."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    by_file = {a["file"]: a for a in gold["articles"]}
    corpus = demo_corpus_path()
    store = open_store(db_path)
    started = time.perf_counter()
    ingest(store, [str(corpus)], embedder=embedder)
    seconds = time.perf_counter() - started
    story_line = {s.id: s.storyline for s in store.list_stories()}
    rows = []
    for article in store.iter_articles():
        key = gold_key(article.origin, corpus)
        if "#" in key:
            key = key.split("#")[0] + "#" + (article.external_id or "")
        rows.append((article, by_file[key]))
    stories = [a.story for a, _ in rows]
    lines = [story_line[a.story] for a, _ in rows]
    split_lines = sorted({g["storyline"] for _, g in rows
                          if len({story_line[a.story] for a, h in rows if h["storyline"] == g["storyline"]}) > 1})
    events_of: dict[int, set[str]] = {}
    for a, g in rows:
        events_of.setdefault(a.story, set()).add(g["event"])
    merged = sorted({pair for events in events_of.values() for pair in itertools.combinations(sorted(events), 2)})
    id_of = {gold_key(a.origin, corpus): a for a, _ in rows}
    pair = gold["syndicated_pairs"][0]
    copy, original = id_of[pair["copy"]], id_of[pair["original"]]
    return {
        "articles": len(rows), "seconds": seconds,
        "stories": bcubed(stories, [g["event"] for _, g in rows]),
        "storylines": bcubed(lines, [g["storyline"] for _, g in rows]),
        "n_stories": len(set(stories)), "n_events": len({g["event"] for _, g in rows}),
        "n_lines": len(set(lines)), "n_gold_lines": len({g["storyline"] for _, g in rows}),
        "split_storylines": split_lines, "merged_events": merged,
        "syndicated_linked": copy.duplicate_of == original.id or original.duplicate_of == copy.id,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        r = evaluate(Path(tmp) / "demo.db")
    fmt = lambda t: " | ".join(f"{x:.3f}" for x in t)  # noqa: E731
    text = f"""## Demo corpus end to end

`.venv/bin/python -m bench.demo_bench` — ingest `src/newsprism/data/demo` ({r['articles']} articles, 8 languages)
into a new database in {r['seconds']:.0f} s (including embeddings), scored against `tests/fixtures/demo_gold.json`.

| level | B-cubed P | R | F1 | predicted groups | gold groups |
|---|---|---|---|---|---|
| stories vs events | {fmt(r['stories'])} | {r['n_stories']} | {r['n_events']} |
| storylines | {fmt(r['storylines'])} | {r['n_lines']} | {r['n_gold_lines']} |

Gold storylines spread over more than one predicted storyline: {', '.join(r['split_storylines']) or 'none'}.
Gold events sharing a predicted story: {'; '.join(' + '.join(p) for p in r['merged_events']) or 'none'}.
Syndicated copy linked to its original by `duplicate_of`: {'yes' if r['syndicated_linked'] else 'no'}.
"""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
