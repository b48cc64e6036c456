"""Terminal views (rich) of articles, stories, storylines and story analyses.

Everything printed here comes from the same JSON-ready dicts the API returns; article text is
passed to rich as plain ``Text`` (never as markup), so hostile text cannot style the terminal.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .models import IngestReport, Storyline

STATUS_STYLE = {"consensus": "green", "partial": "yellow", "unique": "cyan", "conflict": "bold red"}


def _t(value: Any, style: str = "") -> Text:
    return Text("" if value is None else str(value), style=style)


def _day(value: str | None) -> str:
    return (value or "")[:10] or "?"


def ingest_summary(report: IngestReport) -> str:
    parts = [f"{len(report.ingested)} ingested", f"{len(report.duplicates)} duplicates",
             f"{len(report.rejected)} rejected"]
    if report.already_stored:
        parts.append(f"{len(report.already_stored)} already stored")
    return ", ".join(parts)


def articles_table(rows: list[dict[str, Any]], *, with_text: bool = False) -> Table:
    table = Table(title=f"{len(rows)} articles", title_justify="left")
    _columns(table, ("id", "published", "lang", "source", "title", "story", "dup of"))
    for r in rows:
        table.add_row(_t(r["id"]), _t(_day(r["published"])), _t(r["language"]), _t(r["source"]),
                      _t(r["title"]), _t(r["story"]), _t(r["duplicate_of"]))
        if with_text:
            table.add_row("", "", "", "", _t(r.get("text", ""), "dim"), "", "")
    return table


_DATE_COLUMNS = {"published", "from", "to", "date"}
# A storyline row lists at most this many story ids (the JSON output lists them all).
STORY_IDS_SHOWN = 12


def _columns(table: Table, names: tuple[str, ...]) -> None:
    for name in names:
        if name in _DATE_COLUMNS:  # a date folded over two lines reads as two dates
            table.add_column(name, no_wrap=True, min_width=10)
        else:
            table.add_column(name, overflow="fold")


def stories_table(rows: list[dict[str, Any]], *, with_storyline: bool = True) -> Table:
    """Stories ordered by storyline, then date; ``with_storyline=False`` drops the storyline column
    (inside one storyline's view it would repeat one number)."""
    table = Table(title=f"{len(rows)} stories", title_justify="left")
    names = ("id", "from", "to", "arts", "sources", "languages", "title")
    _columns(table, names + ("line",) if with_storyline else names)
    for r in sorted(rows, key=lambda r: (r.get("storyline") or 0, r.get("first_published") or "", r["id"])):
        cells = [_t(r["id"]), _t(_day(r["first_published"])), _t(_day(r["last_published"])),
                 _t(len(r["articles"])), _t(len(r["sources"])), _t(" ".join(r["languages"])), _t(r["title"], "bold")]
        table.add_row(*cells, *([_t(r.get("storyline"))] if with_storyline else []))
    return table


def storyline_summary(line: Storyline) -> dict[str, Any]:
    return {"id": line.id, "title": line.title, "keywords": list(line.keywords), "stories": list(line.story_ids),
            "first_published": line.first_published, "last_published": line.last_published}


def storylines_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} storylines", title_justify="left")
    _columns(table, ("id", "from", "to", "stories", "title", "keywords"))
    for r in rows:
        ids = " ".join(map(str, r["stories"][:STORY_IDS_SHOWN]))
        if len(r["stories"]) > STORY_IDS_SHOWN:
            ids += f" … ({len(r['stories'])} in all)"
        table.add_row(_t(r["id"]), _t(_day(r["first_published"])), _t(_day(r["last_published"])),
                      _t(ids), _t(r["title"], "bold"), _t(", ".join(r.get("keywords", [])[:6]), "dim"))
    return table


def settings_table(rows: list[dict[str, Any]]) -> Table:
    """The clustering settings with their tuned defaults; changed ones in bold."""
    table = Table(title="clustering settings (change: newsprism recluster --set NAME=VALUE)", title_justify="left")
    _columns(table, ("name", "value", "default", "what it does"))
    for r in rows:
        style = "bold" if r["changed"] else ""
        value, default = _short(r["value"]), _short(r["default"])
        table.add_row(_t(r["name"], style), _t(value, style), _t(default, "dim"), _t(r["note"], "dim"))
    return table


def _short(value: str, width: int = 18) -> str:
    # the scorer's 13 weights would fill the table: the JSON output has them in full
    return value if len(value) <= width else value[:width - 1] + "…"


def _who_said_what(data: dict[str, Any]) -> Table | None:
    quotes = data.get("quotes") or []
    if not quotes:
        return None
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        by_speaker[q.get("speaker") or "(unattributed)"].append(q)
    table = Table(title="Who said what", title_justify="left", show_lines=False)
    table.add_column("speaker", style="bold")
    table.add_column("quote", overflow="fold")
    table.add_column("art.")
    for speaker, items in sorted(by_speaker.items(), key=lambda kv: -len(kv[1])):
        for i, q in enumerate(items):
            kind = "" if q.get("direct") else "(indirect) "
            via = f" [via {q['reported_via']}]" if q.get("reported_via") else ""
            table.add_row(_t(speaker if i == 0 else ""), _t(f"{kind}{q['text']}{via}"), _t(q.get("article")))
    return table


