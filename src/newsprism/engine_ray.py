"""``newsprism ingest --engine ray``: the ingest pipeline with its pure stages spread over a Ray cluster.

The local pipeline (``pipeline.ingest``) runs every stage in one process. Here Ray Data runs the stages
that depend on one input or one article only, in parallel, and the driver runs the stages that must
see everything stored before, one batch at a time, exactly as the local pipeline does:

  parallel   read          one Ray task per input: a file, a JSONL/CSV shard, a URL or a feed
             prepare       ``clean.prepare`` and the MinHash signature of each document
             (sort)        by publication date, then input order (a distributed sort)
  driver     store         ``pipeline.Ingestor.store_batch`` per batch under the writer lock: exact
                           duplicates by content key, near-duplicates through the one duplicate index,
                           a source's repeated lines
  parallel   vectors       article vectors and the analysis texts' vectors (``analysis.vectors``), in an
                           actor pool that keeps the models loaded
  driver     cluster       ``cluster.assign`` over the new articles in publication order, as the local
                           pipeline groups them (``pipeline.assign_in_batches``: ``GROUP_BATCH`` a call);
  parallel   features      meanwhile, the next call's article features (``cluster.article_features``)
  parallel   analyses      the story analyses (``analyze.analyse_articles``) of the stories this ingest
                           touched, one task per story from the articles and stored vectors the driver
                           passes in; the driver caches each result as a first view would

Reading takes one task per input, so a big export is best split into shards (JSONL, CSV or Parquet
files: ``ingest.parquet``). Storing and clustering are sequential on purpose: whether an article is a copy depends on every
article stored before it, and online clustering files each article against the stories the earlier
ones made, so splitting either would make the result depend on how the work was split. Both are
cheap next to cleaning and embedding (see docs/scaling.md). The vectors are computed after storing,
from the stored text, because storing can still drop a source's repeated lines from it; so the
stored articles, duplicate links, stories and storylines equal those of a local run on the same input.

``features=False`` (``--defer-comparison``) skips the analysis texts' vectors and the analyses, as the
local pipeline defers them to a story's first view. ``RAY_ADDRESS`` names a running cluster (``ray start --head``); without it a local Ray with
``LOCAL_CPUS`` CPUs is started for the run and stopped after it. Inputs are read where the Ray workers
run: on a cluster, give paths on storage every node sees, or URLs.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from . import clean, dedupe, pipeline
from .embed import ARTICLE_EMBEDDERS, DEFAULT_ARTICLE_EMBEDDER, E5Embedder, article_embedding_text, text_key
from .errors import InputError, NewsprismError
from .ingest import collect
from .ingest.files import walk_directory
from .ingest.web import is_url
from .models import Article, CleanDocument, IngestReport, RawDocument, Rejection
from .store import Store

# CPUs of the local Ray started when RAY_ADDRESS is not set (the machine newsprism is developed on has 2).
LOCAL_CPUS = 2
# CPUs (and model threads) of one embedding actor. The pool leaves at least one CPU of the cluster to
# the other tasks: an actor pool holding every CPU hangs the dataset (ray-project/ray#44687).
ACTOR_CPUS = 1
# Articles per model call in an actor (e5's output does not depend on how texts are batched: checked
# bit for bit); articles shipped to the pool per Ray Data pass, so the driver never holds more.
VECTOR_BATCH = 32
VECTOR_WINDOW = 2048
# Stories handed to the analyses map per Ray Data pass (their articles and vectors go with them), so
# the driver holds a bounded share of a large ingest's touched stories at once.
ANALYSIS_WINDOW = 256
RAY_MISSING = "the Ray engine needs the ray package: pip install 'newsprism[ray]'"


class EngineError(NewsprismError):
    """The Ray engine cannot run: ray is not installed, or the cluster cannot be reached."""


def _ray() -> ModuleType:
    try:
        import ray
        import ray.data  # noqa: F401  (the extra is ray[data])
    except ImportError as exc:
        raise EngineError(RAY_MISSING) from exc
    return ray


@contextmanager
def ray_session() -> Iterator[ModuleType]:
    """The Ray of this process if one is running, else ``RAY_ADDRESS``'s cluster, else a local Ray
    (``LOCAL_CPUS``); what this function started it stops."""
    ray = _ray()
    if ray.is_initialized():
        yield ray
        return
    address = os.environ.get("RAY_ADDRESS")
    try:
        if address:
            ray.init(address=address, logging_level="WARNING")
        else:
            ray.init(num_cpus=LOCAL_CPUS, include_dashboard=False, logging_level="WARNING")
    except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError... for one cause
        where = f"RAY_ADDRESS={address}" if address else "a local Ray"
        raise EngineError(f"cannot start {where} ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


def _quiet_ray_data() -> None:
    """Ray Data's per-dataset notices off the terminal (its log file under the Ray session keeps them)."""
    for handler in logging.getLogger("ray.data").handlers:
        if getattr(handler, "stream", None) is not None:
            handler.setLevel(logging.ERROR)


