"""Dates that anniversaries give a text: "the 80th anniversary of the Allied landing in Normandy" is
6 June 2024, "80-летие Победы" 9 May 2025, "the 25th anniversary of the 1999 accession" 1999 + 25.

Read in en, fr, de, es, it, ru, uk and pl whatever the article's language (scraped pages mix them). The
event's year comes from the words right after the anniversary when they state one; otherwise the event
is looked up by name in ``data/anniversaries.yaml`` (widely commemorated events with their dates), and
the anniversary falls on its day N years later. The clusterer uses these like dates the text states
(``features.article_features``): an undated article then has a day, and two commemorations of one event
years apart are told apart.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

# How far after the anniversary phrase the event's year or name may start (characters): the event is
# named right after "anniversary of"; further on, a name or year belongs to something else.
EVENT_WINDOW_CHARS = 60
# Anniversaries counted in years (a 500th anniversary is history, not news dating).
MAX_YEARS = 300
# Years a text's anniversary may fall in: later ones are forecasts or errors.
LATEST_YEAR = 2100

# "<N>th anniversary of", in the eight languages (the number is group 1; the event follows the match)
_ANNIVERSARY = re.compile("|".join([
    r"(?<!\d)(\d{1,3})(?:st|nd|rd|th)?[\s-]+anniversary\s+of\s+(?:the\s+)?",
    r"(?<!\d)(\d{1,3})(?:e|ème|eme|è)?\s+anniversaire\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?",
    r"(?<!\d)(\d{1,3})\.\s+Jahrestag(?:es|s)?\s+(?:des|der|von|vom)?\s*",
    r"(?<!\d)(\d{1,3})(?:º|°|\.º|\.°)?\s+aniversario\s+(?:de\s+la\s+|del\s+|de\s+)?",
    r"(?<!\d)(\d{1,3})(?:º|°|esimo)?\s+anniversario\s+(?:della\s+|dello\s+|dell['’]|del\s+|di\s+)?",
    r"(?<!\d)(\d{1,3})\s?[-‑–]?\s?(?:лети[еяюи]\w*|(?:я|й|ю|ой|ей|ую|ая)\s+годовщин\w*)\s+(?:со\s+дня\s+)?",
    r"(?<!\d)(\d{1,3})\s?[-‑–]?\s?(?:річч\w*|(?:та|тя|ї|у|а|ю|й)\s+річниц\w*)\s+(?:з\s+дня\s+)?",
    r"(?<!\d)(\d{1,3})\.?\s+rocznic\w*\s+",
]), re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")
# A word each anniversary phrase above contains (lower case): texts without one skip the slow pattern.
_HINTS = ("annivers", "anivers", "jahrestag", "годовщин", "летие", "летия", "летию", "летии", "річниц", "річч", "rocznic")


@lru_cache(maxsize=1)
def known_events() -> tuple[tuple[re.Pattern[str], date], ...]:
    """(name pattern, date) of the events of ``data/anniversaries.yaml``, longest names first."""
    with (resources.files("newsprism") / "data" / "anniversaries.yaml").open("r", encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    names = []
    for event in data.get("events", []):
        day = event["date"] if isinstance(event["date"], date) else date.fromisoformat(str(event["date"]))
        names += [(str(name), day) for name in event.get("names", [])]
    names.sort(key=lambda item: -len(item[0]))
    return tuple((_name_pattern(name), day) for name, day in names)


def _name_pattern(name: str) -> re.Pattern[str]:
    """A name as a pattern: a ``*`` takes any word ending ("высадк* в Нормандии"), a name ends a word."""
    body = r"\w*".join(re.escape(part) for part in name.split("*"))
    return re.compile(r"(?<!\w)" + body + ("" if name.endswith("*") else r"(?!\w)"), re.IGNORECASE)


def anniversary_dates(text: str) -> tuple[set[int], set[int]]:
    """(day ordinals, years) the anniversaries in ``text`` fall on: a day when the event's day is known
    (from ``data/anniversaries.yaml``), else only the year (the event's stated year plus N)."""
    days: set[int] = set()
    years: set[int] = set()
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return days, years
    for match in _ANNIVERSARY.finditer(text):
        count = int(next(g for g in match.groups() if g))
        if not 1 <= count <= MAX_YEARS:
            continue
        after = text[match.end():match.end() + EVENT_WINDOW_CHARS]
        stated = _YEAR.search(after)
        event = _event_named(after)
        if stated and (event is None or stated.start() < event[0]):
            year = int(stated.group(1)) + count
            if year <= LATEST_YEAR:
                years.add(year)
            continue
        if event is None:
            continue
        base = event[1]
        year = base.year + count
        if year > LATEST_YEAR:
            continue
        try:
            days.add(date(year, base.month, base.day).toordinal())
        except ValueError:  # 29 February
            days.add(date(year, base.month, 28).toordinal())
        years.add(year)
    return days, years


def _event_named(text: str) -> tuple[int, date] | None:
    """(position, date) of the known event named earliest in ``text`` (the longest name at a tie)."""
    best: tuple[int, date] | None = None
    for pattern, day in known_events():
        found = pattern.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), day)
    return best
