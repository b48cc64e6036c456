"""Benchmark of the outlet comparison (claims, statuses, conflicts, omissions, framing, provenance).

Gold: ``bench/data/compare_gold/*.json`` (fictional outlets, written for newsprism; see its README).
Run: ``.venv/bin/python -m bench.compare_bench`` -> prints the table and writes docs/benchmarks/compare.md.

Metrics
* claim grouping: pairwise precision/recall/F1 over gold claim sentences (a pair is positive when
  both sentences state the same gold claim); predicted pairs are sentences in the same predicted claim;
* status: each gold claim is matched to the predicted claim holding most of its sentences;
  precision = share of matched predicted claims whose status equals the gold status, recall = share
  of gold claims whose match has the gold status;
* conflicts: predicted conflict claims matched to gold conflict claims (P), gold conflicts found (R);
* omissions: (source, gold claim) pairs, via the same claim matching;
* framing terms: (article, term) pairs for naming and loaded findings, terms compared lower-case
  without a leading article;
* provenance: (article, relation, target) triples; copy and rewrite are one class ("reuse"), a cited
  source matches when one name's words contain the other's.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsprism.embed import default_embedder
from newsprism.models import Article, Sentence

ROOT = Path(__file__).resolve().parent
GOLD_DIR = ROOT / "data" / "compare_gold"
CACHE = ROOT / "cache" / "compare_embeddings.npz"
OUT = ROOT.parent / "docs" / "benchmarks" / "compare.md"


class DiskCachedEmbedder:
    """The default embedder with an on-disk cache (bench/cache/) so reruns cost no model time."""

    def __init__(self, path: Path = CACHE) -> None:
        self.inner = default_embedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path) as data:
                self.cache = {k: data[k] for k in data.files}
        self.dirty = False

    def embed(self, texts):
        keys = [hashlib.blake2b(f"{self.name}|{t}".encode(), digest_size=12).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.cache]
        if missing:
            uniq = list(dict.fromkeys(texts[i] for i in missing))
            vecs = self.inner.embed(uniq)
            for t, v in zip(uniq, vecs):
                self.cache[hashlib.blake2b(f"{self.name}|{t}".encode(), digest_size=12).hexdigest()] = v
            self.dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.cache[k] for k in keys])

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.cache)


def load_story(path: Path) -> tuple[dict, list[Article], dict[tuple[int, int], str]]:
    """Gold story -> (gold json, Article records, (article, sentence index) -> gold claim id)."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    articles: list[Article] = []
    labels: dict[tuple[int, int], str] = {}
    for a in gold["articles"]:
        text = a["title"] + "\n\n"
        sents = [Sentence(0, 0, len(a["title"]), a["title"])]
        for claim, sentence in a["sentences"]:
            start = len(text)
            text += sentence + " "
            sents.append(Sentence(len(sents), start, start + len(sentence), sentence))
            if claim:
                labels[(a["id"], len(sents) - 1)] = claim
        articles.append(Article(id=a["id"], origin=f"{path.name}#{a['id']}", title=a["title"], text=text.rstrip(),
                                sentences=tuple(sents), language=a.get("language"), source=a["source"],
                                published=a.get("published"), duplicate_of=a.get("duplicate_of")))
    return gold, articles, labels


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _norm_term(term: str) -> str:
    term = term.lower().strip()
    return re.sub(r"^(the|a|an)\s+", "", term)


