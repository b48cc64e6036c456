"""The typed records every newsprism stage reads and writes.

All records are frozen, slotted dataclasses so stages stay pure functions over values that can be
pickled and shipped to another process. Offsets are character offsets into ``Article.text``.
Ids of stored things (articles, stories, storylines) are integers assigned by the store; ``key``
fields are content-derived and stable across machines.

Flow::

    ingest -> RawDocument -> clean -> CleanDocument -> dedupe/store -> Article
           -> cluster -> Story, Storyline
           -> analyse (entities, quotes, statements, claims, framing, provenance, timeline)
           -> summary / report / web
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# --------------------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as it arrived, before cleaning. Ingest always sets ``text`` (plain text, blank
    lines between paragraphs); ``html`` may keep the source HTML of a page for reference."""

    origin: str  # the path, URL or "file.jsonl#L12" as the user gave it
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as found in metadata
    language: str | None = None  # ISO 639-1 when the input states it
    source: str | None = None  # outlet name when the input states it
    author: str | None = None
    external_id: str | None = None  # the ``id`` of a JSONL/CSV row
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article: its position and its span in ``Article.text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class CleanDocument:
    """A cleaned input, ready to store: boilerplate removed, language and sentences known."""

    origin: str
    title: str
    text: str
    sentences: tuple[Sentence, ...]
    language: str | None
    source: str | None
    published: str | None
    url: str | None = None
    author: str | None = None
    external_id: str | None = None
    content_key: str = ""  # sha256 of the normalised text: equal keys are the same article
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article. ``duplicate_of`` points at the earliest or most complete copy."""

    id: int
    origin: str
    title: str
    text: str
    sentences: tuple[Sentence, ...]
    language: str | None
    source: str | None
    published: str | None
    url: str | None = None
    author: str | None = None
    external_id: str | None = None
    content_key: str = ""
    duplicate_of: int | None = None
    story: int | None = None
    ingested_at: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be ingested, and why (one line, names the input)."""

    origin: str
    problem: str


# ------------------------------------------------------------------------------------ grouping


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one happening (an event)."""

    id: int
    title: str
    article_ids: tuple[int, ...]
    keywords: tuple[str, ...] = ()
    storyline: int | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True, slots=True)
class Storyline:
    """Stories on one recurring subject over months or years."""

    id: int
    title: str
    story_ids: tuple[int, ...]
    keywords: tuple[str, ...] = ()
    first_published: str | None = None
    last_published: str | None = None


# ------------------------------------------------------------------------------------ analysis


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: a sentence (and optionally a character span) of one article."""

    article_id: int
    sentence: int  # Sentence.index
    start: int
    end: int
    text: str


EntityType = Literal["PERSON", "ORG", "PLACE", "OTHER"]


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: int
    start: int
    end: int
    text: str
    type: EntityType
    entity: str | None = None  # canonical name of the Entity it resolves to


@dataclass(frozen=True, slots=True)
class AliasLink:
    """Why ``alias`` was judged to name ``canonical``: the rule and the sentence that shows it."""

    alias: str
    canonical: str
    rule: str  # e.g. "surname", "role-apposition", "gazetteer", "fuzzy"
    evidence: Span | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    name: str  # canonical name
    type: EntityType
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    alias_links: tuple[AliasLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    article_id: int
    text: str
    speaker: str | None  # canonical entity name, or the speaker phrase when unresolved
    direct: bool
    start: int
    end: int
    sentence: int
    speaker_text: str | None = None  # the words that named the speaker ("he", "the Secretary General")
    reported_via: str | None = None  # "ANSA", "Reuters" ...
    cue: str | None = None  # "said", "emphasized" ...


@dataclass(frozen=True, slots=True)
class StatementVariant:
    article_id: int
    text: str
    quote_index: int  # position of the Quote in the story's quote list
    diff: tuple[tuple[str, str], ...] = ()  # word-level ops vs the statement's first variant


@dataclass(frozen=True, slots=True)
class Statement:
    """The same statement reported by several articles, in other words or languages."""

    id: int
    speaker: str | None
    variants: tuple[StatementVariant, ...]
    drift: tuple[str, ...] = ()  # e.g. "negation", "number: 20 vs 30", "name", "missing clause"


ClaimStatus = Literal["consensus", "partial", "unique", "conflict"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two sentences of one claim stating different values, side by side."""

    kind: str  # "number", "date", "weekday", "month", "negation", "name"
    value_a: str  # as written in evidence_a ("six (6)", "July 35", "not")
    value_b: str
    evidence_a: Span
    evidence_b: Span


@dataclass(frozen=True, slots=True)
class Claim:
    """Claims stating the same fact across articles, with the evidence sentence of each."""

    id: int
    text: str  # representative wording
    status: ClaimStatus
    sources: tuple[str, ...]
    evidence: tuple[Span, ...]
    conflicting_values: tuple[str, ...] = ()  # every value of ``conflicts``, in order
    attributed_to: str | None = None
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingFinding:
    article_id: int
    term: str
    referent: str | None
    kind: str  # "naming", "loaded", "distinctive", "tone"
    span: Span
    score: float | None = None


@dataclass(frozen=True, slots=True)
class ProvenanceLink:
    """``article_id`` copies/rewrites/translates ``target`` or cites a primary source."""

    article_id: int
    relation: str  # "copy", "rewrite", "translation", "cites"
    target_article: int | None = None
    target_source: str | None = None  # e.g. "ANSA", "Reuters", "Kiel Institute"
    score: float | None = None
    evidence: Span | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str  # ISO 8601 date
    text: str
    citations: tuple[Span, ...]
    story: int | None = None
    stated: bool = False  # True when the date comes from the text, not publication metadata


@dataclass(frozen=True, slots=True)
class Outlet:
    """A user-described outlet from the registry file. newsprism never invents these labels."""

    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    type: str | None = None  # state-funded, public broadcaster, private, agency, aggregator


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest run did."""

    ingested: tuple[int, ...] = ()
    duplicates: tuple[int, ...] = ()  # stored, linked by duplicate_of
    already_stored: tuple[str, ...] = ()  # origins whose exact content was stored before
    rejected: tuple[Rejection, ...] = ()
