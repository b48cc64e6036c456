"""Framing, per article (never a verdict on an outlet), each finding with its evidence span.

* naming: the words each article uses for a referent named in two or more ways in the story, from
  the shipped/user lexicons (Kyiv/Kiev, NATO/"the US-led bloc", "Russian forces"/"Russian
  occupiers", "invasion"/"special military operation") and discovered from the story itself:
  transliteration variants of capitalised names (same consonant skeleton: Kyiv/Kiev,
  Zelensky/Zelenskyy, Odesa/Odessa) and phrases that take the place of a name in otherwise aligned
  sentences of two articles ("NATO began ..." / "The US-led bloc began ...");
* loaded: loaded and emotive terms (lexicon);
* distinctive: words that set one source apart from the others on the same story, by the log-odds
  ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), with z-scores;
* tone: lexicon-based, sentence-level, signed tone toward the story's main entities, with evidence.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

from ..models import Article, FramingFinding, Sentence, Span
from .claims import source_name
from .conflicts import spelling_variant
from .lexicon import Lexicon, find_terms, load_lexicon

# Log-odds (Monroe et al. 2008): prior = story-wide word frequencies scaled to PRIOR_SIZE pseudo
# counts; a word is distinctive for a source at |z| >= DISTINCTIVE_Z (two-sided 95%), reported
# when used at least DISTINCTIVE_MIN_COUNT times by that source, at most DISTINCTIVE_TOP per source.
PRIOR_SIZE = 500.0
DISTINCTIVE_Z = 1.96
DISTINCTIVE_MIN_COUNT = 2
DISTINCTIVE_TOP = 10
# Context discovery: sentence pairs must share this share of tokens (difflib ratio) to align.
ALIGN_MIN_RATIO = 0.6
MAX_SLOT_TOKENS = 4
MAX_CONTEXT_SENTENCES = 2000
TONE_ENTITIES = 6
# Transliterations differ in one or two letters (Kyiv/Kiev, Kharkiv/Kharkov, Odesa/Odessa); three
# edits already join unrelated words with one consonant skeleton (Coastal/Costly).
MAX_SPELLING_EDITS = 2

_STOP = set("""a an the of to in on at by for from with and or as is are was were be been being has have had do
does did will would shall should can could may might must that this these those it its he she they them his
her their there here which who whom what when where how than then also any some such into about over under after
before during said says told not no but all more most other only very just than so if while because about
up out new one two three said le la les de des du un une et en est que qui pas pour dans sur par au aux der die
das und ist den dem ein eine nicht mit von zu auf für im el los las y del con por para se lo un una il gli di
che per non nel della w na z i do się że nie jest to o и в на с что по не как это из за от для""".split())
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_CAP_RE = re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐŁŚŻŹĆŃ][\w'’-]{2,})")
_TITLE_WORDS = set("""secretary general president minister prime chief head director spokesman spokeswoman
alliance allies government ministry mr mrs ms dr""".split())
_GENERIC_HEADS = set("""he she it they him her them this that company firm country city government group man woman
people officials official authorities side state organisation organization alliance""".split())


def _span(article: Article, start: int, end: int) -> Span:
    for s in article.sentences:
        if s.start <= start < s.end or (s.start <= start and end <= s.end):
            return Span(article.id, s.index, start, end, article.text[start:end])
    return Span(article.id, 0, start, end, article.text[start:end])


def _sentences(article: Article) -> tuple[Sentence, ...]:
    return article.sentences or (Sentence(0, 0, len(article.text), article.text),)


# ------------------------------------------------------------------------------------ naming

def _lexicon_hits(articles: Sequence[Article], lex: Lexicon) -> list[tuple[Article, str, str, int, int]]:
    """(article, referent, variant key, start, end) for every naming-lexicon match."""
    out = []
    for art in articles:
        for term, start, end in find_terms(art.text, lex.naming):
            key = term.term.rstrip("*") if not term.term.endswith("*") else art.text[start:end].lower()
            out.append((art, term.group, key, start, end))
    return out


def _fold(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def _morphological(a: str, b: str) -> bool:
    """Ukraine/Ukrainian, Russia/Russian: derived forms, not spelling variants."""
    x, y = _fold(a).rstrip("aeiouy"), _fold(b).rstrip("aeiouy")
    return x.startswith(y) or y.startswith(x)


def _spelling_hits(articles: Sequence[Article], known: set[str]) -> list[tuple[Article, str, str, int, int]]:
    """Transliteration variants of capitalised names used mid-sentence across the story."""
    occurrences: dict[str, list[tuple[Article, int, int]]] = defaultdict(list)
    for art in articles:
        for sent in _sentences(art):
            for m in _CAP_RE.finditer(sent.text):
                if m.start(1) == 0 or sent.index == 0 and sent.text.strip() == art.title.strip():
                    continue  # sentence-initial words and title case say nothing about names
                word = m.group(1).rstrip("'’").removesuffix("'s").removesuffix("’s")
                if word.lower() in known or len(word) < 4:
                    continue
                start = sent.start + m.start(1)
                occurrences[word].append((art, start, start + len(word)))
    # Part of a longer name ("Giorgia Meloni", "Prime Minister")? Then compare whole names, not tokens.
    in_compound: dict[str, list[bool]] = defaultdict(list)
    for word, occ in occurrences.items():
        for art, s, e in occ:
            before = art.text[max(0, s - 30):s].split()
            after = art.text[e:e + 30].split()
            in_compound[word].append(bool((before and before[-1][:1].isupper() and not before[-1].endswith((".", ":")))
                                          or (after and after[0][:1].isupper())))
    compound_share = {w: sum(v) / len(v) for w, v in in_compound.items()}
    words = sorted(occurrences, key=lambda w: (-len(occurrences[w]), w))
    out = []
    seen: set[str] = set()
    for i, w in enumerate(words):
        if w in seen:
            continue
        group = [w] + [v for v in words[i + 1:] if v not in seen and _fold(v) != _fold(w)
                       and spelling_variant(w, v) and Levenshtein.distance(_fold(v), _fold(w)) <= MAX_SPELLING_EDITS
                       and not _morphological(v, w)
                       and compound_share[v] < 0.5 and compound_share[w] < 0.5]
        if len(group) < 2:
            continue
        seen.update(group)
        for v in group:
            for art, s, e in occurrences[v]:
                out.append((art, w, v, s, e))
    return out


def _context_hits(articles: Sequence[Article], known: set[str]) -> list[tuple[Article, str, str, int, int]]:
    """Phrases standing where another article has a name, in otherwise aligned sentences."""
    out = []
    sents = [(a, s, [(m.group(0), m.start() + s.start, m.end() + s.start) for m in _WORD_RE.finditer(s.text)])
             for a in articles for s in _sentences(a)]
    if len(sents) > MAX_CONTEXT_SENTENCES:
        return out  # pairwise alignment over a whole storyline would be too slow; lexicon still applies
    bags = [{t[0].lower() for t in toks} for _, _, toks in sents]
    for i, (a1, s1, t1) in enumerate(sents):
        for k, (a2, s2, t2) in enumerate(sents[i + 1:], start=i + 1):
            if a1.id == a2.id or (a1.language or "") != (a2.language or ""):
                continue
            union = bags[i] | bags[k]
            if not union or len(bags[i] & bags[k]) / len(union) < ALIGN_MIN_RATIO / 2:
                continue  # cheap pre-filter before difflib
            w1, w2 = [t[0].lower() for t in t1], [t[0].lower() for t in t2]
            sm = SequenceMatcher(a=w1, b=w2, autojunk=False)
            if sm.ratio() < ALIGN_MIN_RATIO:
                continue
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op != "replace" or i2 - i1 > MAX_SLOT_TOKENS or j2 - j1 > MAX_SLOT_TOKENS:
                    continue
                x, y = t1[i1:i2], t2[j1:j2]
                # exactly one side is a capitalised name (the referent), the other a description
                cap_x = all(t[0][:1].isupper() for t in x) and (i1 > 0 or x[0][0].isupper())
                cap_y = all(t[0][:1].isupper() for t in y)
                if cap_x == cap_y:
                    continue
                name, desc, art_n, art_d = (x, y, a1, a2) if cap_x else (y, x, a2, a1)
                desc_words = [t[0].lower() for t in desc]
                if any(w in _STOP for w in desc_words[-1:]) or desc_words[-1] in _GENERIC_HEADS:
                    continue
                if any(ch.isdigit() for t in desc for ch in t[0]):
                    continue
                referent = " ".join(t[0] for t in name)
                if referent.lower() in known:
                    continue
                # include a preceding article ("the US-led bloc") in the description span
                start = desc[0][1]
                text_d = art_d.text
                m = re.search(r"(the|The)\s+$", text_d[max(0, start - 4):start])
                if m:
                    start -= len(m.group(0))
                out.append((art_n, referent, referent, name[0][1], name[-1][2]))
                out.append((art_d, referent, text_d[start:desc[-1][2]].strip(), start, desc[-1][2]))
    return out


def _naming(articles: Sequence[Article], lex: Lexicon) -> tuple[list[FramingFinding], list[dict]]:
    known_terms = {t.term.lower().rstrip("*") for t in lex.naming}
    hits = _lexicon_hits(articles, lex)
    hits += _spelling_hits(articles, known_terms)
    hits += _context_hits(articles, known_terms)
    variants: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for art, referent, key, _, _ in hits:
        variants[referent][key.lower()].add(art.id)
    findings: list[FramingFinding] = []
    naming: list[dict] = []
    n_articles = max(1, len(articles))
    seen: set[tuple[int, int, int]] = set()
    for art, referent, key, start, end in hits:
        if len(variants[referent]) < 2 or (art.id, start, end) in seen:
            continue
        seen.add((art.id, start, end))
        share = len(variants[referent][key.lower()]) / n_articles
        findings.append(FramingFinding(art.id, art.text[start:end], referent, "naming", _span(art, start, end),
                                       round(share, 3)))
    for referent, terms in variants.items():
        if len(terms) >= 2:
            naming.append({"referent": referent,
                           "variants": {t: sorted(ids) for t, ids in sorted(terms.items(), key=lambda kv: -len(kv[1]))}})
    return findings, naming


def _loaded(articles: Sequence[Article], lex: Lexicon, naming: list[FramingFinding]) -> list[FramingFinding]:
    covered = defaultdict(list)
    for f in naming:
        covered[f.article_id].append((f.span.start, f.span.end))
    out = []
    seen: set[tuple[int, int, int]] = set()
    for art in articles:
        phrases = [(s, e, t.group) for t, s, e in find_terms(art.text, lex.naming)]
        for term, start, end in find_terms(art.text, lex.loaded):
            if any(s <= start and end <= e for s, e in covered[art.id]):
                continue  # already shown as the naming variant that contains it
            # report the whole lexicon phrase ("Kiev regime", "Russian occupiers"), not just "regime"
            referent = None
            for s, e, group in phrases:
                if s <= start and end <= e:
                    start, end, referent = s, e, group
                    break
            if (art.id, start, end) in seen:
                continue
            seen.add((art.id, start, end))
            out.append(FramingFinding(art.id, art.text[start:end], referent, "loaded", _span(art, start, end), None))
    return out


# ------------------------------------------------------------------------------- distinctive

def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text) if len(w) >= 3 and w.lower() not in _STOP]


def log_odds_z(counts: dict[str, Counter]) -> dict[str, list[tuple[str, float]]]:
    """Per group, words by z-score of the log-odds ratio vs all other groups (informative prior).

    Monroe et al. (2008), eq. 16-22: prior alpha_w = PRIOR_SIZE * share of w in all groups.
    """
    total = Counter()
    for c in counts.values():
        total.update(c)
    n_total = sum(total.values())
    if not n_total:
        return {g: [] for g in counts}
    alpha = {w: PRIOR_SIZE * n / n_total for w, n in total.items()}
    a0 = sum(alpha.values())
    out: dict[str, list[tuple[str, float]]] = {}
    for group, c in counts.items():
        n_i = sum(c.values())
        n_j = n_total - n_i
        scored = []
        for w, y_i in c.items():
            y_j = total[w] - y_i
            a = alpha[w]
            delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
            var = 1.0 / (y_i + a) + 1.0 / (y_j + a)
            scored.append((w, delta / math.sqrt(var)))
        scored.sort(key=lambda x: (-x[1], x[0]))
        out[group] = scored
    return out


def _distinctive(articles: Sequence[Article]) -> tuple[dict[str, list[dict]], list[FramingFinding]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for art in articles:
        counts[source_name(art)].update(_tokens(art.text))
    if len(counts) < 2:
        return {s: [] for s in counts}, []
    table = log_odds_z(counts)
    result: dict[str, list[dict]] = {}
    findings: list[FramingFinding] = []
    for src, scored in table.items():
        picked = [(w, z) for w, z in scored if z >= DISTINCTIVE_Z and counts[src][w] >= DISTINCTIVE_MIN_COUNT]
        picked = picked[:DISTINCTIVE_TOP]
        result[src] = [{"term": w, "z": round(z, 2), "count": counts[src][w]} for w, z in picked]
        for w, z in picked:
            for art in articles:
                if source_name(art) != src:
                    continue
                m = re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", art.text, re.I)
                if m:
                    findings.append(FramingFinding(art.id, m.group(0), None, "distinctive",
                                                   _span(art, m.start(), m.end()), round(z, 2)))
                    break
    return result, findings


# ------------------------------------------------------------------------------------ tone

def _main_entities(articles: Sequence[Article], naming: list[dict]) -> list[tuple[str, list[str]]]:
    """The story's most mentioned names (in two or more articles), with their surface forms."""
    freq: Counter = Counter()
    spread: dict[str, set[int]] = defaultdict(set)
    for art in articles:
        for sent in _sentences(art):
            for i, m in enumerate(_CAP_RE.finditer(sent.text)):
                w = m.group(1).rstrip("'’").removesuffix("'s").removesuffix("’s")
                if m.start() == 0 and w.lower() in _STOP:
                    continue
                freq[w] += 1
                spread[w].add(art.id)
    forms = {n["referent"]: list(n["variants"]) for n in naming}
    ranked = [w for w, _ in freq.most_common() if len(spread[w]) >= 2 and w.lower() not in _STOP
              and w.lower() not in _TITLE_WORDS]
    out: list[tuple[str, list[str]]] = []
    for w in ranked[:TONE_ENTITIES]:
        out.append((w, [w] + [v for r, vs in forms.items() if r == w for v in vs]))
    return out


