"""Word-level differences between two wordings of one statement, and the drift they reveal."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\d[\d.,\s]*\d%?|\d%?|[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"\d[\d.,\u00a0 ]*\d|\d")
# Negation words of the supported languages; drift is flagged when one variant negates and the other does not.
_NEGATION = re.compile(
    r"(?<!\w)(?:not|no|never|nobody|nothing|none|neither|nor|n't|cannot|"
    r"nicht|kein|keine|keinen|keiner|keines|nie|niemals|nichts|"
    r"не|нет|ни|никогда|ничего|никаких|ні|ніколи|нічого|жодних|"
    r"nie|nigdy|żadnych|nic|"
    r"ne|pas|jamais|aucun|aucune|rien|non|mai|nessun|nessuna|nunca|nada|ningún|ninguna)(?!\w)", re.IGNORECASE)
# One wording lacks a clause when it has at most this share of the other's words and the extra part
# is at least MISSING_CLAUSE_WORDS words long.
MISSING_CLAUSE_RATIO = 0.65
MISSING_CLAUSE_WORDS = 5


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Diff of ``b`` against ``a`` as ("=", words) / ("-", words) / ("+", words) runs."""
    ta, tb = tokens(a), tokens(b)
    matcher = difflib.SequenceMatcher(a=[t.lower() for t in ta], b=[t.lower() for t in tb], autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(tb[j1:j2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(ta[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(tb[j1:j2])))
    return tuple(ops)


def numbers(text: str) -> set[str]:
    """Numbers normalised across styles ("20.000", "20,000", "20 000" -> "20000"; "2,8" -> "2.8")."""
    out = set()
    for m in _NUMBER.findall(text):
        raw = m.replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            raw = re.sub(r"[.,]", "", raw)
        out.add(raw.replace(",", "."))
    return out


def _names(text: str) -> set[str]:
    """Capitalised words after the first, with organisation spellings folded ("North Atlantic
    Treaty Organization" and "NATO" are the same name)."""
    from .speakers import org_variants
    variants = org_variants()
    folded = text
    for form in sorted(variants, key=len, reverse=True):
        folded = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", variants[form].replace(" ", "_"), folded, flags=re.IGNORECASE)
    words = tokens(folded)
    return {re.sub(r"(?:'s|’s)$", "", w.lower()) for i, w in enumerate(words) if i > 0 and w[:1].isupper() and len(w) > 2}


def _same_name(a: str, b: str) -> bool:
    from ..cluster.features import fold
    from .speakers import same_name_stem
    return fold(a) == fold(b) or same_name_stem(fold(a), fold(b))


def drift_flags(a: str, b: str, same_language: bool = True) -> list[str]:
    """Meaning differences between two wordings: negation, numbers, names, a missing clause."""
    flags = []
    # across languages a translation may negate with other words ("has no plans" / "nie zamierza"), so
    # negation is compared within one language only; digits mean the same in every language
    if same_language and bool(_NEGATION.search(a)) != bool(_NEGATION.search(b)):
        flags.append("negation")
    na, nb = numbers(a), numbers(b)
    if na != nb and (na or nb):
        flags.append(f"number: {', '.join(sorted(na)) or '-'} vs {', '.join(sorted(nb)) or '-'}")
    if same_language:
        names_a, names_b = _names(a), _names(b)
        # a name counts as changed only when no name of the other wording is the same word inflected
        # or in another script ("Ukraine" / "Ukrainę", "Kyiv" / "Київ")
        diff_names = {n for n in names_a if not any(_same_name(n, m) for m in names_b)} | \
                     {m for m in names_b if not any(_same_name(n, m) for n in names_a)}
        if diff_names and names_a and names_b:
            flags.append(f"name: {', '.join(sorted(diff_names))}")
    la, lb = len(tokens(a)), len(tokens(b))
    short, long_ = sorted((la, lb))
    if same_language and long_ and short / long_ <= MISSING_CLAUSE_RATIO and long_ - short >= MISSING_CLAUSE_WORDS:
        flags.append("missing clause")
    elif not same_language and len(min(a, b, key=len)) / max(1, len(max(a, b, key=len))) < 0.5:
        flags.append("missing clause")
    return flags
