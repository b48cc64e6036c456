"""The Jinja2 environment shared by the web UI and the HTML report (autoescape always on).

Kept free of FastAPI imports so ``newsprism.report`` can render without the web stack.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape
from markupsafe import Markup, escape

STATUS_LABELS = {"consensus": "consensus", "partial": "partial", "unique": "unique", "conflict": "conflict"}


def templates_dir() -> str:
    return str(resources.files("newsprism.web") / "templates")


def static_dir() -> str:
    return str(resources.files("newsprism.web") / "static")


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) URL without control characters, else None (never a link)."""
    if not value or not isinstance(value, str) or len(value) > 2048:
        return None
    if re.search(r"[\x00-\x20\x7f<>\"'`]", value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def short_date(value: Any) -> str:
    return str(value)[:10] if value else "—"


def chip(status: Any) -> Markup:
    """A coloured status chip (consensus/partial/unique/conflict); unknown values get a neutral chip."""
    label = str(status or "n/a")
    cls = label if label in STATUS_LABELS else "neutral"
    return Markup('<span class="chip chip-{}">{}</span>').format(cls, label)


def diff_html(ops: Any) -> Markup:
    """Word-level diff ops [[op, word], ...] as <ins>/<del> markup (ops: +/insert, -/delete, else equal);
    an inserted or deleted word is isolated (``bdi``), the template isolates the whole variant."""
    out = []
    for item in ops or []:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            continue
        op, word = str(item[0]).lower(), escape(str(item[1]))
        if op in ("+", "insert", "ins", "add", "added"):
            out.append(Markup("<ins><bdi>{}</bdi></ins>").format(word))
        elif op in ("-", "delete", "del", "remove", "removed"):
            out.append(Markup("<del><bdi>{}</bdi></del>").format(word))
        else:
            out.append(word)
    return Markup(" ").join(out)


def bdi(value: Any) -> Markup:
    """Text from the inputs (a title, source, quote, claim) as an isolated run: ``<bdi>`` keeps a
    stray bidi control (U+202E right-to-left override, U+202B ...) from reordering the page around
    it, and gives the run its own direction (Arabic or Hebrew titles in an English page)."""
    if value is None or isinstance(value, Undefined) or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def isolate(value: Any) -> str:
    """``bdi`` for places that take no markup (attribute values, ``<title>``, ``<option>``): the text
    between FSI and PDI (U+2068, U+2069), the characters a ``<bdi>`` stands for."""
    if value is None or isinstance(value, Undefined) or value == "":
        return ""
    return f"\u2068{value}\u2069"


def _class_name(value: Any) -> str:
    return re.sub(r"[^a-z0-9-]", "", str(value).lower())[:30]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment; templates live in ``newsprism/web/templates``."""
    env = Environment(loader=FileSystemLoader(templates_dir()),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=Undefined,  # analyses may lack keys: render "not available"
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(safe_url=safe_url, short_date=short_date, chip=chip, diff_html=diff_html,
                       class_name=_class_name, bdi=bdi, isolate=isolate)
    env.globals.update(chip=chip)
    return env


@lru_cache(maxsize=1)
def inline_css() -> str:
    """The UI stylesheet, for embedding in self-contained reports."""
    return (resources.files("newsprism.web") / "static" / "style.css").read_text(encoding="utf-8")
