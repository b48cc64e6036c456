"""Publication dates: ISO output, and None rather than an invented date."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone

import pytest

from newsprism.ingest.dates import normalize_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-08", "2024-05-08"),
        ("2024-05-08T10:15:00Z", "2024-05-08T10:15:00+00:00"),
        ("2024-05-08T10:15:00.123+02:00", "2024-05-08T10:15:00+02:00"),
        ("2024-05-08 10:15", "2024-05-08T10:15:00"),
        ("Wed, 08 May 2024 10:15:00 +0200", "2024-05-08T10:15:00+02:00"),
        ("8 maja 2024", "2024-05-08"),
        ("8 травня 2024", "2024-05-08"),
        ("8. Mai 2024, 14:30", "2024-05-08T14:30:00"),
        ("May 8, 2024", "2024-05-08"),
        (date(2023, 11, 20), "2023-11-20"),
        (datetime(2023, 11, 20, 9, 5, tzinfo=timezone.utc), "2023-11-20T09:05:00+00:00"),
        (time.struct_time((2024, 5, 9, 7, 0, 0, 3, 130, 0)), "2024-05-09T07:00:00+00:00"),
        (1715155200, "2024-05-08T08:00:00+00:00"),
    ],
)
def test_parseable_dates(value: object, expected: str) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "yesterday", "2 days ago", "May 2024", "2024", "2024-13-45", "0001-01-01", "not a date", [], True],
)
def test_unparseable_or_partial_dates_are_none(value: object) -> None:
    assert normalize_date(value) is None
