"""The ingest pipeline: inputs -> RawDocument -> CleanDocument -> dedupe -> store -> stories.

Steps, in order (each a stage module of plain functions):
  1. ``ingest.collect``   read files/URLs/feeds/tables; bad inputs become ``Rejection``s
  2. ``clean.prepare``    boilerplate, Unicode, language, sentences, outlet, date
  3. repeated lines       lines a source repeats across its articles (footers, taglines) are dropped
  4. exact duplicates     same ``content_key`` as a stored article: skipped (re-ingest is idempotent)
  5. ``dedupe``           near-duplicates linked by ``duplicate_of`` to the earliest/most complete copy
  6. ``store``            one transaction per article: an interrupted run leaves whole articles only
  7. ``cluster.assign``   new articles join stories and storylines online, ``GROUP_BATCH`` at a time
                          in publication order (``assign_in_batches``)
  8. analysis vectors     every text a story analysis will embed for a new article, embedded and stored
                          once (``analysis.vectors``), so a story page does not embed its sentences

Work is done in batches of ``BATCH_SIZE`` inputs so memory stays flat in the corpus size.

Two ingests may run at once on one database. Steps 3-6 of a batch, and step 7, hold the store's
writer lock (``Store.writer_lock``): duplicate detection and grouping see every article another
ingest stored before, and the clusterer state is read, extended and written back by one process at a
time. Reading, cleaning and embedding run outside the lock, so the expensive parts still overlap.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from . import clean, dedupe
from .embed import Embedder, text_key
from .errors import InputError
from .ingest import collect
from .models import CleanDocument, IngestReport, RawDocument, Rejection
from .store import Store

BATCH_SIZE = 200
# Articles per ``cluster.assign`` call when an ingest groups many: the clusterer closes what no later
# article can reach after each call, so memory and time per article stay flat in the ingest's size
# (one call over 100k articles would hold every story and article of the ingest at once). An ingest of
# at most this many is grouped in one call, as before; the Ray engine groups the same way.
GROUP_BATCH = 2000
# A line is a source's repeated furniture when it appears in at least this many of its articles.
REPEATED_LINE_MIN_ARTICLES = 2

Progress = Callable[[str, int, int | None], None]


@dataclass
class StageTimes:
    """Seconds spent per stage (for benchmarks and ``--verbose``)."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, stage: str, started: float) -> None:
        self.seconds[stage] += time.perf_counter() - started


