"""The comparison on the demo corpus against its gold: conflicts found with both values, omissions that
the omitting article's own text contradicts, furniture read as claims.

Gold (``tests/fixtures/demo_gold.json``, written with the corpus): ``conflicts`` lists, per event,
the values each article states ("6" in three articles, "5" in one). A gold conflict is *found* when
the story holding the event's articles has a conflict record whose two values read as two different
gold values (numbers compared after ``analysis.numbers.read_values``, so "п'ять", "five" and "5"
agree). A listed conflict that matches no gold conflict is *unconfirmed* (the gold lists only the
planted ones, so this bounds precision from below).

A listed omission is *contradicted* when the omitting source's closest sentence states every number
of the claim (the number-bearing facts the issue saw listed: "380 evacuated, 96 children" omitted by
an article saying "Ewakuowaliśmy 380 osób, w tym 96 dzieci").

    .venv/bin/python -m bench.demo_compare DB    # a database holding the demo corpus
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "demo_gold.json"


def _mantissa(value: float) -> float:
    """The digits of a value without its scale: "38m", "38 Millionen" and "38 000 000" all read 3.8."""
    if value <= 0:
        return value
    return round(value / 10 ** math.floor(math.log10(value)), 6)


def _numbers(text: str, language: str | None = None) -> set[float]:
    from newsprism.analysis.numbers import read_values

    return {_mantissa(v.value) for v in read_values(text, language)
            if v.kind not in ("year", "day", "month", "weekday", "time")}


def _numbers_any_language(text: str) -> set[float]:
    found: set[float] = set()
    for language in ("en", "de", "fr", "es", "it", "pl", "uk", "ru"):
        found |= _numbers(text, language)
    return found


def evaluate_comparison(store: Any) -> dict[str, Any]:
    """Gold conflicts found, unconfirmed conflicts, contradicted omissions, over every demo story."""
    from bench.demo_bench import demo_corpus_path, gold_key
    from newsprism.analyze import story_analysis

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    corpus = demo_corpus_path()
    story_of_file: dict[str, int] = {}
    for article in store.iter_articles():
        key = gold_key(article.origin, corpus)
        if "#" in key:
            key = key.split("#")[0] + "#" + (article.external_id or "")
        if article.story is not None:
            story_of_file[key] = article.story
    analyses = {s.id: story_analysis(store, s.id) for s in store.list_stories()}
    found, missed, matched_records = [], [], set()
    for g in gold["conflicts"]:
        groups = [(_numbers_any_language(label), files) for label, files in g["values"].items()]
        stories = {story_of_file.get(f) for _, files in groups for f in files} - {None}
        hit = None
        for sid in stories:
            for claim in analyses[sid].get("claims") or []:
                for k, c in enumerate(claim.get("conflicts") or []):
                    a = _numbers_any_language(str((c.get("a") or {}).get("value")))
                    b = _numbers_any_language(str((c.get("b") or {}).get("value")))
                    sides = [{i for i, (nums, _) in enumerate(groups) if nums & side} for side in (a, b)]
                    if any(i != j for i in sides[0] for j in sides[1]):
                        hit = (sid, claim["id"], k)
                        matched_records.add(hit)
        (found if hit else missed).append(f"{g['event']}: {g['what']}")
    listed = [(sid, claim["id"], k) for sid, an in analyses.items() for claim in an.get("claims") or []
              for k, _ in enumerate(claim.get("conflicts") or [])]
    contradicted, omissions = [], 0
    for sid, an in analyses.items():
        texts = {c["id"]: c["text"] for c in an.get("claims") or []}
        for d in (an.get("coverage") or {}).get("omission_details") or []:
            omissions += 1
            nums = _numbers_any_language(texts.get(d.get("claim"), ""))
            near = (d.get("closest") or {}).get("text") or ""
            if nums and nums <= _numbers_any_language(near):
                contradicted.append(f"story {sid}: {d.get('source')} 'omits' {texts.get(d.get('claim'), '')[:80]!r}")
    return {"gold_conflicts": len(gold["conflicts"]), "found": found, "missed": missed,
            "listed_conflicts": len(listed), "unconfirmed_conflicts": len(set(listed) - matched_records),
            "omissions": omissions, "contradicted_omissions": contradicted}


def main(argv: list[str]) -> int:
    from newsprism.store import open_store

    store = open_store(argv[0], create=False)
    print(json.dumps(evaluate_comparison(store), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
