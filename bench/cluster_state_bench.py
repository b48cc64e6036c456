"""Clusterer state cost through the real ``cluster.assign`` on an SQLite store -> docs/benchmarks/cluster.md.

The ECB+ dev file is replicated 1x, 2x, 4x (copy ``c`` shifted by 400 days, as the scaling helper of
``bench.cluster_diagnostics`` does; an undated article gets its copy's start date plus its position, as
there; vectors are the cached e5 vectors, perturbed), stored as articles with their vectors, and grouped
in batches of 50 in publication order. Each size runs in its own process; it reports the clusterer
state bytes written per batch (the state blob plus any per-story/storyline rows), the state blob at the
end, and the peak resident memory of the process.

    .venv/bin/python -m bench.cluster_state_bench            # 1x, 2x, 4x, prints the table
    .venv/bin/python -m bench.cluster_state_bench --copies 4,8,16 --recent 300   # other sizes; fewer
        # recently active stories kept for undated articles (setting undated_candidates, default 3,000),
        # so that stories close within a stream of this size (the groupings then differ from the default's)
    .venv/bin/python -m bench.cluster_state_bench --one 2 OUT.json   # one size (used by the above)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BATCH = 50
COPY_SHIFT_DAYS = 400


class CachedEmbedder:
    """The e5 embedder's name and size; the vectors are already stored, so ``embed`` is never called."""

    name = "e5-small-q4-centred"
    dim = 384

    def embed(self, texts):  # pragma: no cover - every vector is stored beforehand
        raise AssertionError("vectors are stored before grouping")


def _iso(day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


def run_one(copies: int, out: str, recent: int | None = None) -> None:
    from bench.cluster_bench import ECB, Dataset
    from newsprism.cluster import assign
    from newsprism.cluster.features import day_number
    from newsprism.models import CleanDocument
    from newsprism.store import open_store

    data = Dataset(ECB)
    rng = np.random.default_rng(7)
    dated = [day_number(a.published) for a in data.articles if day_number(a.published) is not None]
    base = min(dated)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "state.db")
        docs, vectors = [], []
        for copy in range(copies):
            shift = copy * COPY_SHIFT_DAYS
            for i, (article, f) in enumerate(zip(data.articles, data.features)):
                day = day_number(article.published)
                day = (day if day is not None else base + i % 365) + shift
                vec = f.vector + rng.normal(0, 0.02, f.vector.shape).astype(np.float32)
                docs.append((day, len(docs), CleanDocument(
                    origin=f"{article.origin}#{copy}", title=article.title, text=article.text, sentences=(),
                    language=article.language, source=article.source, published=_iso(day),
                    content_key=f"{article.origin}#{copy}")))
                vectors.append(vec / np.linalg.norm(vec))
        ids, vecs = [], {}
        for _, n, doc in sorted(docs, key=lambda t: (t[0], t[1])):
            aid = store.add_article(doc, None, b"").id
            ids.append(aid)
            vecs[aid] = vectors[n]
        embedder = CachedEmbedder()
        store.put_embeddings(embedder.name, vecs)
        settings = None
        if recent is not None:
            from newsprism.cluster.settings import settings_for, with_overrides
            settings = with_overrides(settings_for(embedder.name), {"undated_candidates": str(recent)})
        written: list[int] = []
        counting = {"bytes": 0}
        for name in ("put_state", "put_cluster_rows"):
            method = getattr(store, name, None)
            if method is None:
                continue

            def counted(*args, _m=method, **kwargs):
                counting["bytes"] += sum(len(a) for a in args if isinstance(a, (bytes, bytearray)))
                for a in args:
                    if isinstance(a, (list, tuple)):  # rows: (key, ..., blob)
                        counting["bytes"] += sum(len(x) for row in a for x in row if isinstance(x, (bytes, bytearray)))
                return _m(*args, **kwargs)
            setattr(store, name, counted)
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            counting["bytes"] = 0
            assign(store, ids[start:start + BATCH], embedder=embedder, settings=settings)
            written.append(counting["bytes"])
        seconds = time.perf_counter() - started
        blob = len(store.get_state("cluster.engine.v1") or b"")
        by_story: dict[int, list[int]] = {}
        for a in store.iter_articles():
            by_story.setdefault(a.story, []).append(a.id)
        stories = sorted(sorted(v) for v in by_story.values())
        line_of = {s.id: s.storyline for s in store.list_stories()}
        lines: dict[int, list[int]] = {}
        for sid, members in by_story.items():
            lines.setdefault(line_of[sid], []).extend(members)
        storylines = sorted(sorted(v) for v in lines.values())
        try:
            rows_by_kind = store._query("SELECT kind, count(*) FROM cluster_state GROUP BY kind")
        except Exception:  # the single-blob engine has no such table
            rows_by_kind = []
        store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(out).write_text(json.dumps({
        "copies": copies, "articles": len(ids), "batches": len(written), "seconds": seconds,
        "mean_written": sum(written) / len(written), "last10_written": sum(written[-10:]) / 10,
        "max_written": max(written), "blob_end": blob, "peak_mb": peak_mb,
        "rows": dict(rows_by_kind),
        "stories": stories, "storylines": storylines}))


def main() -> None:
    rows = []
    sizes = sys.argv[sys.argv.index("--copies") + 1] if "--copies" in sys.argv else "1,2,4"
    recent = ["--recent", sys.argv[sys.argv.index("--recent") + 1]] if "--recent" in sys.argv else []
    for copies in map(int, sizes.split(",")):
        with tempfile.NamedTemporaryFile(suffix=".json") as fh:
            subprocess.run([sys.executable, "-m", "bench.cluster_state_bench", "--one", str(copies), fh.name,
                            *recent], check=True, cwd=ROOT)
            rows.append(json.loads(Path(fh.name).read_text()))
        if "--keep" in sys.argv:
            keep = Path(sys.argv[sys.argv.index("--keep") + 1])
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{copies}x.json").write_text(json.dumps(rows[-1]))
    print("| ECB+ copies | articles | state bytes written per batch (mean / last 10 / max) | state blob at end | "
          "peak memory | grouping time | rows (open / closed stories / storylines / retired) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['copies']}x | {r['articles']:,} | {r['mean_written'] / 1024:,.0f} / {r['last10_written'] / 1024:,.0f}"
              f" / {r['max_written'] / 1024:,.0f} KB | {r['blob_end'] / 1024:,.0f} KB | {r['peak_mb']:.0f} MB | "
              f"{r['seconds']:.0f} s | " + " / ".join(str(r.get("rows", {}).get(k, 0)) for k in
                                                    ("open", "story", "storyline", "retired")) + " |")


if __name__ == "__main__":
    if "--one" in sys.argv:
        i = sys.argv.index("--one")
        run_one(int(sys.argv[i + 1]), sys.argv[i + 2],
                int(sys.argv[sys.argv.index("--recent") + 1]) if "--recent" in sys.argv else None)
    else:
        main()
