"""Fixtures shared by the whole suite: paths to the shared reference data and fresh stores."""

from pathlib import Path

import pytest

from newsprism.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"reference seeds missing at {SEEDS}: the suite runs beside ../shared")
    return SEEDS


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The bundled demo corpus ingested once through the real pipeline (models, stored features),
    with its grouping scored against the gold (``bench.demo_bench.evaluate``): (database, scores)."""
    from bench.demo_bench import evaluate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, evaluate(path)
