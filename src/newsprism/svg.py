"""Small inline SVG charts (no JavaScript, no external assets): timeline, story lanes, provenance
graph, coverage bars. Every label is escaped; every function returns a complete ``<svg>`` string
(empty string when there is nothing to draw) with a <title> for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

STATUS_COLOURS = {"consensus": "#15803d", "partial": "#b45309", "unique": "#2563eb", "conflict": "#b91c1c"}
RELATION_COLOURS = {"copy": "#b91c1c", "rewrite": "#b45309", "translation": "#7c3aed", "cites": "#2563eb"}
INK, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\""


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _date(value: Any) -> date | None:
    """An ISO date; month ("2024-01") and year ("2024") precision map to their first day."""
    text = str(value or "")[:10]
    for candidate in (text, text[:7] + "-01", text[:4] + "-01-01"):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    return None


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _open(width: int, height: int, title: str, cls: str) -> str:
    return (f'<svg class="chart {cls}" role="img" viewBox="0 0 {width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="12">'
            f"<title>{_e(title)}</title>")


def _axis(x0: float, x1: float, y: float, lo: date, hi: date) -> str:
    """A date axis with up to 6 ticks between ``lo`` and ``hi``."""
    parts = [f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{MUTED}" stroke-width="1"/>']
    span = (hi - lo).days
    ticks = 1 if span == 0 else min(6, span + 1)
    for i in range(ticks):
        d = date.fromordinal(lo.toordinal() + round(span * i / max(ticks - 1, 1)))
        x = x0 if span == 0 else x0 + (x1 - x0) * (d - lo).days / span
        label = d.isoformat() if span > 3 or i == 0 else d.strftime("%m-%d")
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="{MUTED}"/>'
                     f'<text x="{x:.1f}" y="{y + 17}" text-anchor="middle" fill="{MUTED}">{_e(label)}</text>')
    return "".join(parts)


def timeline(entries: Sequence[dict[str, Any]], *, width: int = 760, href: Any = None) -> str:
    """Dots on a date axis, one per timeline entry (stated dates filled, publication dates hollow).

    ``href(entry, i)`` may return an in-page anchor for each dot.
    """
    dated = [(d, i, e) for i, e in enumerate(entries) if (d := _date(e.get("date")))]
    if not dated:
        return ""
    lo, hi = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    span = max((hi - lo).days, 1)
    x0, x1, base = 40.0, width - 40.0, 70.0
    stacks: dict[int, int] = {}
    parts = [_open(width, 100, f"Timeline: {len(dated)} dated entries from {lo} to {hi}", "timeline"),
             _axis(x0, x1, base, lo, hi)]
    for d, i, e in dated:
        x = x0 + (x1 - x0) * ((d - lo).days / span if hi > lo else 0.5)
        slot = round(x / 8)
        level = stacks.get(slot, 0)
        stacks[slot] = level + 1
        y = base - 12 - 11 * min(level, 4)
        fill = "#2563eb" if e.get("stated") else "#fff"
        dot = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#2563eb" stroke-width="2">'
               f'<title>{_e(d.isoformat())}: {_e(_short(e.get("text", ""), 160))}</title></circle>')
        link = href(e, i) if href else None
        parts.append(f'<a href="{_e(link)}">{dot}</a>' if link else dot)
    parts.append("</svg>")
    return "".join(parts)


def story_lanes(stories: Sequence[dict[str, Any]], *, width: int = 760, href: Any = None) -> str:
    """One bar per story from its first to its last publication date (a storyline at a glance)."""
    rows = [(a, b or a, s) for s in stories
            if (a := _date(s.get("first_published"))) and ((b := _date(s.get("last_published"))) or True)]
    if not rows:
        return ""
    lo, hi = min(a for a, _, _ in rows), max(b for _, b, _ in rows)
    span = max((hi - lo).days, 1)
    x0, x1, lane = 40.0, width - 40.0, 30
    height = 40 + lane * len(rows) + 30
    parts = [_open(width, height, f"{len(rows)} stories from {lo} to {hi}", "lanes")]
    for k, (a, b, s) in enumerate(sorted(rows, key=lambda r: (r[0], r[1]))):
        y = 20 + lane * k
        xa = x0 + (x1 - x0) * (a - lo).days / span
        xb = max(x0 + (x1 - x0) * (b - lo).days / span, xa + 8)
        n = len(s.get("articles") or s.get("article_ids") or []) or s.get("article_count") or ""
        label = _short(s.get("title") or f"story {s.get('id')}", 70)
        bar = (f'<rect x="{xa:.1f}" y="{y}" width="{xb - xa:.1f}" height="12" rx="6" fill="#2563eb" opacity=".85">'
               f"<title>{_e(a.isoformat())} – {_e(b.isoformat())}: {_e(label)}</title></rect>")
        anchor = "end" if xa > (x0 + x1) / 2 else "start"
        tx = xa - 6 if anchor == "end" else xa
        text = (f'<text x="{tx:.1f}" y="{y + 25}" text-anchor="{anchor}" fill="{INK}">{_e(label)}'
                f'{f" · {_e(n)} articles" if n else ""}</text>')
        link = href(s) if href else None
        body = bar + text
        parts.append(f'<a href="{_e(link)}">{body}</a>' if link else body)
    parts.append(_axis(x0, x1, height - 30, lo, hi))
    parts.append("</svg>")
    return "".join(parts)


def coverage_bars(coverage: dict[str, Any], *, width: int = 760) -> str:
    """Per source: how many of the story's claims it carries, stacked by claim status."""
    sources = list(coverage.get("sources") or [])
    rows = coverage.get("rows") or []
    if not sources or not rows:
        return ""
    counts = {s: {k: 0 for k in STATUS_COLOURS} for s in sources}
    for row in rows:
        status = row.get("status") if row.get("status") in STATUS_COLOURS else "unique"
        for src, cell in (row.get("cells") or {}).items():
            if cell and src in counts:
                counts[src][status] += 1
    label_w, bar_h, gap = 170.0, 16, 10
    total = len(rows)
    height = 30 + (bar_h + gap) * len(sources) + 10
    parts = [_open(width, height, f"Claims carried by each of {len(sources)} sources (of {total})", "bars")]
    scale = (width - label_w - 70) / max(total, 1)
    for k, src in enumerate(sources):
        y = 20 + (bar_h + gap) * k
        parts.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" fill="{INK}">{_e(_short(src, 24))}</text>')
        x = label_w
        parts.append(f'<rect x="{x}" y="{y}" width="{total * scale:.1f}" height="{bar_h}" rx="3" fill="{GRID}"/>')
        for status, colour in STATUS_COLOURS.items():
            n = counts[src][status]
            if n:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{n * scale:.1f}" height="{bar_h}" fill="{colour}">'
                             f"<title>{_e(src)}: {n} {status}</title></rect>")
                x += n * scale
        carried = sum(counts[src].values())
        parts.append(f'<text x="{label_w + total * scale + 8:.1f}" y="{y + 12}" fill="{MUTED}">{carried}/{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def provenance_graph(links: Sequence[dict[str, Any]], articles: Sequence[dict[str, Any]], *,
                     width: int = 760, href: Any = None) -> str:
    """Who copied, rewrote, translated or cited whom: articles left-to-right by publication time,
    primary sources (agencies, institutes) in a row above. Arrows point from the copy to its origin.
    """
    if not links:
        return ""
    arts = {int(a["id"]): a for a in articles if a.get("id") is not None}
    used = {int(l["article_id"]) for l in links if l.get("article_id") is not None}
    used |= {int(l["target_article"]) for l in links if l.get("target_article") is not None}
    order = sorted(used, key=lambda i: (str(arts.get(i, {}).get("published") or ""), i))
    externals = list(dict.fromkeys(str(l["target_source"]) for l in links
                                   if l.get("target_source") and l.get("target_article") is None))
    art_y, ext_y = (170 if externals else 80), 40
    height = art_y + 90  # node labels reach art_y + 40; the legend sits below them
    pos: dict[Any, tuple[float, float]] = {}
    step = (width - 120) / max(len(order) - 1, 1)
    for k, aid in enumerate(order):
        pos[aid] = (60 + step * k if len(order) > 1 else width / 2, art_y + (18 if k % 2 else 0) - 9)
    estep = (width - 200) / max(len(externals) - 1, 1)
    for k, name in enumerate(externals):
        pos[("ext", name)] = (100 + estep * k if len(externals) > 1 else width / 2, ext_y)
    parts = [_open(width, height, f"Provenance: {len(links)} links between {len(order)} articles", "graph"),
             '<defs>' + "".join(
                 f'<marker id="arr-{r}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                 f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{c}"/></marker>'
                 for r, c in RELATION_COLOURS.items()) + "</defs>"]
    for l in links:
        src = pos.get(int(l["article_id"])) if l.get("article_id") is not None else None
        tgt = (pos.get(int(l["target_article"])) if l.get("target_article") is not None
               else pos.get(("ext", str(l.get("target_source")))))
        if not src or not tgt:
            continue
        rel = str(l.get("relation") or "cites")
        colour = RELATION_COLOURS.get(rel, MUTED)
        (x1, y1), (x2, y2) = src, tgt
        dist = math.hypot(x2 - x1, y2 - y1) or 1
        # Stop the arrow at the node's edge; bow same-row arcs upwards so they do not overlap.
        ex, ey = x2 - (x2 - x1) * 16 / dist, y2 - (y2 - y1) * 16 / dist
        bow = -min(60.0, dist / 3) if abs(y2 - y1) < 30 else 0
        mx, my = (x1 + ex) / 2, (y1 + ey) / 2 + bow
        tip = f"{rel}" + (f" (score {float(l['score']):.2f})" if isinstance(l.get("score"), (int, float)) else "")
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                     f'stroke="{colour}" stroke-width="2" marker-end="url(#arr-{_e(rel) if rel in RELATION_COLOURS else "cites"})">'
                     f"<title>{_e(tip)}</title></path>")
    for aid in order:
        x, y = pos[aid]
        art = arts.get(aid, {})
        label = _short(art.get("source") or f"#{aid}", 18)
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="14" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="10" fill="{INK}">{aid}</text>'
                f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle" fill="{INK}">{_e(label)}</text>'
                f'<title>{_e(art.get("source") or "")} · {_e(art.get("published") or "")} · '
                f'{_e(_short(art.get("title") or "", 100))}</title>')
        link = href(aid) if href else None
        parts.append(f'<a href="{_e(link)}"><g>{node}</g></a>' if link else f"<g>{node}</g>")
    for name in externals:
        x, y = pos[("ext", name)]
        w = 10 + 7 * len(_short(name, 22))
        parts.append(f'<g><rect x="{x - w / 2:.1f}" y="{y - 13:.1f}" width="{w:.1f}" height="26" rx="13" '
                     f'fill="#eef2ff" stroke="#6366f1"/><text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" '
                     f'fill="{INK}">{_e(_short(name, 22))}</text><title>primary source: {_e(name)}</title></g>')
    legend_y = height - 8
    lx = 10.0
    for rel, colour in RELATION_COLOURS.items():
        parts.append(f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 18}" y2="{legend_y - 4}" stroke="{colour}" '
                     f'stroke-width="2"/><text x="{lx + 22}" y="{legend_y}" fill="{MUTED}">{rel}</text>')
        lx += 110
    parts.append("</svg>")
    return "".join(parts)
