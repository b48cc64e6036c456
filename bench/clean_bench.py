"""Clean-stage figures: publication dates and outlet names on the bundled demo corpus, text-only
dates on ECB+ dev, junk removal and quote keeping on the seeds, and throughput.

Run: .venv/bin/python -m bench.clean_bench
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from pathlib import Path

from newsprism import clean
from newsprism.clean.dates import find_published
from newsprism.clean.normalize import normalize_line, normalize_paragraphs
from newsprism.ingest import collect
from newsprism.models import RawDocument

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "newsprism" / "data" / "demo"
GOLD = ROOT / "tests" / "fixtures" / "demo_gold.json"
BENCH = ROOT.parent / "shared" / "bench"
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "docs" / "benchmarks" / "clean.md"
_RAW_QUOTE = re.compile(r"[“\"„«]([^“”\"„«»]{2,})[”\"»“]")  # as in tests/clean/test_clean_seeds.py


def _gold_key(raw: RawDocument, gold: dict[str, dict]) -> str | None:
    origin = Path(raw.origin)
    try:
        rel = str(origin.relative_to(DEMO))
    except ValueError:
        rel = raw.origin
    if rel in gold:
        return rel
    if raw.external_id and f"extra.jsonl#{raw.external_id}" in gold:
        return f"extra.jsonl#{raw.external_id}"
    return None


def demo_figures() -> dict[str, object]:
    """Dates (as prepared, and from the text alone) and outlets on the demo corpus."""
    gold = {a["file"]: a for a in json.loads(GOLD.read_text("utf-8"))["articles"]}
    raws = [d for d in collect([str(DEMO)]) if isinstance(d, RawDocument)]
    counts = {"docs": 0, "dated": 0, "found": 0, "wrong": 0, "missed": 0, "undated": 0, "null_ok": 0,
              "text_dated": 0, "text_found": 0, "outlet_ok": 0}
    wrong: list[str] = []
    for raw in raws:
        key = _gold_key(raw, gold)
        if key is None:
            continue
        g = gold[key]
        doc = clean.prepare(raw)
        counts["docs"] += 1
        want = (g["published"] or "")[:10] or None
        got = (doc.published or "")[:10] or None
        if want:
            counts["dated"] += 1
            counts["found" if got == want else "wrong" if got else "missed"] += 1
        else:
            counts["undated"] += 1
            counts["null_ok"] += got is None
        if got != want:
            wrong.append(f"date {key}: {got} (gold {want})")
        if want and raw.text:  # what the text alone gives (the HTML/JSONL ones also carry metadata)
            counts["text_dated"] += 1
            text = "\n\n".join(normalize_paragraphs(raw.text))
            counts["text_found"] += (find_published(replace(raw, published=None), text) or "")[:10] == want
        if (doc.source or "").casefold() == g["outlet"].casefold():
            counts["outlet_ok"] += 1
        else:
            wrong.append(f"outlet {key}: {doc.source!r} (gold {g['outlet']!r})")
    counts["errors"] = wrong
    return counts


def ecb_figures() -> dict[str, int]:
    """Text-only dates on ECB+ dev against its ``published`` field (a date found in the text)."""
    result = {"rows": 0, "agree": 0, "differ": 0, "missed": 0, "extra": 0, "both_null": 0}
    for line in (BENCH / "ecbplus_dev.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        text = "\n\n".join(normalize_paragraphs(row["text"]))
        got = find_published(RawDocument(origin=row["id"], text=row["text"]), text)
        got = got[:10] if got else None
        want = row.get("published")
        result["rows"] += 1
        key = ("agree" if got == want else "differ") if got and want else "missed" if want else "extra" if got else "both_null"
        result[key] += 1
    return result


def seed_figures() -> dict[str, int]:
    """Lines removed and quoted spans kept over the seed articles."""
    result = {"seeds": 0, "lines_removed": 0, "quotes": 0, "quotes_kept": 0}
    for path in sorted(SEEDS.glob("*.txt")):
        raw_text = path.read_text("utf-8")
        doc = clean.prepare(RawDocument(origin=str(path), text=raw_text))
        result["seeds"] += 1
        result["lines_removed"] += int(doc.metadata.get("clean_removed_count", 0))
        for m in _RAW_QUOTE.finditer(raw_text):
            span = normalize_line(m.group(1))
            result["quotes"] += 1
            result["quotes_kept"] += f"“{span}”" in doc.text or f"“{span}”" in doc.title
    return result


def throughput() -> dict[str, float]:
    """``clean.prepare`` documents per second over both bench files (ingest time excluded)."""
    raws = [d for name in ("ecbplus_dev.jsonl", "mlcrisis_2011.jsonl")
            for d in collect([str(BENCH / name)]) if isinstance(d, RawDocument)]
    started = time.perf_counter()
    done = 0
    for raw in raws:
        try:
            clean.prepare(raw)
            done += 1
        except Exception:  # noqa: BLE001 - an empty document is rejected, not timed
            pass
    seconds = time.perf_counter() - started
    return {"docs": done, "seconds": seconds, "per_second": done / seconds if seconds else 0.0}


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def main() -> None:
    demo, ecb, seeds, speed = demo_figures(), ecb_figures(), seed_figures(), throughput()
    lines = [
        "## Clean stage",
        "",
        "Demo corpus (`src/newsprism/data/demo`, gold `tests/fixtures/demo_gold.json`; dates compared",
        "on the day, outlets case-insensitively):",
        "",
        "| measure | value |",
        "|---|---|",
        f"| articles | {demo['docs']} |",
        f"| gold dates found (as prepared) | {_share(demo['found'], demo['dated'])} |",
        f"| gold dates wrong | {_share(demo['wrong'], demo['dated'])} |",
        f"| gold dates missed | {_share(demo['missed'], demo['dated'])} |",
        f"| undated articles left null | {_share(demo['null_ok'], demo['undated'])} |",
        f"| gold dates found from the text alone (metadata ignored) | {_share(demo['text_found'], demo['text_dated'])} |",
        f"| outlets named correctly | {_share(demo['outlet_ok'], demo['docs'])} |",
        "",
        f"ECB+ dev, text-only dates (`find_published` with no metadata) against the file's `published` "
        f"(itself a date found in the text), {ecb['rows']} articles:",
        "",
        "| agree | differ | missed | extra | both null |",
        "|---|---|---|---|---|",
        f"| {ecb['agree']} | {ecb['differ']} | {ecb['missed']} | {ecb['extra']} | {ecb['both_null']} |",
        "",
        "(Most \"extra\" dates are real datelines the file's date finder missed, such as upper-case",
        "\"THURSDAY, DECEMBER 3, 2009\" lines.)",
        "",
        f"Seeds ({seeds['seeds']} articles): {seeds['lines_removed']} junk lines removed; "
        f"quoted spans kept {seeds['quotes_kept']}/{seeds['quotes']}.",
        "",
        f"Throughput: `clean.prepare` on both bench files ({speed['docs']} documents): "
        f"{speed['per_second']:.0f} docs/s ({speed['seconds']:.1f} s, one core).",
        "",
    ]
    if demo["errors"]:
        lines += ["Demo errors:", ""] + [f"- {e}" for e in demo["errors"]] + [""]
    lines += ["Reproduce: `.venv/bin/python -m bench.clean_bench`", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
