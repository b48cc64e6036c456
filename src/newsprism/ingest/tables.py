"""JSONL and CSV files: one article per row, streamed so files may exceed the per-document cap.

Recognised fields: ``id`` (-> external_id), ``url``, ``title``, ``text`` or ``html``,
``published``, ``language``, ``source``, ``author``; every other field (gold labels such as
``gold_event``) is kept in ``metadata``. A bad row is rejected on its own (origin ``path#L7`` for
JSONL line 7, ``path#R7`` for CSV data row 7) and reading continues.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

import charset_normalizer

from newsprism.errors import InputError, ParseError
from newsprism.ingest.dates import normalize_date
from newsprism.ingest.decode import MAX_INPUT_BYTES, normalize_newlines, too_large_problem
from newsprism.ingest.files import open_regular, os_problem
from newsprism.ingest.html import normalize_language, parse_html
from newsprism.models import RawDocument, Rejection

MAX_ROW_BYTES = MAX_INPUT_BYTES  # one JSONL line / CSV row; the file itself has no cap
MAX_TITLE_CHARS = 300
ENCODING_SAMPLE_BYTES = 256 * 1024  # CSV encoding is detected on this much of the file
KNOWN_FIELDS = frozenset({"id", "url", "title", "text", "html", "published", "language", "source", "author"})
_DELIMITERS = (",", ";", "\t", "|")
_FIELD_ALIASES = {"date": "published", "lang": "language", "link": "url", "content": "text", "body": "text"}


def row_to_document(row: Mapping[str, Any], origin: str) -> RawDocument:
    """A RawDocument from one JSONL object / CSV row.

    Raises ``ParseError`` without text/html, or when either is not a string (a number, a list...).
    """
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key).strip()
        canonical = name.lower()
        canonical = canonical if canonical in KNOWN_FIELDS else _FIELD_ALIASES.get(canonical, "")
        if canonical and canonical not in fields:
            fields[canonical] = value
            if canonical in ("text", "html") and value is not None and not isinstance(value, str):
                # else a number would be stored as the text "12345" or dropped for the title
                raise ParseError(origin, f"'{name}' is {_json_kind(value)}; give the article {canonical} as a string")
        else:
            metadata[name] = value
    text = _string(fields.get("text"))
    html = _string(fields.get("html"))
    url = _string(fields.get("url"))
    given_title = _string(fields.get("title"))
    parsed = parse_html(html, origin, url) if text is None and html is not None else None
    if text is None and parsed is not None:
        text = parsed.text
    if text is None:
        # A headline-only row (wire flash, corpus item whose body is its first sentence) is
        # still an article: its title is its text. Nothing at all is a rejection.
        if given_title is None:
            raise ParseError(origin, "row has neither 'text' nor 'html'")
        text = given_title
    text = normalize_newlines(text).strip()
    title = given_title or (parsed.title if parsed else None) or _first_line(text)
    return RawDocument(
        origin=origin,
        text=text,
        html=parsed.html if parsed else None,
        title=title,
        url=url or (parsed.url if parsed else None),
        published=normalize_date(fields.get("published")) or (parsed.published if parsed else None),
        language=normalize_language(fields.get("language")) or (parsed.language if parsed else None),
        source=_string(fields.get("source")) or (parsed.source if parsed else None),
        author=_string(fields.get("author")) or (parsed.author if parsed else None),
        external_id=_string(fields.get("id")),
        metadata=metadata,
    )


def read_jsonl(path: Path | str, origin: str | None = None) -> Iterator[RawDocument | Rejection]:
    """Stream a JSONL file: one RawDocument or Rejection per non-blank line, in order."""
    path = Path(path)
    origin = origin or str(path)
    try:
        handle, _ = open_regular(path, origin)
    except InputError as exc:
        yield Rejection(origin, exc.problem)
        return
    with handle:
        number = 0
        rows = 0
        while True:
            line = handle.readline(MAX_ROW_BYTES + 1)
            if not line:
                break
            number += 1
            row_origin = f"{origin}#L{number}"
            if len(line) > MAX_ROW_BYTES and not line.endswith(b"\n"):
                _skip_rest_of_line(handle)
                yield Rejection(row_origin, f"line {number}: {too_large_problem()}")
                continue
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            rows += 1
            yield _jsonl_row(line, number, row_origin)
        if rows == 0:
            yield Rejection(origin, "file is empty")


def _jsonl_row(line: bytes, number: int, origin: str) -> RawDocument | Rejection:
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError:
        return Rejection(origin, f"line {number}: not valid UTF-8 (JSONL must be UTF-8)")
    try:
        row = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(row, dict):
        return Rejection(origin, f"line {number}: expected a JSON object, got {type(row).__name__}")
    try:
        return row_to_document(row, origin)
    except InputError as exc:
        return Rejection(origin, f"line {number}: {exc.problem}")


def _skip_rest_of_line(handle: io.BufferedReader) -> None:
    while True:
        chunk = handle.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_csv(path: Path | str, origin: str | None = None) -> Iterator[RawDocument | Rejection]:
    """Stream a CSV (or TSV) file with a header row: one RawDocument or Rejection per data row."""
    path = Path(path)
    origin = origin or str(path)
    try:
        raw, _ = open_regular(path, origin)
    except InputError as exc:
        yield Rejection(origin, exc.problem)
        return
    try:
        sample = raw.read(ENCODING_SAMPLE_BYTES)
        raw.seek(0)
    except OSError as exc:
        raw.close()
        yield Rejection(origin, os_problem(exc))
        return
    encoding = _csv_encoding(sample)
    if encoding is None:
        raw.close()
        yield Rejection(origin, "not valid UTF-8 or any detectable encoding")
        return
    _raise_field_limit()
    with io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict") as handle:
        text_sample = sample.decode(encoding, errors="ignore")
        dialect = _dialect(text_sample, path.suffix.lower())
        records = _Records(handle, dialect.quotechar or '"')
        reader = csv.DictReader(records, dialect=dialect)
        try:
            header = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as exc:
            yield Rejection(origin, f"unreadable CSV header ({_one_line(exc)})")
            return
        if not header:
            yield Rejection(origin, "file is empty")
            return
        names = {h.strip().lower() for h in header if h}
        if not names & {"text", "html", "content", "body"}:
            yield Rejection(origin, f"CSV has no 'text' or 'html' column (found: {', '.join(header)[:200]})")
            return
        records.record_done()
        yield from _csv_rows(reader, records, origin)


class RowTooLarge(csv.Error):
    """A CSV record over ``MAX_ROW_BYTES``; its lines were skipped."""


class _Records:
    """A CSV file's lines for ``csv.reader``, one record at a time, each record capped in size.

    A record over the cap is never handed to the reader: its lines are read on (in capped pieces)
    up to its end and ``RowTooLarge`` is raised, so the reader goes on with the next record. A record
    ends at a line end outside quotes: quote characters toggle, as the csv module reads them.
    """

    def __init__(self, handle: io.TextIOWrapper, quote: str) -> None:
        self.handle = handle
        self.quote = quote
        self.size = 0  # characters of the current record read so far
        self.in_quotes = False  # the current record's last line ended inside a quoted field
        self.mid_line = False  # the last piece read did not reach its line end

    def __iter__(self) -> "_Records":
        return self

    def __next__(self) -> str:
        line = self._read()
        if not line:
            raise StopIteration
        if self.size > MAX_ROW_BYTES:
            self.skip_record()
            raise RowTooLarge(too_large_problem())
        return line

    def record_done(self) -> None:
        """The reader returned a record: what is read next starts a new one."""
        self.size, self.in_quotes = 0, False

    def skip_record(self) -> None:
        """Read on to the end of the current record (after a csv error in it)."""
        while self.in_quotes or self.mid_line:
            if not self._read():
                break
        self.record_done()

    def _read(self) -> str:
        line = self.handle.readline(MAX_ROW_BYTES + 1)
        self.size += len(line)
        self.mid_line = bool(line) and not line.endswith(("\n", "\r"))
        if line.count(self.quote) % 2:
            self.in_quotes = not self.in_quotes
        return line


def _csv_rows(reader: csv.DictReader, records: _Records, origin: str) -> Iterator[RawDocument | Rejection]:
    number = 0
    while True:
        number += 1
        row_origin = f"{origin}#R{number}"
        try:
            row = next(reader)
            records.record_done()
        except StopIteration:
            if number == 1:
                yield Rejection(origin, "CSV has a header but no rows")
            return
        except UnicodeDecodeError:
            yield Rejection(row_origin, f"row {number}: not valid in the file's encoding; rest of file skipped")
            return
        except csv.Error as exc:  # RowTooLarge, or a line the csv module cannot read: that row only
            records.skip_record()
            yield Rejection(row_origin, f"row {number}: {_one_line(exc)}")
            continue
        extra = row.pop(None, None)  # type: ignore[call-overload]
        if extra:
            yield Rejection(row_origin, f"row {number}: more fields than the header has")
            continue
        values = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue  # blank line
        try:
            yield row_to_document(values, row_origin)
        except InputError as exc:
            yield Rejection(row_origin, f"row {number}: {exc.problem}")


def _csv_encoding(sample: bytes) -> str | None:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # the sample cut a multi-byte character in half
            return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    return best.encoding if best is not None else None


def _dialect(sample: str, suffix: str) -> type[csv.Dialect]:
    if suffix == ".tsv":
        return csv.excel_tab
    # The header line decides the delimiter: article text is full of commas, headers are not.
    header = sample.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header.count)
    if header.count(delimiter) == 0:
        return csv.excel
    return type("HeaderDialect", (csv.excel,), {"delimiter": delimiter})


def _raise_field_limit() -> None:
    if csv.field_size_limit() < MAX_ROW_BYTES + 1:
        csv.field_size_limit(MAX_ROW_BYTES + 1)


def _string(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list"}.get(type(value), f"a {type(value).__name__}")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")[:MAX_TITLE_CHARS]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160]
