"""HTML pages to RawDocuments: main text and metadata via trafilatura, plus a few meta tags.

trafilatura finds the article body (dropping navigation, footers, comments) and the title,
author, date and site name. Its text keeps one paragraph per line; newsprism wants paragraphs
separated by blank lines, so the text is rebuilt from trafilatura's XML body. Publication
datetimes stated in meta tags or JSON-LD are read directly (trafilatura keeps only the date).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from newsprism.errors import ParseError
from newsprism.ingest.dates import normalize_date
from newsprism.ingest.decode import decode_bytes
from newsprism.models import RawDocument

MAX_KEPT_HTML_CHARS = 1_000_000  # RawDocument.html keeps the source page for reference up to this
# A page is an article if one line has this many words: short wire items pass, pages that are
# only navigation ("Home", "About us", "Contact") or markup debris do not.
MIN_SENTENCE_WORDS = 4
_WORD = re.compile(r"[^\W\d_]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "row", "list", "table", "div", "ab"})
_DATE_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
)
_NON_CONTENT = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form")


def decode_html(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode an HTML payload: header charset, then ``<meta charset>``, then UTF-8/detection."""
    if declared is None:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "ignore") if match else None
    return decode_bytes(data, origin, declared)


def parse_html(html: str, origin: str, url: str | None = None) -> RawDocument:
    """Extract the article in ``html`` as a RawDocument with plain ``text`` and metadata.

    ``url`` is where the page was fetched from (it wins over the page's canonical link).
    Raises ``ParseError("no article text found in HTML")`` when no paragraph can be found.
    """
    tree = _load(html)
    if tree is None:
        raise ParseError(origin, "no article text found in HTML")
    meta = _meta_values(tree)
    language = _language(tree, meta)
    page_title = _clean(tree.findtext(".//title"))
    published = _published_from_meta(tree, meta)  # before fallback_text prunes <script>
    extracted = _extract(html, url)
    text = body_text(extracted.body) if extracted is not None and extracted.body is not None else ""
    if not _has_words(text):
        text = fallback_text(tree)
    if not _has_words(text):
        raise ParseError(origin, "no article text found in HTML")
    title = _clean(getattr(extracted, "title", None)) or page_title
    published = published or normalize_date(getattr(extracted, "date", None))
    return RawDocument(
        origin=origin,
        text=text,
        html=html if len(html) <= MAX_KEPT_HTML_CHARS else None,
        title=title,
        url=url or _clean(getattr(extracted, "url", None)),
        published=published,
        language=language,
        source=_clean(getattr(extracted, "sitename", None)),
        author=_clean(getattr(extracted, "author", None)),
    )


_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def discover_feed_url(html: str, base_url: str) -> str | None:
    """The first RSS/Atom feed a page advertises (``<link rel="alternate" type=...>``), absolute."""
    tree = _load(html)
    if tree is None:
        return None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        media = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and media in _FEED_LINK_TYPES and href:
            return urljoin(base_url, href)
    return None


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content): block elements become paragraphs."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _squash(fragment)
    return fallback_text(root, whole=True)


def body_text(body: etree._Element) -> str:
    """Text of trafilatura's XML body, one paragraph per block, blank lines between blocks."""
    paragraphs: list[str] = []
    _collect_blocks(body, paragraphs)
    return "\n\n".join(paragraphs)


def _collect_blocks(element: etree._Element, out: list[str]) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "row":
            cells = [_inline_text(cell) for cell in child]
            line = " | ".join(cell for cell in cells if cell)
            if line:
                out.append(line)
        elif any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in child):
            lead = _squash(child.text or "")
            if lead:
                out.append(lead)
            _collect_blocks(child, out)
        else:
            text = _inline_text(child)
            if text:
                out.append(text)
        tail = _squash(child.tail or "")
        if tail:
            out.append(tail)


def _inline_text(element: etree._Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element.iter():
        if child is element:
            continue
        if child.tag == "lb":
            parts.append("\n")
        elif child.text:
            parts.append(child.text)
        if child.tail:
            parts.append(child.tail)
    lines = (_squash(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def fallback_text(root: lxml.html.HtmlElement, whole: bool = False) -> str:
    """Paragraph text straight from the HTML tree, for pages trafilatura finds nothing in."""
    for bad in root.xpath("|".join(f".//{tag}" for tag in _NON_CONTENT)):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = root.xpath(
        ".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//li|.//blockquote[not(.//p)]|.//pre|.//td"
    )
    paragraphs = [_lines(b.text_content()) for b in blocks if not _has_block_ancestor(b, root)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        body = root if whole else (root.find(".//body") if root.find(".//body") is not None else root)
        paragraphs = [p for p in (_squash(t) for t in body.text_content().split("\n")) if p]
    return "\n\n".join(paragraphs)


def _lines(text: str) -> str:
    lines = (_squash(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _has_block_ancestor(element: Any, root: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not root:
        if parent.tag in ("p", "li", "blockquote", "pre", "td"):
            return True
        parent = parent.getparent()
    return False


def _extract(html: str, url: str | None) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,  # reader comments are not the outlet's article
            include_tables=True,
            favor_recall=True,  # a lost paragraph costs more downstream than a stray line
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura raises assorted errors on hostile markup
        return None


def _load(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        try:  # an XML declaration with encoding makes lxml refuse a str
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return None


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    return values


def _published_from_meta(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    for key in _DATE_META_KEYS:
        if key in meta and (found := normalize_date(meta[key])):
            return found
    for script in tree.xpath('.//script[@type="application/ld+json"]'):
        found = _jsonld_date(script.text or "")
        if found:
            return found
    for node in tree.xpath(".//time[@datetime and (@itemprop='datePublished' or @pubdate)]"):
        if found := normalize_date(node.get("datetime")):
            return found
    return None


def _jsonld_date(raw: str) -> str | None:
    try:
        data = json.loads(raw[:200_000])
    except ValueError:
        return None
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found = normalize_date(item["datePublished"])
                if found:
                    return found
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _language(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    declared = declared or meta.get("og:locale") or meta.get("content-language") or meta.get("language")
    return normalize_language(declared)


def normalize_language(value: Any) -> str | None:
    """``"de-AT"``, ``"EN"``, ``"pt_BR"`` to ISO 639-1 ``de``/``en``/``pt``; None if not a code."""
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_\s,;]", value.strip(), maxsplit=1)[0].lower()
    if len(primary) in (2, 3) and primary.isascii() and primary.isalpha():
        return primary
    return None


def _has_words(text: str) -> bool:
    """True when some line reads like a sentence, not a menu ("Home", "About us", "Contact")."""
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) >= MIN_SENTENCE_WORDS:
            return True
        # scripts written without spaces (CJK, Thai) show up as one long "word"
        if any(len(w) >= MIN_SENTENCE_WORDS * 3 and ord(max(w)) >= 0x2E80 for w in words):
            return True
    return False


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _squash(value)
    return cleaned or None


def _squash(text: str) -> str:
    return " ".join(text.split())
