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
MULTI = ROOT / "bench" / "data" / "quotes_multilingual.jsonl"
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
    from newsprism.analysis.entities import english_doc, extract_entities
    from newsprism.analysis.quotes import extract_quotes

    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, pred, gold, speaker ok
    for lang, text in (("en", "Warm-up text, said John Smith."), ("ru", "Тест, сказал Иван Петров.")):
        extract_entities([make_article(text, lang, 0)])  # load spaCy and natasha outside the timing
    t0 = time.process_time()  # CPU time: the 2 shared cores make wall time swing 2-3x with others' load
    en_time, en_docs = 0.0, 0
    for n, doc in enumerate(docs):
        half = doc.get("split") or ("tune" if n % 2 == 0 else "held-out")
        article = make_article(doc["text"], doc["language"], n + 1)
        t_doc = time.process_time()
        entities, _ = extract_entities([article])
        pred = extract_quotes(article, entities)
        if doc["language"] == "en":
            en_time += time.process_time() - t_doc
            en_docs += 1
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
    elapsed = time.process_time() - t0
    EN_SPEED[:] = [en_docs / en_time if en_time else 0.0]
    english = [make_article(d["text"], "en", n + 1) for n, d in enumerate(docs) if d["language"] == "en"]
    for _ in range(2):  # best of 3 passes: one pass swings with the other load on the shared cores
        english_doc.cache_clear()
        t_en = time.process_time()
        for article in english:
            extract_quotes(article, extract_entities([article])[0])
        EN_SPEED[0] = max(EN_SPEED[0], len(english) / max(1e-9, time.process_time() - t_en))
    return stats, elapsed, len(docs)


