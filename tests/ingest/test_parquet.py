"""Parquet shards read like JSONL/CSV exports: same columns, a bad row rejected alone, typed columns
(timestamps, numbers, binary) handled, a missing pyarrow a one-line error naming the file."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsprism.ingest import collect
from newsprism.ingest.tables import read_jsonl
from newsprism.models import RawDocument, Rejection

pa = pytest.importorskip("pyarrow", reason="pyarrow comes with the ray extra (dev extra)")
pq = pytest.importorskip("pyarrow.parquet")

ROWS = [
    {"id": "a1", "title": "Port closed", "text": "The river port of Lenz closed on Monday.", "url": "https://example.org/a1",
     "published": "2023-03-02", "language": "en", "source": "Wire", "gold_event": "flood"},
    {"id": "a2", "title": None, "text": None, "url": None, "published": None, "language": None, "source": "Broken",
     "gold_event": "none"},
    {"id": "a3", "title": "Hochwasser", "text": "Der Hafen von Lenz ist geschlossen.", "url": None,
     "published": "2023-03-01T08:30:00+01:00", "language": "de", "source": "Lenzer Bote", "gold_event": "flood"},
]


def _write(path: Path, rows: list[dict], schema=None, **kwargs) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, **kwargs)
    return path


def test_rows_read_as_the_jsonl_export_reads_them(tmp_path):
    shard = _write(tmp_path / "news.parquet", ROWS)
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    got = list(collect([str(shard)]))
    expected = list(read_jsonl(jsonl))
    assert [type(x) for x in got] == [RawDocument, Rejection, RawDocument]
    for doc, same in zip(got, expected):
        if isinstance(doc, RawDocument):
            fields = ("title", "text", "url", "published", "language", "source", "external_id", "metadata")
            assert {f: getattr(doc, f) for f in fields} == {f: getattr(same, f) for f in fields}
    assert got[0].origin == f"{shard}#R1" and got[0].metadata == {"gold_event": "flood"}
    assert got[1] == Rejection(f"{shard}#R2", "row 2: row has neither 'text' nor 'html'")
    assert got[2].published == "2023-03-01T08:30:00+01:00"


def test_typed_columns_and_many_record_batches(tmp_path):
    """Timestamps become ISO dates, binary UTF-8 text is text, other types stay JSON-storable;
    a row whose text is a number is rejected alone; rows stream across record batches in order."""
    n = 600  # more than one record batch (parquet.ROWS_PER_BATCH)
    rows = [{"body": f"Article {i} about the harbour of Lenz.".encode(), "date": datetime(2024, 1, 1 + i % 28, 9, tzinfo=timezone.utc),
             "lang": "en", "score": i / 2, "tags": [f"t{i}"]} for i in range(n)]
    shard = _write(tmp_path / "typed.parquet", rows, row_group_size=100)
    bad = _write(tmp_path / "bad.parquet", [{"text": 12345, "title": "x"}, {"text": None, "title": "Headline only"}])
    got = list(collect([str(tmp_path)]))  # a directory: its .parquet files, sorted
    assert got[0] == Rejection(f"{bad}#R1", "row 1: 'text' is a number; give the article text as a string")
    assert isinstance(got[1], RawDocument) and got[1].text == "Headline only"
    docs = got[2:]
    assert len(docs) == n and all(isinstance(d, RawDocument) for d in docs)
    assert [d.origin for d in docs[:2]] == [f"{shard}#R1", f"{shard}#R2"] and docs[-1].origin == f"{shard}#R{n}"
    assert docs[3].text == "Article 3 about the harbour of Lenz." and docs[3].published == "2024-01-04T09:00:00+00:00"
    assert docs[3].language == "en" and docs[3].metadata == {"score": 1.5, "tags": ["t3"]}
    json.dumps([d.metadata for d in docs])  # storable


def test_not_parquet_and_empty_files(tmp_path):
    fake = tmp_path / "fake.parquet"
    fake.write_text("title,text\nnot,parquet\n", encoding="utf-8")
    empty = _write(tmp_path / "empty.parquet", [], schema=pa.schema([("text", pa.string())]))
    (fake_rej,) = list(collect([str(fake)]))
    assert fake_rej.origin == str(fake) and fake_rej.problem.startswith("not a readable Parquet file (")
    assert list(collect([str(empty)])) == [Rejection(str(empty), "file is empty")]


def test_missing_pyarrow_is_one_line_naming_the_file(tmp_path, monkeypatch):
    shard = _write(tmp_path / "news.parquet", ROWS[:1])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert list(collect([str(shard)])) == [
        Rejection(str(shard), "reading Parquet needs pyarrow: pip install 'newsprism[ray]'")]
