"""Unicode, quote, dash and whitespace normalisation, and the paragraph layout of a text.

Conventions every later stage can rely on (the quote extractor in particular):

* HTML character references left by extraction ("&amp;", "&#8220;") are decoded.
* Mojibake (UTF-8 read as Windows-1252: "â€œ", "Ã©") is repaired when the whole text round-trips.
* Unicode NFC; no zero-width characters, soft hyphens or control characters; every run of
  horizontal whitespace (NBSP, thin spaces, tabs) is one ASCII space.
* **Double quotes** of every style (``"`` “ ” „ ‟ « » ″ 〝 〞) become the curly pair “ ”. Whether a mark
  opens or closes is decided from its neighbours (space before and a letter after opens), so the
  German „…“ and the straight "…" end up as “…” too. The mapping is lossless for finding quotes:
  a quote is always “...”. Marks that context cannot decide fall back to the mark's usual role
  (“ „ « open, ” » close) or, for the straight ``"``, to alternation.
* **Apostrophes**: ’ ‘ ´ ` between two letters ("didn’t") become the ASCII ``'``; single guillemets
  ‹ › and the low mark ‚ become ‘ ’; other single quotes stay as they are.
* **Dashes**: ‒ – — ― and a spaced ASCII " - " become the em dash "—" (so a dialogue dash that opens a
  quote, "— NATO has no intention", is one character); an en dash between digits ("2014–2022")
  becomes "-"; the minus sign and the non-breaking hyphen become "-".
* **Paragraphs** are separated by exactly one blank line ("\\n\\n"). Every input line break is a
  paragraph break except a soft wrap: a line that does not end a sentence followed by a line that
  starts with a lower-case letter is joined to it with a space.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Characters deleted outright: zero-width space, word joiner, BOM, soft hyphen.
_DELETE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
# Horizontal white space of every kind becomes a plain space.
_SPACES = dict.fromkeys(
    map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000\u000b\u000c"),
    " ",
)
_HYPHENS = {ord("\u2010"): "-", ord("\u2011"): "-", ord("\u2212"): "-"}
_LINE_SEPARATORS = {ord("\u2028"): "\n", ord("\u2029"): "\n\n", ord("\u0085"): "\n"}
_TRANSLATION = {**_DELETE, **_SPACES, **_HYPHENS, **_LINE_SEPARATORS}

_TRANSLATABLE_RE = re.compile("[" + re.escape("".join(map(chr, _TRANSLATION))) + "]")
# Two-character sequences that UTF-8 punctuation/letters become when read as cp1252/Latin-1.
_MOJIBAKE_RE = re.compile("â€|â\u0080|Ã[\u0080-\u00bf©¨¤¶¼½ºª±³§¹]|Ð[\u0080-\u00bf]|Ñ[\u0080-\u009f]|Å[\u0080-\u00bf]")
_ENTITY_RE = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

DOUBLE_QUOTES = "\"“”„‟«»″〝〞＂"
_OPENING_BY_DEFAULT = set("“„‟«〝")
_CLOSING_BY_DEFAULT = set("”»″〞")
_INNER_SPACE_RE = re.compile(r"(“) +| +(”)")
OPEN_QUOTE = "“"
CLOSE_QUOTE = "”"

_APOSTROPHE_RE = re.compile(r"(?<=\w)[’‘´`ʼ](?=\w)")
_SINGLE_GUILLEMETS = {ord("‹"): "‘", ord("›"): "’", ord("‚"): "‘", ord("‛"): "‘"}
_SINGLE_GUILLEMETS_RE = re.compile("[‹›‚‛]")

_DIGIT_RANGE_RE = re.compile(r"(?<=\d)[‒–](?=\d)")
_DASH_RE = re.compile(r"[‒–—―⸺⸻]+")
_SPACED_HYPHEN_RE = re.compile(r"(?<=\S)[ ]+-{1,2}[ ]+(?=\S)")
_LEADING_HYPHEN_RE = re.compile(r"^[ ]*-{1,2}[ ]+(?=\S)")
_DASH_SPACING_RE = re.compile(r"[ ]*—[ ]*")
_MULTISPACE_RE = re.compile(r" {2,}")

# A line "ends a sentence" when its last visible character is one of these; otherwise a following
# line that starts in lower case is a soft wrap of the same paragraph.
_SENTENCE_END_CHARS = set(".!?…:;”»)]\"'")


def normalize_text(text: str) -> str:
    """Return ``text`` normalised (see module docstring) with paragraphs separated by a blank line."""
    return "\n\n".join(normalize_paragraphs(text))


def normalize_paragraphs(text: str) -> list[str]:
    """Normalise ``text`` and return its non-empty paragraphs, each on one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ENTITY_RE.search(text):
        text = html.unescape(text)  # "&amp;", "&#8220;" left over from HTML extraction
    text = _translate(unicodedata.normalize("NFC", fix_mojibake(text)))
    text = _CONTROL_RE.sub("", text)
    lines = [_normalize_translated_line(line) for line in text.split("\n")]
    return _join_soft_wraps(lines)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252/Latin-1 ("â€œ" -> "“", "Ã©" -> "é").

    Only when the whole text round-trips and the repair removes every marker; otherwise the text
    is returned unchanged (a mixed or genuinely Latin-1 text is not touched)."""
    if not _MOJIBAKE_RE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not _MOJIBAKE_RE.search(repaired):
            return repaired
    return text


def normalize_line(line: str) -> str:
    """Normalise one line: quotes, apostrophes, dashes and spaces (no line breaks inside)."""
    line = _CONTROL_RE.sub("", _translate(unicodedata.normalize("NFC", line))).replace("\n", " ")
    return _normalize_translated_line(line)


def _translate(text: str) -> str:
    # str.translate with a dict is slow; most lines have nothing to translate.
    return text.translate(_TRANSLATION) if _TRANSLATABLE_RE.search(text) else text


def _normalize_translated_line(line: str) -> str:
    line = _APOSTROPHE_RE.sub("'", line)
    if _SINGLE_GUILLEMETS_RE.search(line):
        line = line.translate(_SINGLE_GUILLEMETS)
    line = _DIGIT_RANGE_RE.sub("-", line)
    line = _DASH_RE.sub("—", line)
    line = _SPACED_HYPHEN_RE.sub("—", line)
    line = _LEADING_HYPHEN_RE.sub("—", line)
    # Em dashes get one space on each side, except where they open the line.
    line = _DASH_SPACING_RE.sub(" — ", line)
    line = _MULTISPACE_RE.sub(" ", line).strip()
    return normalize_quotes(line)


_DOUBLE_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(DOUBLE_QUOTES))) + "]")


def normalize_quotes(line: str) -> str:
    """Turn every double-quote mark of ``line`` into “ or ” by its context (see module docstring)."""
    marks = [m.start() for m in _DOUBLE_QUOTE_RE.finditer(line)]
    if not marks:
        return line
    out: list[str] = []
    depth = 0
    n = len(line)
    last = 0
    for i in marks:  # only the quote marks are visited: this runs on every line of every article
        ch = line[i]
        before = line[i - 1] if i > 0 else " "
        after = line[i + 1] if i + 1 < n else " "
        opens = (before.isspace() or before in "([{—/-" or before in DOUBLE_QUOTES) and not after.isspace()
        closes = not before.isspace() and (after.isspace() or _is_punct(after) or after in DOUBLE_QUOTES)
        if opens and not closes:
            is_open = True
        elif closes and not opens:
            is_open = False
        elif ch in _OPENING_BY_DEFAULT:
            is_open = True
        elif ch in _CLOSING_BY_DEFAULT:
            is_open = False
        else:
            is_open = depth == 0
        depth = depth + 1 if is_open else max(depth - 1, 0)
        out.append(line[last:i])
        out.append(OPEN_QUOTE if is_open else CLOSE_QUOTE)
        last = i + 1
    out.append(line[last:])
    # French typography puts a space inside guillemets: « Non » -> “Non”.
    return _INNER_SPACE_RE.sub(lambda m: m.group(1) or m.group(2), "".join(out))


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") and ch not in DOUBLE_QUOTES


def _join_soft_wraps(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    previous_blank = True
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if (
            paragraphs
            and not previous_blank
            and line[0].islower()
            and paragraphs[-1][-1] not in _SENTENCE_END_CHARS
        ):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous_blank = False
    return paragraphs


def comparison_form(line: str) -> str:
    """A form of ``line`` for equality tests: casefolded, letters and digits only, single spaces."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(re.findall(r"\w+", folded))