def multilingual_bench(verbose: bool = False) -> dict[tuple[str, str], list[int]]:
    """Per language and split of ``quotes_multilingual.jsonl``: [gold, matched, speaker right]."""
    from newsprism.analysis.entities import extract_entities
    from newsprism.analysis.quotes import extract_quotes

    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for n, line in enumerate(MULTI.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        doc = json.loads(line)
        article = make_article(doc["text"], doc["language"], n + 1)
        entities, _ = extract_entities([article])
        pairs = match(extract_quotes(article, entities), doc["quotes"])
        ok = sum(same_speaker(p.speaker, g["speaker"]) for p, g in pairs)
        for key in ((doc["language"], doc["split"]), (doc["language"], "all"), ("all", doc["split"]), ("all", "all")):
            stats[key][0] += len(doc["quotes"]); stats[key][1] += len(pairs); stats[key][2] += ok
        if verbose:
            for p, g in pairs:
                if not same_speaker(p.speaker, g["speaker"]):
                    print(f"ML SPEAKER {doc['id']}: {p.speaker!r} vs {g['speaker']!r} | {g['text'][:60]}")
            found = {id(g) for _, g in pairs}
            for g in doc["quotes"]:
                if id(g) not in found:
                    print(f"ML MISS {doc['id']}: [{g['speaker']}] {g['text'][:80]}")
    return stats


def multilingual_rows(stats: dict[tuple[str, str], list[int]]) -> list[str]:
    rows = ["| language | split | gold quotes | recall | speaker acc. |", "|---|---|---|---|---|"]
    langs = sorted({k[0] for k in stats if k[0] != "all"}) + ["all"]
    for lang in langs:
        for split in ("dev", "held-out", "all"):
            if (lang, split) in stats:
                gold, found, ok = stats[(lang, split)]
                rows.append(f"| {lang} | {split} | {gold} | {found / gold:.2f} | {ok / found if found else 0:.2f} |")
    return rows


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


# ---------------------------------------------------------------- BASIL: real US news (issue 17)
BASIL = ROOT.parent / "shared" / "bench" / "basil_dev.jsonl"
_TITLE_WORDS = {"sen", "senator", "gov", "governor", "rep", "representative", "president", "mr", "mrs", "ms", "dr",
                "vice", "former", "speaker", "secretary", "justice", "the", "leader", "minister", "prime"}
# Words of a group name that say what kind of group it is, not which one ("Democratic lawmakers").
_GROUP_GENERIC = {"lawmakers", "house", "senate", "campaign", "officials", "companies", "the"}
_PARTY_TAGS = {"democrat": r"\(D-|\bD-[A-Z]|Democrat", "republican": r"\(R-|\bR-[A-Z]|Republican|GOP"}


def _name_tokens(name: str | None) -> set[str]:
    words = re.findall(r"\w+", _fold(name or "").replace("’", "'"))
    return {w for w in words if w not in _TITLE_WORDS and not (len(w) == 1 and w.isalpha() and len(words) > 2)}


def basil_same_speaker(pred: str | None, gold: str) -> bool:
    """The README's rule: one name's tokens (titles dropped) are a subset of the other's."""
    p, g = _name_tokens(pred), _name_tokens(gold)
    return bool(p) and bool(g) and (p <= g or g <= p)


def _stem(word: str) -> str:
    return _fold(word)[:6]


def group_member(pred: str | None, group: str, article_text: str) -> bool:
    """A proxy for "the speaker is a member or spokesperson of the gold group": the predicted speaker
    names the group, or a sentence of the article that names the speaker also names the group
    (its specific words, or the party tag "(D-…)"/"(R-…)" for a party's lawmakers)."""
    if not pred:
        return False
    keys = [_stem(w) for w in re.findall(r"\w+", group) if w.lower() not in _GROUP_GENERIC] or \
        [_stem(w) for w in re.findall(r"\w+", group)]
    if all(k in _fold(pred) for k in keys):
        return True
    surname = re.findall(r"\w+", pred)[-1] if re.findall(r"\w+", pred) else ""
    if len(surname) < 3:
        return False
    for sent in re.split(r"(?<=[.!?])\s+|\n+", article_text):
        if surname not in sent:
            continue
        folded = _fold(sent)
        if all(k in folded for k in keys):
            return True
        if any(k.startswith(party[:6]) and re.search(tag, sent) for party, tag in _PARTY_TAGS.items() for k in keys):
            return True
    return False


def basil_halves(docs: list[dict]) -> dict[str, str]:
    """Event -> half "A"/"B": events in id order, alternating (no look at the content)."""
    events = sorted({d["gold_event"] for d in docs})
    return {e: "AB"[i % 2] for i, e in enumerate(events)}


def basil_bench(verbose: bool = False, half_filter: str | None = None) -> dict[str, dict[str, int]]:
    """Direct-quote recall, person-speaker accuracy and group-member rate per event half.

    Each event's three articles are analysed together, as one story is in the pipeline."""
    from newsprism.analysis.entities import extract_entities
    from newsprism.analysis.quotes import extract_quotes
    from newsprism.clean.sentences import split_sentences

    docs = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines() if line.strip()]
    halves = basil_halves(docs)
    by_event: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        by_event[d["gold_event"]].append(d)
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n = 0
    for event in sorted(by_event):
        half = halves[event]
        if half_filter and half != half_filter:
            continue
        articles = []
        for d in by_event[event]:
            n += 1
            articles.append(Article(n, d["id"], d["title"], d["text"], split_sentences(d["text"], "en"), "en",
                                    d.get("source"), d.get("published")))
        entities, _ = extract_entities(articles)
        for article, d in zip(articles, by_event[event]):
            pred = extract_quotes(article, entities)
            gold = [g for g in d["gold_quotes"] if g["direct"]]
            pairs = match(pred, gold)
            for key in (half, "all"):
                s = stats[key]
                s["gold"] += len(gold)
                s["found"] += len(pairs)
                s["pred_direct"] += sum(q.direct for q in pred)
            for p, g in pairs:
                kind = g["speaker_kind"]
                if kind == "person":
                    ok = basil_same_speaker(p.speaker, g["speaker"])
                elif kind == "group":
                    ok = group_member(p.speaker, g["speaker"], d["text"])
                else:
                    continue
                for key in (half, "all"):
                    stats[key][f"{kind}"] += 1
                    stats[key][f"{kind}_ok"] += ok
                    stats[key][f"{kind}_none"] += p.speaker is None
                if verbose and not ok:
                    print(f"{half} {kind.upper():6} {d['id']}: {p.speaker!r} vs {g['speaker']!r} | {g['text'][:70]}")
            if verbose:
                matched = {id(g) for _, g in pairs}
                for g in gold:
                    if id(g) not in matched and g["speaker_kind"] != "generic":
                        print(f"{half} MISS   {d['id']}: [{g['speaker']}] {g['text'][:80]}")
    return stats


