"""The clean stage: ``RawDocument`` (plain text) -> ``CleanDocument``.

``prepare`` normalises the text (see ``normalize``), removes page junk (``boilerplate``), removes
the repeated title, and finds title, outlet, language, publication date and sentences.
Cross-article cleaning is two calls the pipeline makes per outlet: collect ``repeatable_lines``
of each of its articles, and ``drop_lines`` the keys seen in several of them.

Conventions of ``CleanDocument.text``: paragraphs separated by one blank line; all double quotes
as “ ”; the title line appears at most once (its first occurrence stays: headlines carry quotes).
An input whose text is empty (or only junk) but which has a title becomes a one-paragraph article
made of its title. ``content_key`` is the sha256 of the normalised RAW text, so it never changes with the lexicon
or with cross-article cleaning.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import TypeVar

from newsprism.clean.boilerplate import Removal, load_lexicon, remove_boilerplate
from newsprism.clean.dates import find_published
from newsprism.clean.language import detect_language, valid_language
from newsprism.clean.normalize import comparison_form, normalize_line, normalize_paragraphs
from newsprism.clean.sentences import split_sentences
from newsprism.clean.source import detect_source, domain_of, split_title_suffix
from newsprism.errors import InputError
from newsprism.models import Article, CleanDocument, RawDocument

__all__ = ["prepare", "repeatable_lines", "line_key", "drop_lines", "split_sentences",
           "detect_language", "detect_source", "find_published"]

# Hostile input: anything longer is cut (at a paragraph end) before cleaning. A long feature
# article is ~60,000 characters; this leaves ample room and bounds the work per document.
MAX_TEXT_CHARS = 500_000
# A title longer than this is a paragraph, not a headline: its first sentence is used instead.
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 250
# Lines of at most this many words are candidates for "repeats across an outlet's articles".
# Footers, newsletter pitches and teasers are short; a repeated long paragraph is more likely a
# genuinely re-used passage (a press-release paragraph) that provenance analysis wants to see.
MAX_REPEATABLE_WORDS = 30
# How many removed lines are listed in CleanDocument.metadata["clean_removed"].
MAX_REPORTED_REMOVALS = 50

_QUOTE_CHARS = re.compile(r"[“”]")
_URL_TITLE_RE = re.compile(r"^\s*(?:https?\s*:\s*/\s*/|www\s*\.)", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def prepare(raw: RawDocument, *, source_override: str | None = None) -> CleanDocument:
    """Clean one document: normalise, drop page junk and the repeated title, find title, outlet,
    language, date and sentences. Raises ``InputError`` when no article text is left."""
    if raw.text is None:
        raise InputError(raw.origin, "no plain text to clean; extract the text from the HTML first "
                         "(the ingest stage does this for HTML, URLs and feeds)")
    paragraphs = normalize_paragraphs(_cap(raw.text))
    normalized = "\n\n".join(paragraphs)
    content_key = hashlib.sha256(normalized.encode("utf-8")).hexdigest()

    described = _without_url_title(raw)
    source = detect_source(described, normalized, override=source_override, normalized=True)
    kept, removed = remove_boilerplate(paragraphs, load_lexicon())
    title, kept, title_removals = _settle_title(described, kept)
    removed.extend(title_removals)
    if not kept:
        raise InputError(raw.origin, "no article text left after removing page junk")
    text = "\n\n".join(kept)

    language = valid_language(raw.language) or detect_language(text)
    metadata = dict(raw.metadata)
    metadata["clean_removed"] = [{"kind": r.kind, "text": r.text[:200]} for r in removed[:MAX_REPORTED_REMOVALS]]
    metadata["clean_removed_count"] = len(removed)
    return CleanDocument(
        origin=raw.origin,
        title=title,
        text=text,
        sentences=split_sentences(text, language),
        language=language,
        source=source,
        published=find_published(raw, normalized, language),
        url=raw.url,
        author=normalize_line(raw.author) if raw.author else None,
        external_id=raw.external_id,
        content_key=content_key,
        metadata=metadata,
    )


_Doc = TypeVar("_Doc", CleanDocument, Article)  # a document being cleaned, or one already stored


def line_key(line: str) -> str:
    """A stable key of ``line``: sha256 (first 32 hex digits) of its normalised, casefolded words."""
    return hashlib.sha256(comparison_form(normalize_line(line)).encode("utf-8")).hexdigest()[:32]


def repeatable_lines(doc: CleanDocument) -> dict[str, str]:
    """line_key -> line for the lines of ``doc`` that may be dropped when they repeat across
    several articles of the same outlet: lines of at most MAX_REPEATABLE_WORDS words, other than
    the title line, and without quote marks (a repeated quote is reporting, not page furniture:
    the quote and statement analyses need every copy)."""
    title_form = comparison_form(doc.title)
    lines: dict[str, str] = {}
    for line in doc.text.split("\n"):
        line = line.strip()
        words = len(_WORD.findall(line))
        if not words or words > MAX_REPEATABLE_WORDS or _QUOTE_CHARS.search(line):
            continue
        if comparison_form(line) == title_form:
            continue
        lines.setdefault(line_key(line), line)
    return lines


def drop_lines(doc: _Doc, keys: set[str]) -> _Doc:
    """``doc`` without the lines whose ``line_key`` is in ``keys``; sentences are re-split and
    ``content_key`` is unchanged. When every line would go, ``doc`` is returned as it is: an
    article made only of repeated lines is a real (if short) article, not junk."""
    if not keys:
        return doc
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    kept = [line for line in lines if line_key(line) not in keys]
    if len(kept) == len(lines) or not kept:
        return doc
    text = "\n\n".join(kept)
    metadata = dict(doc.metadata)
    metadata["clean_repeated_removed"] = [line[:200] for line in lines if line_key(line) in keys][
        :MAX_REPORTED_REMOVALS
    ]
    return replace(doc, text=text, sentences=split_sentences(text, doc.language), metadata=metadata)


def _without_url_title(raw: RawDocument) -> RawDocument:
    """A title that is a URL (a scraper's fallback) is no headline: drop it, and use it as the
    URL when there is none (its domain can still name the outlet)."""
    if not raw.title or not _URL_TITLE_RE.match(raw.title):
        return raw
    squashed = re.sub(r"\s+", "", raw.title)
    return replace(raw, title=None, url=raw.url or squashed)


def _cap(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_TEXT_CHARS)
    return text[: cut if cut > MAX_TEXT_CHARS // 2 else MAX_TEXT_CHARS]


def _settle_title(raw: RawDocument, kept: list[str]) -> tuple[str, list[str], list[Removal]]:
    """Pick the title and keep at most one copy of it in the text (its first occurrence).

    When no text is left but the input has a title, the title becomes the text."""
    domain = domain_of(raw.url)
    given = normalize_line(raw.title) if raw.title else ""
    title_line = given or (kept[0] if kept else "")
    short = len(_WORD.findall(title_line)) <= MAX_TITLE_WORDS  # only a headline has an outlet suffix
    title = split_title_suffix(title_line, domain)[0] if short else title_line
    forms = {comparison_form(title_line), comparison_form(title)} - {""}
    result: list[str] = []
    removed: list[Removal] = []
    seen = False
    for paragraph in kept:
        bare = split_title_suffix(paragraph, domain)[0] if short else paragraph
        if comparison_form(paragraph) in forms or comparison_form(bare) in forms:
            if not seen:
                result.append(bare)  # the headline stays once (its quotes are content), unsuffixed
                seen = True
            else:
                removed.append(Removal("repeated_title", paragraph))
            continue
        result.append(paragraph)
    if not result and given:
        result = [title]  # a headline-only item (a bare feed entry) is still a report
    return _shorten_title(title), result, removed


def _shorten_title(title: str) -> str:
    if len(_WORD.findall(title)) <= MAX_TITLE_WORDS and len(title) <= MAX_TITLE_CHARS:
        return title
    sentences = split_sentences(title, None)
    first = sentences[0].text if sentences else title
    if len(first) <= MAX_TITLE_CHARS:
        return first
    return first[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
