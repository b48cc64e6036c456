"""Claims: extraction, grouping across outlets and languages, statuses, conflicts (seeds + units)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsprism.models import Article, Sentence

SEEDS = Path("/work/shared/seeds")
SEED_META = {  # file prefix -> (published, source), as the texts themselves say
    "000": ("2024-05-08", "Polish portal"),
    "001": ("2024-05-09", "RBC-Ukraine"),
    "002": ("2024-03-18", "RT"),
    "003": ("2024-06-06", "aggregator"),
    "004": ("2022-03-24", "Italian outlet"),
}
_SPLIT = re.compile(r"(?<=[.!?…])[\"”»]?\s+(?=[\"“«–-]?\s?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ0-9])")


def make_article(aid: int, text: str, *, source: str | None, published: str | None, language: str | None = "en",
                 title: str | None = None, duplicate_of: int | None = None) -> Article:
    """An Article with a simple sentence split: lines, then sentence ends before a capital."""
    sents: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        start_line = text.index(line, pos) if line else pos
        pos = start_line + len(line)
        offset = start_line
        for piece in _SPLIT.split(line):
            if not piece.strip():
                offset += len(piece)
                continue
            start = text.index(piece, offset)
            lead = len(piece) - len(piece.lstrip())
            end = start + len(piece.rstrip())
            sents.append(Sentence(len(sents), start + lead, end, text[start + lead:end]))
            offset = end
    first = text.strip().split("\n", 1)[0].strip()
    return Article(id=aid, origin=f"test:{aid}", title=title or first, text=text, sentences=tuple(sents),
                   language=language, source=source, published=published, duplicate_of=duplicate_of)


def seed_articles() -> list[Article]:
    """The five seed articles as Article records (ids 1..5), built directly from the files."""
    out = []
    for i, path in enumerate(sorted(SEEDS.glob("*.txt")), start=1):
        published, source = SEED_META[path.name[:3]]
        out.append(make_article(i, path.read_text(encoding="utf-8"), source=source, published=published))
    return out
