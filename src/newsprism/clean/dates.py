"""The publication date of an article: from metadata, else from a dateline stated near the top.

Dates are found with explicit patterns over a month-name lexicon of en, de, uk, ru, pl, it, es, fr
(nominative and genitive forms) and numeric forms. A date needs a day, a month and a year: relative
words ("on Wednesday", "yesterday") and partial dates ("March 5") give nothing, so a date is never
invented. Ambiguous numeric dates (03/04/2022) give nothing either. The functions are pure: they
never look at today's date.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsprism.calendar_words import WEEKDAY_ABBREVIATIONS, month_numbers, weekday_numbers
from newsprism.models import RawDocument

# Only the first few paragraphs can hold a dateline; a date deeper in the text is an event date.
# Tuned on ECB+ dev (772 en articles, 265 with a date stated in the text): agreement with that date
# is 95/213/238/241/241 for 1/2/3/4/6 paragraphs, so 4 (the rest of the gold dates sit in prose,
# where they are event dates rather than publication dates).
HEAD_PARAGRAPHS = 4
# A dateline is a part holding only a date (+ time, weekday, label such as "Published on") and
# other parts set off by "|", "•", "—" or brackets of at most DATELINE_MAX_PART_WORDS words each
# and DATELINE_MAX_EXTRA_WORDS in all (bylines, "2 min read"). Other lines are prose: their dates
# are only taken when the line opens with the date followed by a dash or colon ("KYIV, 24.03.2022 — ").
DATELINE_MAX_PART_WORDS = 5
DATELINE_MAX_EXTRA_WORDS = 8
# ...and the date's own part may name a place or agency in up to this many capitalised words.
DATELINE_MAX_NAME_WORDS = 3
# A labelled date ("Published: 12 March 2024") is trusted anywhere in the first part of the text.
LABEL_SEARCH_CHARS = 3000
# ...when the label comes at most this many characters before the date ("posted in Sports on
# Friday, September 20, 2013").
LABEL_WINDOW_CHARS = 60
# An opening dateline's date starts within this many characters of its paragraph ("Cascia
# (Perugia), 15 settembre 2024 –" is 21; "GDAŃSK, Poland, Wednesday 9 October 2024" 25): a place
# name is short, and a date further in is part of a sentence.
OPENING_MAX_CHARS = 60
# ...after a place name of at most this many words ("Rom/Camerino", "CAMERINO, Italy",
# "Nowy Dwór Mazowiecki").
DATELINE_MAX_PLACE_WORDS = 5
# A label in the middle of a line only counts when its date ends the line, but for this many words
# ("updated April 30, 2008 at 8:33 AM PT"). Checked on ECB+ dev: agreement unchanged (241).
LABEL_TRAILING_WORDS = 2
MIN_YEAR = 1900
MAX_YEAR = 2100

MONTHS: dict[str, int] = month_numbers(abbreviations=True)
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|-?(?:го|е|я))?\.?"
_YEAR = r"(?P<year>(?:1[89]|20|21)\d\d)"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"
_WORD_END = r"(?![\w])"
_WORD_START = r"(?<![\w])"
# "8 maja 2024", "25 March 2022", "12. März 2024", "25 de marzo de 2022", "25th of March, 2022"
_DAY_MONTH_YEAR = re.compile(
    rf"{_WORD_START}{_DAY}\s*(?:of\s+|de\s+)?{_MONTH}{_WORD_END},?\s*(?:de\s+|del\s+)?{_YEAR}{_WORD_END}",
    re.IGNORECASE,
)
# "March 25, 2022", "December 15th, 2008", "May. 3, 2013"
_MONTH_DAY_YEAR = re.compile(
    rf"{_WORD_START}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_WORD_END}", re.IGNORECASE
)
# "2024-03-12", "2024/03/12", "2024.03.12"
_ISO = re.compile(r"(?<![\d.])(?P<year>(?:19|20|21)\d\d)([-/.])(?P<month>[01]?\d)\2(?P<day>[0-3]?\d)(?![\d])"
                  r"(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?(?![\d]))?")
# "24.03.2022" (always day first), "24/03/2022", "24-03-2022"
_NUMERIC = re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<year>(?:19|20|21)\d\d)(?![\d])")
_NUMERIC_SLASH = re.compile(r"(?<![\d.])(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20|21)\d\d)(?![\d])")

_LABEL_RE = re.compile(
    r"\b(published|posted|updated|last updated|dated|aktualisiert|veröffentlicht|"
    r"опубликовано|обновлено|опубліковано|оновлено|opublikowano|zaktualizowano|"
    r"pubblicato|aggiornato|publicado|actualizado|publié|mis à jour)\b"
    r"|\b(date|datum|data|fecha|дата)\s*:",  # bare "date" is prose ("the court date is set for")
    re.IGNORECASE,
)
_PUBLISHED_LABEL_RE = re.compile(
    r"\b(published|posted|veröffentlicht|опубликовано|опубліковано|opublikowano|pubblicato|"
    r"publicado|publié)\b",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"\b\d{1,2}\s?[:.h]\s?\d{2}(\s?[:.]\s?\d{2})?\s*(a\.?\s?m\.?|p\.?\s?m\.?|uhr|h)?"
                      r"(\s*\(?[A-Z]{2,4}\)?)?", re.IGNORECASE)
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in (*weekday_numbers(), *WEEKDAY_ABBREVIATIONS)),
                                key=len, reverse=True))
_WEEKDAYS = re.compile(rf"\b({_WEEKDAY_ALT})\b\.?,?", re.IGNORECASE)
_YEAR_WORDS = re.compile(r"(?<!\w)(року|рік|года|год|г|р|roku|r|de|del|le|am|on|at|um|à|alle|il|el|по|о|в|w|o)(?!\w)\.?", re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"[|•·—()\[\]]")
# What may follow the date of an opening dateline: a year word ("r.", "року", "года", "г."), a
# time, an agency in brackets ("(CPA)"), the bracket closing "(6. Mai 2024", then the separator
# before the prose: a dash, colon, bar, or a full stop followed by a capital/dash/quote.
_OPENING_TAIL = re.compile(
    r"^\s*(?:(?:року|рік|года|г|р|roku|r)\b\.?)?"
    r"(?:\s*,?\s*(?:at|um|à|alle|o|в|о|a las|à)?\s*\d{1,2}\s?[:.h]\s?\d{2}"
    r"(?:\s*(?:uhr|h|a\.?\s?m\.?|p\.?\s?m\.?))?)?"
    r"(?:\s*\((?![^()]*\d{4})[^()]{1,40}\))?"
    r"(?P<close>\s*\))?"
    r"\s*(?:[—–‒―\-:|•]\s*\S|\.(?:\s*[—–‒―\-]\s*\S|\s+[“‘\"«„(]?(?P<next>\w)))",
    re.IGNORECASE,
)
_TRAILING_WEEKDAY = re.compile(_WEEKDAYS.pattern + r"\s*$", re.IGNORECASE)
_TRAILING_CONNECTOR = re.compile(r"(?<!\w)(le|den|am|il|el|lo|on|the)\s*$", re.IGNORECASE)
_PLACE_WORD = re.compile(r"[^\W_][\w'.-]*")
_SENTENCE_MARK = re.compile(r"[!?;:“”\"]|\.\s+[a-zа-яіїєё]")
# Lower-case words inside place names: "Frankfurt am Main", "Nowy Dwór nad Wisłą", "Rostov na Donu".
_PLACE_CONNECTORS = {"am", "an", "der", "de", "del", "la", "le", "nad", "na", "sur", "upon", "on",
                     "di", "do", "da", "im", "pod", "bei", "über", "y", "i", "und", "et", "and"}


def find_published(raw: RawDocument, text: str, language: str | None = None) -> str | None:
    """The ISO date (``YYYY-MM-DD``, or the metadata value when already ISO) an article was published.

    Metadata (``raw.published``) wins; else a labelled date ("Published: 12 March 2024") in the
    first part of ``text``, else a dateline among the first paragraphs. ``None`` when unknown.
    ``language`` is accepted for interface stability; the month lexicon covers all supported
    languages at once, so the result does not depend on it.
    """
    del language  # every language's month names are tried; no guessing by language is needed
    if raw.published:
        from_metadata = parse_metadata_date(raw.published)
        if from_metadata:
            return from_metadata
    return find_stated_date(text)


def parse_metadata_date(value: str) -> str | None:
    """``value`` when it is an ISO 8601 date/datetime; else the ISO date of a full date in it."""
    value = value.strip()
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except ValueError:
        pass
    found = find_dates(value)
    return found[0][0] if found else None


def find_stated_date(text: str) -> str | None:
    """The date stated in a dateline or labelled line near the top of ``text``, else ``None``."""
    head = text[:LABEL_SEARCH_CHARS]
    paragraphs = [p.strip() for p in head.split("\n") if p.strip()]
    for label_re in (_PUBLISHED_LABEL_RE, _LABEL_RE):  # "Published" beats "Updated"
        for paragraph in paragraphs:
            if not label_re.search(paragraph):
                continue
            for iso, start, end in find_dates(paragraph):
                label = _last_match(label_re, paragraph[max(0, start - LABEL_WINDOW_CHARS):start])
                if label and _labels_the_line(paragraph, max(0, start - LABEL_WINDOW_CHARS) + label.start(), end):
                    return iso
    for paragraph in _distinct(paragraphs)[:HEAD_PARAGRAPHS]:
        found = find_dates(paragraph)
        if not found:
            continue
        if is_dateline(paragraph):
            return found[0][0]
        opening = opening_dateline_date(paragraph)
        if opening:
            return opening
    return None


def opening_dateline_date(paragraph: str) -> str | None:
    """The date of a dateline that opens a paragraph of prose, else ``None``.

    "Bruksela, 13 marca 2024 r. – Sojusz…", "Brüssel (4. Dezember 2024). Die NATO…",
    "Gdańsk, poniedziałek, 6 maja 2024 r. – …", "CAMERINO, Italy, 20 February 2024 (CPA) — …":
    the date starts within OPENING_MAX_CHARS, is preceded by nothing or by a place name ending in
    a comma or an opening bracket, and is followed (after a year word, a time, an agency in
    brackets) by a dash, colon or full stop. "Russia invaded Ukraine on 24 February 2022, and…"
    has prose before its date and gives nothing.
    """
    found = find_dates(paragraph)
    if not found:
        return None
    iso, start, end = found[0]
    if start > OPENING_MAX_CHARS:
        return None
    prefix = paragraph[:start]
    opened = _place_prefix_opening(prefix)
    if opened is None:
        return None
    tail = _OPENING_TAIL.match(paragraph[end:])
    if not tail or (opened == "(") != bool(tail["close"]):
        return None
    if tail["next"] and tail["next"].islower():
        return None  # "Kyiv, 4 May 2024. and..." is not a sentence start after a dateline
    return iso


def _place_prefix_opening(prefix: str) -> str | None:
    """How a place-name prefix of a dateline ends: "" (no prefix), "," or "("; None when the
    prefix is not a place name (lower-case prose words, sentence punctuation, too many words)."""
    rest = prefix.strip()
    # "Brüssel, Mittwoch, 4. Dezember", "Bruxelles, le 4 décembre": weekday and article go.
    while True:
        trimmed = _TRAILING_CONNECTOR.sub("", rest).rstrip()
        trimmed = _TRAILING_WEEKDAY.sub("", trimmed).rstrip()
        if trimmed == rest:
            break
        rest = trimmed
    if not rest:
        return ""
    if rest[-1] not in ",(":
        return None
    opening = rest[-1]
    words = _PLACE_WORD.findall(rest[:-1])
    if not words or len(words) > DATELINE_MAX_PLACE_WORDS or not words[0][0].isupper():
        return None
    if _SENTENCE_MARK.search(rest[:-1]):
        return None
    for word in words:
        if not (word[0].isupper() or word[0].isdigit() or word.casefold() in _PLACE_CONNECTORS
                or _WEEKDAYS.fullmatch(word)):
            return None
    return opening


def _labels_the_line(paragraph: str, at: int, date_end: int) -> bool:
    """True when the label at ``at`` heads a date line: it opens the paragraph (or a part of it
    set off by a separator), or the labelled date ends the paragraph ("... posted in Sports on
    Friday, September 20, 2013."). "A study published on 5 May 2023 shows that..." is prose
    about another text."""
    before = paragraph[:at].rstrip()
    if not before or before[-1] in "|•·—/[(":
        return True
    after = _TIME_RE.sub(" ", paragraph[date_end:])
    after = _YEAR_WORDS.sub(" ", after)
    return len(re.findall(r"\w+", after)) <= LABEL_TRAILING_WORDS or after.lstrip()[:1] in ("|", "•", "·", "/")


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def _distinct(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without exact repeats (a headline printed twice is one head paragraph)."""
    seen: set[str] = set()
    result: list[str] = []
    for paragraph in paragraphs:
        if paragraph not in seen:
            seen.add(paragraph)
            result.append(paragraph)
    return result


def is_dateline(line: str) -> bool:
    """True when ``line`` is a date line: a part holding only a date (with time, weekday, label),
    plus at most a few words set off by separators ("Jane Doe | March 25, 2022 | 3 min read").
    "Russia invaded Ukraine on 24 February 2022" is prose, not a dateline."""
    if not find_dates(line):
        return False
    parts = [p for p in _SEPARATOR_RE.split(line) if p.strip()]
    pure_date = False
    extra_words = 0
    for part in parts:
        rest = _words_beside_dates(part)
        if rest is None:
            extra_words += len(re.findall(r"\w+", part))
            continue
        if len(rest) > DATELINE_MAX_PART_WORDS:
            return False
        # "WASHINGTON, DC, April 28, 2009", "TNN Nov 12, 2011": a place or agency beside the date.
        if len(rest) <= DATELINE_MAX_NAME_WORDS and all(w[0].isupper() or w[0].isdigit() for w in rest):
            pure_date = True
        extra_words += len(rest)
    return pure_date and extra_words <= DATELINE_MAX_EXTRA_WORDS


def _words_beside_dates(part: str) -> list[str] | None:
    """Words of ``part`` besides its dates, times, weekdays and labels; None when it has no date."""
    found = find_dates(part)
    if not found:
        return None
    rest = part
    for _, start, end in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    rest = _TIME_RE.sub(" ", rest)
    rest = _WEEKDAYS.sub(" ", rest)
    rest = _LABEL_RE.sub(" ", rest)
    rest = _YEAR_WORDS.sub(" ", rest)
    return re.findall(r"\w+", rest)


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every full date (day, month and year) in ``text`` as (ISO date, start, end), in text order."""
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(year: int, month: int, day: int, start: int, end: int) -> None:
        if any(start < t_end and end > t_start for t_start, t_end in taken):
            return
        iso = _iso(year, month, day)
        if iso:
            found.append((iso, start, end))
            taken.append((start, end))

    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for m in pattern.finditer(text):
            add(int(m["year"]), MONTHS[m["month"].casefold()], int(m["day"]), m.start(), m.end())
    for m in _ISO.finditer(text):
        add(int(m["year"]), int(m["month"]), int(m["day"]), m.start(), m.end())
    for m in _NUMERIC.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if m["sep"] == "/" and a <= 12 and b <= 12 and a != b:
            continue  # 03/04/2022: day-month or month-day cannot be told apart
        add(int(m["year"]), b, a, m.start(), m.end())
    for m in _NUMERIC_SLASH.finditer(text):
        # 12/25/2022: only month-first slash dates whose second part cannot be a month.
        if int(m["b"]) > 12:
            add(int(m["year"]), int(m["a"]), int(m["b"]), m.start(), m.end())
    found.sort(key=lambda item: item[1])
    return found


def _iso(year: int, month: int, day: int) -> str | None:
    if not (MIN_YEAR <= year <= MAX_YEAR):
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
