"""Claims: sentence-level factual statements of a story, grouped across outlets and languages.

Each article is split into claim sentences (questions, headers, boilerplate and empty fluff are
skipped; attribution is kept: "Stoltenberg said NATO has no plans..." is a claim about what he said,
``attributed_to`` names him). Sentences stating the same fact are grouped by average-linkage
clustering over a pairwise score: multilingual sentence embeddings plus word-stem overlap plus
shared anchors (names, numbers) that survive translation.

Status of a group, with M independent sources in the story (an article that copies, rewrites or
translates another counts with its original; several articles of one outlet count once):

* conflict  - two independent sources disagree on a number, date, place/actor, or negate each other;
* consensus - reported by at least ``max(2, ceil(0.6 * M))`` independent sources (with M == 2 both);
* partial   - reported by 2 or more independent sources, but fewer than that;
* unique    - one independent source (an article and its copies).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..clean.furniture import dateline_prefix_end, sentence_furniture
from ..embed import Embedder, sentence_embedder
from ..models import Article, Claim, Conflict, Quote, Sentence, Span
from .conflicts import compare_sentences, compare_values, quantities
from .align import PRIOR_NULL, calibrate
from .provenance import independent_roots, reuse_links, sentence_anchors
from .timeline import MONTHS, WEEKDAYS, extract_dates

CONSENSUS_SHARE = 0.6
# Pair score = centred e5 cosine + LEXICAL_WEIGHT * stem Jaccard + ANCHOR_WEIGHT * shared anchors.
# Weights and threshold from a grid search on the compare gold set (bench/compare_bench.py, pairwise
# F1 0.91-0.93 for thresholds 0.55-0.65) together with a check on the seeds (count of sentence pairs
# grouped across the seeds' four different events, which must stay low); lexical and anchor terms
# are idf-weighted within the story.
LEXICAL_WEIGHT = 0.3
ANCHOR_WEIGHT = 0.2
GROUP_THRESHOLD = 0.6
# Two sentences of the same article rarely state the same fact; make that merge much harder.
SAME_ARTICLE_PENALTY = 0.35
MIN_WORDS = 4
HEADER_MAX_WORDS = 12
MAX_CLAIM_CHARS = 400

_REPORTING = (
    r"said|says|told|added|noted|stressed|emphasi[sz]ed|confirmed|stated|warned|explained|announced|claimed|"
    r"insisted|assured|reiterated|argued|revealed|concluded|believes|urged|acknowledged|admitted|declared|"
    r"pointed out|reported|wrote|sagte|sagt|erklärte|betonte|warnte|a déclaré|a dit|a affirmé|a expliqué|"
    r"a souligné|a indiqué|a annoncé|dijo|afirmó|declaró|explicó|aseguró|señaló|indicó|anunció|ha detto|"
    r"ha dichiarato|ha affermato|ha spiegato|ha sottolineato|ha aggiunto|ha ribadito|powiedział|powiedziała|"
    r"stwierdził|stwierdziła|oświadczył|oświadczyła|podkreślił|podkreśliła|przekazał|dodał|заявил|заявила|"
    r"сказал|сказала|сообщил|сообщила|отметил|отметила|подчеркнул|подчеркнула|заявив|сказав|повідомив|"
    r"повідомила|зазначив|зазначила|наголосив|наголосила"
)
_LEAD_ATTR = re.compile(
    rf"^(?P<who>[^,;:\"“”«»]{{2,90}}?)\s+(?:has |had |have |also |then |later )*(?P<verb>{_REPORTING})\b"
    rf"(?:,)?(?:\s+(?:that|on \w+ that|dass|que|che|że|что|що))?\s+(?P<rest>.+)$", re.I)
_TRAIL_ATTR = re.compile(
    rf"^(?P<rest>.+?)[,\"”»]\s*(?P<who>[^,;\"“”«»]{{2,70}}?)\s+(?:has |had |also )*(?P<verb>{_REPORTING})"
    rf"(?:\s+\w+){{0,3}}[.!]?$", re.I)
_ACCORDING = re.compile(
    r"(?:^|[,;]\s*)(?P<cue>according to|as reported by|per|según|secondo|selon|laut|według|по данным|по словам|"
    r"за словами|за даними|d['’]après)\s+(?P<who>[^,;.]{2,80})", re.I)
_PRONOUNS = {"he", "she", "they", "er", "sie", "il", "elle", "ils", "él", "ella", "lui", "lei", "on", "ona", "oni",
             "он", "она", "они", "він", "вона", "вони", "him", "her", "them"}
_BOILERPLATE = re.compile(
    r"^(source link|similar posts|related articles?|leave a reply|read also|read more|share|comments?|"
    r"back to top|your email address|required fields|photo:|subscribe|advertisement|more updates|follow us)",
    re.I)
_FLUFF = re.compile(
    r"\b(it is worth noting that|stay tuned|more updates to follow|questions are (now )?being asked|"
    r"all eyes are on|raises several questions|remains to be seen)\b", re.I)
_TERMINAL = re.compile(r"[.!…\"”»)]$")


@dataclass(frozen=True, slots=True)
class ClaimSentence:
    """One claim-bearing sentence of one article, before grouping."""

    article: Article
    sentence: Sentence
    core: str  # the sentence without its attribution ("X said that ..."), for value comparison
    attributed_to: str | None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_][\w'’-]*", text)


def is_claim_sentence(sentence: Sentence, article: Article) -> bool:
    """A factual statement: not a question, header, boilerplate line, page furniture or empty fluff."""
    text = sentence.text.strip()
    words = _words(text)
    if len(words) < MIN_WORDS or text.endswith("?") or _BOILERPLATE.match(text) or _FLUFF.search(text):
        return False
    if sentence_furniture(sentence, article) is not None:
        return False  # dateline, byline, credit, subhead, link line (clean.furniture)
    if not _TERMINAL.search(text) and len(words) <= HEADER_MAX_WORDS:
        return False  # a heading or a title line
    return True


_SUBORDINATORS = {"after", "before", "when", "while", "because", "since", "although", "if", "as", "this", "that",
                  "it", "there", "but", "and", "so", "then", "however", "also", "further", "here", "what"}


def _clean_who(who: str) -> str | None:
    """A plausible speaker phrase: a name, a pronoun or a short noun phrase ("the ministry")."""
    who = who.strip(" ,.-–—\"“”«»")
    words = _words(who)
    if not who or not words or len(words) > 8:
        return None
    if words[0].lower() in _SUBORDINATORS or any(w.lower() in _SUBORDINATORS for w in words[1:]):
        return None
    return who


def split_attribution(text: str, previous: str | None = None) -> tuple[str, str | None]:
    """(core, attributed_to) for one sentence; pronoun speakers resolve to ``previous``."""
    stripped = text.strip()
    m = _ACCORDING.search(stripped)
    if m:
        who = _clean_who(m.group("who"))
        core = re.sub(r"\s+([.,;!])", r"\1", (stripped[:m.start()] + " " + stripped[m.end():])).strip(" ,.")
        if who and who.lower() in _PRONOUNS:
            who = previous
        if who:
            return core or stripped, who
    m = _TRAIL_ATTR.match(stripped)
    if m and len(_words(m.group("who"))) <= 8:
        who = _clean_who(m.group("who"))
        if who and who.lower() in _PRONOUNS:
            who = previous
        if who:
            return m.group("rest").strip(" ,\"“”"), who
    m = _LEAD_ATTR.match(stripped)
    if m:
        who = _clean_who(m.group("who"))
        if who and (who.lower() in _PRONOUNS or who[:1].isupper() or who.lower().startswith("the ")):
            if who.lower() in _PRONOUNS:
                who = previous
            return m.group("rest").strip(" ,\"“”"), who
    return stripped, None


def claim_sentences(article: Article) -> list[ClaimSentence]:
    """The claim-bearing sentences of one article, with attribution split off."""
    sents = article.sentences or (Sentence(0, 0, len(article.text), article.text),)
    out: list[ClaimSentence] = []
    previous: str | None = None
    for sent in sents:
        if not is_claim_sentence(sent, article):
            continue
        core, who = split_attribution(sent.text, previous)
        if who:
            previous = who
        out.append(ClaimSentence(article, sent, core, who))
    return out


# ------------------------------------------------------------------------------------ grouping

_STOP = set("""a an the of to in on at by for from with and or as is are was were be been being has have had do
does did will would that this these those it its he she they them his her their there which who what when
where than then also any some such into about over under after before during said says told le la les de des
du un une et en est que qui der die das und ist den dem ein eine el los las y del con por para il lo gli di
che per una w na z i do się że nie и в на с что по не""".split())


def _stems(text: str) -> set[str]:
    out = set()
    for w in _words(text.lower()):
        if w in _STOP or len(w) < 3:
            continue
        if len(w) > 4:
            w = re.sub(r"(ing|ed|es|s)$", "", w)
        out.add(w[:5])
    return out


def _anchors(text: str, language: str | None) -> set[str]:
    """Language-neutral anchors: names (first 4 letters, and cross-script keys: Столтенберг meets
    Stoltenberg), numbers, day dates and weekdays."""
    words = _words(text)
    names = {w.lower()[:4] for i, w in enumerate(words)
             if w[:1].isupper() and len(w) >= 3 and (i > 0 or w.isupper() or w.lower() not in _INITIAL_STOP)
             and w.lower() not in WEEKDAYS and w.lower() not in MONTHS}
    numbers = {f"{q.value:g}" for q in quantities(text, language)}
    dates = {f"d{d.iso[5:]}" for d in extract_dates(text, _ANCHOR_DATE) if d.precision == "day"}
    weekdays = {f"wd{WEEKDAYS[w.lower()]}" for w in words if w.lower() in WEEKDAYS}
    keys = {f"k{k}" for k in sentence_anchors(text, language) if not k[:1].isdigit()}
    return names | keys | numbers | dates | weekdays


# Sentence-initial capitals that are function words, not names.
_INITIAL_STOP = _STOP | set("""after before during since while when despite however meanwhile according some
many most all several its his her their our this these those there here one two three four five""".split())
_ANCHOR_DATE = dt.date(2000, 12, 31)  # only month-day of stated dates is compared


def _weighted_jaccard(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    union = sum(idf[x] for x in a | b)
    return sum(idf[x] for x in a & b) / union if union > 0 else 0.0


def _weighted_overlap(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    larger = max(sum(idf[x] for x in a), sum(idf[x] for x in b))
    return sum(idf[x] for x in a & b) / larger if larger > 0 else 0.0


def pair_scores(items: Sequence[ClaimSentence], embedder: Embedder, core: np.ndarray | None = None) -> np.ndarray:
    """Symmetric matrix of same-fact scores between claim sentences (``core``: their vectors)."""
    n = len(items)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    # Embed the proposition without its attribution: "Stoltenberg said ..." would otherwise make
    # every quote of one speaker look alike (seen on the seeds: twice the cross-event false pairs).
    if core is None:
        core = embed_cores(items, embedder)
    sims = calibrate_across_languages(core @ core.T, items)
    stems = [_stems(c.core) for c in items]
    anchors = [_anchors(c.sentence.text, c.article.language) for c in items]
    # Words and names found in most sentences of the story (its topic: "Ukraine", "Kessel") say
    # little about which fact a sentence states: weight by inverse sentence frequency.
    df = Counter(x for group in (stems, anchors) for feats in group for x in feats)
    idf = {x: math.log(2 * n / c) for x, c in df.items()}  # stems and anchors both counted: 2n sets
    scores = np.array(sims, dtype=np.float32)
    # lexical and anchor terms add at most LEXICAL_WEIGHT + ANCHOR_WEIGHT: pairs whose embeddings are
    # too far apart to reach the threshold anyway are not scored word by word (keeps large stories fast)
    floor = GROUP_THRESHOLD - LEXICAL_WEIGHT - ANCHOR_WEIGHT
    for i in range(n):
        for j in np.nonzero(sims[i, i + 1:] >= floor)[0] + i + 1:
            s = sims[i, j] + LEXICAL_WEIGHT * _weighted_jaccard(stems[i], stems[j], idf) \
                + ANCHOR_WEIGHT * _weighted_overlap(anchors[i], anchors[j], idf)
            if items[i].article.id == items[j].article.id and items[i].sentence.text != items[j].sentence.text:
                s -= SAME_ARTICLE_PENALTY
            scores[i, j] = scores[j, i] = s
    return scores


def calibrate_across_languages(sims: np.ndarray, items: Sequence[ClaimSentence]) -> np.ndarray:
    """Cosines of sentence pairs in two languages put on the one-language scale the weights and
    threshold were chosen on (``GROUP_THRESHOLD``).

    e5 scores the same fact 0.56-0.68 across languages and 0.78-0.91 within one, so a raw threshold
    splits claims by language. Each pair of articles in two languages is calibrated against its own
    bulk (``align.calibrate``: z against the median and spread of all its sentence pairs, most of
    which state different facts), then mapped onto the prior of one language: cos' = median + z *
    spread of unrelated same-language pairs. Pairs within one language keep their cosine."""
    out = np.array(sims, dtype=np.float32)
    by_article: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        by_article.setdefault(item.article.id, []).append(i)
    lang = {aid: _lang_key(items[rows[0]].article.language) for aid, rows in by_article.items()}
    med, spread = PRIOR_NULL[True]
    ids = sorted(by_article)
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            if lang[a] == lang[b]:
                continue
            block = np.ix_(by_article[a], by_article[b])
            z = calibrate(sims[block], same_language=False)
            out[block] = med + z * spread
            out[np.ix_(by_article[b], by_article[a])] = out[block].T
    return out


def _lang_key(language: str | None) -> str:
    return (language or "").lower()[:2]


def embed_cores(items: Sequence[ClaimSentence], embedder: Embedder) -> np.ndarray:
    """One vector per claim sentence, of its proposition without the attribution."""
    return embedder.embed([c.core[:MAX_CLAIM_CHARS] for c in items])


def _cluster(scores: np.ndarray, threshold: float) -> list[list[int]]:
    n = len(scores)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 + LEXICAL_WEIGHT + ANCHOR_WEIGHT - scores, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(z, t=1.0 + LEXICAL_WEIGHT + ANCHOR_WEIGHT - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for idx, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(idx)
    return sorted(groups.values(), key=lambda g: g[0])


# ------------------------------------------------------------------------------------ status

def source_name(article: Article) -> str:
    """The outlet name shown for an article (its source, else its URL host, else 'article N')."""
    if article.source:
        return article.source
    if article.url:
        host = re.sub(r"^https?://(www\.)?", "", article.url).split("/")[0]
        if host:
            return host
    return f"article {article.id}"


def independence_units(articles: Sequence[Article], links=None, *, embedder: Embedder | None = None) -> dict[int, int]:
    """article id -> independent unit: copies/rewrites/translations and same-outlet articles merge."""
    if links is None:
        links = reuse_links(articles, embedder=embedder)
    roots = independent_roots(articles, links)
    parent = dict(roots)
    first_of_source: dict[str, int] = {}
    for a in sorted(articles, key=lambda x: x.id):
        key = source_name(a).casefold()
        if key in first_of_source:
            r1, r2 = parent[a.id], parent[first_of_source[key]]
            lo, hi = min(r1, r2), max(r1, r2)
            for k, v in parent.items():
                if v == hi:
                    parent[k] = lo
        else:
            first_of_source[key] = a.id
    return parent


def consensus_minimum(m: int) -> int:
    """Independent sources needed for consensus among ``m``: max(2, ceil(0.6 m))."""
    return max(2, math.ceil(CONSENSUS_SHARE * m - 1e-9))


def _status(k: int, m: int, conflict: bool) -> str:
    if conflict:
        return "conflict"
    if k <= 1:
        return "unique"
    return "consensus" if k >= consensus_minimum(m) else "partial"


def _group_conflicts(members: list[ClaimSentence], units: dict[int, int],
                     aligned: set[tuple[int, int, int, int]] = frozenset()) -> tuple[Conflict, ...]:
    """Values on which members disagree, each with both sentences: between independent sources, and
    between a translation, rewrite or copy and its original where the alignment pairs the two
    sentences (a changed value). One record per distinct pair of values."""
    out: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if a.article.id == b.article.id:
                continue
            key = (a.article.id, a.sentence.index, b.article.id, b.sentence.index)
            paired = key in aligned or key[2:] + key[:2] in aligned
            if units[a.article.id] == units[b.article.id] and not paired:
                continue
            la, lb = (a.article.language or "")[:2] or None, (b.article.language or "")[:2] or None
            # values from the whole sentences (a date may sit in the attribution: "kp.ru reported on
            # July 26"); negation and names from the attribution-free cores. Independent reports in one
            # claim each add details of their own: only an unambiguous changed value counts (strict)
            hit = compare_values(_without_dateline(a.sentence.text), _without_dateline(b.sentence.text), la, lb,
                                 strict=not paired) \
                or compare_sentences(_without_dateline(a.core), _without_dateline(b.core), la, lb, strict=not paired)
            if hit and frozenset((hit.value_a, hit.value_b)) not in seen:
                seen.add(frozenset((hit.value_a, hit.value_b)))
                out.append(Conflict(hit.kind, hit.value_a, hit.value_b, _span(a), _span(b)))
    return tuple(out)


# Same claim, different value: two sentences of independent sources this similar on their own that
# differ in one unambiguous value ("at least five allies pledged air defence" / "seven allies promised
# air defence") state one claim whose sources disagree, even when the changed value kept the pair out
# of one group. The bar is the grouping threshold plus half the anchor weight (a pair must make up,
# in wording, for part of the anchors the changed value takes away). Of the three bars tried (+0,
# +half, +all of ANCHOR_WEIGHT), +0 joined separate facts of the compare gold (claim grouping P 1.000
# -> 0.884) and +all missed the demo corpus's five/seven allies; +half keeps the compare gold as it was.
DISAGREEING_PAIR_SCORE = GROUP_THRESHOLD + ANCHOR_WEIGHT / 2


def _join_disagreeing(groups: list[list[int]], scores: np.ndarray, items: Sequence[ClaimSentence],
                      units: dict[int, int]) -> list[list[int]]:
    """Groups joined where a member pair is a changed value between independent sources."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for i, j in zip(*np.nonzero(np.triu(scores >= DISAGREEING_PAIR_SCORE, k=1))):
        a, b = items[i], items[j]
        gi, gj = root(group_of[i]), root(group_of[j])
        if gi == gj or units[a.article.id] == units[b.article.id]:
            continue
        la, lb = (a.article.language or "")[:2] or None, (b.article.language or "")[:2] or None
        if compare_values(_without_dateline(a.sentence.text), _without_dateline(b.sentence.text), la, lb, strict=True):
            parent[max(gi, gj)] = min(gi, gj)
    joined: dict[int, list[int]] = {}
    for g, members in enumerate(groups):
        joined.setdefault(root(g), []).extend(members)
    return [sorted(m) for _, m in sorted(joined.items())]