# ------------------------------------------------------------------------------- parallel stages


def read_tasks(inputs: Sequence[str], feeds: Sequence[str]) -> list[tuple[str, str]]:
    """One (kind, name) per Ray read task: a directory becomes its files (``ingest.files.walk_directory``,
    the order ``collect`` reads them in); files, tables, URLs and feeds stay one task each."""
    tasks: list[tuple[str, str]] = []
    for item in inputs:
        if item and not is_url(item) and os.path.isdir(item):
            files = [str(path) for path in walk_directory(Path(item))]
            tasks += [("input", f) for f in files] or [("input", item)]  # empty: collect rejects it
        else:
            tasks.append(("input", item))
    return tasks + [("feed", feed) for feed in feeds]


def _read(row: dict[str, Any], source: str | None) -> list[dict[str, Any]]:
    """Everything one input yields (``ingest.collect``), in order, as pickled records."""
    inputs, feeds = ([row["name"]], []) if row["kind"] == "input" else ([], [row["name"]])
    return [{"seq": row["seq"], "sub": sub, "item": pickle.dumps(item)}
            for sub, item in enumerate(collect(inputs, feeds, source=source))]


def _prepare(row: dict[str, Any], source: str | None) -> dict[str, Any]:
    """``clean.prepare`` and the MinHash signature of one document (a rejection passes through)."""
    item: RawDocument | Rejection = pickle.loads(row["item"])
    out = {"seq": row["seq"], "sub": row["sub"], "published": "", "key": b"", "signature": b""}
    if isinstance(item, RawDocument):
        try:
            doc = clean.prepare(item, source_override=source)
        except InputError as exc:
            item = Rejection(exc.origin, exc.problem)
        else:
            signature = dedupe.signature_bytes(dedupe.minhash(dedupe.shingles(doc.text)))
            return out | {"published": doc.published or "", "key": text_key(doc.text), "signature": signature,
                          "item": pickle.dumps(doc)}
    return out | {"item": pickle.dumps(item)}


def _embedder_key() -> str:
    """The article embedder ``embed.article_embedder()`` would use here (``$NEWSPRISM_EMBEDDER``)."""
    key = (os.environ.get("NEWSPRISM_EMBEDDER") or DEFAULT_ARTICLE_EMBEDDER).strip().lower()
    if key not in ARTICLE_EMBEDDERS:
        raise EngineError(f"unknown embedder {key!r}; choose one of {', '.join(sorted(ARTICLE_EMBEDDERS))}")
    return key


