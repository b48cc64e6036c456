"""Shared fixtures of the clean-stage tests: the five seed articles (copied into fixtures/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism import clean
from newsprism.models import CleanDocument, RawDocument

FIXTURES = Path(__file__).parent / "fixtures"
SEED_FILES = sorted(FIXTURES.glob("*.txt"))


def load_seed(prefix: str) -> tuple[str, CleanDocument]:
    """The raw text of the seed whose file name starts with ``prefix`` and its cleaned document."""
    path = next(p for p in SEED_FILES if p.name.startswith(prefix))
    raw_text = path.read_text("utf-8")
    return raw_text, clean.prepare(RawDocument(origin=str(path), text=raw_text))


@pytest.fixture(scope="session")
def seeds() -> dict[str, tuple[str, CleanDocument]]:
    return {p.name[:3]: load_seed(p.name[:3]) for p in SEED_FILES}
