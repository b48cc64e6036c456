"""Do two sentences that state the same fact disagree? Numbers, dates, places/actors, negation.

Values are read language-neutrally where possible (digits with their thousands/decimal style,
scale words, units and number words in en/de/fr/es/it/pl/ru/uk; dates via the timeline parser).
Negation and swapped names are judged only between sentences in the same language, where the
words can be aligned; across languages a missed conflict is better than an invented one.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from ..nlp import english
from .timeline import WEEKDAYS, extract_dates

# ------------------------------------------------------------------------------------ numbers

_SCALE = {
    "thousand": 1e3, "thousands": 1e3, "tys": 1e3, "tysięcy": 1e3, "tysiące": 1e3, "tysiąca": 1e3,
    "тысяч": 1e3, "тысячи": 1e3, "тисяч": 1e3, "тисячі": 1e3, "mila": 1e3, "mille": 1e3, "mil": 1e3,
    "tausend": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6, "млн": 1e6, "milioni": 1e6, "millones": 1e6,
    "millionen": 1e6, "milionów": 1e6, "miliony": 1e6, "milion": 1e6, "mio": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "мільйонів": 1e6, "мільйона": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "mld": 1e9, "млрд": 1e9, "miliardi": 1e9, "miliardów": 1e9,
    "milliards": 1e9, "milliarden": 1e9, "mrd": 1e9, "millardi": 1e9, "миллиардов": 1e9, "мільярдів": 1e9,
}
_NUMBER_WORDS = {
    "en": "_ _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty",
    "de": "_ _ zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "fr": "_ _ deux trois quatre cinq six sept huit neuf dix onze douze",
    "es": "_ _ dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "it": "_ _ due tre quattro cinque sei sette otto nove dieci undici dodici",
    "pl": "_ _ dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście",
    "ru": "_ _ два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать",
    "uk": "_ _ два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять",
}
NUMBER_WORDS = {lang: {w: i for i, w in enumerate(words.split()) if w != "_"} for lang, words in _NUMBER_WORDS.items()}
NUMBER_WORDS["pl"]["dwie"] = 2
NUMBER_WORDS["ru"]["две"] = 2
NUMBER_WORDS["uk"]["дві"] = 2

_UNITS = [  # (kind, pattern right after the number)
    ("pp", r"(percentage|prozent|pour ?cent|por ?ciento|per ?cento|procent|процент|відсот)\w*\s*(points?|punkt\w*|pun\w+|пункт\w*)"),
    ("pp", r"(pp|pkt\.? proc\w*)\b"),
    ("pct", r"(%|per ?cent|percent|prozent|pour ?cent|por ?ciento|per ?cento|procent\w*|процент\w*|відсот\w*)"),
    ("money", r"(dollars?|usd|euros?|eur|pounds?|sterling|złotych|zł|pln|рублей|руб|гривень|грн|долларов|доларів|евро|євро|dolar\w*)\b"),
]
_CURRENCY_PREFIX = re.compile(r"[$€£₴₽]\s*$|\b(US\$|USD|EUR)\s*$")
_NUM_RE = re.compile(
    r"(?<![\w.,/-])(?<![\w]-)"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?![.,]?\d)|\d{1,3}(?:[  \u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)"
    r"(?!\s?(?:st|nd|rd|th|er|e|º|°)\b)(?![\w-]*\d)")


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    kind: str  # "count", "pct", "pp", "money"
    text: str  # surface form for display
    start: int
    end: int


def _to_float(raw: str) -> float | None:
    raw = raw.replace("\u202f", " ").replace("\xa0", " ")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw) and not raw.startswith("0"):
        return float(raw.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?: \d{3})+", raw):
        return float(raw.replace(" ", ""))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans = [(d.start, d.end) for d in extract_dates(text, published=_ANCHOR)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text)]
    return spans


def quantities(text: str, language: str | None = None) -> list[Quantity]:
    """Numbers in ``text`` with their kind; years, dates and ordinals are left out."""
    skip = _date_spans(text)
    out: list[Quantity] = []
    for m in _NUM_RE.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        value = _to_float(m.group(1))
        if value is None:
            continue
        end = m.end()
        rest = text[end:end + 40]
        scale = re.match(r"\s*([^\W\d_]+)(?:\.(?=\s*[^\W\d_]*[a-z]))?", rest)
        if scale and scale.group(1).lower() in _SCALE:
            value *= _SCALE[scale.group(1).lower()]
            end += scale.end()
            rest = text[end:end + 40]
        kind = "count"
        for unit_kind, pattern in _UNITS:
            um = re.match(r"\s*" + pattern, rest, re.I)
            if um:
                kind = unit_kind
                end += um.end()
                break
        if kind == "count" and _CURRENCY_PREFIX.search(text[max(0, m.start() - 5):m.start()]):
            kind = "money"
        start = m.start()
        if kind == "money" and _CURRENCY_PREFIX.search(text[max(0, start - 5):start]):
            start = max(0, start - len(_CURRENCY_PREFIX.search(text[max(0, start - 5):start]).group(0)))
        out.append(Quantity(value, kind, text[start:end].strip(), start, end))
    words = NUMBER_WORDS.get(language or "en", NUMBER_WORDS["en"])
    for m in re.finditer(r"[^\W\d_][\w']*", text):
        value = words.get(m.group(0).lower())
        if value is not None:
            out.append(Quantity(float(value), "count", m.group(0), m.start(), m.end()))
    return out


# Two counts are only compared when they are of the same order of magnitude: "14 countries" and
# "20,000 soldiers" in one sentence pair describe different things.
MAX_MAGNITUDE_RATIO = 10.0
# With one count on each side there is nothing else it could be compared with ("800 rioters" vs
# "20,000 protesters"), so a wider gap is still a disagreement.
MAX_SINGLE_RATIO = 1000.0


def _number_conflict(a: list[Quantity], b: list[Quantity]) -> tuple[str, str] | None:
    for kind in ("count", "pct", "pp", "money"):
        va = [q for q in a if q.kind == kind]
        vb = [q for q in b if q.kind == kind]
        if not va or not vb:
            continue
        sa, sb = {q.value for q in va}, {q.value for q in vb}
        if sa & sb:
            continue
        best: tuple[float, Quantity, Quantity] | None = None
        for qa in va:
            for qb in vb:
                if qa.value <= 0 or qb.value <= 0:
                    continue
                ratio = max(qa.value, qb.value) / min(qa.value, qb.value)
                limit = MAX_SINGLE_RATIO if len(va) == 1 and len(vb) == 1 else MAX_MAGNITUDE_RATIO
                if ratio <= limit and (best is None or ratio < best[0]):
                    best = (ratio, qa, qb)
        if best is not None:
            return best[1].text, best[2].text
    return None


# ------------------------------------------------------------------------------------ dates

def _day_values(text: str) -> dict[str, str]:
    """Day-precision dates ("03-09") and weekdays ("wd1") in a sentence, keyed by comparable value."""
    out: dict[str, str] = {}
    # Dates are compared without resolving years (no publication date needed): month-day pairs.
    for d in extract_dates(text, published=_ANCHOR):
        if d.precision == "day":
            out[d.iso[5:]] = d.text
    for m in re.finditer(r"[^\W\d_]+", text):
        low = m.group(0).lower()
        if low in WEEKDAYS and (m.group(0)[:1].isupper() or not low.endswith("day")):
            out[f"wd{WEEKDAYS[low]}"] = m.group(0)
    return out


_ANCHOR = _dt.date(2000, 12, 31)  # any fixed date: only month and day are compared


def _date_conflict(a: str, b: str) -> tuple[str, str] | None:
    da, db = _day_values(a), _day_values(b)
    for prefix in ("wd", ""):
        ka = {k for k in da if k.startswith("wd") == (prefix == "wd")}
        kb = {k for k in db if k.startswith("wd") == (prefix == "wd")}
        if prefix == "wd":
            # weekdays resolve to the anchor week: compare weekday names only, and only when neither
            # sentence gives a calendar date
            if any(not k.startswith("wd") for k in da) or any(not k.startswith("wd") for k in db):
                continue
        if ka and kb and not ka & kb:
            return da[sorted(ka)[0]], db[sorted(kb)[0]]
    return None


# ------------------------------------------------------------------------------------ negation

_NEGATORS = {
    "not", "no", "never", "none", "nor", "neither", "cannot", "nothing", "nobody",
    "nicht", "kein", "keine", "keinen", "keiner", "keinem", "nie", "niemals",
    "pas", "jamais", "aucun", "aucune", "rien",
    "nunca", "ningún", "ninguna", "ninguno", "jamás", "tampoco",
    "non", "mai", "nessun", "nessuno", "nessuna",
    "nigdy", "żaden", "żadnych", "żadne",
    "не", "нет", "никогда", "ни", "ні", "ніколи",
}
# Verbs that negate their object ("ruled out further hikes"); "not rule out" is affirmative again.
_NEGATING_VERBS = re.compile(
    r"^(rul\w* out|den(y|ies|ied)|refus\w*|reject\w*|dismiss\w*|ausgeschlossen|ausschließ\w*|exclu\w*|"
    r"descart\w*|esclu\w*|wyklucz\w*|исключ\w*|виключ\w*)$", re.I)
_CLAUSE_BREAK = {",", ";", ":", "but", "while", "whereas", "although", "however", "aber", "mais", "pero", "ma",
                 "ale", "но", "але", "—", "–"}
# How many content words after a negator it is taken to negate (a crude scope).
NEGATION_SCOPE = 5

_STOP = set("""a an the of to in on at by for from with and or as is are was were be been being has have had
do does did will would shall should can could may might must that this these those it its he she they them
his her their there here which who whom what when where how than then also any some such into about over
under after before during said says told""".split())


def _tokens(text: str) -> list[str]:
    text = re.sub(r"n['’]t\b", " not", text)
    return re.findall(r"[^\W\d_][\w'-]*|[,;:—–]", text.lower())


_SUFFIX = re.compile(r"(ing|ed|es|s)$")


def _stem(word: str) -> str:
    if len(word) > 4:
        word = _SUFFIX.sub("", word)
    return word[:5]


def polarity(text: str) -> dict[str, int]:
    """Content-word stems -> 1 (affirmed) or -1 (negated), by a forward negation scope."""
    toks = _tokens(text)
    flips = [0] * len(toks)
    i = 0
    while i < len(toks):
        tok = toks[i]
        two = f"{tok} {toks[i + 1]}" if i + 1 < len(toks) else tok
        width = 2 if _NEGATING_VERBS.match(two) and " out" in two else 1
        if tok in _NEGATORS or _NEGATING_VERBS.match(tok) or width == 2:
            seen = 0
            for j in range(i + width, len(toks)):
                if toks[j] in _CLAUSE_BREAK:
                    break
                flips[j] += 1
                if toks[j] not in _STOP:
                    seen += 1
                    if seen >= NEGATION_SCOPE:
                        break
        i += width
    out: dict[str, int] = {}
    for tok, flip in zip(toks, flips):
        if tok in _STOP or tok in _NEGATORS or tok in _CLAUSE_BREAK or len(tok) < 3 or _NEGATING_VERBS.match(tok):
            continue
        if tok in {"out", "rule", "ruled", "ruling"}:
            continue
        out.setdefault(_stem(tok), -1 if flip % 2 else 1)
    return out


# Non-English fallback: the two sentences must share at least this much of their content words
# (a close paraphrase) before a negation mismatch on two shared words counts as a contradiction.
NEGATION_MIN_JACCARD = 0.5
_UNCOMPARED_LEMMAS = {"be", "have", "do", "say", "tell", "add", "note", "will", "would", "can", "could", "may",
                      "might", "must", "shall", "should", "go", "get", "make"}
_NEGATING_LEMMAS = {"deny", "refuse", "reject", "avoid", "exclude", "dismiss"}


@lru_cache(maxsize=1)
def _english_parser():
    try:
        return english(exclude=("ner",))
    except Exception:  # pragma: no cover - the model is a pinned dependency
        return None


@lru_cache(maxsize=4096)
def _verb_polarity(text: str) -> dict[str, int] | None:
    """English: content verb lemma -> 1/-1, negation counted along the verb's path to the root
    ("not", "no plans to send", "avoid stationing", "ruled out" on what it governs)."""
    nlp = _english_parser()
    if nlp is None:
        return None
    doc = nlp(text[:600])
    out: dict[str, int] = {}
    for tok in doc:
        if tok.pos_ not in {"VERB"} or tok.lemma_.lower() in _UNCOMPARED_LEMMAS:
            continue
        flips = 0
        node = tok
        first = True
        while True:
            flips += sum(1 for c in node.children if c.dep_ == "neg")
            flips += sum(1 for c in node.children if c.dep_ == "det" and c.lower_ in {"no", "neither"})
            if node.pos_ == "VERB" and not first:
                governs_out = any(c.dep_ == "prt" and c.lower_ == "out" for c in node.children)
                if node.lemma_.lower() in _NEGATING_LEMMAS or (node.lemma_.lower() == "rule" and governs_out):
                    flips += 1
            first = False
            # verbs of adverbial clauses ("because it wants to avoid ...") are background, not the claim
            if node.dep_ == "advcl":
                flips = -1
                break
            if node.head.i == node.i:
                break
            node = node.head
        if flips >= 0:
            out.setdefault(tok.lemma_.lower(), -1 if flips % 2 else 1)
    return out


def _negation_conflict(a: str, b: str, language: str | None) -> tuple[str, str] | None:
    if (language or "en") == "en":
        pa, pb = _verb_polarity(a), _verb_polarity(b)
        if pa is not None and pb is not None:
            for lemma in pa.keys() & pb.keys():
                if pa[lemma] != pb[lemma]:
                    return ("not", "affirmative") if pa[lemma] < 0 else ("affirmative", "not")
            return None
    pa, pb = polarity(a), polarity(b)
    sa, sb = set(pa), set(pb)
    if not sa or len(sa & sb) / len(sa | sb) < NEGATION_MIN_JACCARD:
        return None
    flipped = [w for w in sa & sb if pa[w] != pb[w]]
    # One differing word could be a scope accident; a real contradiction negates the predicate
    # and its object together, so require two.
    if len(flipped) >= 2:
        return ("not", "affirmative") if pa[flipped[0]] < 0 else ("affirmative", "not")
    return None


# ------------------------------------------------------------------------------- names/places

def _skeleton(word: str) -> str:
    s = re.sub(r"[aeiouyäöüáéíóúàèìòùąęіїи'’ʼ-]", "", word.lower())
    return re.sub(r"(.)\1+", r"\1", s)


def spelling_variant(a: str, b: str) -> bool:
    """Kyiv/Kiev, Kharkiv/Kharkov, Odesa/Odessa: the same name transliterated differently."""
    if a.lower() == b.lower():
        return True
    if a[:1].lower() != b[:1].lower() or min(len(a), len(b)) < 4:
        return False
    return _skeleton(a) == _skeleton(b) and Levenshtein.distance(a.lower(), b.lower()) <= 3


# Sentences must align at least this well (difflib ratio over tokens) before a swapped name is
# read as a disagreement rather than as two different sentences.
NAME_SWAP_MIN_ALIGNMENT = 0.6


def _name_conflict(a: str, b: str) -> tuple[str, str] | None:
    ta = re.findall(r"[\w'-]+", a)
    tb = re.findall(r"[\w'-]+", b)
    sm = SequenceMatcher(a=[t.lower() for t in ta], b=[t.lower() for t in tb], autojunk=False)
    if sm.ratio() < NAME_SWAP_MIN_ALIGNMENT:
        return None
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
            continue
        xa, xb = ta[i1:i2], tb[j1:j2]
        if i1 == 0 or j1 == 0:
            continue  # sentence-initial capitals say nothing
        if all(t[:1].isupper() for t in xa) and all(t[:1].isupper() for t in xb):
            sa, sb = " ".join(xa), " ".join(xb)
            if not spelling_variant(sa, sb) and not any(t.isdigit() for t in xa + xb):
                return sa, sb
    return None


# ------------------------------------------------------------------------------------ public

def find_conflict(a: str, b: str, lang_a: str | None = None, lang_b: str | None = None) -> tuple[str, str] | None:
    """The disagreeing values of two sentences about the same fact, or None.

    Checks numbers (same kind, same order of magnitude, no value in common), day dates or
    weekdays, and, for two sentences in the same language, negation of shared words and a swapped
    name in otherwise aligned wording. Pass attribution-free wording ("X said" removed).
    """
    hit = _number_conflict(quantities(a, lang_a), quantities(b, lang_b))
    if hit:
        return hit
    hit = _date_conflict(a, b)
    if hit:
        return hit
    if lang_a == lang_b:
        hit = _negation_conflict(a, b, lang_a) or _name_conflict(a, b)
    return hit


def magnitude(value: float) -> float:
    """log10 of a positive value (0 for non-positive): used to order values for display."""
    return math.log10(value) if value > 0 else 0.0
