"""The who-said-what lexicon: speech verbs, pronouns, role titles and outlets, per language.

Everything language-specific lives in ``data/roles.yaml`` (and ``data/aliases.yaml`` for name
variants) so users can extend it; this module compiles it once into regular expressions and offers
small helpers shared by entity aliasing and quote attribution.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

# Upper-case letters of Latin (with diacritics) and Cyrillic scripts, for regex character classes
# (Python's re has no \p{Lu}; "Ā-Ž" would also take the lower-case letters in between).
UPPER = "".join(sorted({c for c in map(chr, range(0x41, 0x250)) if c.isupper()} |
                       {c for c in map(chr, range(0x400, 0x530)) if c.isupper()}))
LANGS = ("en", "de", "ru", "uk", "pl", "fr", "it", "es")
# Words of a capitalised sequence may be joined by these particles ("Ursula von der Leyen").
NAME_PARTICLES = {"von", "van", "der", "de", "den", "da", "di", "del", "la", "le", "al", "bin", "ibn", "el", "du", "dos"}
# A name right after one of these is an object ("in Baku", "to Reuters", "dem Sender"), not a speaker.
PREPOSITIONS = frozenset("""in on at to from with of for by into about than as via
im am an auf aus bei mit nach von vom zu zum zur der dem den des für gegen über unter
в во на из с со к о об от по при для у за до від з зі
w we na z ze do od o dla przy po u
à au aux de du des en dans avec par pour sur chez
a al alla ai da dal della del di in con su per
a al de del en con por para""".split())
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?", re.UNICODE)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The parsed ``roles.yaml`` (cached for the process)."""
    with (resources.files("newsprism") / "data" / "roles.yaml").open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def alias_groups() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(canonical, variants, type) for each group of ``aliases.yaml``."""
    with (resources.files("newsprism") / "data" / "aliases.yaml").open("r", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    out = []
    for key, etype in (("places", "PLACE"), ("persons", "PERSON")):
        for group in data.get(key, []):
            names = tuple(str(n) for n in group)
            out.append((names[0], names, etype))
    return tuple(out)


def _alternation(fragments: list[str]) -> str:
    return "|".join(sorted((str(f) for f in fragments), key=len, reverse=True))


def lang_key(language: str | None) -> str | None:
    """The lexicon language for an ISO code, or None (then every language's words are tried)."""
    if not language:
        return None
    code = language.lower()[:2]
    return code if code in LANGS else None


def _langs(language: str | None) -> list[str]:
    key = lang_key(language)
    if key is None:
        return list(LANGS)
    # English cues are common in machine-translated text of any language, so always include them;
    # Russian and Ukrainian are often mislabelled as each other by language identification.
    sibling = {"ru": ["uk"], "uk": ["ru"]}.get(key, [])
    return list(dict.fromkeys([key, *sibling, "en"]))


@lru_cache(maxsize=32)
def speech_verb_re(language: str | None) -> re.Pattern[str]:
    frags = [f for lang in _langs(language) for f in lexicon()["speech_verbs"].get(lang, [])]
    return re.compile(rf"(?<![\w-])(?:{_alternation(frags)})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=32)
def complementizer_re(language: str | None) -> re.Pattern[str]:
    frags = [f for lang in _langs(language) for f in lexicon()["complementizers"].get(lang, [])]
    return re.compile(rf"(?<!\w)(?:{_alternation(frags)})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=32)
def according_to_re(language: str | None) -> re.Pattern[str]:
    frags = [f for lang in _langs(language) for f in lexicon()["according_to"].get(lang, [])]
    return re.compile(rf"(?<!\w)(?:{_alternation(frags)})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=32)
def pronoun_re(language: str | None) -> re.Pattern[str]:
    frags = [f for lang in _langs(language) for f in lexicon()["pronouns"].get(lang, [])]
    return re.compile(rf"(?<!\w)(?:{_alternation(frags)})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def reported_via_res() -> tuple[re.Pattern[str], ...]:
    name = r"\s+(?P<via>«[^»]{2,40}»|„[^“”]{2,40}[“”]|\"[^\"]{2,40}\"|(?:[{U}][\w\-&.]*(?:\s+[{U}][\w\-&.]*){0,3}))".replace("{U}", UPPER)
    return tuple(re.compile(rf"(?<!\w)(?i:{frag}){name}") for frag in lexicon()["reported_via"])


@dataclass(frozen=True, slots=True)
class RolePhrase:
    start: int
    end: int
    text: str
    title: str  # canonical title key ("secretary_general", "head", ...)
    org: str | None  # canonical organisation, when the phrase names one


@lru_cache(maxsize=1)
def _title_res() -> tuple[tuple[str, re.Pattern[str]], ...]:
    titles = lexicon()["titles"]
    return tuple((key, re.compile(rf"(?<!\w)(?:{_alternation(forms)})(?![\w])", re.IGNORECASE))
                 for key, forms in titles.items())


@lru_cache(maxsize=1)
def org_variants() -> dict[str, str]:
    """Lower-cased organisation variant -> canonical organisation."""
    out: dict[str, str] = {}
    for group in lexicon().get("organisations", []):
        for form in group:
            out[str(form).lower()] = str(group[0])
    return out


_ORG_TAIL = re.compile(r"^[ ]+(?:of|of the|des|der|de|de la|du|di|del|della|dell'|d')[ ]*(?:l'|l’)?(?P<org>[{U}][\w\-]*(?:[ ][{U}][\w\-]*){0,4})"
                       r"(?:[ ]+of[ ]+(?:the[ ]+)?[A-Z][\w\-]*(?:[ ][A-Z][\w\-]*){0,3})?".replace("{U}", UPPER))
_ORG_WORD = re.compile(r"(?:Alliance|Organi[sz]ation|Institute?|Ministry|Union|Council|Party|Bank|Agency|Forces|"
                       r"Army|Committee|Commission|Association|Office|Department|Parliament|Court|Fund|Service|Nations)\b")
_ORG_HEAD = re.compile(r"(?P<org>(?:[{U}][\w\-]*(?:'s|’s)?[ ]+){1,4})$".replace("{U}", UPPER))
_ORG_GEN_RU = re.compile(r"^[ ]+(?P<org>[{U}][\w\-]+)".replace("{U}", UPPER))
_DETERMINERS = re.compile(r"(?:\b(?:the|a|an|der|die|das|dem|den|des|le|la|les|l'|il|lo|el)\s+)$", re.IGNORECASE)


def canonical_org(text: str) -> str | None:
    """The canonical organisation named by ``text`` ("the North Atlantic Alliance" -> "NATO")."""
    cleaned = re.sub(r"^(?:the|der|die|des|le|la|l')\s+", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"(?:'s|’s)$", "", cleaned).strip(" ,.")
    if not cleaned:
        return None
    variants = org_variants()
    low = cleaned.lower()
    if low in variants:
        return variants[low]
    for form, canon in variants.items():  # "Nato-Generalsekretär", "генсека НАТО"
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", low):
            return canon
    return cleaned


def find_role_phrases(text: str) -> list[RolePhrase]:
    """Role phrases in ``text``: a title with an optional organisation before or after it."""
    found: list[RolePhrase] = []
    taken: list[tuple[int, int]] = []
    for key, pattern in _title_res():
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(s <= start < e or s < end <= e for s, e in taken):
                continue
            org = None
            prefix = text[max(0, start - 60):start]
            compound = re.search(r"([{U}][\w]+)-$".replace("{U}", UPPER), prefix)  # "Nato-Generalsekretär"
            tail = _ORG_TAIL.match(text[end:end + 80])
            head = _ORG_HEAD.search(prefix)
            gen = _ORG_GEN_RU.match(text[end:end + 40])
            if compound:
                org, start = compound.group(1), start - len(compound.group(0))
            elif tail:
                org, end = tail.group("org").strip(), end + len(tail.group(0).rstrip())
                words = org.split()
                if len(words) >= 3 and not _ORG_WORD.search(org) and org.lower() not in org_variants():
                    # "presidente del Consiglio Giorgia Meloni": the organisation is one word, a name follows
                    end = end - len(tail.group(0).rstrip()) + tail.group(0).index(words[0]) + len(words[0])
                    org = words[0]
            elif head and _strip_determiners(head.group("org")) and not _sentence_opener(text, start - len(head.group(0)), head.group("org")):
                org = _strip_determiners(head.group("org"))
                start = start - len(head.group(0)) + head.group(0).find(org)
            elif gen and gen.group("org").lower() in org_variants():
                org, end = gen.group("org"), end + len(gen.group(0))
            det = _DETERMINERS.search(text[max(0, start - 6):start])
            if det:
                start -= len(det.group(0))
            taken.append((start, end))
            found.append(RolePhrase(start, end, text[start:end], key, canonical_org(org) if org else None))
    return sorted(found, key=lambda r: r.start)


_STOP_CAPS = {"the", "a", "an", "der", "die", "das", "le", "la", "les", "il", "el", "los", "this", "that",
              "former", "new", "then", "and", "but", "as", "when", "after", "ex", "acting", "deputy", "vice"}


def _sentence_opener(text: str, at: int, org: str) -> bool:
    """One capitalised word opening a sentence ("Według szefa", "Zastępczyni szefa") is the
    sentence's first word, not an organisation, unless it is an acronym or a known organisation."""
    words = org.split()
    opens = not text[:at].strip() or text[:at].rstrip()[-1:] in ".!?:\n—–-»”\""
    return len(words) == 1 and opens and not words[0].isupper() and words[0].lower() not in org_variants()


def _strip_determiners(org: str) -> str:
    words = org.split()
    while words and words[0].lower().strip("'’") in _STOP_CAPS:
        words.pop(0)
    return " ".join(words)


def fold(text: str) -> str:
    """Lower-case, accent-free form used to compare names across spellings."""
    norm = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in norm if not unicodedata.combining(c)).replace("’", "'")


def same_name_stem(a: str, b: str) -> bool:
    """Whether two name tokens are the same word up to an inflectional ending (Stoltenberga)."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short[:-1] if len(short) > 5 else short) and len(long_) - len(short) <= 3