def basil_rows(stats: dict[str, dict[str, int]]) -> list[str]:
    rows = ["| event half | gold direct quotes | recall | person quotes found | person-speaker acc. | "
            "no speaker | group quotes found | speaker in group |", "|---|---|---|---|---|---|---|---|"]
    for half in ("A", "B", "all"):
        s = stats.get(half)
        if not s:
            continue
        rows.append(f"| {half} | {s['gold']} | {s['found'] / max(1, s['gold']):.2f} | {s['person']} | "
                    f"{s['person_ok'] / max(1, s['person']):.2f} | {s['person_none']} | {s['group']} | "
                    f"{s['group_ok'] / max(1, s['group']):.2f} |")
    return rows


# quotes_multilingual.jsonl scored once right after it was written (the demo story 5 fixes already in place).
MULTI_FIRST_RUN = ("recall 0.88, speaker accuracy 0.93 (dev 0.88, held-out 1.00; pl 0.83, uk 0.71, de/es/fr/it/ru 1.00); "
                   "dev errors fixed afterwards: a person described after 'według'/'за словами', a genitive place glued "
                   "to a name by natasha, a sentence-initial pronoun tagged as a person")


# The BASIL figures on main before issue 17's work (this bench, run at commit 5d76f14).
BASIL_BEFORE = ('Before issue 17 (commit 5d76f14, same bench): recall A/B/all 0.84/0.86/0.85, person-speaker accuracy 0.61/0.63/0.62, speaker in group 0.77/0.52/0.64.')

EN_SPEED: list[float] = []  # English articles per CPU second, set by quote_bench
# Measured when entities and attribution began sharing one parse (gold set, CPU time, same machine).
SPEED_NOTE = ("Before entities and quote attribution shared one English parse (commit 948fd80: English text was "
              "tagged twice, by the NER-only pipeline and again by the full one), English articles alone ran at "
              "12.7-14.1 per CPU second and after it at 21.0-23.7 (best of 3 passes over the 19 English gold articles, "
              "two runs each, same machine); the whole gold set, dominated by natasha for ru/uk, went from about 14 "
              "to about 14-19, within the noise of the shared cores. The earlier '71.8 -> 7 articles/s' was wall-clock "
              "time with the parser model loaded inside the timed loop.")


def main() -> None:
    verbose = "-v" in sys.argv
    stats, elapsed, n_docs = quote_bench(verbose)
    sp, sr, sf, n_pairs = statement_bench()
    multi = multilingual_bench(verbose)
    basil = basil_bench(verbose) if BASIL.exists() else {}
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
        f"Throughput (entities + quotes, one article at a time, models loaded; per second of process CPU time): {n_docs / elapsed:.1f} articles/s; English articles alone {EN_SPEED[0]:.1f}/s (best of 3 passes). {SPEED_NOTE}", "",
        "### Other languages: `bench/data/quotes_multilingual.jsonl`", "",
        "14 short news articles written for issue 17 (two each in pl, uk, ru, de, fr, it, es: dash speech, «…», "
        "„…“, 'according to X' forms, speakers with roles, inflected names, dates and places beside the speech "
        "verb), 50 quotes with their speakers. `dev` articles were inspected while fixing rules; `held-out` ones "
        "were scored, and their misses read once: one, Spanish dialogue with the em dash set tight to the words, "
        "was fixed as a general bug (held-out recall 0.79 -> 0.83), so the held-out row is no longer blind. Its "
        "remaining misses are speech verbs missing from `data/roles.yaml` (ogłosił, odpowiedziała, ha risposto, "
        "informó). Matching and speaker rules as above.", "",
        *multilingual_rows(multi), "",
        f"First run, before any fix from it: {MULTI_FIRST_RUN}.", "",
        "### Real US news: BASIL (`../shared/bench/basil_dev.jsonl`)", "",
        "150 Fox News / New York Times / HuffPost articles of 50 events; each event's three articles are analysed "
        "together, as one story. Recall is over gold direct quotes (a match is bag-of-words F1 ≥ 0.5); speaker "
        "accuracy is over matched quotes whose gold speaker is a named person (names match when one's tokens, "
        "titles dropped, are a subset of the other's); for quotes whose gold speaker is a group, *speaker in group* "
        "is a proxy: the predicted speaker names the group, or a sentence naming the speaker names the group (or "
        "its party tag, '(D-…)'). Event halves: events in id order, alternately A and B. The rules were developed "
        "looking at half A's errors only; half B is reported as held out.", "",
        *(basil_rows(basil) if basil else ["(basil_dev.jsonl not found beside the project)"]), "",
        BASIL_BEFORE, "",
        "Reproduce: `.venv/bin/python -m bench.quotes_bench` (`-v` lists misses).", ""])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
