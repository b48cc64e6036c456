"""Shareable reports of a story or storyline: self-contained HTML, Markdown, JSON.

``build_context`` turns an analysis dict (``analyze.story_analysis`` / ``storyline_analysis``) into
the view model both the web pages and the HTML report render with the same Jinja2 macros; only the
link targets differ (``Links``): the web links to article pages, the report to anchors inside the
file. Every analysis key may be missing; sections then say "not available".
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from . import svg
from .web.templating import environment, inline_css, safe_url


@dataclass(frozen=True)
class Links:
    """Where citations, articles and stories point to."""

    sentence: Callable[[int, int], str]
    article: Callable[[int], str]
    story: Callable[[int], str]


WEB_LINKS = Links(sentence=lambda a, s: f"/articles/{int(a)}#s-{int(s)}", article=lambda a: f"/articles/{int(a)}",
                  story=lambda s: f"/stories/{int(s)}")
REPORT_LINKS = Links(sentence=lambda a, s: f"#a{int(a)}-s{int(s)}", article=lambda a: f"#src-{int(a)}",
                     story=lambda s: f"#story-{int(s)}")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _summary(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    if "summary" in analysis and isinstance(analysis["summary"], list):
        return analysis["summary"]
    from .summary import summarize

    try:
        return summarize(analysis.get("claims") or [], analysis.get("articles") or [])
    except Exception:  # noqa: BLE001 - a report without summary beats no report
        return []


def build_context(analysis: dict[str, Any], links: Links) -> dict[str, Any]:
    """The view model of a story or storyline page (see module docstring)."""
    kind = "storyline" if "stories" in analysis else "story"
    articles = sorted((a for a in analysis.get("articles") or [] if _int(a.get("id")) is not None),
                      key=lambda a: (str(a.get("published") or "9999"), int(a["id"])))
    arts = {int(a["id"]): a for a in articles}
    refs = {aid: n for n, aid in enumerate(arts, start=1)}
    outlets = analysis.get("outlets") or {}
    cited: dict[tuple[int, int], dict[str, Any]] = {}

    def cite(article: Any, sentence: Any, text: str | None = None) -> dict[str, Any] | None:
        aid, sid = _int(article), _int(sentence)
        if aid is None:
            return None
        art = arts.get(aid, {})
        if sid is not None:
            entry = cited.setdefault((aid, sid), {"article": aid, "sentence": sid, "text": text or "",
                                                  "source": art.get("source"), "n": refs.get(aid)})
            if text and not entry["text"]:
                entry["text"] = text
        return {"article": aid, "sentence": sid, "n": refs.get(aid), "source": art.get("source") or f"#{aid}",
                "text": text or "", "href": links.sentence(aid, sid) if sid is not None else links.article(aid)}

    summary = []
    for s in _summary(analysis):
        cites = [c for c in (cite(x.get("article"), x.get("sentence"), x.get("text")) for x in s.get("citations") or [])
                 if c]
        by_ref = {c["n"]: c for c in cites}
        summary.append({**s, "cites": [by_ref[k] for k in sorted(by_ref, key=lambda n: n or 0)]})

    sources: dict[str, dict[str, Any]] = {}
    for a in articles:
        name = a.get("source") or "unknown source"
        entry = sources.setdefault(name, {"name": name, "outlet": outlets.get(name) or {}, "articles": []})
        entry["articles"].append({**a, "n": refs[int(a["id"])], "href": links.article(int(a["id"])),
                                  "url": safe_url(a.get("url")), "anchor": f"src-{int(a['id'])}"})

    coverage = analysis.get("coverage") or {}
    cov_rows = []
    for row in coverage.get("rows") or []:
        cells = []
        for src in coverage.get("sources") or []:
            cell = (row.get("cells") or {}).get(src)
            c = cite(cell.get("article"), cell.get("sentence"), cell.get("text")) if isinstance(cell, dict) else None
            cells.append({"source": src, "cite": c})
        cov_rows.append({**row, "cells_list": cells})
    claim_text = {c.get("id"): c.get("text") for c in analysis.get("claims") or []}
    details = {(d.get("source"), d.get("claim")): d for d in coverage.get("omission_details") or []}
    omissions = []
    for src, ids in (coverage.get("omissions") or {}).items():
        items = []
        for cid in ids or []:
            d = details.get((src, cid)) or {}
            near = d.get("closest") or {}
            items.append({"text": claim_text.get(cid) or f"claim {cid}", "kind": d.get("kind"),
                          "reported_by": [x for x in d.get("reported_by") or [] if x != src],
                          "note": d.get("note"), "score": near.get("score"),
                          "closest": cite(near.get("article"), near.get("sentence"), near.get("text"))
                          if near else None})
        if items:
            omissions.append({"source": src, "claims": [i["text"] for i in items], "entries": items})
    conflicts = []
    for claim in analysis.get("claims") or []:
        for c in claim.get("conflicts") or []:
            sides = [{"value": side.get("value"),
                      "cite": cite(side.get("article"), side.get("sentence"), side.get("text"))}
                     for side in (c.get("a") or {}, c.get("b") or {})]
            conflicts.append({"claim": claim.get("text"), "kind": c.get("kind"), "sides": sides})

    speakers: dict[str, dict[str, Any]] = {}
    # Quotes already shown as a variant of a cross-outlet statement are not listed twice.
    in_statements = {_int(v.get("quote_index")) for st in analysis.get("statements") or []
                     for v in st.get("variants") or []} - {None}
    for qi, q in enumerate(analysis.get("quotes") or []):
        if qi in in_statements:
            continue
        who = q.get("speaker") or "unattributed"
        sp = speakers.setdefault(who, {"speaker": who, "quotes": [], "statements": []})
        # ``sentence`` is an index in the contract; some producers give the sentence text instead.
        index, text = (q.get("sentence"), None) if _int(q.get("sentence")) is not None else (None, q.get("sentence"))
        sp["quotes"].append({**q, "cite": cite(q.get("article"), index, text)})
    for st in analysis.get("statements") or []:
        who = st.get("speaker") or "unattributed"
        sp = speakers.setdefault(who, {"speaker": who, "quotes": [], "statements": []})
        # A word diff is shown only when the variants share words (not across languages).
        variants = [{**v, "cite": cite(v.get("article"), None),
                     "show_diff": any(str(op[0]) in ("=", "equal", " ") for op in v.get("diff") or [] if op)}
                    for v in st.get("variants") or []]
        sp["statements"].append({**st, "variants_list": variants})
    # Speakers reported by the most outlets first.
    who_said = sorted(speakers.values(), key=lambda s: (
        s["speaker"] == "unattributed", -sum(len(st["variants_list"]) for st in s["statements"]) - len(s["quotes"])))

    framing = analysis.get("framing") or {}
    naming = []
    for row in framing.get("naming") or []:
        terms = []
        for term, ids in (row.get("variants") or {}).items():
            names = sorted({arts.get(_int(i) or -1, {}).get("source") or f"#{i}" for i in ids or []})
            terms.append({"term": term, "sources": names, "articles": [cite(i, None) for i in ids or []]})
        naming.append({"referent": row.get("referent"), "terms": terms})
    loaded: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in framing.get("findings") or []:
        if f.get("kind") in ("naming", "distinctive", "tone"):
            continue  # shown in their own tables
        span = f.get("span") or {}
        aid = _int(f.get("article_id"))
        if aid is not None:
            loaded[aid].append({**f, "cite": cite(aid, span.get("sentence"), span.get("text"))})
    framing_ctx = {
        "naming": naming,
        "distinctive": [{"source": s, "terms": t} for s, t in (framing.get("distinctive") or {}).items() if t],
        "loaded": [{"article": arts.get(aid, {"id": aid}), "n": refs.get(aid), "findings": fs}
                   for aid, fs in sorted(loaded.items(), key=lambda kv: refs.get(kv[0], 0))],
        "tone": [{**t, "source": arts.get(_int(t.get("article")) or -1, {}).get("source")}
                 for t in framing.get("tone") or []],
    }

    provenance = analysis.get("provenance") or {}
    prov_links = []
    for l in provenance.get("links") or []:
        ev = l.get("evidence") or {}
        src, tgt = _int(l.get("article_id", l.get("article"))), _int(l.get("target_article"))
        prov_links.append({**l, "from": cite(src, None), "to": cite(tgt, None) if tgt is not None else None,
                           "cite": cite(ev.get("article_id", ev.get("article")), ev.get("sentence"), ev.get("text"))
                           if ev else None})

    timeline = []
    for i, e in enumerate(analysis.get("timeline") or []):
        cites = [c for c in (cite(x.get("article_id", x.get("article")), x.get("sentence"), x.get("text"))
                             for x in e.get("citations") or []) if c]
        timeline.append({**e, "cites": cites, "anchor": f"t-{i}"})

    stories = sorted(({**s, "href": links.story(int(s["id"]))} for s in analysis.get("stories") or []
                      if _int(s.get("id")) is not None), key=lambda s: str(s.get("first_published") or "9999"))
    charts = {
        "coverage": Markup(svg.coverage_bars(coverage)),
        "provenance": Markup(svg.provenance_graph([{**l, "article_id": l.get("article_id", l.get("article"))}
                                                   for l in provenance.get("links") or []], articles,
                                                  href=lambda aid: links.article(aid))),
        "timeline": Markup(svg.timeline(analysis.get("timeline") or [], href=lambda e, i: f"#t-{i}")),
        "lanes": Markup(svg.story_lanes(stories, href=lambda s: s["href"])) if stories else Markup(""),
    }
    independent = coverage.get("independent_sources")
    if independent is None:
        independent = len({a.get("source") for a in articles if a.get("duplicate_of") is None and a.get("source")})
    return {
        "kind": kind, "id": analysis.get("id"), "title": analysis.get("title") or f"{kind} {analysis.get('id')}",
        "keywords": analysis.get("keywords") or [], "first": analysis.get("first_published"),
        "last": analysis.get("last_published"), "articles": articles, "refs": refs,
        "languages": analysis.get("languages") or sorted({a.get("language") for a in articles if a.get("language")}),
        "independent_sources": independent, "summary": summary, "sources": list(sources.values()),
        "coverage": {"sources": coverage.get("sources") or [], "rows": cov_rows, "omissions": omissions,
                     "headline": coverage.get("headline")},
        "claims": analysis.get("claims") or [], "conflicts": conflicts,
        "entities": (analysis.get("entities") or [])[:30],
        "who_said": who_said, "framing": framing_ctx, "provenance": prov_links, "timeline": timeline,
        "stories": stories, "charts": charts,
        "cited": [cited[k] for k in sorted(cited)],
    }


# ------------------------------------------------------------------------------------ renderers


def _md(text: Any) -> str:
    """Plain text made inert in Markdown (no raw HTML, links, emphasis or table breaks)."""
    s = " ".join(str(text if text is not None else "").split())
    s = re.sub(r"([\\`*_\[\]{}()#+!|~>])", r"\\\1", s)
    return s.replace("<", "&lt;")


def _md_link(label: str, url: str | None) -> str:
    safe = safe_url(url)
    if not safe:
        return _md(label)
    return f"[{_md(label)}](<{safe.replace('>', '%3E').replace(' ', '%20')}>)"


def _omission_reason_md(item: dict[str, Any]) -> str:
    """Why an omission is listed, in Markdown: who reports it and the omitting side's closest sentence."""
    parts = [_md(item["note"])] if item.get("note") else []
    if item.get("reported_by"):
        parts.append("reported by " + _md(", ".join(item["reported_by"])))
    near = item.get("closest")
    if near:
        parts.append(f"closest sentence [{near['n']}]: “{_md(near['text'])}” (score {_md(item.get('score'))})")
    return "; ".join(parts) or "not reported"


