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
  driver     cluster       ONE ``cluster.assign`` over the new articles, in publication order

Storing and clustering are sequential on purpose: whether an article is a copy depends on every
article stored before it, and online clustering files each article against the stories the earlier
ones made, so splitting either would make the result depend on how the work was split. Both are
cheap next to cleaning and embedding (see docs/scaling.md). The vectors are computed after storing,
from the stored text, because storing can still drop a source's repeated lines from it; so the
stored articles, duplicate links, stories and storylines equal those of a local run on the same input.

``RAY_ADDRESS`` names a running cluster (``ray start --head``); without it a local Ray with
``LOCAL_CPUS`` CPUs is started for the run and stopped after it. Inputs are read where the Ray workers
run: on a cluster, give paths on storage every node sees, or URLs.
"""

from __future__ import annotations

import logging
import os
import pickle
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

    def __init__(self, article_model: str, threads: int) -> None:
        self.sentences = E5Embedder(num_threads=threads)  # what analysis.vectors embeds with (e5)
        model = ARTICLE_EMBEDDERS[article_model]
        self.articles = self.sentences if model is E5Embedder else model(num_threads=threads)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from .analysis.vectors import analysis_texts

        articles: list[Article] = [pickle.loads(blob) for blob in batch["article"]]
        vectors = self.articles.embed([article_embedding_text(a) for a in articles])
        texts = [analysis_texts(a) for a in articles]
        flat = self.sentences.embed([t for group in texts for t in group])
        out, offset = [], 0
        for group in texts:
            out.append(pickle.dumps({text_key(t): flat[offset + i] for i, t in enumerate(group)}))
            offset += len(group)
        return {"id": np.asarray([a.id for a in articles], dtype=np.int64),
                "vector": np.asarray([pickle.dumps(v) for v in vectors], dtype=object),
                "texts": np.asarray(out, dtype=object)}


# ---------------------------------------------------------------------------------- the driver


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


def _store_vectors(ray: ModuleType, store: Store, ids: Sequence[int], progress: pipeline.Progress | None) -> None:
    """Article vectors and analysis-text vectors of these stored articles, from the actor pool."""
    key = _embedder_key()
    article_model, sentence_model = ARTICLE_EMBEDDERS[key].name, E5Embedder.name
    cpus = int(ray.cluster_resources().get("CPU", LOCAL_CPUS))
    pool = max(1, (cpus - 1) // ACTOR_CPUS)
    done = 0
    for start in range(0, len(ids), VECTOR_WINDOW):
        window = list(ids[start:start + VECTOR_WINDOW])
        have_vector = store.get_embeddings(window, article_model)
        have_texts = store.get_text_vectors(window, sentence_model)
        todo = [a for a in store.get_articles(window) if a.id not in have_vector or a.id not in have_texts]
        if todo:
            blocks = max(1, min(len(todo) // VECTOR_BATCH + 1, pool * 4))
            data = ray.data.from_items([{"article": pickle.dumps(a)} for a in todo], override_num_blocks=blocks)
            out = data.map_batches(VectorActor, fn_constructor_kwargs={"article_model": key, "threads": ACTOR_CPUS},
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


def ingest(store: Store, inputs: Sequence[str], feeds: Sequence[str] = (), *, source: str | None = None,
           progress: pipeline.Progress | None = None, group: bool = True) -> IngestReport:
    """``pipeline.ingest`` on Ray (module docstring): the same articles, duplicates, stories and
    storylines as a local run on the same input."""
    from .cluster import assign, check_embedder
    from .embed import article_embedder

    _ray()  # a missing ray package is a one-line error before anything is read
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    feeds = [feeds] if isinstance(feeds, str) else list(feeds)
    if group:
        check_embedder(store, None)  # before reading anything, as the local pipeline does
    tasks = read_tasks(inputs, feeds)
    if not tasks:
        return IngestReport()
    with ray_session() as ray:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        _quiet_ray_data()
        context.execution_options.preserve_order = True
        items = [{"seq": i, "kind": kind, "name": name} for i, (kind, name) in enumerate(tasks)]
        prepared = (ray.data.from_items(items, override_num_blocks=len(items))
                    .flat_map(_read, fn_kwargs={"source": source})
                    .map(_prepare, fn_kwargs={"source": source})
                    .sort(["published", "seq", "sub"]))
        ingestor = pipeline.Ingestor(store, source=source)
        report = _store_in_order(store, ingestor, prepared.iter_rows(), progress)
        pending = sorted(report.ingested)
        if group:
            # as the local pipeline: articles an interrupted earlier run stored but did not group too
            pending = sorted(set(pending) | set(store.ungrouped_article_ids()))
            if pending:
                _store_vectors(ray, store, pending, progress)
    if group and pending:
        assign(store, pending, embedder=article_embedder())  # one clustering step, in publication order
    return report
