"""Fixtures of the clustering tests: the real embedder, a fresh store, the test articles."""

from __future__ import annotations

import pytest
from cluster_support import EVENTS

from newsprism.store import open_store


@pytest.fixture(scope="session")
def embedder():
    from newsprism.embed import default_embedder
    return default_embedder()


@pytest.fixture()
def store(tmp_path):
    s = open_store(tmp_path / "cluster.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def news_events() -> dict[str, list[tuple[str, str, str, str]]]:
    """Articles written for these tests: two look-alike earthquakes (en/de/it, en/es) and a rate decision (en/pl)."""
    return EVENTS
