"""Parquet files: one article per row, with the columns of the JSONL/CSV exports.

The columns are read exactly as a JSONL object's fields (``tables.row_to_document``: ``title``,
``text`` or ``html``, ``url``, ``published``, ``language``, ``source``, ``author``, ``id``; the rest
goes to ``metadata``). Rows are streamed a record batch at a time, so a shard may be far larger than
memory. A bad row is rejected on its own (origin ``path#R7`` for data row 7) and reading goes on.
Reading needs pyarrow, which the ``ray`` extra brings (``pip install 'newsprism[ray]'``).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from newsprism.errors import InputError, ParseError
from newsprism.ingest.decode import MAX_INPUT_BYTES, too_large_problem
from newsprism.ingest.files import open_regular
from newsprism.ingest.tables import row_to_document
from newsprism.models import RawDocument, Rejection

PYARROW_MISSING = "reading Parquet needs pyarrow: pip install 'newsprism[ray]'"
# Rows per record batch read: small enough that a batch of long articles stays a few MB.
ROWS_PER_BATCH = 256
MAX_ROW_BYTES = MAX_INPUT_BYTES  # one row's text + html, as one JSONL line


def read_parquet(path: Path | str, origin: str | None = None) -> Iterator[RawDocument | Rejection]:
    """Stream a Parquet file: one RawDocument or Rejection per row, in order.

    Raises ``InputError`` (naming the file) when pyarrow is missing or the file is not Parquet."""
    path = Path(path)
    origin = origin or str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(origin, PYARROW_MISSING) from None
    handle, _ = open_regular(path, origin)  # refuses FIFOs, devices, unreadable files
    with handle:
        try:
            table = pq.ParquetFile(handle)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... for one cause
            raise ParseError(origin, f"not a readable Parquet file ({_one_line(exc)})") from None
        if table.metadata.num_rows == 0:
            yield Rejection(origin, "file is empty")
            return
        number = 0
        batches = table.iter_batches(batch_size=ROWS_PER_BATCH)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:  # a damaged page: the rows after it cannot be located
                yield Rejection(f"{origin}#R{number + 1}", f"row {number + 1}: unreadable Parquet data "
                                f"({_one_line(exc)}); rest of file skipped")
                return
            for row in batch.to_pylist():
                number += 1
                yield _row(row, number, f"{origin}#R{number}")


def _row(row: Mapping[str, Any], number: int, origin: str) -> RawDocument | Rejection:
    size = sum(len(v) for k, v in row.items() if str(k).strip().lower() in ("text", "html") and isinstance(v, str))
    if size > MAX_ROW_BYTES:
        return Rejection(origin, f"row {number}: {too_large_problem()}")
    for key, value in row.items():
        if isinstance(value, bytes) and str(key).strip().lower() in ("text", "html"):
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                return Rejection(origin, f"row {number}: '{key}' is binary, not UTF-8 text")
    try:
        return row_to_document({str(k): _plain(v) for k, v in row.items()}, origin)
    except InputError as exc:
        return Rejection(origin, f"row {number}: {exc.problem}")


def _plain(value: Any) -> Any:
    """A Parquet cell as the JSON value a JSONL export would hold (metadata must stay storable)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:  # binary metadata (text and html were checked): kept storable
            return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, tuple) and len(item) == 2 for item in value) and value:
            return {str(k): _plain(v) for k, v in value}  # a Parquet map column
        return [_plain(item) for item in value]
    return value


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160]