def _batches(items: Iterable[RawDocument | Rejection], size: int) -> Iterator[list[RawDocument | Rejection]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def drop_repeated_lines(store: Store, docs: Sequence[CleanDocument],
                        lines_of: Sequence[dict[str, str]]) -> list[CleanDocument]:
    """Remove lines a source repeats across articles, counting this batch and everything stored.

    ``lines_of[i]`` is ``clean.repeatable_lines(docs[i])`` (computed once by the caller, who also
    records them in the store)."""
    by_source: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for i, doc in enumerate(docs):
        if doc.source:
            by_source[doc.source].append((i, lines_of[i]))
    out = list(docs)
    for source, members in by_source.items():
        batch_counts: dict[str, int] = defaultdict(int)
        for _, lines in members:
            for key in lines:
                batch_counts[key] += 1
        stored = store.source_line_counts(source, sorted(batch_counts))
        repeated = {k for k, n in batch_counts.items() if n + stored.get(k, 0) >= REPEATED_LINE_MIN_ARTICLES}
        # lines that only now reach the threshold were kept in the articles stored before: clean those
        newly = {k for k in repeated if 0 < stored.get(k, 0) < REPEATED_LINE_MIN_ARTICLES}
        if newly:
            _drop_from_stored(store, source, newly)
        for i, lines in members:
            drop = repeated & lines.keys()
            if drop:
                try:
                    out[i] = clean.drop_lines(docs[i], drop)
                except InputError:
                    pass  # nothing but furniture would remain: keep the document as it was
    return out


def _drop_from_stored(store: Store, source: str, keys: set[str]) -> None:
    """Remove the lines ``keys`` from the stored articles of ``source`` that carry them.

    Embeddings and groupings stay as they are (the lines are page furniture, short by definition);
    analyses are keyed by a fingerprint of the text, so they are recomputed on next view."""
    for article_id in store.articles_with_lines(source, sorted(keys)):
        article = store.get_article(article_id)
        cleaned = clean.drop_lines(article, keys)
        if cleaned is not article:
            store.update_article_text(cleaned)


def _record_source_lines(store: Store, doc: CleanDocument, lines: dict[str, str], article_id: int) -> None:
    if doc.source and lines:
        store.add_source_lines(doc.source, lines.keys(), article_id)


class Ingestor:
    """Runs steps 2-6 for batches of raw documents against one store."""

    def __init__(self, store: Store, *, source: str | None = None) -> None:
        self.store = store
        self.source = source
        self.times = StageTimes()
        self.index = dedupe.DuplicateIndex(lambda aid: store.get_article(aid).text)
        self._indexed = -1  # articles in the store when ``index`` was last brought up to date

    def _refresh_index(self) -> None:
        """Bring the duplicate index up to date with the store (under the writer lock).

        Articles are never deleted, so an unchanged count means nothing was stored since; a changed one
        (another ingest stored a batch, or a first call) rebuilds the index from the stored signatures
        and links: O(stored articles), once per batch only while another ingest runs at the same time."""
        stored = self.store.count_articles()
        if stored == self._indexed:
            return
        started = time.perf_counter()
        store = self.store
        self.index = dedupe.DuplicateIndex(lambda aid: store.get_article(aid).text)
        links = store.duplicate_links()
        for aid, blob in store.iter_fingerprints():
            self.index.add(aid, dedupe.signature_from_bytes(blob), links.get(aid))
        self._indexed = stored
        self.times.add("dedupe", started)

    def run_batch(self, batch: Sequence[RawDocument | Rejection]) -> IngestReport:
        """Clean ``batch`` (step 2), then store it under the writer lock (steps 3-6)."""
        prepared, rejected = self.clean_batch(batch)
        with self.store.writer_lock():
            return self.store_batch(prepared, rejected)

    def clean_batch(self, batch: Sequence[RawDocument | Rejection]) -> tuple[list[CleanDocument], list[Rejection]]:
        """Step 2, which reads nothing stored: the cleaned documents and the rejected inputs."""
        prepared: list[CleanDocument] = []
        rejected: list[Rejection] = []
        started = time.perf_counter()
        for item in batch:
            if isinstance(item, Rejection):
                rejected.append(item)
                continue
            try:
                prepared.append(clean.prepare(item, source_override=self.source))
            except InputError as exc:
                rejected.append(Rejection(exc.origin, exc.problem))
        self.times.add("parse+clean", started)
        return prepared, rejected

    def store_batch(self, docs: Sequence[CleanDocument], rejected: Sequence[Rejection] = (),
                    signatures: Mapping[bytes, bytes] | None = None) -> IngestReport:
        """Steps 3-6 for cleaned documents; the caller holds the store's writer lock, so what is
        stored (exact and near duplicates, a source's repeated lines) cannot change meanwhile.

        ``signatures``: MinHash signatures (``dedupe.signature_bytes``) already computed elsewhere, by
        ``embed.text_key`` of the text (the Ray engine's workers); other texts are hashed here."""
        ingested: list[int] = []
        duplicates: list[int] = []
        already: list[str] = []
        prepared: list[CleanDocument] = []
        started = time.perf_counter()
        seen_keys: set[str] = set()
        for doc in docs:
            if doc.content_key in seen_keys or self.store.find_by_content_key(doc.content_key) is not None:
                already.append(doc.origin)
                continue
            seen_keys.add(doc.content_key)
            prepared.append(doc)
        original_lines = [clean.repeatable_lines(d) for d in prepared]
        prepared = drop_repeated_lines(self.store, prepared, original_lines)
        self.times.add("parse+clean", started)
        self._refresh_index()
        for doc, lines in zip(prepared, original_lines):
            started = time.perf_counter()
            known = signatures.get(text_key(doc.text)) if signatures else None
            mh = dedupe.signature_from_bytes(known) if known else dedupe.minhash(dedupe.shingles(doc.text))
            match = self.index.find(doc.text, mh)
            canonical = self.index.canonical_of(match.article_id) if match else None
            self.times.add("dedupe", started)
            started = time.perf_counter()
            article = self.store.add_article(doc, canonical, dedupe.signature_bytes(mh))
            self._indexed += 1
            _record_source_lines(self.store, doc, lines, article.id)
            if canonical is not None and _should_replace(self.store, canonical, article.published, len(doc.text)):
                self.store.repoint_duplicates(canonical, article.id)
                self.index.add(article.id, mh)
                for aid, target in self.store.duplicate_links().items():
                    if target == article.id:
                        self.index.add(aid, mh, article.id)
                duplicates.append(canonical)
            else:
                self.index.add(article.id, mh, canonical)
                if canonical is not None:
                    duplicates.append(article.id)
            ingested.append(article.id)
            self.times.add("store", started)
        return IngestReport(tuple(ingested), tuple(duplicates), tuple(already), tuple(rejected))


def _should_replace(store: Store, canonical: int, published: str | None, length: int) -> bool:
    """A new copy becomes canonical when it was published earlier, or is much more complete."""
    old = store.get_article(canonical)
    if published and old.published and published[:10] != old.published[:10]:
        return published < old.published
    return length > 1.2 * len(old.text)


def ingest(store: Store, inputs: Sequence[str], feeds: Sequence[str] = (), *, source: str | None = None,
           progress: Progress | None = None, group: bool = True, client: object | None = None,
           times: StageTimes | None = None, embedder: Embedder | None = None,
           features: bool | None = None) -> IngestReport:
    """Ingest inputs into ``store`` and (unless ``group`` is False) assign stories to new articles.

    ``features`` (default: as ``group``) embeds and stores the new articles' analysis texts.
    ``times``, when given, is filled with seconds per stage (parse+clean, dedupe, store, embed,
    cluster, features).
    """
    ingestor = Ingestor(store, source=source)
    if times is not None:
        ingestor.times = times
    total = IngestReport()
    done = 0
    kwargs = {"client": client} if client is not None else {}
    if group:
        from .cluster import check_embedder
        check_embedder(store, embedder)  # before reading anything: a mismatch would leave the new articles ungrouped
    for batch in _batches(collect(inputs, feeds, source=source, **kwargs), BATCH_SIZE):
        report = ingestor.run_batch(batch)
        total = IngestReport(total.ingested + report.ingested, total.duplicates + report.duplicates,
                             total.already_stored + report.already_stored, total.rejected + report.rejected)
        done += len(batch)
        if progress:
            progress("read", done, None)
    pending = sorted(total.ingested)
    if group:
        # articles an interrupted earlier run stored but did not group are grouped now too (and those
        # another ingest running now stored: whichever groups them first, ``assign`` files each once)
        pending = sorted(set(pending) | set(store.ungrouped_article_ids()))
        if pending:
            group_articles(store, pending, progress=progress, times=ingestor.times, embedder=embedder)
    if pending and (group if features is None else features):
        store_features(store, pending, progress=progress, times=ingestor.times)
    return total


def store_features(store: Store, article_ids: Sequence[int], *, progress: Progress | None = None,
                   times: StageTimes | None = None) -> None:
    """Embed and store the analysis texts of these articles (``analysis.vectors``), in chunks."""
    from .analysis.vectors import store_analysis_vectors

    times = times or StageTimes()
    ids = list(article_ids)
    for start in range(0, len(ids), 64):
        started = time.perf_counter()
        store_analysis_vectors(store, store.get_articles(ids[start:start + 64]))
        times.add("features", started)
        if progress:
            progress("features", min(start + 64, len(ids)), len(ids))


def group_articles(store: Store, article_ids: Sequence[int], *, progress: Progress | None = None,
                   times: StageTimes | None = None, embedder: Embedder | None = None) -> None:
    """Embed new articles (cached in the store) in chunks, then let them join stories online.

    Embedding runs outside the writer lock (another ingest may group meanwhile); ``assign`` takes it.
    ``embedder`` defaults to ``embed.article_embedder()`` (``$NEWSPRISM_EMBEDDER``, else e5)."""
    from .embed import article_embedder, embed_articles

    embedder = embedder or article_embedder()
    times = times or StageTimes()
    ids = list(article_ids)
    for start in range(0, len(ids), 64):
        started = time.perf_counter()
        embed_articles(store, store.get_articles(ids[start:start + 64]), embedder)
        times.add("embed", started)
        if progress:
            progress("embed", min(start + 64, len(ids)), len(ids))
    started = time.perf_counter()
    assign_in_batches(store, ids, embedder=embedder, progress=progress)
    times.add("cluster", started)


# Starts computing the ``cluster.article_features`` of a call's articles elsewhere (the Ray engine: a
# task per CPU) and returns what waits for them: ``assign_in_batches`` starts the next call's while
# the driver clusters this one.
FeatureFetch = Callable[[Sequence[int]], Callable[[], Mapping]]


def assign_in_batches(store: Store, article_ids: Sequence[int], *, embedder: Embedder,
                      progress: Progress | None = None, batch: int = GROUP_BATCH,
                      fetch_features: FeatureFetch | None = None) -> None:
    """``cluster.assign`` over these articles, ``batch`` at a time in the order one call would file
    them (copies last, then publication date, then id), so the result does not depend on the order
    the ids were stored in; at most ``batch`` articles: one call. With ``fetch_features``, each call's
    article features are computed while the call before it clusters (same result)."""
    from .cluster import assign
    from .cluster.engine import production_order

    ids = list(article_ids)
    if len(ids) > batch:
        order = []
        for start in range(0, len(ids), batch):
            order += [production_order(a) for a in store.get_articles(ids[start:start + batch])]
        ids = [key[2] for key in sorted(order)]
    calls = [ids[start:start + batch] for start in range(0, len(ids), batch)]
    pending = fetch_features(calls[0]) if fetch_features and calls else None
    for k, call in enumerate(calls):
        following = fetch_features(calls[k + 1]) if fetch_features and k + 1 < len(calls) else None
        assign(store, call, embedder=embedder, features=pending() if pending else None)
        pending = following
        if progress:
            progress("cluster", min((k + 1) * batch, len(ids)), len(ids))
