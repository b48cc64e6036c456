"""Shared fixtures for the analysis tests: Article records built straight from text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsprism.models import Article, Sentence

SEEDS = Path("/work/shared/seeds")
_SENT_END = re.compile(r"(?<=[.!?…»“”\"])\s+(?=[\"“„«–—A-ZÀ-ÞА-ЯЁЇІЄ0-9])|\n+")


def make_article(text: str, language: str = "en", article_id: int = 1, source: str | None = None) -> Article:
    """An Article with sentences from a simple regex split (independent of the clean stage)."""
    text = text.strip()
    sentences = []
    pos = 0
    for piece in _SENT_END.split(text):
        if not piece.strip():
            continue
        start = text.index(piece, pos)
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        start += lead
        sentences.append(Sentence(len(sentences), start, start + len(piece), piece))
        pos = start + len(piece)
    title = text.split("\n", 1)[0].strip()
    return Article(id=article_id, origin=f"test:{article_id}", title=title, text=text, sentences=tuple(sentences),
                   language=language, source=source, published=None)


def seed_articles() -> list[Article]:
    """The five seed articles (all machine-translated English), ids 0-4 in file order."""
    files = sorted(SEEDS.glob("*.txt"))
    return [make_article(f.read_text(encoding="utf-8"), "en", int(f.name[:3]), source=f.stem) for f in files]


@pytest.fixture(scope="session")
def seeds() -> list[Article]:
    if not SEEDS.exists():
        pytest.fail(f"reference seeds missing at {SEEDS}: the suite runs beside ../shared")
    return seed_articles()
