"""Article text as safe HTML: sentences as anchors (``#s-<index>``), quotes and entity mentions
highlighted, claim sentences tinted by claim status. All text is escaped; spans that would cross
each other are dropped rather than producing broken markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from .templating import isolate

STATUS_RANK = {"conflict": 4, "consensus": 3, "partial": 2, "unique": 1}


def _span(start: Any, end: Any, cls: str, title: str | None, limit: int) -> tuple[int, int, str, str | None] | None:
    try:
        a, b = int(start), int(end)
    except (TypeError, ValueError):
        return None
    a, b = max(0, a), min(limit, b)
    return (a, b, cls, title) if b > a else None


def article_spans(view: dict[str, Any]) -> list[tuple[int, int, str, str | None]]:
    """Quote and mention spans of an ``analyze.article_view`` dict (quotes located by text if needed)."""
    text = view.get("text") or ""
    out = []
    for q in view.get("quotes") or []:
        start, end = q.get("start"), q.get("end")
        if start is None or end is None:
            found = text.find(q.get("text") or "\x00") if q.get("text") else -1
            start, end = (found, found + len(q["text"])) if found >= 0 else (None, None)
        title = f"quote: {isolate(q.get('speaker') or 'unattributed')}"
        if (s := _span(start, end, "q", title, len(text))) is not None:
            out.append(s)
    for m in view.get("entities") or []:
        etype = str(m.get("type") or "OTHER").lower()
        cls = "e e-" + "".join(ch for ch in etype if ch.isalpha())[:10]
        title = f"{m.get('type') or 'entity'}: {isolate(m.get('entity') or m.get('text') or '')}"
        if (s := _span(m.get("start"), m.get("end"), cls, title, len(text))) is not None:
            out.append(s)
    return out


def _nest(text: str, lo: int, hi: int, spans: Sequence[tuple[int, int, str, str | None]]) -> str:
    """Escaped ``text[lo:hi]`` with properly nested <mark>s; crossing spans are skipped."""
    inside = sorted(((max(a, lo), min(b, hi), c, t) for a, b, c, t in spans if a < hi and b > lo),
                    key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    stack: list[int] = []  # end offsets of open marks
    pos = lo
    for a, b, cls, title in inside:
        while stack and stack[-1] <= a:
            out.append(str(escape(text[pos:stack[-1]])) + "</mark>")
            pos = stack.pop()
        if stack and b > stack[-1]:
            continue  # crosses the open mark
        out.append(str(escape(text[pos:a])))
        attrs = Markup(' class="{}"').format(cls) + (Markup(' title="{}"').format(title) if title else "")
        out.append(f"<mark{attrs}>")
        stack.append(b)
        pos = a
    while stack:
        end = stack.pop()
        out.append(str(escape(text[pos:end])) + "</mark>")
        pos = end
    out.append(str(escape(text[pos:hi])))
    return "".join(out)


def highlight_article(view: dict[str, Any]) -> Markup:
    """The article body: each sentence a ``<span id="s-N">``, marks inside; gaps keep their newlines."""
    text = view.get("text") or ""
    spans = article_spans(view)
    status: dict[int, str] = {}
    for claim in view.get("claims") or []:
        st = str(claim.get("status") or "")
        for idx in claim.get("sentences") or []:
            if isinstance(idx, int) and STATUS_RANK.get(st, 0) > STATUS_RANK.get(status.get(idx, ""), 0):
                status[idx] = st
    out: list[str] = []
    pos = 0
    for sent in sorted(view.get("sentences") or [], key=lambda s: int(s.get("start", 0))):
        try:
            idx, a, b = int(sent["index"]), int(sent["start"]), int(sent["end"])
        except (KeyError, TypeError, ValueError):
            continue
        a, b = max(a, pos), min(b, len(text))
        if b <= a:
            continue
        out.append(str(escape(text[pos:a])))
        cls = f"sent claim-s claim-{status[idx]}" if idx in status else "sent"
        out.append(f'<span id="s-{idx}" class="{cls}">{_nest(text, a, b, spans)}</span>')
        pos = b
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
