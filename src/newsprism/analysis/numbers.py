"""Numbers, dates and weekdays stated in a sentence, normalised so that two languages compare.

``read_values(text, language)`` returns typed ``Value`` records: the number (thousands separators,
decimal commas, scale words "35 000" / "35.000" / "35,000" / "1,9 Mrd." / "млн"; number words with
their inflected forms in en, de, fr, es, it, pl, ru, uk: "six", "пять", "пяти", "sześciu", "fünf",
"cinq"), its unit ("%", percentage points, money, km, hours ...) and the word after it (its slot),
each end of a range ("15 bis 20", "1-4", "2019/20") as its own value, times ("11:28" as 11 and 28),
digits inside names ("COVID-19", "Pantsir-S1"), and dates as day-of-month (day with month, even an
impossible day such as "July 35": a stated value is a stated value), month alone, and weekday.

Signs are dropped ("-0,5 %" and "a fall of 0.5 %" state the same value). Pure functions, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..calendar_words import MONTH_ABBREVIATIONS, MONTH_FORMS, weekday_numbers


@dataclass(frozen=True, slots=True)
class Value:
    """One stated value. ``space`` says what it is compared with: "n" (quantities, years, times,
    codes), "day" (a day of ``month``), "month" (a month alone) or "weekday" (0 = Monday)."""

    space: str
    value: float
    kind: str  # count, pct, pp, money, measure, year, time, code, day, month, weekday
    unit: str  # canonical unit ("%", "pp", "money", "km", "hour", ...) or ""
    text: str  # surface form for display: the whole range/date with its unit
    start: int
    end: int
    slot: str = ""  # the word after the number (lower case), what is counted
    month: int = 0  # for space "day"
    from_words: bool = False

    @property
    def key(self) -> tuple[str, int, float]:
        return self.space, self.month, self.value


# ------------------------------------------------------------------------------ word tables

# Units 1-19 and tens per language; "one" only where it is not also the indefinite article.
_UNITS_WORDS = {
    "en": "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen",
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn "
          "siebzehn achtzehn neunzehn",
    "fr": "_ deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
          "dix-huit dix-neuf",
    "es": "_ dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
          "diecisiete dieciocho diecinueve",
    "it": "_ due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
          "diciassette diciotto diciannove",
    "pl": "jeden dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście trzynaście "
          "czternaście piętnaście szesnaście siedemnaście osiemnaście dziewiętnaście",
    "ru": "один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать "
          "четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать",
    "uk": "один два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять тринадцять "
          "чотирнадцять п'ятнадцять шістнадцять сімнадцять вісімнадцять дев'ятнадцять",
}
_TENS_WORDS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "de": "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "fr": "vingt trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "it": "venti trenta quaranta cinquanta sessanta settanta ottanta novanta",
    "pl": "dwadzieścia trzydzieści czterdzieści pięćdziesiąt sześćdziesiąt siedemdziesiąt osiemdziesiąt "
          "dziewięćdziesiąt",
    "ru": "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
    "uk": "двадцять тридцять сорок п'ятдесят шістдесят сімдесят вісімдесят дев'яносто",
}
# Inflected and other forms that the rules below do not derive.
_EXTRA_WORDS: dict[str, dict[str, int]] = {
    "en": {"dozen": 12, "hundred": 100},
    "de": {"zwo": 2, "hundert": 100, "dutzend": 12},
    "fr": {"vingts": 80, "cent": 100, "cents": 100, "douzaine": 12, "septante": 70, "nonante": 90},
    "es": {"veintiuno": 21, "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
           "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "cien": 100, "ciento": 100,
           "docena": 12},
    "it": {"cento": 100, "dozzina": 12},
    "pl": {"jedna": 1, "jedno": 1, "jednego": 1, "jednej": 1, "dwie": 2, "dwóch": 2, "dwu": 2, "dwoma": 2,
           "dwom": 2, "trzech": 3, "trzema": 3, "czterech": 4, "czterema": 4, "pięciu": 5, "sześciu": 6,
           "siedmiu": 7, "ośmiu": 8, "dziewięciu": 9, "dziesięciu": 10, "dwudziestu": 20, "trzydziestu": 30,
           "czterdziestu": 40, "pięćdziesięciu": 50, "sto": 100, "stu": 100, "tuzin": 12},
    "ru": {"одна": 1, "одно": 1, "одного": 1, "одной": 1, "одному": 1, "одним": 1, "две": 2, "двух": 2,
           "двум": 2, "двумя": 2, "трех": 3, "трёх": 3, "трем": 3, "трём": 3, "тремя": 3, "четырех": 4,
           "четырёх": 4, "четырем": 4, "четырём": 4, "четырьмя": 4, "сорока": 40, "девяноста": 90,
           "сто": 100, "ста": 100, "дюжина": 12, "пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70,
           "восьмидесяти": 80},
    "uk": {"одна": 1, "одне": 1, "одного": 1, "одній": 1, "дві": 2, "двох": 2, "двом": 2, "трьох": 3,
           "трьом": 3, "чотирьох": 4, "п'ятьох": 5, "шістьох": 6, "шести": 6, "сімох": 7, "семи": 7,
           "вісьмох": 8, "восьми": 8, "сорока": 40, "сто": 100, "ста": 100, "дюжина": 12},
}
# Scale words after a number (or a number word). "billion" is 10^12 outside English.
_SCALES: dict[str, float] = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3, "tausend": 1e3, "mille": 1e3, "mil": 1e3, "mila": 1e3,
    "tys": 1e3, "tysiąc": 1e3, "tysiące": 1e3, "tysięcy": 1e3, "tysiąca": 1e3, "тыс": 1e3, "тысяча": 1e3,
    "тысячи": 1e3, "тысяч": 1e3, "тис": 1e3, "тисяча": 1e3, "тисячі": 1e3, "тисяч": 1e3,
    "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "mio": 1e6, "millionen": 1e6,
    "millones": 1e6, "millón": 1e6, "milione": 1e6, "milioni": 1e6, "milion": 1e6, "miliony": 1e6,
    "milionów": 1e6, "miliona": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6,
    "мільйон": 1e6, "мільйона": 1e6, "мільйони": 1e6, "мільйонів": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9, "mld": 1e9, "mrd": 1e9, "milliard": 1e9,
    "milliards": 1e9, "milliarde": 1e9, "milliarden": 1e9, "miliardo": 1e9, "miliardi": 1e9, "miliard": 1e9,
    "miliardy": 1e9, "miliardów": 1e9, "millardo": 1e9, "millardos": 1e9, "млрд": 1e9, "миллиард": 1e9,
    "миллиарда": 1e9, "миллиардов": 1e9, "мільярд": 1e9, "мільярда": 1e9, "мільярди": 1e9, "мільярдів": 1e9,
    "trillion": 1e12, "trillions": 1e12, "tln": 1e12, "trln": 1e12, "tn": 1e12, "mds": 1e9, "md": 1e9,
    "mlrd": 1e9, "млн.": 1e6, "трлн": 1e12, "триллион": 1e12, "триллиона": 1e12,
    "триллионов": 1e12, "трильйон": 1e12, "трильйона": 1e12, "трильйонів": 1e12,
}
_LONG_BILLION = {"billion": 1e12, "billions": 1e12, "billionen": 1e12, "bilion": 1e12, "biliony": 1e12,
                 "bilionów": 1e12, "billón": 1e12, "billones": 1e12, "bilione": 1e12, "bln": 1e12}
# "m", "k", "bn" scale a number only right after it or after a currency ("€40m", "40 m euro").
_SHORT_SCALES = {"m", "k", "mn", "bn"}


def _ru_uk_forms(word: str, value: int, out: dict[str, int]) -> None:
    """Genitive/instrumental of Slavic numerals ending in a soft sign: пять -> пяти, пятью."""
    out[word] = value
    if word.endswith("ь"):
        out[word[:-1] + "и"] = value
        out[word[:-1] + "ью"] = value
    if word.endswith("десят"):  # пятьдесят -> пятидесяти
        out[word[:-6].rstrip("ь") + "и" + "десяти"] = value


@lru_cache(maxsize=16)
def number_words(language: str) -> dict[str, int]:
    """Number word -> value for ``language`` (lower case; apostrophes normalised to ')."""
    out: dict[str, int] = {}
    lang = language if language in _UNITS_WORDS else "en"
    for i, w in enumerate(_UNITS_WORDS[lang].split(), start=1):
        if w != "_":
            _ru_uk_forms(w, i, out) if lang in {"ru", "uk"} else out.__setitem__(w, i)
    for i, w in enumerate(_TENS_WORDS[lang].split(), start=2):
        value = i * 10
        if lang in {"ru", "uk"}:
            _ru_uk_forms(w, value, out)
        else:
            out[w] = value
        if lang == "pl" and w.endswith("ć"):  # pięćdziesiąt etc. stay; 11-19 genitive: -naście -> -nastu
            pass
    if lang == "pl":
        out.update({w[:-4] + "stu": v for w, v in list(out.items()) if w.endswith("naście")})
    if lang == "de":  # einundzwanzig ... neunundneunzig
        units = {w: v for w, v in out.items() if v < 10}
        units["ein"] = 1
        for t, tv in [(w, v) for w, v in out.items() if v >= 20 and v % 10 == 0]:
            for u, uv in units.items():
                if u != "eins":
                    out[f"{u}und{t}"] = tv + uv
    if lang == "it":  # ventuno, ventidue, trentotto ...
        units = {w: v for w, v in out.items() if v < 10} | {"uno": 1}
        for t, tv in [(w, v) for w, v in out.items() if v >= 20 and v % 10 == 0]:
            for u, uv in units.items():
                stem = t[:-1] if u[0] in "ou" else t
                out[stem + ("tré" if u == "tre" else u)] = tv + uv
    out.update(_EXTRA_WORDS.get(lang, {}))
    return out


# Stems of inflected scale words ("тысячами", "milionami", "мільярдами").
_SCALE_STEMS = (("тысяч", 1e3), ("тисяч", 1e3), ("tysiąc", 1e3), ("tysięc", 1e3), ("миллиард", 1e9),
                ("мільярд", 1e9), ("miliard", 1e9), ("milliard", 1e9), ("миллион", 1e6), ("мільйон", 1e6),
                ("milion", 1e6), ("million", 1e6), ("триллион", 1e12), ("трильйон", 1e12), ("trylion", 1e18))


def _scale_of(word: str, language: str | None) -> float | None:
    low = word.lower().rstrip(".")
    if language not in (None, "en") and low in _LONG_BILLION:
        return _LONG_BILLION[low]
    if low in _SCALES:
        return _SCALES[low]
    return next((v for stem, v in _SCALE_STEMS if low.startswith(stem)), None)


# ------------------------------------------------------------------------------ units

_UNIT_PATTERNS: list[tuple[str, str]] = [  # (canonical unit, pattern right after the number)
    ("pp", r"(?:percentage|prozent|pour ?cent|por ?ciento|per ?cento|procent\w*|процент\w*|відсот\w*)\s*"
           r"(?:points?|punkt\w*|pun\w+|пункт\w*)|p\.\s?p\.|pp\b|pkt\.? proc\w*|п\.\s?п\.|в\.\s?п\."),
    ("%", r"%|per ?cent\b|percent\b|prozent\b|pour ?cent\b|por ?ciento\b|per ?cento\b|procent\w*|proc\.|"
          r"процент\w*|відсот\w*|пр\.|proz\."),
    ("money", r"(?:(?:of|de|di|d'|d’|del|von)\s?)?(?:(?:us\s?)?dollars?\b|usd\b|euros?\b|eur\b|euro\b|pounds? sterling\b|sterling\b|£|€|\$|"
              r"złotych\b|złote\b|zł\b|pln\b|rubles?\b|roubles?\b|рубл\w*|руб\.?|гривен\w*|гривн\w*|грн\.?|"
              r"доллар\w*|долар\w*|евро\b|євро\b|dolar\w*|dollari\b|dólares\b|franken\b|francs?\b|chf\b|"
              r"yuan\b|юан\w*|yen\b)"),
    ("km", r"km\b|kilomet\w*|kilomèt\w*|kilómet\w*|chilometr\w*|километр\w*|кілометр\w*|км\b"),
    ("cm", r"cm\b|zentimeter\w*|centim\w*|сантиметр\w*|см\b"),
    ("m", r"(?:m|meters?|metres?|meter[ns]?|mètres?|metros?|metri|metr\w*|метр\w*|м)(?![\w²³])"),
    ("mile", r"miles?\b"),
    ("foot", r"(?:-?)(?:feet|foot|ft)\b"),
    ("kg", r"kg\b|kilo\w*|кг\b|килограмм\w*|кілограм\w*"),
    ("t", r"t\b|tonnes?\b|tons?\b|tonnen\b|toneladas?\b|tonnellat\w*|ton\b|тонн\w*|тон\b"),
    ("degree", r"°\s?c\b|°|degrees?\b|grad\b|degrés?\b|grados?\b|gradi\b|stopni\w*|градус\w*"),
    ("hour", r"(?:-?)(?:hours?|stunden?|heures?|horas?|ore|godzin\w*|час\w*|годин\w*)\b"),
    ("minute", r"(?:minutes?|minuten?|minutos?|minuti|minut\w*|минут\w*|хвилин\w*)\b"),
    ("second", r"(?:seconds?|sekunden?|secondes?|segundos?|secondi|sekund\w*|секунд\w*)\b"),
    ("day", r"(?:-?)(?:days?|tage?n?|jours?|días?|giorni|dni|dob\w*|doba|дн\w*|дней|діб|доб\w*|суток|сутки)\b"),
    ("year", r"(?:-?)(?:years?|jahren?|ans?|años|anni|lat\b|лет\b|год\w*|рок\w*)"),
]
_UNIT_RES = [(u, re.compile(r"\s?(?:" + p + r")(?![^\W\d_])", re.I)) for u, p in _UNIT_PATTERNS]
_CURRENCY_BEFORE = re.compile(r"(?:[$€£₴₽]|\bUS\$|\bUSD|\bEUR|\bCHF|\bPLN|\bRUB)\s?$")
# Words naming a span of time of a fixed length ("за сутки" = in 24 hours).
_IMPLIED = {"сутки": (24.0, "hour"), "суток": (24.0, "hour"), "доба": (24.0, "hour"), "доби": (24.0, "hour"),
            "dobę": (24.0, "hour"), "doby": (24.0, "hour")}
_SLOT_SKIP = {"of", "de", "des", "di", "del", "der", "die", "das", "von", "d", "du"}

# ------------------------------------------------------------------------------ dates

_MONTHS = {w: n for n, ws in MONTH_FORMS.items() for w in ws}
_MONTH_ABBR = {w: n for n, ws in MONTH_ABBREVIATIONS.items() for w in ws}
_WEEKDAYS = weekday_numbers()
# Month names that are also ordinary words; read as months only beside a day or a year.
_AMBIGUOUS_MONTHS = {"may", "march", "mars", "mai", "maj", "august", "luty", "listopad"}
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?(?![\d])|"
                           r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# "11/27/2005", "27 / 11 / 05": a slashed date needs its year, or "3/4 of voters" would be a date. The
# order is read from a part above 12; when both parts could be the month (US "4/5/2021" is 5 April in
# Britain) only the year is kept, so two outlets writing one day in two orders never conflict.
_SLASH_DATE = re.compile(r"(?<![\d./])(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{4}|\d{2})(?![\d/])")
_TIME = re.compile(r"(?<![\d.,])(\d{1,2})(?::|h|\.(?=\d{2}\s?(?:uhr|h\b|godz|час|год)))(\d{2})(?!\d)"
                   r"(?:\s?(a\.?\s?m\.?|p\.?\s?m\.?)(?!\w))?", re.I)
_AMPM = re.compile(r"\s?(a\.\s?m\.|p\.\s?m\.|am\b|pm\b)", re.I)
_NUM = re.compile(r"(?<![\d])(\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,.]\d)|\d+(?:[.,'’]\d+)*)")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*(?:-[^\W\d_]+)*")
_RANGE = re.compile(r"\s?(?:[-–—/]|bis|à|to|a|au|al|do|до|по|and|und|et|y|e|i|и|і|oraz)\s?$", re.I)
_RANGE_WORD = re.compile(r"\s?(?:bis|à|to|a|au|al|do|до|по)\s?$", re.I)
_RANGE_TIGHT = re.compile(r"^\s?[-–—/]\s?$")


def _parse_digits(raw: str, language: str | None) -> float | None:
    raw = re.sub(r"[\u00a0\u202f\u2009 '’]", " ", raw)
    if " " in raw:
        return float(raw.replace(" ", ""))
    seps = re.findall(r"[.,]", raw)
    if not seps:
        return float(raw)
    parts = re.split(r"[.,]", raw)
    if len(set(seps)) == 2:  # "1.234,5" / "1,234.5": the last one is the decimal point
        dec = seps[-1]
        whole, frac = raw.rsplit(dec, 1)
        return float(re.sub(r"[.,]", "", whole) + "." + frac)
    if len(seps) > 1:  # "1.000.000", "1,000,000"
        return float("".join(parts)) if all(len(p) == 3 for p in parts[1:]) else None
    grouped = len(parts[1]) == 3 and parts[0] != "0"
    if seps[0] == ",":
        thousands = grouped and language in (None, "en")
    else:
        thousands = grouped and language not in (None, "en")
    return float("".join(parts)) if thousands else float(parts[0] + "." + parts[1])


def _slot_after(text: str, pos: int) -> str:
    for m in _WORD.finditer(text, pos, min(len(text), pos + 40)):
        w = m.group(0).lower()
        if w not in _SLOT_SKIP:
            return w
    return ""


def _read_slash_dates(text: str, out: list[Value], taken: list[tuple[int, int]]) -> None:
    for m in _SLASH_DATE.finditer(text):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if len(m.group(3)) == 2 and year < 50 else 1900 if len(m.group(3)) == 2 else 0
        if not (1 <= first <= 31 and 1 <= second <= 31) or first > 12 and second > 12:
            continue
        if first > 12 or second > 12:
            day, month = (first, second) if first > 12 else (second, first)
            out.append(Value("day", float(day), "day", "", m.group(0), m.start(), m.end(), month=month))
        out.append(Value("n", float(year), "year", "", m.group(0), m.start(), m.end()))
        taken.append((m.start(), m.end()))


def _read_dates(text: str, out: list[Value], taken: list[tuple[int, int]]) -> None:
    for m in _NUMERIC_DATE.finditer(text):
        if m.group(4):
            year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
        else:
            day, month = int(m.group(1)), int(m.group(2))
            year = int(m.group(3)) if m.group(3) else 0
            year += 2000 if 0 < year < 100 else 0
            if not m.group(3) and text[m.end():m.end() + 1].isdigit():
                continue
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        out.append(Value("day", float(day), "day", "", m.group(0), m.start(), m.end(), month=month))
        if year:
            out.append(Value("n", float(year), "year", "", m.group(0), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    _read_slash_dates(text, out, taken)
    words = list(_WORD.finditer(text))
    for k, w in enumerate(words):
        low = w.group(0).lower()
        month = _MONTHS.get(low)
        after = text[w.end():w.end() + 14]
        if month is None and low in _MONTH_ABBR and re.match(r"\.?\s?\d", after):
            month = _MONTH_ABBR[low]
        if month is None or any(s <= w.start() < e for s, e in taken):
            continue
        before = text[max(0, w.start() - 14):w.start()]
        day_before = re.search(r"(?<![\d.,])(\d{1,2})(?:\.|er|º|-?(?:го|е|я))?\s?(?:de\s)?$", before)
        day_after = re.match(r"\.?\s?(\d{1,2})(?:st|nd|rd|th)?(?![\d.,:]?\d)", after)
        year_m = re.match(r"(?:\.?,?\s?(?:\d{1,2}(?:st|nd|rd|th)?,?\s)?(?:de\s|of\s)?)((?:1[89]|20)\d\d)(?!\d)",
                          after)
        if day_after and year_m and year_m.start(1) < day_after.end(1):
            day_after = None  # "March 2024"
        start, end = w.start(), w.end()
        if day_before:
            day, start = int(day_before.group(1)), w.start() - len(before) + day_before.start(1)
        elif day_after:
            day, end = int(day_after.group(1)), w.end() + day_after.end(1)
        else:
            day = 0
        if year_m:
            end = max(end, w.end() + year_m.end(1))
        if not day and not year_m and (low in _AMBIGUOUS_MONTHS or w.group(0)[:1].islower() and low == "may"):
            continue
        label = text[start:end]
        if day:
            out.append(Value("day", float(day), "day", "", label, start, end, month=month))
        else:
            out.append(Value("month", float(month), "month", "", label, start, end))
        if year_m:
            out.append(Value("n", float(year_m.group(1)), "year", "", label, start, end))
        taken.append((start, end))
    for w in words:
        low = w.group(0).lower().replace("’", "'").replace("ʼ", "'")
        if low in _WEEKDAYS and (not low.endswith("day") or w.group(0)[:1].isupper()):
            out.append(Value("weekday", float(_WEEKDAYS[low]), "weekday", "", w.group(0), w.start(), w.end()))


def _read_times(text: str, out: list[Value], taken: list[tuple[int, int]]) -> None:
    for m in _TIME.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 24 or minute > 59:
            continue
        if m.group(3) and m.group(3).lower().startswith("p") and hour < 12:
            hour += 12
        out.append(Value("n", float(hour), "time", "", m.group(0), m.start(), m.end()))
        if minute:
            out.append(Value("n", float(minute), "time", "", m.group(0), m.start(), m.end()))
        taken.append((m.start(), m.end()))


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    rest = text[pos:pos + 40]
    for unit, rx in _UNIT_RES:
        m = rx.match(rest)
        if m and m.group(0).strip():
            return unit, pos + m.end()
    return "", pos


def _number_tokens(text: str, language: str | None, taken: list[tuple[int, int]]) -> list[list]:
    """[start, end, value, from_words] of each number written in digits or words, in text order."""
    found: list[list] = []
    for m in _NUM.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = _parse_digits(m.group(1), language)
        if value is not None:
            found.append([m.start(), m.end(), value, False])
    table = number_words(language or "en")
    run: list | None = None
    for w in _WORD.finditer(text):
        low = w.group(0).lower().replace("’", "'").replace("ʼ", "'")
        parts = low.split("-") if low not in table else [low]
        vals = [table.get(p) for p in parts]
        if all(v is not None for v in vals) and vals:
            value = _combine(vals)
            gap = text[run[1]:w.start()] if run else ""
            if run and re.fullmatch(r"\s?(?:-|\s|et|y|e|i|и|і|and|und)?\s?", gap) and _joins(run[2], value):
                run[1], run[2] = w.end(), (run[2] * value if value in (100, 1000) else run[2] + value)
            else:
                run = [w.start(), w.end(), float(value), True]
                found.append(run)
        elif low in _IMPLIED:
            value, unit = _IMPLIED[low]
            found.append([w.start(), w.end(), value, True, unit])
            run = None
        else:
            run = None
    found.sort(key=lambda f: f[0])
    return found


def _combine(vals: list[int]) -> int:
    total = 0
    for v in vals:
        total = total * v if v in (100, 1000) and total else total + v
    return total


def _joins(left: float, right: int) -> bool:
    """"twenty" + "five", "cinq" + "cents", "sto" + "dwadzieścia": a compound number."""
    if right in (100, 1000):
        return left < right
    return left >= 20 and (left % 10 == 0 and right < 10 or left % 100 == 0 and right < 100)


def read_values(text: str, language: str | None = None) -> list[Value]:
    """Every value stated in ``text`` (a sentence), in text order. ``language`` is a two-letter code;
    it decides which number words are read and whether "3.500"/"3,500" is 3500 or 3.5."""
    lang = (language or "")[:2].lower() or None
    out: list[Value] = []
    taken: list[tuple[int, int]] = []
    _read_dates(text, out, taken)
    _read_times(text, out, taken)
    tokens = _number_tokens(text, lang, taken)
    numbers: list[Value] = []
    for tok in tokens:
        start, end, value, from_words = tok[:4]
        raw_end = end
        kind, unit = "count", tok[4] if len(tok) > 4 else ""
        prev = text[max(0, start - 1):start]
        nxt = text[end:end + 1]
        year_like = len(text[start:end]) == 4 and 1900 <= value <= 2100
        code = not from_words and (prev.isalpha() or prev == "-" and text[max(0, start - 2):start - 1].isalpha()
                                   and not year_like)
        if code or (nxt.isalpha() and not re.match(r"(?:k|m|bn|mn|km|cm|kg|t|h|st|nd|rd|th|er|e|º)\b",
                                                    text[end:end + 3], re.I)):
            out_kind = "code" if code else "count"
            numbers.append(Value("n", abs(value), out_kind, "", text[start:end], start, end, "", 0, from_words))
            continue
        ordinal = re.match(r"(?:st|nd|rd|th|er|e|º|ª|-?(?:й|я|е|го|му|ого|ий|ому))\b|\.(?=\s?[^\W\d_])",
                           text[end:end + 5])
        if ordinal:
            end += ordinal.end()
            kind = "ordinal"
        scale_m = re.match(r"\s?([^\W\d_]+)\.?", text[end:end + 16])
        if scale_m:
            scale = _scale_of(scale_m.group(1), lang)
            short = scale_m.group(1).lower() in _SHORT_SCALES
            money_near = bool(_CURRENCY_BEFORE.search(text[max(0, start - 5):start])) or bool(
                re.match(r"\s?(?:[€$£]|euro|eur|usd|dollar|pound|€)", text[end + scale_m.end():end + scale_m.end() + 9],
                         re.I))
            if scale and (not short or money_near or scale_m.start(1) == 0 and scale_m.group(1).lower() != "m"):
                value *= scale
                # the period of an abbreviation ("Mrd.", "тыс.") belongs to it, a sentence's does not
                end += scale_m.end() if len(scale_m.group(1)) <= 4 else scale_m.end(1)
        currency = _CURRENCY_BEFORE.search(text[max(0, start - 5):start])
        if not unit and currency:
            unit = "money"
            start -= len(currency.group(0))
        if not unit:
            unit, end = _unit_after(text, end)
        if unit == "year" and len(text[start:raw_end]) == 4 and 1900 <= value <= 2100:
            unit = ""  # "в 2021 году", "w 2020 roku": a year, not a duration
        if unit == "hour" and re.match(r"\s?(a\.?\s?m|p\.?\s?m)", text[raw_end:raw_end + 6], re.I):
            unit = ""
        ampm = _AMPM.match(text[raw_end:raw_end + 6])
        if ampm and value <= 12:
            kind, end = "time", raw_end + ampm.end()
            value = value + 12 if ampm.group(1).lower().startswith("p") and value < 12 else value
        if unit in {"%", "pp"}:
            kind = unit.replace("%", "pct")
        elif unit == "money":
            kind = "money"
        elif unit:
            kind = "measure"
        elif kind == "count" and not from_words and value == int(value) and 1900 <= value <= 2100 \
                and "," not in text[start:raw_end] and len(text[start:raw_end]) == 4:
            kind = "year"
        slot = _slot_after(text, end)
        numbers.append(Value("n", abs(value), kind, unit, text[start:end].strip(), start, end, slot, 0, from_words))
    out.extend(_join_ranges(text, numbers))
    out.sort(key=lambda v: (v.start, v.space))
    return out


def _join_ranges(text: str, numbers: list[Value]) -> list[Value]:
    """"15 bis 20 Zentimeter", "1-4 метров", "2019/20": both ends share the unit, scale and the
    range's text; a two-digit end after a year is that year's century ("2019/20" -> 2020)."""
    out = list(numbers)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        gap = text[a.end:b.start]
        if a.kind == "code" or b.kind == "code" or not _RANGE.search(gap) or len(gap) > 5:
            continue
        tight = bool(_RANGE_TIGHT.match(gap))
        value_a, value_b, unit_a = a.value, b.value, a.unit
        if a.kind == "year" and not b.unit and tight and b.value < 100 and len(text[b.start:b.end]) == 2:
            century = a.value - a.value % 100
            value_b = century + b.value
            if value_b <= a.value:
                value_b += 100
            kind_b = "year"
        else:
            kind_b = b.kind
        if not a.unit and a.kind in {"count", "ordinal"}:
            unit_a = b.unit
            scale = b.value / max(_head_number(text[b.start:b.end], b.value), 1e-12)
            if scale >= 1e3 and a.value < 1e3 and not re.search(r"\d\s?[^\W\d_]", text[a.start:a.end]):
                value_a = a.value * scale  # "2 und 3 Millionen"
        if not tight and unit_a != b.unit:
            continue
        conjunction = not tight and not _RANGE_WORD.search(gap)
        label_a, label_b = (a.text, b.text) if conjunction else (text[a.start:b.end],) * 2
        kind_a = "pct" if unit_a == "%" else "money" if unit_a == "money" else a.kind if not unit_a \
            else ("pp" if unit_a == "pp" else "measure" if a.kind not in {"pct", "money", "pp"} else a.kind)
        out[i] = Value("n", value_a, kind_a, unit_a, label_a, a.start, a.end if conjunction else b.end, b.slot, 0,
                       a.from_words)
        out[i + 1] = Value("n", value_b, kind_b, b.unit, label_b, b.start if conjunction else a.start, b.end, b.slot,
                           0, b.from_words)
    return out


def _head_number(label: str, fallback: float) -> float:
    m = re.search(r"\d+(?:[.,]\d+)?", label)
    if not m:
        return fallback
    try:
        return float(m.group(0).replace(",", "."))
    except ValueError:
        return fallback
