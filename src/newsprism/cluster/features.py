"""Per-article feature record for clustering: dense vector plus language-neutral lexical signals.

Everything here is rule-based and model-free so it works for any language: hashed word-prefix
terms (a crude but language-agnostic stem), capitalised name tokens (German common nouns left out,
Cyrillic transliterated to Latin so "Столтенберг" meets "Stoltenberg"), numbers, years and calendar dates (the publication
date plus dates stated in the text, with month names in en/de/fr/es/it/pt/nl/pl/uk/ru).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..analysis.numbers import read_values
from .anniversaries import anniversary_dates
from ..calendar_words import month_numbers, weekday_numbers
from ..models import Article

# Lexical features read at most this much text: the lead carries the event, and long texts would
# dominate the cost of the clustering stage.
LEXICAL_CHARS = 4000
# The lead (title + first lines) names the event's actors and place.
LEAD_CHARS = 400
# Slot values (``slot_values``) are read from the title and lead only: later paragraphs recall
# earlier events' figures ("the first strike in spring lasted two days").
VALUE_CHARS = 1500
# Word prefixes of this length stand in for lemmas in every language ("arrested"/"arrests" -> "arres").
STEM_CHARS = 6
# Hashed term space for the sparse lexical vectors.
HASH_BITS = 20
_HASH_MASK = (1 << HASH_BITS) - 1
MIN_TERM_CHARS = 3

# An undated article takes the latest full date its text states as its day, unless the text also names
# a year this many years later: then the date is background (a birth date, an earlier event), not the
# article's. On ECB+ 8 undated articles lose such a day (Bettie Page's obituaries were dated to her
# 1923 birthday, a Mark Felt obituary to 1972): story F1 0.915 -> 0.919 (held-out topics 0.906 ->
# 0.909), storylines vs topics 0.890 -> 0.876 (the now undated obituaries chain with another topic's
# celebrity news); ML-Crisis unchanged. A one-year lead is kept: a URL date of 2013 in an article
# looking ahead to 2014.
BACKGROUND_DATE_YEARS = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CAP_TOKEN = re.compile(r"(?<![\w'’])([A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ][\w'’\-]*[^\W\d_])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ ,.]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# ISO dates and the year/month/day paths of article URLs ("2013/09/26", "2009 - 02 - 03", "ymd=20081216").
_ISO_DATE = re.compile(r"(?<!\d)(19\d\d|20\d\d)\s?([-/.])\s?(\d\d?)\s?\2\s?(\d\d?)(?!\d)")
_COMPACT_DATE = re.compile(r"(?<![\d-])(19[5-9]\d|20[0-4]\d)(0[1-9]|1[0-2])([0-2]\d|3[01])(?![\d-])")
_SENTENCE_END = re.compile(r"[.!?:\"“”«»\n]\s*$")

# Greek as news in Latin script spells its names (Τσίπρας = Tsipras, Μητσοτάκης = Mitsotakis).
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y",
     "f", "ch", "ps", "o"]))
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "ye", "g"]))


# Capitalised words that are not names (sentence openers that slip through, weekdays, months).
_NOT_NAMES = set("""
the a an and but or if in on at of for to by with from as it its he she they we i you this that these
those there here his her their our my when while after before during since however also yet still
der die das ein eine und im am le la les un une des et il elle ils el los las y en del lo gli i e il
pan pani w we z na do o po ten ta to и в на с по не что он она они это как для за
""".split())
# Month words that are also first names or surnames (Theresa May, Marco Rubio, Julio Iglesias): they
# count as a month only next to a number ("May 5", "5 de março"), elsewhere as a name.
_NAME_LIKE_MONTHS = {"may", "marco", "mars", "julio", "june", "april", "august", "augustus", "mai", "mae", "maya",
                     "mei", "marca", "marte"}


def fold(text: str) -> str:
    """Lower case, accents stripped, Cyrillic and Greek transliterated: one spelling across scripts."""
    text = text.lower()
    if text.isascii():
        return text
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ł", "l")
    if any("\u0370" <= ch <= "\u03ff" for ch in text):  # accents are gone: plain Greek letters
        text = "".join(_GREEK.get(ch, ch) for ch in text)
    return text


_MONTHS: dict[str, int] = {fold(name): number for name, number in month_numbers().items()}
_NOT_NAMES.update(fold(name) for name in weekday_numbers())
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Dates are matched on ascii-folded lower-case text: "15 December 2008", "December 15th, 2008", "15 grudnia".
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?({_MONTH_ALT})\w*(?:\s+(?:de\s+)?(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_ALT})\w*\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(\d{{4}}))?")


_PHONETIC_PAIRS = (("pt", "t"), ("ct", "t"), ("ph", "f"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"),
                   ("sh", "s"), ("ch", "k"), ("ou", "u"), ("c", "k"), ("q", "k"), ("g", "k"), ("z", "s"),
                   ("w", "v"), ("j", "i"))


def phonetic_key(name: str) -> str:
    """A spelling-tolerant key for a name across languages: Gadafi, Kadhafi, Gheddafi -> "kdf".

    Folded, common digraphs merged (pt/ct as t: Italian writes Egitto for Egipto/Égypte; ML-Crisis
    storyline F1 0.779 -> 0.781, ECB+ unchanged), vowels and h dropped after the first letter,
    repeats collapsed.
    """
    word = fold(name)
    for a, b in _PHONETIC_PAIRS:
        word = word.replace(a, b)
    if not word:
        return ""
    out = [word[0]]
    for ch in word[1:]:
        if ch in "aeiouyh" or not ch.isalpha() or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


def term_hash(stem: str) -> int:
    """Stable (process-independent) hash of a term into the sparse space."""
    return zlib.crc32(stem.encode("utf-8")) & _HASH_MASK


def stem(word: str) -> str:
    return fold(word)[:STEM_CHARS]


def day_number(value: str | None) -> int | None:
    """ISO date/datetime string -> proleptic day ordinal (None when missing or unparsable)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the clusterer needs to know about one article (picklable, store-free)."""

    id: int
    language: str
    vector: np.ndarray  # unit-length dense vector
    terms: tuple[tuple[int, float], ...]  # (term hash, sublinear tf), not yet IDF-weighted
    entities: frozenset[str]
    lead_entities: frozenset[str]  # names in the title and first lines: the event's actors and place
    # phonetic keys of all names (Kadhafi = Gheddafi) -> how much the article is about each
    name_weights: tuple[tuple[str, float], ...]
    numbers: frozenset[str]
    years: frozenset[int]
    dates: frozenset[int]  # day ordinals stated in the text
    day: int | None  # publication day ordinal, else the latest full date stated in the text
    duplicate_of: int | None = None
    # what the lead counts or measures, as "slot\tvalue": "hour\t72", "%\t13.75", "schiff\t35"
    values: frozenset[str] = frozenset()
    # (month, day, weekday) an undated text states without a year ("Monday, 6 May"): the clusterer
    # dates the article from the year in which that day is that weekday nearest its stream (``year_for``)
    weekday_dates: tuple[tuple[int, int, int], ...] = ()


def lexical_terms(text: str) -> Counter[int]:
    """Hashed word-prefix counts of ``text``."""
    counts: Counter[int] = Counter()
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) >= MIN_TERM_CHARS:
            counts[term_hash(stem(word))] += 1
    return counts


def name_tokens(text: str, phonetic: bool = False, language: str | None = None, *,
                common_nouns: frozenset[str] | None = None) -> set[str]:
    """Capitalised tokens that are not sentence openers, as folded 6-letter keys (inflection-tolerant),
    or as ``phonetic_key``s (spelling-tolerant across languages) when ``phonetic``. In German, which
    capitalises every noun, the words that read as common nouns are left out (``common_nouns_in``;
    pass ``common_nouns`` when they are already known for a text that contains this one)."""
    return set(name_counts(text, phonetic, language, common_nouns=common_nouns))


def name_counts(text: str, phonetic: bool = False, language: str | None = None, *,
                common_nouns: frozenset[str] | None = None) -> Counter[str]:
    """Like ``name_tokens``, with the number of times each name occurs."""
    names: Counter[str] = Counter()
    nouns = common_nouns_in(text, language) if common_nouns is None else common_nouns
    for match in _CAP_TOKEN.finditer(text):
        start = match.start()
        if _opens_sentence(text, start):
            if not match.group(0).isupper() or len(match.group(0)) < 2:
                continue  # a sentence opener; acronyms (NATO, ANSA) count anywhere
        key = re.sub(r"['’]s$", "", fold(match.group(0)))
        if key in _NOT_NAMES or len(key) < 2 or (key in nouns and not match.group(0).isupper()):
            continue
        if key in _MONTHS and (key not in _NAME_LIKE_MONTHS or _next_to_number(text, start, match.end())):
            continue
        if phonetic:
            key = phonetic_key(key)
            if len(key) >= 2:
                names[key] += 1
        else:
            names[key[:STEM_CHARS]] += 1
    return names


# German capitalises every noun, so capitalisation alone made half of a German article's "names" common
# nouns (Regierung, Truppen, Präsident), which then linked German stories of any subject and drowned
# the names shared with other languages. A German word reads as a common noun when the article uses
# it after a determiner (with at most two lower-case words between: "die neue Regierung") or it ends
# in a noun suffix; names that German writes with an article (die Ukraine, der Iran, die Nato) are
# listed. Checked on German news text written for the tests (tests/cluster/test_cluster_features.py).
_GERMAN_DETERMINERS = set("""
der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner keines
im am vom zum zur beim ins ans aufs durchs fürs übers unters
dieser diese dieses diesen diesem jener jene jenes jenen jenem jeder jede jedes jeden jedem
alle allen aller mehrere einige einigen manche manchen viele vielen wenige wenigen beide beiden
mehr weniger welche welcher welches solche solchen
mein meine meinen meinem meiner meines dein deine sein seine seinen seinem seiner seines
ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer unseres euer eure
""".split())
# between determiner and noun: inflected adjectives ("russischen"), not prepositions ("die von Putin ...")
_GERMAN_ADJECTIVE = r"(?!(?:gegen|unter|über|hinter|wegen|ohne|neben|zwischen|oder|aber|wieder|immer|sowie|sondern|seine|ihre)\s)[a-zäöüß][\w\-]*(?:e|en|er|es|em)"
_GERMAN_NOUN_PHRASE = re.compile(r"(?i:\b(" + "|".join(sorted(_GERMAN_DETERMINERS, key=len, reverse=True))
                                 + rf")\s+)((?:{_GERMAN_ADJECTIVE}\s+){{0,2}})([A-ZÄÖÜ][\w\-]*)")
_GERMAN_VERB_AFTER_PRONOUN = re.compile(r"\w+ten?\s|(?:werden|wurden|haben|hatten|sollen|wollen|können|müssen)\s")
_GERMAN_NOUN_SUFFIXES = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion",
                         "tionen", "itat", "itaten", "ismus", "nis", "nisse", "tum", "ment", "mente", "ling",
                         "linge", "anten", "enten", "isten", "ierung")
_GERMAN_NAMES_WITH_ARTICLE = {fold(name) for name in """
Ukraine Türkei Schweiz Slowakei Mongolei Niederlande Philippinen Iran Irak Jemen Libanon Sudan Kongo
Tschad Vatikan Krim Kreml Nato Uno Bundeswehr Bundestag Bundesrat Bundesregierung Elysée Downing Kaaba
Sahara Arktis Antarktis Karibik Pentagon Europäische Vereinigten Staaten Emirate Bundesbank Hamas Hisbollah
Taliban Duma Knesset Sejm Rada Werchowna Maidan Donbass Donbas Golan Sinai Gazastreifen Westjordanland
Donau Rhein Elbe Oder Main Mosel Weser Inn Spree Isar Neckar Ems Themse Seine Wolga Dnipro Dnjepr Nil
Euphrat Tigris Jordan Alpen Ostsee Nordsee Mittelmeer Atlantik Pazifik Bosporus Balkan Kaukasus
""".split()}


def common_nouns_in(text: str, language: str | None) -> frozenset[str]:
    """Folded capitalised words of ``text`` that are common nouns, not names: in German only, which
    capitalises every noun (elsewhere capitalisation marks names already)."""
    return german_common_nouns(text) if language == "de" else frozenset()


def german_common_nouns(text: str) -> frozenset[str]:
    """Folded capitalised words of a German ``text`` that read as common nouns, not names."""
    nouns = set()
    for m in _GERMAN_NOUN_PHRASE.finditer(text):
        # a sentence-opening "Das"/"Die" may be a pronoun before a verb ("Das sagte Stoltenberg")
        if not (_opens_sentence(text, m.start()) and _GERMAN_VERB_AFTER_PRONOUN.match(m.group(2))):
            nouns.add(fold(m.group(3)))
    words = (fold(m.group(0)) for m in _CAP_TOKEN.finditer(text))
    nouns.update(word for word in words if word.endswith(_GERMAN_NOUN_SUFFIXES))
    return frozenset(nouns - _GERMAN_NAMES_WITH_ARTICLE)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a sentence or a line (its capital says nothing)."""
    before = text[max(0, start - 3):start]
    return start == 0 or bool(_SENTENCE_END.search(before)) or not before.strip()


_DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?$")
_NUMBER_AFTER = re.compile(r"\s+\d")


def _next_to_number(text: str, start: int, end: int) -> bool:
    """Whether a day number sits just before text[start:end] or a number just after it ("5 May",
    "5 de maio", "May 5", "May 2011"), as in a date."""
    return bool(_DAY_BEFORE.search(text[max(0, start - 10):start]) or _NUMBER_AFTER.match(text[end:end + 3]))


def name_weight(count: int, top: int) -> float:
    """How much an article is about a name: its count relative to the article's most frequent name.

    Presence alone let a passing mention weigh as much as the subject: on ML-Crisis (Arab Spring
    coverage, where every article names several countries) storyline F1 was 0.58 with presence,
    0.63 with 1 + log(count) and 0.65 with count / top (measured before language-neutral vectors).
    """
    return count / top


def numbers_in(text: str) -> set[str]:
    """Numbers that identify an event (counts, magnitudes, scores); years and 0-9 are left out."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        if re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", raw):
            raw = re.sub(r"[ ,.]", "", raw)
        raw = raw.replace(",", ".")
        if _YEAR.fullmatch(raw):
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        if value >= 10 or "." in raw:
            found.add(f"{value:g}")
    return found


def slot_values(text: str, language: str | None) -> frozenset[str]:
    """What ``text`` counts or measures, each as "slot\tvalue": a unit for measures, percentages and
    money (language-neutral: "72 Stunden" and "72-hour" are both "hour\t72"), else the stem of the
    word counted ("35 Schiffe" -> "schiff\t35"). Two look-alike events (a 48-hour strike with 28 ships
    waiting, a 72-hour one with 35) state different values in the same slots. Years, dates, times and
    codes are left out, and so are counts below 10 without a unit (too common to tell events apart)."""
    out = set()
    for v in read_values(text, language):
        if v.kind in {"measure", "pct", "pp", "money"}:
            slot = v.unit
        elif v.kind == "count" and v.slot and (v.value >= 10 or v.value != int(v.value)):
            slot = stem(v.slot)  # stem folds
        else:
            continue
        out.add(f"{slot}\t{v.value:g}")
    return frozenset(out)


def stated_dates(text: str, default_year: int | None) -> tuple[set[int], set[int]]:
    """(day ordinals, years) stated in ``text``; a date without a year takes ``default_year``."""
    folded = fold(text)
    days: set[int] = set()
    years = {int(y) for y in _YEAR.findall(folded)}

    def add(year: int | None, month: int, day: int) -> None:
        year = year or default_year
        if year is None:
            return
        try:
            days.add(date(year, month, day).toordinal())
        except ValueError:
            pass

    for y, _, m, d in _ISO_DATE.findall(folded):
        add(int(y), int(m), int(d))
    for y, m, d in _COMPACT_DATE.findall(folded):
        add(int(y), int(m), int(d))
    for d, m, y in _DAY_MONTH.findall(folded):
        add(int(y) if y else None, _MONTHS[m], int(d))
    for m, d, y in _MONTH_DAY.findall(folded):
        add(int(y) if y else None, _MONTHS[m], int(d))
    return days, years


_WEEKDAY_ALT = "|".join(sorted((fold(w) for w in weekday_numbers()), key=len, reverse=True))
_WEEKDAYS = {fold(name): number for name, number in weekday_numbers().items()}
_WEEKDAY_DAY_MONTH = re.compile(rf"\b({_WEEKDAY_ALT}),?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+"
                                rf"(?:de\s+|of\s+)?({_MONTH_ALT})\w*(?!\s*,?\s*\d)")
_WEEKDAY_MONTH_DAY = re.compile(rf"\b({_WEEKDAY_ALT}),?\s+({_MONTH_ALT})\w*\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
                                rf"(?!\s*,?\s*\d{{4}})")
# A weekday with a day and month fixes the year within this window around the stream's latest day:
# the same (month, day, weekday) recurs after 5, 6 or 11 years, so a window of 3 years back and 1
# ahead holds one such year (two only for a 5-year recurrence; the nearer one is taken).
WEEKDAY_YEARS_BACK = 3
WEEKDAY_YEARS_AHEAD = 1


def weekday_dates(text: str) -> tuple[tuple[int, int, int], ...]:
    """(month, day, weekday) of each yearless date stated with its weekday ("Monday, 6 May",
    "Monday, May 6", "lundi 6 mai", "w poniedziałek 6 maja")."""
    folded = fold(text)
    found = {(_MONTHS[m], int(d), _WEEKDAYS[w]) for w, d, m in _WEEKDAY_DAY_MONTH.findall(folded)}
    found |= {(_MONTHS[m], int(d), _WEEKDAYS[w]) for w, m, d in _WEEKDAY_MONTH_DAY.findall(folded)}
    return tuple(sorted(found))


def year_for(month: int, day: int, weekday: int, reference: int) -> int | None:
    """The day ordinal of ``month``/``day`` in the year, within the window around the ``reference``
    day ordinal, where it falls on ``weekday``; None when no year of the window fits."""
    year = date.fromordinal(reference).year
    best: tuple[int, int] | None = None
    for y in range(year - WEEKDAY_YEARS_BACK, year + WEEKDAY_YEARS_AHEAD + 1):
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            distance = abs(candidate.toordinal() - reference)
            if best is None or distance < best[0]:
                best = (distance, candidate.toordinal())
    return best[1] if best else None


def text_day(days: set[int], years: set[int]) -> int | None:
    """The day an undated article's text points to: its latest stated full date, unless that date is
    background (BACKGROUND_DATE_YEARS or more before a year the text names)."""
    if not days:
        return None
    latest = max(days)
    if years and date.fromordinal(latest).year + BACKGROUND_DATE_YEARS <= max(years):
        return None
    return latest


def article_features(article: Article, vector: np.ndarray) -> ArticleFeatures:
    """The feature record of ``article`` given its (unit) dense vector."""
    body = article.text
    if body.startswith(article.title):
        body = body[len(article.title):]
    text = f"{article.title}\n{body[:LEXICAL_CHARS]}"
    counts = lexical_terms(text)
    for term, n in lexical_terms(article.title).items():
        counts[term] += n  # the headline names the event: count its words twice
    terms = tuple(sorted((h, 1.0 + math.log(n)) for h, n in counts.items()))
    published = day_number(article.published)
    default_year = date.fromordinal(published).year if published else None
    days, years = stated_dates(text, default_year)
    anniversary_days, anniversary_years = anniversary_dates(text)  # "80th anniversary of D-Day": 2024
    days, years = days | anniversary_days, years | anniversary_years
    day = published if published is not None else text_day(days, years)
    vec = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(vec))
    language = (article.language or "und").lower()[:2]
    nouns = common_nouns_in(text, language)  # the title and the lead are part of ``text``
    key_counts = name_counts(text, phonetic=True, common_nouns=nouns)
    key_counts.update(name_counts(article.title, phonetic=True, common_nouns=nouns))
    top = max(key_counts.values(), default=1)
    name_weights = tuple(sorted((k, name_weight(c, top)) for k, c in key_counts.items()))
    return ArticleFeatures(
        id=article.id, language=language, vector=vec / max(norm, 1e-9), terms=terms,
        entities=frozenset(name_tokens(text, common_nouns=nouns)),
        lead_entities=frozenset(name_tokens(text[:LEAD_CHARS], common_nouns=nouns)),
        name_weights=name_weights, numbers=frozenset(numbers_in(text)),
        years=frozenset(years), dates=frozenset(days), day=day, duplicate_of=article.duplicate_of,
        values=slot_values(text[:VALUE_CHARS], language),
        weekday_dates=weekday_dates(text[:LEXICAL_CHARS]) if day is None else ())
