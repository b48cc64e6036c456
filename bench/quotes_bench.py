"""Who-said-what benchmark: quotes and speakers on the gold set, statement matching on gold pairs.

Run: ``.venv/bin/python -m bench.quotes_bench`` (writes ``docs/benchmarks/quotes.md``).
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from newsprism.models import Article, Quote, Sentence

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "data" / "quotes_gold.jsonl"
PAIRS = ROOT / "bench" / "data" / "statement_pairs.jsonl"
OUT = ROOT / "docs" / "benchmarks" / "quotes.md"
MATCH_F1 = 0.5  # a predicted quote matches a gold one when their token-overlap F1 reaches this
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?…»“”\"])\s+(?=[\"“„«–—A-ZÀ-ÞА-ЯЁЇІЄ0-9])|\n+")


def make_article(text: str, language: str, article_id: int) -> Article:
    """Article with sentences from a plain regex split (the bench does not depend on the clean stage)."""
    sentences, pos = [], 0
    for piece in _SENT_END.split(text):
        if not piece.strip():
            continue
        start = text.index(piece.strip(), pos)
        piece = piece.strip()
        sentences.append(Sentence(len(sentences), start, start + len(piece), piece))
        pos = start + len(piece)
    return Article(article_id, f"gold:{article_id}", text.split("\n", 1)[0], text, tuple(sentences), language, None, None)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def token_f1(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = 0
    pool = list(tb)
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def same_speaker(pred: str | None, gold: str) -> bool:
    """Gold speakers are canonical names; a prediction counts when it names the same person: every
    word of the shorter name matches a word of the longer one up to an inflectional ending."""
    if not pred:
        return False
    pw, gw = _fold(pred).replace("-", " ").split(), _fold(gold).replace("-", " ").split()
    pw = [w for w in pw if w not in ("the", "a", "dr")]
    short, long_ = sorted((pw, gw), key=len)
    def close(x: str, y: str) -> bool:
        n = min(len(x), len(y))
        k = max(3, n - 2)
        return x[:k] == y[:k]
    return bool(short) and all(any(close(w, v) for v in long_) for w in short)


def match(pred: list[Quote], gold: list[dict]) -> list[tuple[Quote, dict]]:
    """Greedy one-to-one matching by token F1."""
    scored = sorted(((token_f1(p.text, g["text"]), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)),
                    reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for f1, i, j in scored:
        if f1 < MATCH_F1:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i); used_g.add(j)
        pairs.append((pred[i], gold[j]))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quote_bench(verbose: bool = False) -> tuple[dict, float, int]:
    from newsprism.analysis.entities import extract_entities
    from newsprism.analysis.quotes import extract_quotes

    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, pred, gold, speaker ok
    for lang, text in (("en", "Warm-up text, said John Smith."), ("ru", "Тест, сказал Иван Петров.")):
        extract_entities([make_article(text, lang, 0)])  # load spaCy and natasha outside the timing
    t0 = time.perf_counter()
    for n, doc in enumerate(docs):
        half = doc.get("split") or ("tune" if n % 2 == 0 else "held-out")
        article = make_article(doc["text"], doc["language"], n + 1)
        entities, _ = extract_entities([article])
        pred = extract_quotes(article, entities)
        pairs = match(pred, doc["quotes"])
        ok = sum(same_speaker(p.speaker, g["speaker"]) for p, g in pairs)
        for key in ((doc["language"], half), (doc["language"], "all"), ("all", half), ("all", "all")):
            s = stats[key]
            s[0] += len(pairs); s[1] += len(pred); s[2] += len(doc["quotes"]); s[3] += ok
        if verbose:
            matched_g = {id(g) for _, g in pairs}
            matched_p = {id(p) for p, _ in pairs}
            for p, g in pairs:
                if not same_speaker(p.speaker, g["speaker"]):
                    print(f"SPEAKER {doc['id']}: {p.speaker!r} vs {g['speaker']!r} | {g['text'][:60]}")
            for g in doc["quotes"]:
                if id(g) not in matched_g:
                    print(f"MISS {doc['id']}: [{g['speaker']}] {g['text'][:80]}")
            for p in pred:
                if id(p) not in matched_p:
                    print(f"FP   {doc['id']}: [{p.speaker}] {p.text[:80]}")
    elapsed = time.perf_counter() - t0
    return stats, elapsed, len(docs)


# The fresh split's first run, with the rules frozen (commit "quotes bench: fresh split"). Its errors
# were then inspected and the lexicon plus a few rules fixed, so later fresh figures are not blind.
FRESH_FIRST_RUN = ("quote P/R/F1 1.00/0.95/0.97, speaker accuracy 0.77 (en 0.80, de 0.67, ru 0.50, es 0.67, "
                   "fr/it/pl 1.00; misses: missing speech verbs 'написал', 'rief … zu', 'a salué', "
                   "possessive 'по его словам', common-noun subjects, role-to-organisation matching)")


def statement_bench() -> tuple[float, float, float, int]:
    from newsprism.analysis.statements import match_statements

    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    for n, pair in enumerate(pairs):
        quotes = []
        for k, side in enumerate((pair["a"], pair["b"])):
            start = side["article"].find(side["text"])
            quotes.append(Quote(2 * n + k + 1, side["text"], side["speaker"], side["direct"], max(0, start),
                                max(0, start) + len(side["text"]), 0))
        statements = match_statements(quotes)
        same = any(len({v.article_id for v in s.variants}) == 2 for s in statements)
        tp += same and pair["same"]
        fp += same and not pair["same"]
        fn += (not same) and pair["same"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), len(pairs)


def main() -> None:
    verbose = "-v" in sys.argv
    stats, elapsed, n_docs = quote_bench(verbose)
    sp, sr, sf, n_pairs = statement_bench()
    langs = sorted({k[0] for k in stats if k[0] != "all"}, key=lambda l: (l != "en", l)) + ["all"]
    rows = ["| language | half | gold quotes | precision | recall | F1 | speaker acc. |", "|---|---|---|---|---|---|---|"]
    for lang in langs:
        for half in ("tune", "held-out", "fresh", "all"):
            if (lang, half) not in stats:
                continue
            tp, npred, ngold, ok = stats[(lang, half)]
            p, r, f = prf(tp, npred, ngold)
            acc = ok / tp if tp else 0.0
            rows.append(f"| {lang} | {half} | {ngold} | {p:.2f} | {r:.2f} | {f:.2f} | {acc:.2f} |")
    text = "\n".join([
        "## Who said what (quotes, speakers, statements)", "",
        f"Gold set: `bench/data/quotes_gold.jsonl` ({n_docs} articles written for newsprism, "
        f"{stats[('all', 'all')][2]} quotes). A predicted quote matches a gold quote when their token-overlap "
        f"F1 ≥ {MATCH_F1}; speaker accuracy is over matched quotes. Splits: `tune` = even-numbered articles of the "
        "first 39 (errors inspected while developing); `held-out` = odd-numbered ones (numbers reported during "
        "development, and their errors were also looked at, so they are optimistic); `fresh` = 11 articles "
        "written after the rules were frozen and run once (the honest estimate).", "",
        *rows, "",
        f"Statement matching on `bench/data/statement_pairs.jsonl` ({n_pairs} cross-outlet/cross-language pairs "
        f"and non-pairs): precision {sp:.2f}, recall {sr:.2f}, F1 {sf:.2f}.", "",
        f"Fresh split, first run before any fix: {FRESH_FIRST_RUN}.", "",
        f"Throughput (entities + quotes, one article at a time, models loaded, 2 cores): {n_docs / elapsed:.1f} articles/s.", "",
        "Reproduce: `.venv/bin/python -m bench.quotes_bench` (`-v` lists misses).", ""])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
