"""Pairwise value-conflict benchmark: ``find_conflict`` on gold-aligned sentence pairs of xling.

Each story of ``../shared/bench/xling_dev.jsonl`` has an original A, a translation B with one number
changed (``gold_conflict`` {seg, old, new}) and, for the Russian stories, a faithful translation C.
Sentences are paired through ``gold_align`` (the original sentence id of each of ``gold_segs``): every
A-B, A-C and B-C pair of one original sentence is run through ``find_conflict``. The gold conflicts
are the A-B and B-C pairs of the changed sentence; every other flagged pair is a false conflict.

* recall: gold conflict pairs flagged with both values right (the old value on the faithful side,
  the new one on B's side; digits compared, so "35.000" matches "35 000" and "35000");
* recall (any values): gold conflict pairs flagged at all;
* precision: flagged pairs that are gold conflict pairs / all flagged pairs.

This measures value comparison alone, given a perfect alignment; the story-level figures (claims,
omissions, conflicts through the whole analysis) are ``../shared/bench/score_comparison.py``.

Figures are given for all stories and for each half of them (story ids sorted): the constants of
``analysis.conflicts`` were chosen looking at the first half only; the second half is the check.

Run: ``.venv/bin/python -m bench.conflict_pairs_bench [FILE.jsonl] [--show] [--no-write]`` (``--show``
lists every miss and false conflict; on the dev file the table goes to
``docs/benchmarks/conflict_pairs.md``).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from newsprism.analysis.conflicts import find_conflict

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "bench" / "xling_dev.jsonl"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _value_right(found: str, gold: str) -> bool:
    """The reported value shows the gold number (digits only: notation differs by language)."""
    g = _digits(gold).lstrip("0") or "0"
    return bool(g) and g in _digits(found)


def pairs(rows: list[dict]) -> list[tuple[str, dict, dict, str, str, bool, dict | None]]:
    """(pair kind, row x, row y, sentence x, sentence y, is gold conflict, gold_conflict of B)."""
    stories: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        stories[row["gold_story"]][row["gold_role"]] = row
    out = []
    for roles in stories.values():
        seg_of = {role: dict(zip(r["gold_align"], r["gold_segs"])) for role, r in roles.items()}
        gold = roles["B"]["gold_conflict"]
        for x, y in (("A", "B"), ("A", "C"), ("B", "C")):
            if x not in roles or y not in roles:
                continue
            for sid, sx in seg_of[x].items():
                sy = seg_of[y].get(sid)
                if sy is None:
                    continue
                is_gold = sid == gold["seg"] and "B" in (x, y)
                out.append((x + y, roles[x], roles[y], sx, sy, is_gold, gold))
    return out


def halves(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The rows of the first and of the second half of the stories (story ids sorted): constants of
    ``analysis.conflicts`` are chosen on the first half; the second half reports them unseen."""
    stories = sorted({r["gold_story"] for r in rows})
    first = set(stories[:len(stories) // 2])
    return [r for r in rows if r["gold_story"] in first], [r for r in rows if r["gold_story"] not in first]


def score(rows: list[dict]) -> dict:
    """Pairs, flagged, true positives, values right, per-kind counts, misses and false conflicts."""
    takes_published = "published" in inspect.signature(find_conflict).parameters
    gold_n = flagged = true_pos = right = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # kind -> [pairs, flagged, false]
    misses, false_hits = [], []
    for kind, rx, ry, sx, sy, is_gold, gold in pairs(rows):
        extra = {"published": rx.get("published")} if takes_published else {}
        hit = find_conflict(sx, sy, rx["language"], ry["language"], **extra)
        per_kind[kind][0] += 1
        gold_n += is_gold
        if hit:
            flagged += 1
            per_kind[kind][1] += 1
        if is_gold:
            if hit:
                true_pos += 1
                # B holds the new value; A and C the old one
                old_side, new_side = (hit[0], hit[1]) if kind[1] == "B" else (hit[1], hit[0])
                if _value_right(old_side, gold["old"]) and _value_right(new_side, gold["new"]):
                    right += 1
                else:
                    misses.append((kind, sx, sy, f"wrong values {hit} (gold {gold['old']} -> {gold['new']})"))
            else:
                misses.append((kind, sx, sy, f"missed (gold {gold['old']} -> {gold['new']})"))
        elif hit:
            per_kind[kind][2] += 1
            false_hits.append((kind, sx, sy, f"false {hit}"))
    return {"gold": gold_n, "flagged": flagged, "true_pos": true_pos, "right": right, "per_kind": per_kind,
            "misses": misses, "false": false_hits}


def _line(name: str, r: dict) -> str:
    g, f = max(r["gold"], 1), r["flagged"]
    return (f"| {name} | {r['gold']} | {r['flagged']} | {r['true_pos'] / f if f else 1.0:.3f} "
            f"| {r['true_pos'] / g:.3f} | {r['right'] / g:.3f} |")


def main(argv: list[str]) -> int:
    show = "--show" in argv
    files = [a for a in argv if not a.startswith("--")]
    path = Path(files[0]) if files else DEV
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    whole = score(rows)
    tune, check = (score(half) for half in halves(rows))
    table = ["| stories | gold conflict pairs | flagged | precision | recall (flagged) | recall (values right) |",
             "|---|---|---|---|---|---|",
             _line("all", whole), _line("first half (constants chosen here)", tune),
             _line("second half (unseen while choosing)", check)]
    print(f"file: {path.name}; aligned pairs: {sum(v[0] for v in whole['per_kind'].values())}")
    print("\n".join(table))
    for kind, (n, f, fp) in sorted(whole["per_kind"].items()):
        print(f"  {kind}: {n} pairs, {f} flagged, {fp} false")
    if show:
        for title, items in (("MISSES", whole["misses"]), ("FALSE CONFLICTS", whole["false"])):
            print(f"\n== {title} ({len(items)})")
            for kind, sx, sy, why in items:
                print(f"[{kind}] {why}\n   x: {sx}\n   y: {sy}")
    if path == DEV and "--no-write" not in argv:
        out = ROOT / "docs" / "benchmarks" / "conflict_pairs.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            "## Value conflicts on aligned sentence pairs (xling_dev)\n\n"
            "`find_conflict` on every gold-aligned A-B, A-C and B-C sentence pair of "
            "`../shared/bench/xling_dev.jsonl`; gold conflicts are the pairs of B's changed sentence. "
            "Value comparison alone, given a perfect alignment (story-level figures: "
            "`python3 ../shared/bench/score_comparison.py`).\n\n" + "\n".join(table) + "\n\n"
            "Command: `.venv/bin/python -m bench.conflict_pairs_bench` (`--show` lists misses and false conflicts).\n",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
