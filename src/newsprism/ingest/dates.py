"""Publication dates to ISO 8601, without ever inventing one.

Inputs state dates in many shapes: ISO strings, RFC 822 feed dates, ``time.struct_time`` from
feedparser, "8 maja 2024" in a CSV. The result is an ISO date (``2024-05-08``) when only a day
is known, an ISO datetime (``2024-05-08T10:15:00+02:00``) when a time is stated, and None when
the value is missing, partial (a month or a year alone) or relative ("yesterday").
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

MIN_YEAR = 1800  # dates before this in news metadata are typos or placeholders (0001-01-01)
MAX_YEAR = 2200
_HAS_TIME = re.compile(r"\d{1,2}\s*:\s*\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATEPARSER_SETTINGS = {
    # "absolute-time" only: relative phrases ("2 days ago") would be resolved against today.
    "PARSERS": ["timestamp", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def normalize_date(value: Any) -> str | None:
    """Return ``value`` as an ISO 8601 date or datetime string, or None when not a full date."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        return _from_datetime(datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc), True)
    if isinstance(value, datetime):
        return _from_datetime(value, True)
    if isinstance(value, date):
        return _from_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:100]
    if not text:
        return None
    return _parse_string(text)


def _parse_string(text: str) -> str | None:
    if _ISO_DATE.match(text):
        try:
            return _from_date(date.fromisoformat(text))
        except ValueError:
            return None
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
    if parsed is not None:
        return _from_datetime(parsed, True)
    if text.isdigit() and len(text) >= 9:  # unix timestamp in seconds (or ms)
        return _from_timestamp(float(text))
    try:
        parsed = parsedate_to_datetime(text)  # RFC 822 / 2822, the feed standard
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return _from_datetime(parsed, _HAS_TIME.search(text) is not None)
    return _parse_with_dateparser(text)


def _parse_with_dateparser(text: str) -> str | None:
    if not any(ch.isdigit() for ch in text):
        return None  # "yesterday", "Monday": nothing absolute to go on
    import dateparser  # slow to import; only free-form dates need it

    try:
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if parsed is None:
        return None
    return _from_datetime(parsed, _HAS_TIME.search(text) is not None)


def _from_timestamp(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return _from_datetime(datetime.fromtimestamp(seconds, tz=timezone.utc), True)
    except (OverflowError, OSError, ValueError):
        return None


def _from_date(value: date) -> str | None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value.isoformat()


def _from_datetime(value: datetime, has_time: bool) -> str | None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    if not has_time:
        return value.date().isoformat()
    return value.replace(microsecond=0).isoformat()
