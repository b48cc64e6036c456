"""Timeline: dated developments of a story or storyline, each citing the sentences that date it.

Dates come from publication metadata and from dates stated in the text ("on March 24", "in late
February", "since February 2022", "until October 2023", "on Tuesday", "9 de marzo", "26 września").
Stated dates without a year, weekdays and "today"/"yesterday" are resolved relative to the
article's publication date; when that date is unknown such mentions are skipped: a date is never
invented. Dates keep their precision (``2024-03-24``, ``2024-02``, ``2022``: ISO 8601 reduced
precision).

Page furniture is never an event: a dateline ("Bruksela, 13 marca 2024 r."), byline, credit or
subhead sentence gives no entry, and the date of an opening dateline ("CAMERINO, Italy, 20 February
2024 (CPA) — A magnitude 5.6 earthquake...") is the publication date, not an event date of the
sentence: only the dates in the sentence's prose after it count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..calendar_words import month_numbers, weekday_numbers
from ..clean.furniture import dateline_prefix_end, sentence_furniture
from ..models import Article, Sentence, Span, TimelineEntry

MONTHS: dict[str, int] = month_numbers()
# English/German month names are capitalised; requiring that keeps "may", "march", "mar" (verbs,
# prefixes) from being read as months.
_CAPITALISED_ONLY = {"may", "march", "august", "mai", "mars"}

WEEKDAYS: dict[str, int] = weekday_numbers()
_RELATIVE_DAYS = {
    "today": 0, "heute": 0, "aujourd'hui": 0, "hoy": 0, "oggi": 0, "dziś": 0, "dzisiaj": 0,
    "сегодня": 0, "сьогодні": 0,
    "yesterday": -1, "gestern": -1, "hier": -1, "ayer": -1, "ieri": -1, "wczoraj": -1, "вчера": -1,
    "вчора": -1,
}
# Words that make a bare year a date of the story ("in 2014", "since February 2022", "od 2022 roku").
_YEAR_PREPOSITIONS = {"in", "since", "until", "till", "from", "during", "seit", "im", "bis", "depuis", "en",
                      "jusqu'en", "desde", "hasta", "dal", "nel", "fino", "od", "w", "do", "в", "с", "з", "у",
                      "до", "від", "since", "throughout"}
_FUTURE_CUES = re.compile(r"\b(will|shall|going to|next|upcoming|scheduled|planned|wird|werden|va |vont|"
                          r"será|sarà|będzie|будет|буде)\b", re.I)

_UNTIL_RE = re.compile(r"\b(until|till|through|bis|jusqu'au|jusqu’au|hasta el|fino al|do|до|по)\s*$", re.I)
_WORD = r"[^\W\d_][\w'ʼ’-]*"
_TOKEN_RE = re.compile(r"\d{1,4}|" + _WORD)

# How far into the future (days) a resolved date may lie past publication before we assume the
# writer meant the previous year ("on March 24" in an article of 2 March means last March).
FUTURE_SLACK_DAYS = 7


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date mentioned in a text: ISO value (day, month or year precision) and where it was."""

    iso: str
    start: int
    end: int
    text: str
    precision: str  # "day", "month", "year"


def parse_published(value: str | None) -> dt.date | None:
    """The date part of an ISO 8601 publication stamp, or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _month_of(word: str, beside_number: bool = False) -> int | None:
    low = word.lower().rstrip(".")
    num = MONTHS.get(low)
    if num is None:
        return None
    if low in _CAPITALISED_ONLY and not word[:1].isupper() and not beside_number:
        return None
    return num


def _is_day(token: str) -> bool:
    return token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 31


def _resolve_year(month: int, day: int | None, published: dt.date, future: bool) -> int:
    year = published.year
    probe = dt.date(year, month, day or 1)
    if not future and probe > published + dt.timedelta(days=FUTURE_SLACK_DAYS):
        year -= 1
    elif future and (probe + dt.timedelta(days=31)) < published:
        year += 1
    return year


def _safe_date(year: int, month: int, day: int | None) -> str | None:
    try:
        return dt.date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}"
    except ValueError:
        return None


def extract_dates(text: str, published: dt.date | None = None, language: str | None = None) -> list[StatedDate]:
    """Dates stated in ``text``; relative ones resolved against ``published`` (skipped without it)."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    future = bool(_FUTURE_CUES.search(text))
    out: list[StatedDate] = []
    used: set[int] = set()
    i = 0
    while i < len(tokens):
        word, start, end = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        beside = bool((nxt and _is_day(nxt[0])) or (i >= 1 and _is_day(tokens[i - 1][0])))
        month = _month_of(word, beside)
        low = word.lower()
        found: tuple[str, int, int, str] | None = None
        if month is not None:
            # Month Day[, Year] | Month [de] Year | Month alone
            j = i + 1
            day = year = None
            if nxt and nxt[0].isdigit() and len(nxt[0]) <= 2 and 1 <= int(nxt[0]) <= 31:
                day, j = int(nxt[0]), i + 2
            k = j
            if k < len(tokens) and tokens[k][0].lower() in {"de", "del", "of"}:
                k += 1
            if k < len(tokens) and len(tokens[k][0]) == 4 and tokens[k][0].isdigit() and 1900 <= int(tokens[k][0]) <= 2100:
                year, j = int(tokens[k][0]), k + 1
            # Day [de|.] Month: look back for a day number
            if day is None and i >= 1 and tokens[i - 1][0].isdigit() and len(tokens[i - 1][0]) <= 2 and (i - 1) not in used:
                day, start = int(tokens[i - 1][0]), tokens[i - 1][1]
            elif day is None and i >= 2 and tokens[i - 1][0].lower() == "de" and tokens[i - 2][0].isdigit() \
                    and len(tokens[i - 2][0]) <= 2:
                day, start = int(tokens[i - 2][0]), tokens[i - 2][1]
            if day is not None and not 1 <= day <= 31:
                day = None
            end = tokens[j - 1][2]
            if year is None and published is not None:
                # "until 26 September" / "do 26 września" looks forward even without a future verb
                ahead = future or (start > 0 and _UNTIL_RE.search(text[max(0, start - 12):start]) is not None)
                year = _resolve_year(month, day, published, ahead)
            if year is not None:
                iso = _safe_date(year, month, day)
                if iso:
                    found = (iso, start, end, "day" if day else "month")
            i = j - 1
        elif low in WEEKDAYS and published is not None and (word[:1].isupper() or low not in _EN_DE_WEEKDAYS):
            delta = (published.weekday() - WEEKDAYS[low]) % 7
            day_date = published - dt.timedelta(days=delta)
            if future and delta:
                day_date = published + dt.timedelta(days=7 - delta)
            found = (day_date.isoformat(), start, end, "day")
        elif low in _RELATIVE_DAYS and published is not None and (low != "hier" or language == "fr"):
            found = ((published + dt.timedelta(days=_RELATIVE_DAYS[low])).isoformat(), start, end, "day")
        elif len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2100 and i >= 1 \
                and tokens[i - 1][0].lower() in _YEAR_PREPOSITIONS:
            found = (word, start, end, "year")
        if found:
            out.append(StatedDate(found[0], found[1], found[2], text[found[1]:found[2]], found[3]))
            used.add(i)
        i += 1
    return out


