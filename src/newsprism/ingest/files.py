"""Local files: reading with a size cap, directory walking, and plain-text / Markdown articles.

A ``.txt`` or ``.md`` article's first non-empty line is its title; the whole content (title line
included) is its text. Markdown is reduced to plain text (heading marks, emphasis and link
syntax removed) and a YAML front-matter block, if present, supplies metadata.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Literal

import yaml

from newsprism.errors import InputError, ParseError
from newsprism.ingest.dates import normalize_date
from newsprism.ingest.decode import MAX_INPUT_BYTES, too_large_problem
from newsprism.ingest.html import normalize_language
from newsprism.models import RawDocument

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom"})
TABLE_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".csv", ".tsv", ".parquet"})
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | FEED_EXTENSIONS | TABLE_EXTENSIONS
MAX_TITLE_CHARS = 300  # a "first line" longer than this is a paragraph, so the title is cut there
MAX_FRONT_MATTER_CHARS = 20_000
TITLE_SCAN_LINES = 4  # chrome lines before a title are few; deeper lines are body text
_WORD = re.compile(r"[^\W\d_]+")  # letters only, any script
# Files that are not regular files are never opened for reading: opening a FIFO waits for a
# writer (forever, in a batch), a socket cannot be opened, a device may never end (/dev/zero).
_SPECIAL_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISCHR, "a character device"),
)
# O_NONBLOCK: should a FIFO replace the file between the check and the open, open returns at once
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

FileKind = Literal["text", "markdown", "html", "feed", "table", "unknown"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_MD_SETEXT = re.compile(r"^[=-]{3,}[ \t]*$", re.M)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.M)
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_MD_BULLET = re.compile(r"^([ \t]*)[*+-][ \t]+", re.M)


def file_kind(path: Path) -> FileKind:
    """The kind a file's extension promises; ``unknown`` ones are sniffed by the caller."""
    suffix = path.suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return "text"
    if suffix in MARKDOWN_EXTENSIONS:
        return "markdown"
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in FEED_EXTENSIONS:
        return "feed"
    if suffix in TABLE_EXTENSIONS:
        return "table"
    return "unknown"


def special_file_problem(mode: int) -> str | None:
    """Why a file of ``st_mode`` ``mode`` is not read (FIFO, socket, device), or None if regular."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
    return f"is {kind}, not a regular file (not read: reading it may never end; save its content to a file)"


def os_problem(exc: OSError) -> str:
    """The one-line wording of an error from opening or reading a local file."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read ({exc.strerror or exc})"


def open_regular(path: Path, origin: str) -> tuple[BinaryIO, int]:
    """``path`` opened for binary reading, and its size; only regular files are opened.

    ``os.stat`` follows symbolic links, so a link to a FIFO is refused like the FIFO itself.
    Raises ``InputError`` for missing, unreadable and special files.
    """
    try:
        problem = special_file_problem(os.stat(path).st_mode)
        if problem:
            raise InputError(origin, problem)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            problem = special_file_problem(info.st_mode)  # swapped for a FIFO after the check
            if problem:
                raise InputError(origin, problem)
            os.set_blocking(fd, True)
            handle = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
    except OSError as exc:
        raise InputError(origin, os_problem(exc)) from None
    return handle, info.st_size


def read_capped(path: Path, origin: str, cap: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, refusing missing, unreadable, special, empty or over-cap files."""
    handle, size = open_regular(path, origin)
    with handle:
        if size > cap:
            raise ParseError(origin, too_large_problem())
        try:
            data = handle.read(cap + 1)
        except OSError as exc:
            raise InputError(origin, os_problem(exc)) from None
    if len(data) > cap:  # the file grew, or stat lied (e.g. /proc)
        raise ParseError(origin, too_large_problem())
    if not data.strip():
        raise ParseError(origin, "file is empty")
    return data


def walk_directory(root: Path) -> Iterator[Path]:
    """Files under ``root`` with a known extension, recursively, sorted, hidden ones skipped.

    Symbolic links to directories are not followed (they can loop).
    """
    found: list[Path] = []
    for current, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in KNOWN_EXTENSIONS:
                continue
            found.append(Path(current) / name)
    found.sort(key=lambda p: p.relative_to(root).parts)
    yield from found


def parse_text(text: str, origin: str, markdown: bool = False) -> RawDocument:
    """A plain-text (or Markdown) article: first non-empty line is the title, all of it the text."""
    metadata: dict[str, Any] = {}
    heading = None
    if markdown:
        metadata, text = _split_front_matter(text)
        heading = _first_heading(text)
        text = markdown_to_text(text)
    text = _tidy(text)
    if not text:
        raise ParseError(origin, "file is empty")
    title = metadata.pop("title", None) or heading or guess_title(text)
    return RawDocument(
        origin=origin,
        text=text,
        title=str(title).strip(),
        url=_str_or_none(metadata.pop("url", None) or metadata.pop("link", None)),
        published=normalize_date(metadata.pop("date", None) or metadata.pop("published", None)),
        language=normalize_language(metadata.pop("language", None) or metadata.pop("lang", None)),
        source=_str_or_none(metadata.pop("source", None) or metadata.pop("outlet", None)),
        author=_str_or_none(metadata.pop("author", None)),
        metadata=metadata,
    )


def guess_title(text: str) -> str:
    """The first non-empty line, skipping page chrome saved along with the article.

    Copy-pasted pages often start with a widget line ("Share", a language switcher "ua en ru",
    "EN | DE"); the title is the first of the leading lines with two or more real words.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:TITLE_SCAN_LINES]:
        words = [w for w in _WORD.findall(line)]
        if len(words) >= 2 and not (len(words) <= 4 and all(len(w) <= 3 for w in words)):
            return line[:MAX_TITLE_CHARS]
    return lines[0][:MAX_TITLE_CHARS] if lines else ""


def _first_heading(markdown: str) -> str | None:
    """A Markdown heading among the first lines is the author's own title."""
    lines = [line for line in markdown.split("\n") if line.strip()][:TITLE_SCAN_LINES]
    for line in lines:
        match = _MD_HEADING.match(line)
        if match and match.group(1).strip():
            return markdown_to_text(match.group(1)).strip()[:MAX_TITLE_CHARS]
    return None


def markdown_to_text(text: str) -> str:
    """Markdown to plain text: keep the words, drop the markup."""
    text = _MD_FENCE.sub("", text)
    text = _MD_REF_DEF.sub("", text)
    text = _MD_SETEXT.sub("", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub(r"\1", text)
    return _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match or len(match.group(1)) > MAX_FRONT_MATTER_CHARS:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    # round-trip through JSON so metadata stays storable (YAML yields date objects)
    meta = json.loads(json.dumps({str(k).lower(): v for k, v in data.items()}, default=str))
    return meta, text[match.end():]


def _tidy(text: str) -> str:
    """Strip trailing spaces and collapse runs of blank lines; keep paragraph breaks."""
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n ")


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
