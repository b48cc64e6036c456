"""Constructed streams for the clusterer-state tests: no model, vectors from hashed words.

``HashEmbedder`` gives each text the unit sum of one fixed random vector per word (seeded by a hash of
the word), so articles sharing most of their words are close and the groupings do not hang on a model's
floats near a threshold. ``synthetic_docs`` writes events that each repeat a few distinctive words over
a few days, spread over many months, with undated articles and copies among them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from newsprism.models import CleanDocument

DIM = 48
WORDS = re.compile(r"\w+")


class HashEmbedder:
    """Deterministic bag-of-words random projection (the ``Embedder`` protocol, no model)."""

    name = "test-hash-words"
    dim = DIM

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORDS.findall(text.lower()):
                seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
                out[row] += np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out


PLACES = ["Arlen", "Brisk", "Corvo", "Dunmore", "Elsk", "Fennick", "Gorran", "Hollin", "Istra", "Jorvik",
          "Kestle", "Lundy", "Marrow", "Nessa", "Orrin", "Pelham", "Quarry", "Rivel", "Stroud", "Tamsin"]
KINDS = ["flood", "strike", "election", "fire", "summit", "storm", "trial", "merger"]
FILLER = ["officials", "said", "on", "the", "residents", "reported", "later", "in", "a", "statement"]


def _date(day: int) -> str:
    from datetime import date, timedelta
    return (date(2024, 1, 1) + timedelta(days=day)).isoformat()


def synthetic_docs(events: int = 24, per_event: int = 4, spacing_days: int = 25, start_event: int = 0
                   ) -> list[CleanDocument]:
    """``events`` events of ``per_event`` articles each, event ``e`` on days ``e * spacing_days`` + 0..2;
    every seventh event's articles are undated. Distinct words per event keep the events apart."""
    docs = []
    for e in range(start_event, start_event + events):
        place, kind = PLACES[e % len(PLACES)], KINDS[(e // len(PLACES) + e) % len(KINDS)]
        tag = f"case{e}x{e * 7 % 13}"
        for i in range(per_event):
            day = e * spacing_days + i % 3
            published = None if e % 7 == 3 else _date(day)
            title = f"{kind.title()} in {place} {tag}: {place} {kind} {tag} report {i}"
            text = (f"{title}\n\nThe {kind} in {place} ({tag}) continued. {' '.join(FILLER[i:] + FILLER[:i])}. "
                    f"{place} {kind} {tag} {place} {kind}.")
            key = hashlib.sha256(text.encode()).hexdigest()
            docs.append(CleanDocument(origin=f"synthetic/{e}/{i}", title=title, text=text, sentences=(),
                                      language="en", source=f"outlet{i}", published=published, content_key=key))
    return docs


def groupings(store) -> list[tuple[int, ...]]:
    """The stored stories as sorted tuples of article ids (story ids left out), sorted."""
    by_story: dict[int, list[int]] = {}
    for article in store.iter_articles():
        if article.story is not None:
            by_story.setdefault(article.story, []).append(article.id)
    return sorted(tuple(sorted(ids)) for ids in by_story.values())


def storyline_groupings(store) -> list[tuple[tuple[int, ...], ...]]:
    """Storylines as sorted tuples of their stories' article-id tuples."""
    story_articles = {s.id: tuple(sorted(s.article_ids)) for s in store.list_stories()}
    return sorted(tuple(sorted(story_articles[sid] for sid in line.story_ids)) for line in store.list_storylines())
