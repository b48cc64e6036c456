"""Two ingests at once on one database: real processes, one real SQLite file.

Each child process runs ``pipeline.ingest`` on its own input. A barrier makes both children finish
reading their inputs before either stores anything, so the two store-and-group phases always start
together (the race the writer lock has to serialise), instead of only when the scheduler happens to
overlap them. Grouping uses a small word-hashing embedder so that a child needs no model.
"""

from __future__ import annotations

import multiprocessing
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from newsprism.store import open_store

# Rounds of two concurrent one-article ingests (each into a fresh database). Before the writer lock,
# every round left a story without articles, so a few rounds are plenty.
ROUNDS = 5
# Seconds a child waits at the barrier, and the parent for a child: far above the ~1 s a round takes.
WAIT_S = 60

FLOOD = ("Flood closes the river port of Lenz",
         "The river port of Lenz closed on Monday after the water rose two metres above its normal level, "
         "the harbour master said. Ships waiting to unload grain were sent to the port of Marbach instead, "
         "and the town opened a shelter in the sports hall for the families of the lower quarter.")
TRAM = ("Council approves new tram line in Varna",
        "The Varna city council voted 31 to 12 on Thursday to build a tram line from the station to the "
        "university, the mayor's office said. Construction is due to start next spring and the line should "
        "carry its first passengers in three years, at a cost of 240 million euros.")
STRIKE = ("Dock workers in Orsund walk out over pay",
          "About 900 dock workers in the port of Orsund began a 48-hour strike on Tuesday after talks on a "
          "new wage agreement broke down, their union said. Container ships queued outside the harbour as "
          "the employers' association called the walkout irresponsible and asked for mediation.")
LIBRARY = ("Fire damages the old library of Castelmar",
           "A fire broke out in the roof of the old library of Castelmar late on Saturday, destroying part of "
           "the map collection, the fire brigade said. Nobody was hurt. Volunteers carried about 3,000 books "
           "out of the building before the flames reached the reading room.")
ELECTION = ("Brenna re-elected mayor of Tollin with 58 percent",
            "Ines Brenna won a second term as mayor of Tollin on Sunday with 58 percent of the vote, the "
            "electoral office said, ahead of the independent candidate Piet Laan with 31 percent. Turnout "
            "rose to 64 percent, the highest in the town since 1998.")
HOSPITAL = ("New children's hospital opens in Dravik",
            "The first patients moved into the new children's hospital of Dravik on Wednesday, four years "
            "after building began, the health ministry said. The hospital has 220 beds and a helicopter pad, "
            "and replaces two clinics that will close by the end of the month.")
COPY_WORD, COPY_OTHER_WORD = "Ships", "Boats"  # the one word the near-duplicate changes


class WordHashEmbedder:
    """Unit vectors of hashed words: texts sharing words are close. Cheap and deterministic."""

    name = "test-word-hash"
    dim = 64

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                h = zlib.crc32(word.encode())
                out[row, h % self.dim] += 1.0 if h & 1 << 16 else -1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out


def _write(path: Path, article: tuple[str, str]) -> str:
    path.write_text(f"{article[0]}\n\n{article[1]}\n", encoding="utf-8")
    return str(path)


def _ingest_rounds(dbs: list[str], inputs: list[str], barrier) -> None:
    """Child: for each database in turn, ingest ``inputs`` into it, storing only once the other
    child has read its inputs too."""
    from newsprism import clean, pipeline

    real_collect = pipeline.collect

    def read_then_wait(*args, **kwargs):
        items = list(real_collect(*args, **kwargs))
        for item in items:  # loads the cleaning models now, so both children clean at the same pace
            clean.prepare(item)
        barrier.wait(WAIT_S)
        yield from items

    pipeline.collect = read_then_wait  # reading only: storing and grouping are the real ones
    for db in dbs:
        store = open_store(db)
        try:
            report = pipeline.ingest(store, inputs, embedder=WordHashEmbedder())
        finally:
            store.close()
        if report.rejected:
            raise SystemExit(f"rejected: {report.rejected}")


def _run_together(dbs: list[str], first: list[str], second: list[str]) -> None:
    ctx = multiprocessing.get_context("spawn")  # no inherited model threads or connections
    barrier = ctx.Barrier(2)
    children = [ctx.Process(target=_ingest_rounds, args=(dbs, inputs, barrier)) for inputs in (first, second)]
    for child in children:
        child.start()
    for child in children:
        child.join(WAIT_S * 2)
        if child.is_alive():
            child.kill()
    assert [child.exitcode for child in children] == [0, 0], "an ingest failed (its traceback is above)"