def _display_text(text: str) -> str:
    """A claim's text as shown: the sentence without the dash of dialogue or a dateline before it
    ("— NATO has no intention ..."); its evidence keeps the sentence as written."""
    return re.sub(r"^[\s—–―‒-]+", "", _without_dateline(text.strip())).strip() or text.strip()


def _without_dateline(text: str) -> str:
    """A sentence without its opening dateline: that date is when the outlet filed, not a fact of the
    claim ("CASCIA, 15 September 2024 (CPA) — ..." against "... sábado 14 de septiembre")."""
    return text[dateline_prefix_end(text):]


def _span(c: ClaimSentence) -> Span:
    return Span(c.article.id, c.sentence.index, c.sentence.start, c.sentence.end, c.sentence.text)


def _representative(members: list[ClaimSentence], vecs: np.ndarray | None) -> ClaimSentence:
    english = [m for m in members if (m.article.language or "en").startswith("en")]
    pool = english or members
    return min(pool, key=lambda m: (m.article.published or "9999", m.article.id, m.sentence.index))


# Sentences the monotone alignment pairs between a translation/rewrite/copy and its original state one
# fact (must-link); the other sentence pairs of those two articles do not (cannot-link).
ALIGNED_SCORE = 3.0
UNALIGNED_SCORE = -3.0


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A claim of an original that a translation, rewrite or copy of it leaves out."""

    article_id: int  # the derived article
    original_id: int
    relation: str  # "translation", "rewrite", "copy"
    sentence: int  # the original's sentence index
    claim: int = 0  # filled once claims are numbered


def _aligned_pairs(items: Sequence[ClaimSentence], vecs: np.ndarray, links) -> tuple[
        set[tuple[int, int]], set[tuple[int, int]], list[LeftOut]]:
    """(item pairs aligned, item pairs of linked articles not aligned, original sentences left out)."""
    from .provenance import align_articles

    by_article: dict[int, list[int]] = {}
    for k, c in enumerate(items):
        by_article.setdefault(c.article.id, []).append(k)
    must: set[tuple[int, int]] = set()
    cannot: set[tuple[int, int]] = set()
    left_out: list[LeftOut] = []
    for link in links:
        if link.relation not in {"copy", "rewrite", "translation"} or link.target_article is None:
            continue
        derived, original = by_article.get(link.article_id, []), by_article.get(link.target_article, [])
        if not derived or not original:
            continue
        a, b = items[original[0]].article, items[derived[0]].article
        steps = align_articles([items[k].sentence for k in original], [items[k].sentence for k in derived],
                               vecs[original], vecs[derived], a.language, b.language)
        paired = set()
        for step in steps:
            if step.left and step.right:
                for i in step.left:
                    for j in step.right:
                        paired.add((original[i], derived[j]))
            elif step.left:
                left_out.extend(LeftOut(b.id, a.id, link.relation, items[original[i]].sentence.index)
                                for i in step.left)
        must |= paired
        cannot |= {(i, j) for i in original for j in derived} - paired
    return must, cannot, left_out


def compare_claims(articles: Sequence[Article], *, embedder: Embedder | None = None,
                   links=None) -> tuple[list[Claim], list[LeftOut]]:
    """Claims of one story, grouped across articles and languages, each with a status, and what each
    translation, rewrite or copy leaves out of its original.

    ``links`` are the story's reuse links (``provenance.reuse_links``), computed when not given.
    Claims are ordered by how many independent sources report them, then by first appearance.
    """
    arts = list(articles)
    if not arts:
        return [], []
    embedder = embedder or sentence_embedder()
    if links is None:
        links = reuse_links(arts, embedder=embedder)
    units = independence_units(arts, links, embedder=embedder)
    m = len(set(units.values()))
    items = [c for a in arts for c in claim_sentences(a)]
    vecs = embed_cores(items, embedder) if items else np.zeros((0, 1), dtype=np.float32)
    scores = pair_scores(items, embedder, vecs)
    must, cannot, left_out = _aligned_pairs(items, vecs, links)
    for i, j in must:
        scores[i, j] = scores[j, i] = max(float(scores[i, j]), ALIGNED_SCORE)
    for i, j in cannot:
        scores[i, j] = scores[j, i] = UNALIGNED_SCORE
    aligned_keys = {(items[i].article.id, items[i].sentence.index, items[j].article.id, items[j].sentence.index)
                    for i, j in must}
    groups = _join_disagreeing(_cluster(scores, GROUP_THRESHOLD), scores, items, units)
    order = {a.id: i for i, a in enumerate(arts)}
    drafts = []
    for g in groups:
        members = sorted((items[i] for i in g), key=lambda c: (order[c.article.id], c.sentence.index))
        k = len({units[c.article.id] for c in members})
        conflicts = _group_conflicts(members, units, aligned_keys) if len(members) >= 2 else ()
        rep = _representative(members, None)
        # prefer a named speaker over an outlet/agency phrase when both occur
        who = Counter(c.attributed_to for c in members if c.attributed_to
                      and not re.search(r"\b(agency|agencia|agenzia|agentur|reuters|news)\b", c.attributed_to, re.I)
                      ).most_common(1) or Counter(c.attributed_to for c in members if c.attributed_to).most_common(1)
        sources = tuple(dict.fromkeys(source_name(c.article) for c in members))
        evidence = tuple(Span(c.article.id, c.sentence.index, c.sentence.start, c.sentence.end, c.sentence.text)
                         for c in members)
        drafts.append((k, members[0], rep, sources, evidence, conflicts, who[0][0] if who else rep.attributed_to))
    drafts.sort(key=lambda d: (-d[0], order[d[1].article.id], d[1].sentence.index))
    claims = [Claim(id=i, text=_display_text(rep.sentence.text), status=_status(k, m, bool(conf)), sources=sources,
                    evidence=evidence, attributed_to=who, conflicts=conf,
                    conflicting_values=tuple(dict.fromkeys(v for c in conf for v in (c.value_a, c.value_b))))
              for i, (k, _, rep, sources, evidence, conf, who) in enumerate(drafts, start=1)]
    claim_of = {(e.article_id, e.sentence): c.id for c in claims for e in c.evidence}
    left_out = [LeftOut(x.article_id, x.original_id, x.relation, x.sentence, claim_of.get((x.original_id, x.sentence), 0))
                for x in left_out]
    return claims, [x for x in left_out if x.claim]


def extract_claims(articles: Sequence[Article], *, embedder: Embedder | None = None) -> list[Claim]:
    """Claims of one story (``compare_claims`` without what translations leave out)."""
    return compare_claims(articles, embedder=embedder)[0]


def attach_quote_speakers(claims: Sequence[Claim], quotes: Sequence[Quote]) -> list[Claim]:
    """Fill ``attributed_to`` from the quote extractor's speakers where a claim sentence is a quote."""
    speaker_at = {(q.article_id, q.sentence): q.speaker for q in quotes if q.speaker}
    out = []
    for c in claims:
        if c.attributed_to is None:
            found = [speaker_at[(e.article_id, e.sentence)] for e in c.evidence if (e.article_id, e.sentence) in speaker_at]
            if found:
                c = Claim(c.id, c.text, c.status, c.sources, c.evidence, c.conflicting_values,
                          Counter(found).most_common(1)[0][0], c.conflicts)
        out.append(c)
    return out


def claim_json(claim: Claim) -> dict:
    """A JSON-ready claim: id, text, status, sources, evidence (article + sentence), values, speaker."""
    return {"id": claim.id, "text": claim.text, "status": claim.status, "sources": list(claim.sources),
            "evidence": [{"article": e.article_id, "sentence": e.sentence, "text": e.text} for e in claim.evidence],
            "conflicting_values": list(claim.conflicting_values), "attributed_to": claim.attributed_to,
            "conflicts": [{"kind": c.kind,
                           "a": {"value": c.value_a, "article": c.evidence_a.article_id,
                                 "sentence": c.evidence_a.sentence, "text": c.evidence_a.text},
                           "b": {"value": c.value_b, "article": c.evidence_b.article_id,
                                 "sentence": c.evidence_b.sentence, "text": c.evidence_b.text}}
                          for c in claim.conflicts]}