def _render_md(ctx: dict[str, Any]) -> str:
    out = [f"# {_md(ctx['title'])}", ""]
    out.append(f"{len(ctx['articles'])} articles · {ctx['independent_sources']} independent sources · "
               f"languages: {_md(', '.join(ctx['languages']) or '—')} · "
               f"{_md(str(ctx['first'] or '')[:10])} – {_md(str(ctx['last'] or '')[:10])}")
    if ctx["keywords"]:
        out.append(f"Keywords: {_md(', '.join(ctx['keywords']))}")
    out += ["", "## Summary", ""]
    if ctx["summary"]:
        for s in ctx["summary"]:
            refs = "".join(f"[{c['n']}](#a{c['article']}-s{c['sentence']})" if c["sentence"] is not None
                           else f"[{c['n']}]" for c in s["cites"])
            tag = f" ({s['status']})" if s.get("status") else ""
            out.append(f"- {_md(s['text'])} {refs}{tag}")
    else:
        out.append("_Summary not available._")
    if ctx["stories"]:
        out += ["", "## Stories", ""]
        for s in ctx["stories"]:
            out.append(f"- {_md(str(s.get('first_published') or '')[:10])} — {_md(s.get('title'))} "
                       f"({len(s.get('articles') or [])} articles)")
    out += ["", "## Sources", ""]
    for src in ctx["sources"]:
        o = src["outlet"]
        details = ", ".join(_md(f"{k}: {o[k]}") for k in ("country", "owner", "type") if o.get(k))
        out.append(f"- **{_md(src['name'])}**" + (f" ({details})" if details else ""))
        for a in src["articles"]:
            out.append(f"  - [{a['n']}] {_md_link(a.get('title') or 'untitled', a.get('url'))} · "
                       f"{_md(str(a.get('published') or '')[:10])} · {_md(a.get('language') or '')}"
                       + (f" · duplicate of #{a['duplicate_of']}" if a.get("duplicate_of") else ""))
    cov = ctx["coverage"]
    out += ["", "## Coverage", ""]
    if cov["rows"]:
        if cov.get("headline"):
            out += [_md(cov["headline"]), ""]
        out.append("| Claim | Status | " + " | ".join(_md(s) for s in cov["sources"]) + " |")
        out.append("|---|---|" + "---|" * len(cov["sources"]))
        for row in cov["rows"]:
            cells = " | ".join(f"[{c['cite']['n']}]" if c["cite"] else "—" for c in row["cells_list"])
            out.append(f"| {_md(row.get('text'))} | {_md(row.get('status'))} | {cells} |")
        for om in cov["omissions"]:
            out.append(f"- {_md(om['source'])} does not report:")
            for item in om["entries"]:
                out.append(f"  - {_md(item['text'])} ({_omission_reason_md(item)})")
    else:
        out.append("_Coverage not available._")
    if ctx["conflicts"]:
        out += ["", "## Where sources disagree", "", "| Claim | What | One side | Other side |", "|---|---|---|---|"]
        for c in ctx["conflicts"]:
            sides = [f"{_md(x['value'])}" + (f" [{x['cite']['n']}] {_md(x['cite']['source'])}: “{_md(x['cite']['text'])}”"
                                            if x["cite"] else "") for x in c["sides"]]
            out.append(f"| {_md(c['claim'])} | {_md(c['kind'])} | {sides[0]} | {sides[1]} |")
    out += ["", "## Who said what", ""]
    if ctx["who_said"]:
        for sp in ctx["who_said"]:
            out.append(f"### {_md(sp['speaker'])}")
            for q in sp["quotes"]:
                ref = f" [{q['cite']['n']}]" if q.get("cite") else ""
                via = f" (via {_md(q['reported_via'])})" if q.get("reported_via") else ""
                out.append(f"- “{_md(q.get('text'))}”{ref}{via}")
            for st in sp["statements"]:
                drift = f" — drift: {_md(', '.join(st.get('drift') or []))}" if st.get("drift") else ""
                out.append(f"- Statement {st.get('id')} in {len(st['variants_list'])} versions{drift}")
                for v in st["variants_list"]:
                    ref = f"[{v['cite']['n']}] " if v.get("cite") else ""
                    out.append(f"  - {ref}{_md(v.get('text'))}")
    else:
        out.append("_Quotes not available._")
    fr = ctx["framing"]
    out += ["", "## Framing", ""]
    if fr["naming"] or fr["distinctive"] or fr["loaded"]:
        for row in fr["naming"]:
            out.append(f"- {_md(row['referent'])}: " + "; ".join(
                f"“{_md(t['term'])}” ({_md(', '.join(t['sources']))})" for t in row["terms"]))
        for d in fr["distinctive"]:
            out.append(f"- Distinctive words of {_md(d['source'])}: "
                       + ", ".join(_md(t.get("term")) for t in d["terms"][:8]))
        for group in fr["loaded"]:
            out.append(f"- [{group['n']}] loaded terms: " + ", ".join(_md(f.get("term")) for f in group["findings"]))
    else:
        out.append("_Framing not available._")
    out += ["", "## Provenance", ""]
    if ctx["provenance"]:
        for l in ctx["provenance"]:
            frm = f"[{l['from']['n']}] {_md(l['from']['source'])}" if l.get("from") else "?"
            to = (f"[{l['to']['n']}] {_md(l['to']['source'])}" if l.get("to") else _md(l.get("target_source") or "?"))
            out.append(f"- {frm} {_md(l.get('relation'))} {to}")
    else:
        out.append("_Provenance not available._")
    out += ["", "## Timeline", ""]
    if ctx["timeline"]:
        for e in ctx["timeline"]:
            refs = "".join(f"[{c['n']}]" for c in e["cites"])
            out.append(f"- **{_md(e.get('date'))}** {_md(e.get('text'))} {refs}")
    else:
        out.append("_Timeline not available._")
    if ctx["cited"]:
        out += ["", "## Cited sentences", ""]
        for c in ctx["cited"]:
            out.append(f'- <a id="a{c["article"]}-s{c["sentence"]}"></a>[{c["n"]}] {_md(c["source"])}, '
                       f"sentence {c['sentence']}: {_md(c['text'])}")
    return "\n".join(out) + "\n"


def render_report(analysis: dict[str, Any], fmt: Literal["html", "md", "json"]) -> str:
    """A story or storyline analysis as a self-contained HTML page, Markdown, or JSON."""
    if fmt == "json":
        data = dict(analysis)
        data.setdefault("summary", _summary(analysis))
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown report format {fmt!r}; use html, md or json")
    ctx = build_context(analysis, REPORT_LINKS)
    if fmt == "md":
        return _render_md(ctx)
    template = environment().get_template("report.html")
    return template.render(ctx=ctx, css=Markup(inline_css().replace("</", "<\\/")), links=REPORT_LINKS)
