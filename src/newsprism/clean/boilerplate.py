"""Removal of page junk that survives HTML extraction: share/comment/related/navigation lines,
language switchers, reply forms, "Read also:" links, photo captions and credits, bare datelines.

The lexicon lives in ``newsprism/data/boilerplate.yaml`` (users extend it there, or with one more
file named by the environment variable ``NEWSPRISM_BOILERPLATE``). The rules are conservative:
only SHORT lines are ever tested against the lexicon, so a paragraph that merely contains "share"
or "comments" is never touched, and every line that is not matched is kept.

Decision on "Read also:": the bare lead-in line, or a short lead-in line carrying one headline,
is junk (it links to another article). The paragraph that FOLLOWS a bare lead-in is kept: it is
often a teaser of a related article, but just as often (and on the seeds) a summary of the same
story, and telling the two apart needs the other article. Cross-article repetition
(``newsprism.clean.repeatable_lines``) removes teasers that recur across an outlet's articles.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from newsprism.clean.dates import is_dateline
from newsprism.errors import InputError

# A line with more words than this is content, whatever it says. The longest lexicon entry
# ("Save my name, email, and website in this browser for the next time I comment.") has 15.
MAX_JUNK_WORDS = 16
# "Read also: <one headline>" lines: headlines run up to ~20 words; longer lines are prose.
MAX_LEAD_IN_WORDS = 25
# A caption/credit ("Photo: Name, role (Photographer, Outlet)") is short; longer text after
# "Photo:" is prose and stays.
MAX_CAPTION_WORDS = 30
# Dateline lines ("December 15th, 2008, 7:35 am", "Published: 12 March 2024") are metadata.
MAX_DATELINE_WORDS = 14
# After a "Related articles" header, a tail made only of headline-like lines (short, no full
# stop at the end) is the list of links; it is dropped. Any real paragraph in the tail keeps it all.
MAX_HEADLINE_WORDS = 20

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "boilerplate.yaml"
_ENV_EXTRA = "NEWSPRISM_BOILERPLATE"
_SEPARATORS = str.maketrans({ch: ":" for ch in "—»→|>›"})
_NON_MATCH_CHARS = re.compile(r"[^\w\s:'\-+©@]")
_EDGE_NOISE = re.compile(r"^[\s\d:()+\-]+|[\s\d:()+\-]+$")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Style sheets, scripts and templates that leaked into the text: "} else {", ".logo{display: block;}",
# "<%= comment.count %>". Prose never has braces with a colon/semicolon inside or template tags.
_CODE_RE = re.compile(r"^\s*[{}]|[{}]\s*$|\{[^{}]*[:;][^{}]*\}|<%.*%>|\bfunction\s*\(|=>\s*\{")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+\S")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled junk patterns (see the data file for their meaning)."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]
    lead_in: re.Pattern[str]
    caption: re.Pattern[str]
    caption_in_parens: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed line (or part of a line) and why."""

    kind: str
    text: str