def test_concurrent_one_article_ingests_leave_no_empty_story_or_storyline(tmp_path):
    a, b = _write(tmp_path / "a.txt", FLOOD), _write(tmp_path / "b.txt", TRAM)
    dbs = [str(tmp_path / f"pair{n}.db") for n in range(ROUNDS)]
    _run_together(dbs, [a], [b])
    for db in dbs:
        store = open_store(db)
        try:
            articles = list(store.iter_articles())
            stories = store.list_stories()
            storylines = store.list_storylines()
        finally:
            store.close()
        assert len(articles) == 2, db
        assert [s.id for s in stories if not s.article_ids] == [], f"{db}: stories without articles"
        assert [line.id for line in storylines if not line.story_ids] == [], f"{db}: storylines without stories"
        story_ids = {s.id for s in stories}
        assert all(article.story in story_ids for article in articles), f"{db}: articles outside any story"
        assert sorted(aid for s in stories for aid in s.article_ids) == sorted(a.id for a in articles)
        assert all(s.storyline in {line.id for line in storylines} for s in stories), f"{db}: story outside storylines"


def test_near_duplicate_across_two_concurrent_ingests_is_linked(tmp_path):
    assert FLOOD[1].count(COPY_WORD) == 1
    near_copy = (FLOOD[0], FLOOD[1].replace(COPY_WORD, COPY_OTHER_WORD))
    first = [_write(tmp_path / f"one{n}.txt", art) for n, art in enumerate((STRIKE, LIBRARY, FLOOD))]
    second = [_write(tmp_path / f"two{n}.txt", art) for n, art in enumerate((ELECTION, HOSPITAL, near_copy))]
    db = str(tmp_path / "t.db")
    _run_together([db], first, second)
    store = open_store(db)
    try:
        articles = list(store.iter_articles())
    finally:
        store.close()
    assert len(articles) == 6
    original, copy = sorted((a for a in articles if a.title == FLOOD[0]), key=lambda a: a.id)
    assert copy.duplicate_of == original.id or original.duplicate_of == copy.id, "near-duplicates not linked"
    assert [a.title for a in articles if a.duplicate_of is not None] == [FLOOD[0]]
    assert copy.story == original.story is not None


def test_same_article_in_two_concurrent_ingests_is_stored_once(tmp_path):
    # the shared article comes first: both ingests look it up before either has stored anything
    first = [_write(tmp_path / f"one{n}.txt", art) for n, art in enumerate((FLOOD, STRIKE, LIBRARY))]
    second = [_write(tmp_path / f"two{n}.txt", art) for n, art in enumerate((FLOOD, ELECTION, HOSPITAL))]
    db = str(tmp_path / "t.db")
    _run_together([db], first, second)  # both succeed: the second finds the first's copy stored
    store = open_store(db)
    try:
        titles = sorted(a.title for a in store.iter_articles())
        assert store.ungrouped_article_ids() == []
    finally:
        store.close()
    assert titles == sorted(art[0] for art in (FLOOD, STRIKE, LIBRARY, ELECTION, HOSPITAL))


def test_story_and_storyline_left_empty_by_an_earlier_run_are_removed_by_the_next_grouping(tmp_path):
    from newsprism.models import Story, Storyline
    from newsprism.pipeline import ingest

    store = open_store(tmp_path / "t.db")
    try:
        ingest(store, [_write(tmp_path / "a.txt", FLOOD)], embedder=WordHashEmbedder())
        # what two ingests at once left before the writer lock: rows nothing belongs to
        store.save_storyline(Storyline(id=50, title="phantom", story_ids=()))
        store.save_story(Story(id=40, title="phantom", article_ids=(), storyline=50))
        store.save_storyline(Storyline(id=51, title="phantom", story_ids=()))
        ingest(store, [_write(tmp_path / "b.txt", TRAM)], embedder=WordHashEmbedder())
        stories, storylines = store.list_stories(), store.list_storylines()
    finally:
        store.close()
    assert all(s.article_ids for s in stories) and len(stories) == 2
    assert all(line.story_ids for line in storylines) and {50, 51}.isdisjoint(line.id for line in storylines)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