def _coverage(data: dict[str, Any]) -> Table | None:
    coverage = data.get("coverage") or {}
    rows = coverage.get("rows") or []
    sources = coverage.get("sources") or []
    if not rows:
        return None
    table = Table(title=coverage.get("headline") or "Coverage", title_justify="left")
    table.add_column("claim", overflow="fold", max_width=60)
    table.add_column("status")
    for source in sources:
        table.add_column(source[:14], justify="center")
    for row in rows[:20]:
        cells = [("●" if row["cells"].get(s) else "·") for s in sources]
        table.add_row(_t(row["text"]), _t(row["status"], STATUS_STYLE.get(row["status"], "")), *cells)
    return table


def _conflicts(data: dict[str, Any]) -> Table | None:
    """Each conflict with both values and the sentence stating each (article id)."""
    rows = [(claim, c) for claim in data.get("claims") or [] for c in claim.get("conflicts") or []]
    if not rows:
        return None
    table = Table(title="Where sources disagree", title_justify="left")
    _columns(table, ("claim", "what", "one side", "other side"))
    for claim, c in rows[:20]:
        sides = [Text.assemble((str(x.get("value")), "bold red"), f"  [{x.get('article')}] {x.get('text') or ''}")
                 for x in (c.get("a") or {}, c.get("b") or {})]
        table.add_row(_t(claim.get("text")), _t(c.get("kind")), *sides)
    return table


def _omissions(data: dict[str, Any]) -> Table | None:
    """What each source leaves out, who reports it, and the omitting source's closest sentence."""
    coverage = data.get("coverage") or {}
    texts = {c.get("id"): c.get("text") for c in data.get("claims") or []}
    details = coverage.get("omission_details") or []
    if not details:
        return None
    table = Table(title="What each source leaves out", title_justify="left")
    _columns(table, ("source", "does not report", "why"))
    for d in details[:30]:
        near = d.get("closest") or {}
        why = d.get("note") or "reported by " + ", ".join(x for x in d.get("reported_by") or [] if x != d.get("source"))
        if near:
            why += f"; closest: [{near.get('article')}] {near.get('text')} (score {near.get('score')})"
        table.add_row(_t(d.get("source")), _t(texts.get(d.get("claim")) or f"claim {d.get('claim')}"), _t(why))
    return table


def _framing(data: dict[str, Any]) -> Table | None:
    naming = (data.get("framing") or {}).get("naming") or []
    if not naming:
        return None
    table = Table(title="Naming and framing", title_justify="left")
    table.add_column("referent", style="bold")
    table.add_column("variants (articles)", overflow="fold")
    for item in naming[:15]:
        variants = "; ".join(f"{term} ({', '.join(map(str, ids))})" for term, ids in item["variants"].items())
        table.add_row(_t(item.get("referent")), _t(variants))
    return table


def print_story(console: Console, data: dict[str, Any]) -> None:
    head = Text(data["title"], style="bold")
    head.append(f"\nstory {data['id']} · storyline {data.get('storyline')} · "
                f"{_day(data.get('first_published'))} – {_day(data.get('last_published'))} · "
                f"{len(data['articles'])} articles · {', '.join(data.get('sources') or [])}", style="dim")
    console.print(Panel(head))
    summary = data.get("summary") or []
    if summary:
        body = Text()
        for s in summary:
            body.append(s["text"])
            cites = sorted({c.get("article") for c in s.get("citations", [])}, key=str)
            body.append(" [" + ", ".join(map(str, cites)) + "]\n", style="cyan")
        console.print(Panel(body, title="Summary"))
    arts = Table(title="Articles", title_justify="left")
    for name in ("id", "published", "lang", "source", "title", "dup of"):
        arts.add_column(name, overflow="fold")
    for a in data["articles"]:
        arts.add_row(_t(a["id"]), _t(_day(a["published"])), _t(a["language"]), _t(a["source"]), _t(a["title"]),
                     _t(a["duplicate_of"]))
    parts: list[Any] = [arts]
    for block in (_who_said_what(data), _coverage(data), _conflicts(data), _omissions(data), _framing(data)):
        if block is not None:
            parts.append(block)
    console.print(Group(*parts))


def print_storyline(console: Console, data: dict[str, Any]) -> None:
    console.print(Panel(Text(data["title"], style="bold"), subtitle=f"storyline {data['id']}"))
    console.print(stories_table(data["stories"], with_storyline=False))
    timeline = data.get("timeline") or []
    if timeline:
        table = Table(title="Timeline", title_justify="left")
        _columns(table, ("date", "development"))
        for entry in timeline[:40]:
            table.add_row(_t(entry["date"]), _t(entry["text"]))
        console.print(table)
