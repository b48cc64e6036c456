"""Framing lexicons: naming variants, loaded terms and tone words, shipped as YAML and user-extendable.

Shipped files: ``data/naming_variants.yaml`` and ``data/loaded_terms.yaml``. A user file (YAML) may
contain any of the sections ``referents`` (naming variants), ``loaded`` and ``tone`` in the same
format; its entries are added to the shipped ones (a referent with the same label gains variants).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import InputError, ParseError

MAX_LEXICON_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon phrase: what it is (referent or category) and its compiled pattern."""

    term: str
    group: str  # referent label (naming) or category (loaded) or polarity (tone)
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    naming: tuple[Term, ...] = ()
    loaded: tuple[Term, ...] = ()
    positive: tuple[Term, ...] = ()
    negative: tuple[Term, ...] = ()
    referents: tuple[str, ...] = field(default=())


def compile_term(term: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive pattern; spaces match any whitespace, a trailing * any ending."""
    stem = term.endswith("*")
    body = term.rstrip("*").strip()
    parts = [re.escape(p) for p in body.split()]
    regex = r"\s+".join(parts)
    regex = r"(?<![\w-])" + regex + (r"[\w'’-]*" if stem else r"(?![\w-])")
    return re.compile(regex, re.IGNORECASE)


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise InputError(str(path), "framing lexicon not found; check the path")
    if path.stat().st_size > MAX_LEXICON_BYTES:
        raise InputError(str(path), f"framing lexicon is larger than {MAX_LEXICON_BYTES} bytes")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParseError(str(path), f"not valid YAML ({exc.__class__.__name__}); check the indentation") from exc
    if not isinstance(data, dict):
        raise ParseError(str(path), "a framing lexicon must be a mapping with 'referents', 'loaded' or 'tone'")
    return data


def _shipped(name: str) -> dict:
    ref = resources.files("newsprism") / "data" / name
    return yaml.safe_load(ref.read_text(encoding="utf-8")) or {}


def _merge(base: dict, extra: dict) -> dict:
    out = {"referents": [dict(r) for r in base.get("referents", [])],
           "loaded": {k: list(v) for k, v in (base.get("loaded") or {}).items()},
           "tone": {k: list(v) for k, v in (base.get("tone") or {}).items()}}
    for ref in extra.get("referents", []) or []:
        if not isinstance(ref, dict) or "referent" not in ref:
            raise ParseError("<framing lexicon>", "each referent needs 'referent' and 'variants'")
        same = next((r for r in out["referents"] if r["referent"] == ref["referent"]), None)
        if same is None:
            out["referents"].append({"referent": ref["referent"], "variants": list(ref.get("variants", []))})
        else:
            same["variants"] = list(same.get("variants", [])) + [v for v in ref.get("variants", []) if v not in same["variants"]]
    for section in ("loaded", "tone"):
        for key, terms in (extra.get(section) or {}).items():
            out[section].setdefault(key, []).extend(terms or [])
    return out


@lru_cache(maxsize=8)
def load_lexicon(user_path: str | None = None) -> Lexicon:
    """The shipped lexicons, extended by the user's YAML file when a path is given."""
    data = _merge({**_shipped("naming_variants.yaml"), **_shipped("loaded_terms.yaml")}, {})
    if user_path:
        data = _merge(data, _read_yaml(Path(user_path)))
    naming = tuple(Term(str(v), r["referent"], compile_term(str(v)))
                   for r in data["referents"] for v in r.get("variants", []))
    loaded = tuple(Term(str(t), cat, compile_term(str(t))) for cat, terms in data["loaded"].items() for t in terms)
    tone = data["tone"]
    return Lexicon(naming=naming, loaded=loaded,
                   positive=tuple(Term(str(t), "positive", compile_term(str(t))) for t in tone.get("positive", [])),
                   negative=tuple(Term(str(t), "negative", compile_term(str(t))) for t in tone.get("negative", [])),
                   referents=tuple(r["referent"] for r in data["referents"]))


def find_terms(text: str, terms: tuple[Term, ...]) -> Iterator[tuple[Term, int, int]]:
    """Every (term, start, end) match in ``text``; overlapping matches of one group keep the longest."""
    hits = []
    for t in terms:
        for m in t.pattern.finditer(text):
            hits.append((t, m.start(), m.end()))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    kept: list[tuple[Term, int, int]] = []
    for t, s, e in hits:
        if any(k.group == t.group and s < ke and e > ks for k, ks, ke in kept):
            continue
        kept.append((t, s, e))
    yield from kept