_EN_DE_WEEKDAYS = {w for w in WEEKDAYS if w.endswith("day") or w.endswith("tag") or w == "mittwoch"}


# Developments on the same date whose word sets overlap at least this much are merged (tuned by
# eye on the seeds: paraphrases of one event in two outlets share about half of their words).
MERGE_JACCARD = 0.45
MAX_ENTRY_CHARS = 300


def _words(text: str) -> set[str]:
    return {w.lower()[:6] for w in re.findall(r"\w{3,}", text)}


def _sentences(article: Article) -> tuple[Sentence, ...]:
    if article.sentences:
        return article.sentences
    return (Sentence(0, 0, len(article.text), article.text),) if article.text else ()


def build_timeline(articles: Sequence[Article], story_of: Mapping[int, int] | None = None) -> list[TimelineEntry]:
    """Dated developments: one entry per publication and per dated sentence, near-duplicates merged.

    ``story_of`` maps article id -> story id (for storyline timelines); otherwise ``Article.story``.
    Entries are sorted by date (coarser dates first within the same period), then text.
    """
    raw: list[tuple[str, str, Span, int | None, bool]] = []
    for art in articles:
        story = story_of.get(art.id) if story_of is not None else art.story
        published = parse_published(art.published)
        sents = _sentences(art)
        if published is not None:
            first = sents[0] if sents else Sentence(0, 0, 0, "")
            raw.append((published.isoformat(), art.title.strip()[:MAX_ENTRY_CHARS] or first.text[:MAX_ENTRY_CHARS],
                        Span(art.id, first.index, first.start, first.end, first.text), story, False))
        for sent in sents:
            if sentence_furniture(sent, art) is not None:
                continue
            seen: set[str] = set()
            prose = dateline_prefix_end(sent.text)
            for stated in extract_dates(sent.text[prose:], published, art.language):
                if stated.iso in seen:
                    continue
                seen.add(stated.iso)
                raw.append((stated.iso, sent.text.strip()[:MAX_ENTRY_CHARS],
                            Span(art.id, sent.index, sent.start, sent.end, sent.text), story, True))
    merged: list[list] = []
    for date, text, span, story, stated in sorted(raw, key=lambda r: (r[0], r[2].article_id, r[2].sentence)):
        words = _words(text)
        for entry in merged:
            if entry[0] == date and entry[5] == stated:
                union = words | entry[4]
                if union and len(words & entry[4]) / len(union) >= MERGE_JACCARD:
                    if span not in entry[2]:
                        entry[2].append(span)
                    break
        else:
            merged.append([date, text, [span], story, words, stated])
    entries = [TimelineEntry(date=e[0], text=e[1], citations=tuple(e[2]), story=e[3], stated=e[5]) for e in merged]
    entries.sort(key=lambda e: (e.date, not e.stated, e.text))
    return entries


def timeline_json(entries: Sequence[TimelineEntry]) -> list[dict]:
    """JSON-ready timeline entries."""
    return [{"date": e.date, "text": e.text, "stated": e.stated, "story": e.story,
             "citations": [{"article": c.article_id, "sentence": c.sentence, "text": c.text} for c in e.citations]}
            for e in entries]