def match_form(line: str) -> str:
    """The form of ``line`` that lexicon patterns are matched against (see the data file)."""
    folded = line.casefold().translate(_SEPARATORS)
    folded = _NON_MATCH_CHARS.sub(" ", folded)
    folded = _SPACES.sub(" ", folded)
    return _EDGE_NOISE.sub("", folded)


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """Compile the packaged lexicon plus ``extra`` (or the file named by NEWSPRISM_BOILERPLATE)."""
    extra = extra or (Path(os.environ[_ENV_EXTRA]) if os.environ.get(_ENV_EXTRA) else None)
    return _compile(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _compile(extra: str | None) -> Lexicon:
    data = _read_yaml(LEXICON_PATH.read_text("utf-8"), str(LEXICON_PATH))
    if extra:
        try:
            more = _read_yaml(Path(extra).read_text("utf-8"), extra)
        except OSError as exc:
            raise InputError(extra, f"cannot read the boilerplate lexicon ({exc}); fix {_ENV_EXTRA}") from exc
        for kind, patterns in (more.get("lines") or {}).items():
            data.setdefault("lines", {}).setdefault(kind, []).extend(patterns)
        for key in ("lead_ins", "captions"):
            data.setdefault(key, []).extend(more.get(key) or [])
    lines = tuple(
        (kind, re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"))
        for kind, patterns in data["lines"].items()
    )
    lead_alt = "|".join(f"(?:{p})" for p in data["lead_ins"])
    # Any lead-in followed by a separator or the end; a multi-word lead-in also by a space.
    multi_word = [alt for p in data["lead_ins"] for alt in _alternatives(p) if " " in alt]
    multi_alt = "|".join(f"(?:{p})" for p in multi_word) or "(?!)"
    lead_in = re.compile(rf"^(?:(?:{lead_alt})\s*(?::|$)|(?:{multi_alt})\s)")
    caption_alt = "|".join(f"(?:{p})" for p in data["captions"])
    caption = re.compile(rf"(?:^|(?<=\s))(?=[^\W\d_])(?:{caption_alt})(?:\s*:\s*|\s+(?:by|via|courtesy of|von|di|por|par)\s+)",
                         re.IGNORECASE)
    caption_in_parens = re.compile(rf"\s*\((?:{caption_alt})\s*:[^()]{{1,200}}\)", re.IGNORECASE)
    return Lexicon(lines=lines, lead_in=lead_in, caption=caption, caption_in_parens=caption_in_parens)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a simple pattern ("a b|c" -> ["a b", "c"]); grouped
    patterns are kept whole (and so count as one word unless they contain a space)."""
    return [pattern] if "(" in pattern else pattern.split("|")


def _read_yaml(text: str, origin: str) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(origin, f"the boilerplate lexicon is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(origin, "the boilerplate lexicon must be a mapping with lines/lead_ins/captions")
    return data


def junk_kind(line: str, lexicon: Lexicon | None = None) -> str | None:
    """Why ``line`` (one paragraph) is page junk, or ``None`` when it is content."""
    lexicon = lexicon or load_lexicon()
    words = len(_WORD.findall(line))
    if words == 0:
        return "symbols"  # bullets, counters, separators: nothing to read
    if words > MAX_LEAD_IN_WORDS:
        return None
    form = match_form(line)
    if not form:
        return "symbols"
    if _CODE_RE.search(line):
        return "code"
    if words <= MAX_JUNK_WORDS:
        for kind, pattern in lexicon.lines:
            if pattern.fullmatch(form):
                return kind
    if lexicon.lead_in.match(form) and not _SENTENCE_INSIDE.search(line.rstrip(".!?… ")):
        return "read_also"
    if words <= MAX_DATELINE_WORDS and is_dateline(line):
        return "dateline"
    return None


def split_caption(line: str, lexicon: Lexicon | None = None) -> tuple[str, list[str]]:
    """Cut photo captions/credits out of ``line``: returns (what is left, the captions cut)."""
    lexicon = lexicon or load_lexicon()
    captions: list[str] = []

    def cut(m: re.Match[str]) -> str:
        captions.append(m.group().strip())
        return ""

    line = lexicon.caption_in_parens.sub(cut, line)
    for m in reversed(list(lexicon.caption.finditer(line))):
        if not line[m.start()].isupper():
            continue  # captions are capitalised: "Photo:", "Фото:"; "the photo: it shows" is prose
        tail = line[m.start():]
        if len(_WORD.findall(tail)) > MAX_CAPTION_WORDS or _SENTENCE_INSIDE.search(tail.rstrip(".!?… ")):
            continue
        captions.append(tail.strip())
        line = line[: m.start()].rstrip()
        break
    return line, captions


def remove_boilerplate(paragraphs: list[str], lexicon: Lexicon | None = None) -> tuple[list[str], list[Removal]]:
    """Drop junk paragraphs and cut captions; returns (kept paragraphs, what was removed)."""
    lexicon = lexicon or load_lexicon()
    kept: list[str] = []
    removed: list[Removal] = []
    related_header_at: int | None = None
    for paragraph in paragraphs:
        rest, captions = split_caption(paragraph, lexicon)
        removed.extend(Removal("photo_credit", c) for c in captions)
        if not rest.strip():
            continue
        kind = junk_kind(rest, lexicon)
        if kind:
            removed.append(Removal(kind, rest))
            if kind == "related" and related_header_at is None:
                related_header_at = len(kept)
            continue
        kept.append(rest)
    if related_header_at is not None:
        tail = kept[related_header_at:]
        if tail and all(_is_headline_like(p) for p in tail):
            removed.extend(Removal("related_list", p) for p in tail)
            kept = kept[:related_header_at]
    return kept, removed


def find_captions(paragraphs: list[str], lexicon: Lexicon | None = None) -> list[str]:
    """Every photo caption/credit in ``paragraphs`` (used to name the outlet from its credit)."""
    lexicon = lexicon or load_lexicon()
    found: list[str] = []
    for paragraph in paragraphs:
        found.extend(split_caption(paragraph, lexicon)[1])
    return found


def _is_headline_like(paragraph: str) -> bool:
    words = len(_WORD.findall(paragraph))
    return words <= MAX_HEADLINE_WORDS and not paragraph.rstrip("”’\"' ").endswith((".", "!", "…", ":"))