def _tone(articles: Sequence[Article], lex: Lexicon, naming: list[dict]) -> tuple[list[dict], list[FramingFinding]]:
    entities = _main_entities(articles, naming)
    rows: list[dict] = []
    findings: list[FramingFinding] = []
    for art in articles:
        for entity, forms in entities:
            pats = [re.compile(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", re.I) for f in forms]
            scores, evidence = [], []
            for sent in _sentences(art):
                if not any(p.search(sent.text) for p in pats):
                    continue
                pos = [sent.text[s:e] for _, s, e in find_terms(sent.text, lex.positive)]
                neg = [sent.text[s:e] for _, s, e in find_terms(sent.text, lex.negative)]
                if not pos and not neg:
                    continue
                score = (len(pos) - len(neg)) / (len(pos) + len(neg))
                scores.append(score)
                evidence.append({"sentence": sent.index, "text": sent.text, "positive": pos, "negative": neg,
                                 "score": round(score, 2)})
            if scores:
                mean = sum(scores) / len(scores)
                rows.append({"article": art.id, "entity": entity, "score": round(mean, 3), "evidence": evidence})
                first = next(s for s in _sentences(art) if s.index == evidence[0]["sentence"])
                findings.append(FramingFinding(art.id, entity, entity, "tone",
                                               Span(art.id, first.index, first.start, first.end, first.text),
                                               round(mean, 3)))
    return rows, findings


def finding_json(f: FramingFinding) -> dict:
    """A JSON-ready framing finding."""
    return {"article_id": f.article_id, "term": f.term, "referent": f.referent, "kind": f.kind,
            "span": {"article_id": f.span.article_id, "sentence": f.span.sentence, "start": f.span.start,
                     "end": f.span.end, "text": f.span.text},
            "score": f.score}


def analyze_framing(articles: Sequence[Article], *, user_lexicon: str | None = None) -> dict:
    """Per-article framing of one story: naming variants, loaded terms, distinctive words, tone.

    ``user_lexicon`` is an optional YAML path extending the shipped lexicons (see ``lexicon.py``).
    Returns {"findings": [...], "naming": [{referent, variants: {term: [article ids]}}],
    "distinctive": {source: [{term, z, count}]}, "tone": [{article, entity, score, evidence}]}.
    """
    arts = list(articles)
    lex = load_lexicon(str(user_lexicon) if user_lexicon else None)
    naming_findings, naming = _naming(arts, lex)
    loaded = _loaded(arts, lex, naming_findings)
    distinctive, distinctive_findings = _distinctive(arts)
    tone, tone_findings = _tone(arts, lex, naming)
    findings = naming_findings + loaded + distinctive_findings + tone_findings
    findings.sort(key=lambda f: (f.article_id, f.span.start, f.kind))
    return {"findings": [finding_json(f) for f in findings], "naming": naming, "distinctive": distinctive,
            "tone": tone}
