"""JSONL and CSV tables: fields, metadata, per-row rejections, bench files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from ingest_support import FIXTURES

from newsprism.ingest import collect
from newsprism.ingest.tables import MAX_ROW_BYTES, read_csv, read_jsonl, row_to_document
from newsprism.errors import ParseError
from newsprism.models import RawDocument, Rejection

ECBPLUS = Path("/work/shared/bench/ecbplus_dev.jsonl")


def test_jsonl_rows_fields_and_rejections() -> None:
    path = str(FIXTURES / "rows.jsonl")
    items = list(read_jsonl(path))
    assert [i.origin for i in items] == [f"{path}#L{n}" for n in (1, 2, 4, 5, 6, 7, 8)]  # L3 is blank
    first, broken, from_html, empty, not_object, german, headline = items
    assert first == RawDocument(
        origin=f"{path}#L1",
        text="The port deal was signed on Monday.\nBoth sides welcomed it.",
        title="Port deal signed",
        url="https://example.org/a",
        published="2024-02-05",
        language="en",
        source="Example Post",
        external_id="r1",
    )
    assert first.metadata == {"gold_event": "port-2024"}
    assert isinstance(broken, Rejection) and broken.problem.startswith("line 2: invalid JSON (Expecting ',' delimiter")
    assert isinstance(from_html, RawDocument)
    assert from_html.external_id == "3"
    assert from_html.title == "Rail strike called off"
    assert "called off Friday's strike" in from_html.text and "<p>" not in from_html.text
    assert from_html.published == "2024-03-01T09:00:00+00:00"
    assert from_html.metadata == {"gold_event": "rail-2024"}
    assert empty == Rejection(f"{path}#L5", "line 5: row has neither 'text' nor 'html'")
    assert not_object == Rejection(f"{path}#L6", "line 6: expected a JSON object, got list")
    assert isinstance(german, RawDocument) and german.published == "2024-03-03" and german.language == "de"
    assert isinstance(headline, RawDocument) and headline.text == headline.title  # title-only row


def test_csv_rows() -> None:
    path = str(FIXTURES / "rows.csv")
    items = list(collect([path]))
    assert [i.origin for i in items] == [f"{path}#R1", f"{path}#R2", f"{path}#R3"]
    ferry, no_body, market = items
    assert isinstance(ferry, RawDocument)
    assert ferry.text == "The ferry service resumed on Tuesday, after storms.\n\nPassengers were relieved."
    assert ferry.published == "2024-01-09T14:00:00+00:00"
    assert ferry.source == "Island News" and ferry.external_id == "c1"
    assert ferry.metadata == {"gold_event": "ferry"}
    assert no_body == Rejection(f"{path}#R2", "row 2: row has neither 'text' nor 'html'")
    assert isinstance(market, RawDocument) and market.published == "2024-01-10" and market.source is None


def test_csv_semicolon_and_legacy_encoding(write_file) -> None:
    content = "title;text;language\nMarché couvert;Le marché couvert a rouvert, avec 40 étals.;fr\n"
    path = write_file("fr.csv", content.encode("cp1252"))
    (doc,) = collect([str(path)])
    assert isinstance(doc, RawDocument)
    assert doc.title == "Marché couvert" and doc.text == "Le marché couvert a rouvert, avec 40 étals."
    assert doc.language == "fr"


def test_csv_without_text_column(write_file) -> None:
    path = write_file("bad.csv", "id,headline\n1,x\n")
    assert list(read_csv(path)) == [Rejection(str(path), "CSV has no 'text' or 'html' column (found: id, headline)")]


def test_csv_row_with_too_many_fields(write_file) -> None:
    path = write_file("extra.csv", "title,text\nA,body a,surplus\nB,body b\n")
    items = list(read_csv(path))
    assert items[0] == Rejection(f"{path}#R1", "row 1: more fields than the header has")
    assert isinstance(items[1], RawDocument) and items[1].title == "B"


def test_oversized_jsonl_line_is_rejected_and_reading_continues(write_file) -> None:
    big = json.dumps({"id": "big", "text": "a" * (MAX_ROW_BYTES + 10)})
    small = json.dumps({"id": "small", "text": "A small article."})
    path = write_file("mixed.jsonl", big + "\n" + small + "\n")
    items = list(read_jsonl(path))
    assert items[0] == Rejection(f"{path}#L1", "line 1: larger than 5 MB cap")
    assert isinstance(items[1], RawDocument) and items[1].external_id == "small"
    assert items[1].origin == f"{path}#L2"


@pytest.mark.parametrize("big", [
    "a" * (MAX_ROW_BYTES + 10),  # one physical line
    '"' + 'He said ""no"".\nNew paragraph, with a comma.\n' * (MAX_ROW_BYTES // 40) + '"',  # quoted, many lines
    "a" * (MAX_ROW_BYTES // 2) + ',"' + "b" * (MAX_ROW_BYTES // 2 + 10) + '"',  # fields under the cap, row over
], ids=["one-line", "quoted-multiline", "row-over-cap"])
def test_oversized_csv_row_is_rejected_and_the_rows_after_it_are_kept(write_file, big: str) -> None:
    # before: 'row 2: field larger than field limit (5242881); rest of file skipped', rows 3-4 lost
    rows = ["title,text,note", 'First,"The council approved the budget, 5 to 2."', f"Huge,{big}",
            'Third,"Firefighters put out a blaze at the mill.\nNobody was hurt."', "Fourth,The river rose by two metres."]
    path = write_file("big.csv", "\r\n".join(rows) + "\r\n")
    items = list(read_csv(path))
    assert items[1] == Rejection(f"{path}#R2", "row 2: larger than 5 MB cap")
    assert [(i.origin, i.title, i.text) for i in items[2:]] == [  # type: ignore[union-attr]
        (f"{path}#R3", "Third", "Firefighters put out a blaze at the mill.\nNobody was hurt."),
        (f"{path}#R4", "Fourth", "The river rose by two metres.")]
    assert isinstance(items[0], RawDocument) and items[0].text == "The council approved the budget, 5 to 2."


def test_jsonl_bad_utf8_line(write_file) -> None:
    path = write_file("latin.jsonl", b'{"text": "caf\xe9"}\n{"text": "ok"}\n')
    items = list(read_jsonl(path))
    assert items[0] == Rejection(f"{path}#L1", "line 1: not valid UTF-8 (JSONL must be UTF-8)")
    assert isinstance(items[1], RawDocument)


def test_row_to_document_aliases_and_nested_metadata() -> None:
    doc = row_to_document(
        {"ID": 7, "Title": "T", "body": "Body text.", "date": "2024-02-29", "lang": "PL", "tags": ["a", "b"]},
        "x#L1",
    )
    assert (doc.external_id, doc.title, doc.text, doc.published, doc.language) == ("7", "T", "Body text.", "2024-02-29", "pl")
    assert doc.metadata == {"tags": ["a", "b"]}
    with pytest.raises(ParseError):
        row_to_document({"id": 1}, "x#L2")


def test_empty_tables(write_file) -> None:
    jsonl = write_file("empty.jsonl", "\n  \n")
    header_only = write_file("header.csv", "title,text\n")
    blank_csv = write_file("blank.csv", "")
    assert list(collect([str(jsonl), str(header_only), str(blank_csv)])) == [
        Rejection(str(jsonl), "file is empty"),
        Rejection(str(header_only), "CSV has a header but no rows"),
        Rejection(str(blank_csv), "file is empty"),
    ]


def test_missing_table_file() -> None:
    assert list(collect(["/nope/rows.jsonl", "/nope/rows.csv"])) == [
        Rejection("/nope/rows.jsonl", "no such file or directory"),
        Rejection("/nope/rows.csv", "no such file or directory"),
    ]


@pytest.mark.skipif(not ECBPLUS.exists(), reason=f"bench file {ECBPLUS} is not present on this machine")
def test_ecbplus_bench_imports_as_is() -> None:
    items = list(collect([str(ECBPLUS)]))
    assert len(items) == 772
    assert all(isinstance(i, RawDocument) for i in items)
    assert all(i.text and i.metadata.get("gold_event") for i in items)  # type: ignore[union-attr]
    assert len(Counter(i.metadata["gold_event"] for i in items)) == 66  # type: ignore[union-attr]
    assert items[0].external_id == "ecb+/10_13ecbplus" and items[0].language == "en"


@pytest.mark.parametrize(("value", "kind"), [(12345, "a number"), (["para 1", "para 2"], "a list"),
                                             ({"en": "x"}, "an object"), (True, "true/false")])
def test_jsonl_text_that_is_not_a_string_is_rejected(write_file, value: object, kind: str) -> None:
    # before: a number or list was dropped and the row stored with its title as its text
    rows = [{"title": "Numbers only", "text": value}, {"title": "Fine", "body": "A normal article body."},
            {"title": "Alias", "content": value}]
    path = write_file("types.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    items = list(read_jsonl(path))
    assert items[0] == Rejection(f"{path}#L1", f"line 1: 'text' is {kind}; give the article text as a string")
    assert isinstance(items[1], RawDocument) and items[1].text == "A normal article body."
    assert items[2] == Rejection(f"{path}#L3", f"line 3: 'content' is {kind}; give the article text as a string")
