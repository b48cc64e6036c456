"""Story and storyline analyses for pages that must not wait: computed on one background thread.

A page asks for an analysis; a stored one is returned at once. Otherwise the analysis is queued (once,
however many requests ask for it) and the page waits at most ``PAGE_WAIT_SECONDS``: a small story is
shown when ready, a large one as a "being analysed" page that reloads itself until it is stored. One
thread computes (the models are shared and the CPU is scarce); every other request stays responsive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from typing import Any, Literal

from ..store import Store

# How long a page request waits for an analysis it started before answering "being analysed". A
# first view of a 10-article story takes about 1-3 s once the models are loaded; a larger story or a
# cold start answers at once with the pending page instead of holding the request.
PAGE_WAIT_SECONDS = 3.0
# How often a pending page reloads itself.
PENDING_REFRESH_SECONDS = 2

Scope = Literal["story", "storyline"]


class AnalysisRunner:
    """Computes analyses on one worker thread; at most one job per story or storyline at a time."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-analysis")
        self._running: dict[tuple[Scope, int], Future[Any]] = {}
        self._lock = threading.Lock()

    def _compute(self, scope: Scope) -> Callable[..., Any]:
        from ..analyze import story_analysis, storyline_analysis

        return story_analysis if scope == "story" else storyline_analysis

    def get(self, scope: Scope, scope_id: int, wait: float = PAGE_WAIT_SECONDS) -> dict[str, Any] | None:
        """The analysis if it is stored or ready within ``wait`` seconds, else ``None`` (still running).

        Raises what the analysis raises (``NotFoundError`` for an unknown id) when it fails in time."""
        compute = self._compute(scope)
        done = compute(self._store, scope_id, compute=False)
        if done is not None:
            return done
        key = (scope, scope_id)
        with self._lock:
            future = self._running.get(key)
            if future is None or future.done():
                future = self._pool.submit(compute, self._store, scope_id)
                self._running[key] = future
                future.add_done_callback(lambda f, key=key: self._forget(key, f))
        try:
            return future.result(timeout=wait)
        except FutureTimeout:
            return None

    def _forget(self, key: tuple[Scope, int], future: Future[Any]) -> None:
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