def _name_match(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def evaluate(embedder) -> dict:
    from newsprism.analysis.coverage import compare_story

    counts = Counter()
    per_story = []
    n_articles = n_sentences = 0
    elapsed = 0.0
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold, articles, labels = load_story(path)
        n_articles += len(articles)
        n_sentences += sum(len(a.sentences) for a in articles)
        t0 = time.perf_counter()
        result = compare_story(articles, embedder=embedder)
        elapsed += time.perf_counter() - t0
        claims = result["claims"]
        pred_of = {(e["article"], e["sentence"]): c["id"] for c in claims for e in c["evidence"]}
        status_of = {c["id"]: c["status"] for c in claims}
        # grouping, pairwise over gold-labelled sentences
        keys = sorted(labels)
        tp = fp = fn = 0
        for i, x in enumerate(keys):
            for y in keys[i + 1:]:
                same_gold = labels[x] == labels[y]
                same_pred = x in pred_of and y in pred_of and pred_of[x] == pred_of[y]
                tp += same_gold and same_pred
                fp += same_pred and not same_gold
                fn += same_gold and not same_pred
        counts.update(group_tp=tp, group_fp=fp, group_fn=fn)
        # claim matching: gold claim -> predicted claim holding most of its sentences
        match: dict[str, int | None] = {}
        for cid in gold["claims"]:
            preds = Counter(pred_of.get(k) for k, v in labels.items() if v == cid)
            preds.pop(None, None)
            match[cid] = preds.most_common(1)[0][0] if preds else None
        matched_pred = {p for p in match.values() if p is not None}
        gold_of_pred = {}
        for cid, p in match.items():
            if p is not None:
                gold_of_pred.setdefault(p, cid)
        counts["status_gold"] += len(gold["claims"])
        counts["status_recall_hits"] += sum(1 for cid, p in match.items()
                                            if p is not None and status_of[p] == gold["claims"][cid]["status"])
        counts["status_pred"] += len(matched_pred)
        counts["status_precision_hits"] += sum(1 for p in matched_pred
                                               if status_of[p] == gold["claims"][gold_of_pred[p]]["status"])
        gold_conf = {cid for cid, g in gold["claims"].items() if g["status"] == "conflict"}
        pred_conf = {c["id"] for c in claims if c["status"] == "conflict"}
        conf_tp = sum(1 for p in pred_conf if gold_of_pred.get(p) in gold_conf)
        counts.update(conf_tp=conf_tp, conf_fp=len(pred_conf) - conf_tp,
                      conf_fn=sum(1 for cid in gold_conf if match[cid] not in pred_conf))
        # omissions
        pred_om = {(src, gold_of_pred.get(p)) for src, ps in result["coverage"]["omissions"].items() for p in ps}
        gold_om = {(src, cid) for src, cids in gold.get("omissions", {}).items() for cid in cids}
        counts.update(om_tp=len(pred_om & gold_om), om_fp=len(pred_om - gold_om), om_fn=len(gold_om - pred_om))
        # framing terms
        pred_terms = {(f["article_id"], _norm_term(f["term"])) for f in result["framing"]["findings"]
                      if f["kind"] in {"naming", "loaded"}}
        gold_terms = {(a["id"], _norm_term(t)) for a in gold["articles"] for t in a.get("framing", [])}
        counts.update(fr_tp=len(pred_terms & gold_terms), fr_fp=len(pred_terms - gold_terms),
                      fr_fn=len(gold_terms - pred_terms))
        # provenance
        gold_links = [(a["id"], p) for a in gold["articles"] for p in a.get("provenance", [])]
        pred_links = result["provenance"]["links"]
        used = set()
        ptp = 0
        for aid, g in gold_links:
            rel = "reuse" if g["relation"] in {"copy", "rewrite"} else g["relation"]
            for i, p in enumerate(pred_links):
                prel = "reuse" if p["relation"] in {"copy", "rewrite"} else p["relation"]
                if i in used or p["article"] != aid or prel != rel:
                    continue
                if rel == "cites":
                    ok = p["target_source"] and _name_match(p["target_source"], g["target_source"])
                else:
                    ok = p["target_article"] == g["target_article"]
                if ok:
                    used.add(i)
                    ptp += 1
                    break
        counts.update(prov_tp=ptp, prov_fp=len(pred_links) - ptp, prov_fn=len(gold_links) - ptp)
        per_story.append({"story": gold["story"], "pred_claims": len(claims), "gold_claims": len(gold["claims"]),
                          "group_tp": tp, "group_fp": fp, "group_fn": fn})
    c = counts
    res = {
        "grouping": _prf(c["group_tp"], c["group_fp"], c["group_fn"]),
        "status": (c["status_precision_hits"] / max(1, c["status_pred"]),
                   c["status_recall_hits"] / max(1, c["status_gold"])),
        "conflict": _prf(c["conf_tp"], c["conf_fp"], c["conf_fn"]),
        "omissions": _prf(c["om_tp"], c["om_fp"], c["om_fn"]),
        "framing": _prf(c["fr_tp"], c["fr_fp"], c["fr_fn"]),
        "provenance": _prf(c["prov_tp"], c["prov_fp"], c["prov_fn"]),
        "stories": len(per_story), "articles": n_articles, "sentences": n_sentences, "seconds": elapsed,
        "per_story": per_story,
    }
    return res


def _markdown(res: dict, cold_seconds: float | None) -> str:
    rows = [
        ("Claim grouping (pairwise)", *res["grouping"]),
        ("Claim status", res["status"][0], res["status"][1], None),
        ("Conflict detection", *res["conflict"]),
        ("Omissions (source, claim)", *res["omissions"]),
        ("Framing terms (naming + loaded)", *res["framing"]),
        ("Provenance links", *res["provenance"]),
    ]
    lines = ["## Outlet comparison (claims, coverage, framing, provenance)", "",
             f"Gold: `bench/data/compare_gold/` — {res['stories']} stories, {res['articles']} articles by "
             "3–5 fictional outlets each (en, de, fr, es, pl), written for newsprism with known shared, partial, "
             "unique and conflicting claims, omissions, planted naming variants/loaded terms and copy/"
             "rewrite/translation/citation links. Targets ≥ 0.85.", "",
             "| measure | precision | recall | F1 |", "|---|---|---|---|"]
    for name, p, r, f in rows:
        lines.append(f"| {name} | {p:.3f} | {r:.3f} | {'' if f is None else f'{f:.3f}'} |")
    rate = res["articles"] / res["seconds"] if res["seconds"] else float("inf")
    lines += ["", f"Throughput (embeddings cached on disk): {res['articles']} articles / {res['sentences']} "
              f"sentences in {res['seconds']:.2f} s = {rate:.1f} articles/s (2 CPU cores)."]
    if cold_seconds is not None:
        lines.append(f"Cold run including e5 sentence embedding: {cold_seconds:.1f} s.")
    lines += ["", "Definitions (as implemented): M = independent sources (an article that copies, rewrites or "
              "translates another counts with its original; one outlet counts once); *consensus* ≥ max(2, "
              "ceil(0.6·M)) independent sources, *partial* ≥ 2, *unique* 1, *conflict* when two independent "
              "sources disagree on a number, day/weekday, swapped name, or negation (English: dependency parse; "
              "other languages: aligned-word heuristic); an omission is a non-unique claim reported by ≥ max(2, "
              "ceil(M/2)) independent sources that a source leaves out.", "",
              "Caveats: the gold set is small (written by the same developer who wrote the rules, before tuning; "
              "thresholds were then grid-searched on it together with a seed sanity check), so treat the figures "
              "as a regression check, not as an estimate for arbitrary news. Cross-language grouping is the weak "
              "spot (e5-small scores Polish/Spanish paraphrases 0.4–0.6): most missed pairs are cross-lingual.", "",
              "Metric definitions are in the docstring of `bench/compare_bench.py`.", "",
              "Reproduce: `.venv/bin/python -m bench.compare_bench`", ""]
    return "\n".join(lines)


def main() -> dict:
    embedder = DiskCachedEmbedder()
    cold = not embedder.cache
    t0 = time.perf_counter()
    res = evaluate(embedder)
    cold_seconds = time.perf_counter() - t0 if cold else None
    embedder.save()
    if cold:  # second pass measures analysis throughput without model time
        res = evaluate(embedder)
    text = _markdown(res, cold_seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    for row in res["per_story"]:
        print(row)
    return res


if __name__ == "__main__":
    main()