class VectorActor:
    """Holds the models; turns a batch of stored articles into their article vector and the vectors
    of their analysis texts (keyed by ``embed.text_key``, as ``analysis.vectors`` stores them)."""

    def __init__(self, article_model: str, threads: int, features: bool = True) -> None:
        self.sentences = E5Embedder(num_threads=threads)  # what analysis.vectors embeds with (e5)
        model = ARTICLE_EMBEDDERS[article_model]
        self.articles = self.sentences if model is E5Embedder else model(num_threads=threads)
        self.features = features

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from .analysis.vectors import analysis_texts

        articles: list[Article] = [pickle.loads(blob) for blob in batch["article"]]
        vectors = self.articles.embed([article_embedding_text(a) for a in articles])
        texts = [analysis_texts(a) if self.features else [] for a in articles]
        flat = self.sentences.embed([t for group in texts for t in group])
        out, offset = [], 0
        for group in texts:
            out.append(pickle.dumps({text_key(t): flat[offset + i] for i, t in enumerate(group)}))
            offset += len(group)
        return {"id": np.asarray([a.id for a in articles], dtype=np.int64),
                "vector": np.asarray([pickle.dumps(v) for v in vectors], dtype=object),
                "texts": np.asarray(out, dtype=object)}


def _analyse(row: dict[str, Any]) -> dict[str, Any]:
    """One story's analyses (``analyze.analyse_articles``) from its articles and their stored analysis
    vectors, preloaded into this worker's sentence cache as ``analyze.story_analysis`` does locally."""
    from .analyze import analyse_articles
    from .embed import sentence_embedder

    articles, vectors = pickle.loads(row["work"])
    sentence_embedder().preload(vectors)
    return {"story": row["story"], "key": row["key"], "analysis": pickle.dumps(analyse_articles(articles))}


# ---------------------------------------------------------------------------------- the driver
def _feature_fetch(ray: ModuleType, store: Store, model: str) -> pipeline.FeatureFetch:
    """``pipeline.FeatureFetch`` on Ray: ``cluster.engine.stored_features`` as one task per cluster CPU
    over a share of a call's stored articles."""
    from .cluster.engine import stored_features

    task = ray.remote(num_cpus=1)(stored_features)
    cpus = max(1, int(ray.cluster_resources().get("CPU", LOCAL_CPUS)))

    def fetch(ids: Sequence[int]) -> Any:
        articles, vectors = store.get_articles(ids), store.get_embeddings(ids, model)
        shares = [articles[k::cpus] for k in range(cpus) if articles[k::cpus]]
        refs = [task.remote(share, {a.id: vectors[a.id] for a in share if a.id in vectors}) for share in shares]
        return lambda: {k: v for part in ray.get(refs) for k, v in part.items()}
    return fetch


def _store_in_order(store: Store, ingestor: pipeline.Ingestor, rows: Iterator[dict[str, Any]],
                    progress: pipeline.Progress | None) -> IngestReport:
    """Steps 3-6 of the pipeline, in publication order, ``BATCH_SIZE`` documents a batch."""
    total = IngestReport()
    rejected: list[tuple[int, int, Rejection]] = []
    done = 0

    def flush(batch: list[dict[str, Any]]) -> None:
        nonlocal total, done
        docs: list[CleanDocument] = [pickle.loads(r["item"]) for r in batch]
        with store.writer_lock():
            report = ingestor.store_batch(docs, signatures={r["key"]: r["signature"] for r in batch})
        total = IngestReport(total.ingested + report.ingested, total.duplicates + report.duplicates,
                             total.already_stored + report.already_stored, total.rejected)
        done += len(batch)
        if progress:
            progress("store", done, None)

    batch: list[dict[str, Any]] = []
    for row in rows:
        item = pickle.loads(row["item"]) if not row["key"] else None
        if isinstance(item, Rejection):
            rejected.append((row["seq"], row["sub"], item))
            continue
        batch.append(row)
        if len(batch) == pipeline.BATCH_SIZE:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return IngestReport(total.ingested, total.duplicates, total.already_stored,
                        tuple(r for _, _, r in sorted(rejected, key=lambda x: x[:2])))


def _store_vectors(ray: ModuleType, store: Store, ids: Sequence[int], progress: pipeline.Progress | None,
                   features: bool = True) -> None:
    """Article vectors and (with ``features``) analysis-text vectors of these stored articles, from the
    actor pool; whatever the store holds already is not computed again."""
    key = _embedder_key()
    article_model, sentence_model = ARTICLE_EMBEDDERS[key].name, E5Embedder.name
    cpus = int(ray.cluster_resources().get("CPU", LOCAL_CPUS))
    pool = max(1, (cpus - 1) // ACTOR_CPUS)
    done = 0
    for start in range(0, len(ids), VECTOR_WINDOW):
        window = list(ids[start:start + VECTOR_WINDOW])
        have_vector = store.get_embeddings(window, article_model)
        have_texts = store.get_text_vectors(window, sentence_model) if features else dict.fromkeys(window)
        todo = [a for a in store.get_articles(window) if a.id not in have_vector or a.id not in have_texts]
        if todo:
            blocks = max(1, min(len(todo) // VECTOR_BATCH + 1, pool * 4))
            data = ray.data.from_items([{"article": pickle.dumps(a)} for a in todo], override_num_blocks=blocks)
            out = data.map_batches(VectorActor, fn_constructor_kwargs={"article_model": key, "threads": ACTOR_CPUS,
                                                                      "features": features},
                                   batch_size=VECTOR_BATCH, num_cpus=ACTOR_CPUS, batch_format="numpy",
                                   compute=ray.data.ActorPoolStrategy(size=pool))
            for batch in out.iter_batches(batch_size=VECTOR_BATCH, batch_format="numpy"):
                ids_ = [int(i) for i in batch["id"]]
                vectors = {i: pickle.loads(v) for i, v in zip(ids_, batch["vector"]) if i not in have_vector}
                texts = {i: pickle.loads(t) for i, t in zip(ids_, batch["texts"]) if i not in have_texts}
                if vectors:
                    store.put_embeddings(article_model, vectors)
                if texts:
                    store.put_text_vectors(sentence_model, texts)
        done += len(window)
        if progress:
            progress("embed", done, len(ids))


def touched_stories(store: Store, article_ids: Sequence[int]) -> list[int]:
    """The stories these articles are in now (after clustering), in id order."""
    stories: set[int] = set()
    for start in range(0, len(article_ids), VECTOR_WINDOW):
        stories.update(a.story for a in store.get_articles(article_ids[start:start + VECTOR_WINDOW])
                       if a.story is not None)
    return sorted(stories)


def analyse_stories(ray: ModuleType, store: Store, story_ids: Sequence[int],
                    progress: pipeline.Progress | None = None) -> int:
    """Compute and cache the analyses of these stories in a Ray map (one task per story); returns how
    many were computed. The workers never open the store: the driver reads each story's articles and
    stored analysis vectors, and writes each result under the fingerprint ``analyze.story_analysis``
    looks it up by, so the story's first view reads it from the cache. Cached ones are skipped."""
    from .analyze import analysis_key

    computed = done = 0
    for start in range(0, len(story_ids), ANALYSIS_WINDOW):
        work = []
        for story_id in story_ids[start:start + ANALYSIS_WINDOW]:
            articles = store.get_articles(store.get_story(story_id).article_ids)
            key = analysis_key(articles)
            if store.get_analysis("story", story_id, "full", key) is not None:
                done += 1
                continue
            stored = store.get_text_vectors([a.id for a in articles], E5Embedder.name)
            vectors = {k: v for by_key in stored.values() for k, v in by_key.items()}
            work.append({"story": story_id, "key": key, "work": pickle.dumps((articles, vectors))})
        if work:
            data = ray.data.from_items(work, override_num_blocks=len(work))
            for row in data.map(_analyse, num_cpus=1).iter_rows():
                store.put_analysis("story", int(row["story"]), "full", str(row["key"]), pickle.loads(row["analysis"]))
                computed += 1
                if progress:
                    progress("analyse", done + computed, len(story_ids))
    return computed


def store_inputs(store: Store, inputs: Sequence[str], feeds: Sequence[str] = (), *, source: str | None = None,
                 progress: pipeline.Progress | None = None,
                 times: pipeline.StageTimes | None = None) -> IngestReport:
    """Read, prepare and store the inputs (stages read, prepare and store of the module docstring),
    grouping nothing; ``times`` gets ``read+prepare`` (until the sorted stream starts) and ``store``."""
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    feeds = [feeds] if isinstance(feeds, str) else list(feeds)
    tasks = read_tasks(inputs, feeds)
    if not tasks:
        return IngestReport()
    times = times if times is not None else pipeline.StageTimes()
    with ray_session() as ray:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        _quiet_ray_data()
        context.execution_options.preserve_order = True
        items = [{"seq": i, "kind": kind, "name": name} for i, (kind, name) in enumerate(tasks)]
        started = time.perf_counter()
        # read and prepare run to the end before the sort starts: planned together, Ray Data keeps a
        # share of the CPUs for the sort, and on two CPUs the reads then run one at a time
        prepared = (ray.data.from_items(items, override_num_blocks=len(items))
                    .flat_map(_read, fn_kwargs={"source": source})
                    .map(_prepare, fn_kwargs={"source": source})
                    .materialize()
                    .sort(["published", "seq", "sub"]))
        rows = iter(prepared.iter_rows())
        first = next(rows, None)  # the sort is a barrier: the first row waits for every read and prepare
        times.add("read+prepare", started)
        started = time.perf_counter()
        ordered = itertools.chain([] if first is None else [first], rows)
        report = _store_in_order(store, pipeline.Ingestor(store, source=source), ordered, progress)
        times.add("store", started)
    return report


def group_stored(store: Store, article_ids: Sequence[int], *, progress: pipeline.Progress | None = None,
                 features: bool = True, analyses: bool | None = None,
                 times: pipeline.StageTimes | None = None) -> None:
    """Vectors (actor pool), the clustering step (``pipeline.assign_in_batches``), then (``analyses``,
    default ``features``) the touched stories' analyses as a Ray map: the stages after storing. Articles stored but never grouped (an
    interrupted run) are grouped too. ``times`` gets ``vectors``, ``cluster`` and ``analyses``."""
    from .embed import article_embedder

    times = times if times is not None else pipeline.StageTimes()
    analyses = features if analyses is None else analyses
    pending = sorted(set(article_ids) | set(store.ungrouped_article_ids()))
    if not pending:
        return
    with ray_session() as ray:
        started = time.perf_counter()
        _store_vectors(ray, store, pending, progress, features)
        times.add("vectors", started)
        started = time.perf_counter()
        # in publication order, GROUP_BATCH a call, exactly as the local pipeline groups (same result);
        # the next call's article features are computed on the cluster meanwhile
        embedder = article_embedder()
        pipeline.assign_in_batches(store, pending, embedder=embedder, progress=progress,
                                   fetch_features=_feature_fetch(ray, store, embedder.name))
        times.add("cluster", started)
        if analyses:
            started = time.perf_counter()
            analyse_stories(ray, store, touched_stories(store, pending), progress)
            times.add("analyses", started)


def ingest(store: Store, inputs: Sequence[str], feeds: Sequence[str] = (), *, source: str | None = None,
           progress: pipeline.Progress | None = None, group: bool = True, features: bool | None = None,
           analyses: bool | None = None, times: pipeline.StageTimes | None = None) -> IngestReport:
    """``pipeline.ingest`` on Ray (module docstring): the same articles, duplicates, stories and
    storylines as a local run on the same input. ``features`` (default: as ``group``) stores the
    analysis texts' vectors; ``analyses`` (default: as ``features``) computes and caches the analyses
    of the stories this ingest touched; ``times`` gets seconds per stage."""
    from .cluster import check_embedder

    _ray()  # a missing ray package is a one-line error before anything is read
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    feeds = [feeds] if isinstance(feeds, str) else list(feeds)
    if group:
        check_embedder(store, None)  # before reading anything, as the local pipeline does
    if not read_tasks(inputs, feeds):
        return IngestReport()
    with ray_session():  # one Ray for both halves
        report = store_inputs(store, inputs, feeds, source=source, progress=progress, times=times)
        if group:
            group_stored(store, sorted(report.ingested), progress=progress,
                         features=group if features is None else features, analyses=analyses, times=times)
    return report
