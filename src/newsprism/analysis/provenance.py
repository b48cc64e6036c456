"""Provenance: which articles copy, rewrite or translate which, and which primary sources they cite.

* copy: ``duplicate_of`` links, or near-identical text (word 5-gram Jaccard);
* rewrite: most sentences of the later article have a close lexical counterpart in the earlier one;
* translation: a different language, and most sentences have a counterpart by multilingual
  embedding similarity; the later article is the translation;
* cites: cue phrases naming a source ("according to the Italian news agency ANSA", "in an interview
  with Reuters", "data from the Kiel Institute", "told Bfmtv", "quoted by", "по данным", "według",
  "secondo", "laut", "selon", "según", "X reported").

Pairwise work is within one story only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..embed import Embedder, sentence_embedder
from ..models import Article, ProvenanceLink, Sentence, Span
from .align import AlignedStep, aligned_share, monotone_alignment

# ---------------------------------------------------------------------------- copies & rewrites

# Tuned on the compare gold set and the seeds: verbatim copies with a changed title or trailer
# score > 0.8 on word 5-gram Jaccard; edited rewrites have most sentences within 0.5 token Jaccard
# of an original sentence, independent reports of one event have fewer than a third.
COPY_JACCARD = 0.8
REWRITE_SENTENCE_JACCARD = 0.5
REWRITE_SHARE = 0.6
# Translation: the monotone alignment (analysis.align, calibrated per language pair) must cover
# TRANSLATION_SHARE of the shorter article's body sentences (a report with one sentence of its own in
# four is not a translation). xling_dev's translations cover 1.0 of
# themselves; independent reports in another language align a few facts only.
TRANSLATION_SHARE = 0.8
MIN_TRANSLATION_SENTENCES = 3
MIN_SENTENCES = 2
MAX_SENTENCE_CHARS = 400


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _body_sentences(article: Article) -> list[Sentence]:
    """The article's sentences of four words or more, without its headline: headlines of one story
    agree in every language, so counting them made a French report with one sentence of its own
    in four a "translation" (3 + headline of 5 reached TRANSLATION_SHARE)."""
    sents = list(article.sentences) or [Sentence(0, 0, len(article.text), article.text)]
    title = " ".join(article.title.split())
    return [s for s in sents if len(_words(s.text)) >= 4 and " ".join(s.text.split()) != title]


def _credits(article: Article, other: Article) -> bool:
    """Whether ``article`` credits ``other``'s outlet ("(CPA)", "CPA reported", "according to CPA")."""
    name = (other.source or "").strip()
    if len(name) < 2 or name.casefold() == (article.source or "").casefold():
        return False
    short = re.split(r"\s+(?:wire|news|agency|press)$", name, flags=re.I)[0]
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", article.text, re.I) for n in {name, short} if len(n) >= 2)


def _order(a: Article, b: Article, sentences: dict[int, list[Sentence]] | None = None) -> tuple[Article, Article]:
    """(derived, original), from the evidence: an article crediting the other's outlet ("(CPA)") is
    derived from it; else the later-published one; on the same day or undated, the less complete one
    (fewer body sentences: a translation or rewrite leaves out more than it adds); then the later id."""
    if _credits(a, b) != _credits(b, a):
        return (a, b) if _credits(a, b) else (b, a)
    day_a, day_b = (a.published or "")[:10], (b.published or "")[:10]
    if day_a and day_b and day_a != day_b:
        return (a, b) if day_a > day_b else (b, a)
    if sentences is not None and len(sentences[a.id]) != len(sentences[b.id]):
        return (a, b) if len(sentences[a.id]) < len(sentences[b.id]) else (b, a)
    ka = (a.published or "", a.id)
    kb = (b.published or "", b.id)
    return (a, b) if ka > kb else (b, a)


def _language(article: Article) -> str | None:
    if article.language:
        return article.language.lower()[:2]
    try:
        import py3langid
        return py3langid.classify(article.text[:2000])[0]
    except Exception:  # pragma: no cover - detection is best effort
        return None


def _rewrite_share(derived: list[Sentence], original: list[Sentence]) -> float:
    if not derived or not original:
        return 0.0
    orig_sets = [set(_words(s.text)) for s in original]
    hits = 0
    for s in derived:
        ws = set(_words(s.text))
        if max(_jaccard(ws, o) for o in orig_sets) >= REWRITE_SENTENCE_JACCARD:
            hits += 1
    return hits / len(derived)


def _digits(text: str) -> frozenset[str]:
    """Numbers as digit strings without separators: "3,5" == "3.5", "1 200" == "1,200"."""
    return frozenset(re.sub(r"\D", "", m) for m in re.findall(r"\d(?:[\d.,\u00a0\u202f ]*\d)?", text))


def sentence_anchors(sentence_text: str, language: str | None) -> frozenset[str]:
    """Numbers (not years) and cross-script name keys of one sentence: they survive translation."""
    from ..cluster.features import name_tokens, numbers_in

    return frozenset(numbers_in(sentence_text)) | frozenset(name_tokens(sentence_text, True, language))


def align_articles(a: list[Sentence], b: list[Sentence], va: np.ndarray, vb: np.ndarray,
                   lang_a: str | None, lang_b: str | None) -> list[AlignedStep]:
    """The monotone sentence alignment of two articles (``analysis.align``)."""
    return monotone_alignment(va, vb, [len(s.text) for s in a], [len(s.text) for s in b],
                              [sentence_anchors(s.text, lang_a) for s in a],
                              [sentence_anchors(s.text, lang_b) for s in b], same_language=lang_a == lang_b)


def _aligned_share(a: list[Sentence], b: list[Sentence], va: np.ndarray, vb: np.ndarray,
                   lang_a: str | None = None, lang_b: str | None = None) -> float:
    """How much of the shorter article an in-order alignment with the other covers.

    A translation keeps order and covers the shorter article (a translation that leaves sentences
    out is still one); an independent report in another language shares a few facts, in another
    order, and adds its own. The shorter side: xling_dev's translations that drop two sentences
    cover at least 0.57 of the original and all of themselves.
    """
    if min(len(a), len(b)) < MIN_TRANSLATION_SENTENCES:
        return 0.0
    steps = align_articles(a, b, va, vb, lang_a, lang_b)
    paired = sum(1 for s in steps if s.left and s.right)
    if paired < MIN_TRANSLATION_SENTENCES:
        return 0.0
    short = "left" if len(a) <= len(b) else "right"
    return aligned_share(steps, short)


def reuse_links(articles: Sequence[Article], *, embedder: Embedder | None = None,
                translations: bool = True) -> list[ProvenanceLink]:
    """Copy, rewrite and translation links between the articles of one story."""
    arts = list(articles)
    by_id = {a.id: a for a in arts}
    links: list[ProvenanceLink] = []
    linked: set[tuple[int, int]] = set()
    for a in arts:
        if a.duplicate_of is not None and a.duplicate_of != a.id:
            links.append(ProvenanceLink(a.id, "copy", target_article=a.duplicate_of, score=1.0))
            linked.add((a.id, a.duplicate_of))
            linked.add((a.duplicate_of, a.id))
    sents = {a.id: _body_sentences(a) for a in arts}
    shingles = {a.id: _shingles(_words(a.text)) for a in arts}
    langs = {a.id: _language(a) for a in arts}
    pending_translation: list[tuple[Article, Article]] = []
    for i, a in enumerate(arts):
        for b in arts[i + 1:]:
            if (a.id, b.id) in linked:
                continue
            later, earlier = _order(a, b, sents)
            if langs[a.id] and langs[b.id] and langs[a.id] != langs[b.id]:
                pending_translation.append((later, earlier))
                continue
            jac = _jaccard(shingles[a.id], shingles[b.id])
            if jac >= COPY_JACCARD:
                links.append(ProvenanceLink(later.id, "copy", target_article=earlier.id, score=round(jac, 3)))
                continue
            share = _rewrite_share(sents[later.id], sents[earlier.id])
            if share >= REWRITE_SHARE and len(sents[later.id]) >= MIN_SENTENCES:
                links.append(ProvenanceLink(later.id, "rewrite", target_article=earlier.id, score=round(share, 3)))
    if translations and pending_translation:
        embedder = embedder or sentence_embedder()
        needed = sorted({x.id for pair in pending_translation for x in pair})
        texts = [s.text[:MAX_SENTENCE_CHARS] for aid in needed for s in sents[aid]]
        vecs = embedder.embed(texts) if texts else np.zeros((0, 1))
        offset = 0
        mats: dict[int, np.ndarray] = {}
        for aid in needed:
            n = len(sents[aid])
            mats[aid] = vecs[offset:offset + n]
            offset += n
        for later, earlier in pending_translation:
            share = _aligned_share(sents[later.id], sents[earlier.id], mats[later.id], mats[earlier.id],
                                   langs[later.id], langs[earlier.id])
            if share >= TRANSLATION_SHARE:
                links.append(ProvenanceLink(later.id, "translation", target_article=earlier.id, score=round(share, 3)))
    del by_id
    return links


# ------------------------------------------------------------------------------------- citations

_CAP = r"(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐŁŚŻŹĆŃÓ][\w&.'’-]*|[A-Z]{2,})"
_CONNECT = r"(?:of|for|the|de|del|della|di|du|des|la|le|and|&|für|der|des|y|i)"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP}){{0,6}}"
# Lower-case words that introduce a source's name ("the Italian news agency ANSA").
_DESCRIPTORS = set("""agency agencies news newspaper daily weekly broadcaster channel outlet portal website site
magazine radio tv television group authority institute service data figures report study survey estimates
analysis poll agencia agencji agencja agenzia agence agentur nachrichtenagentur zeitung diario periódico
quotidiano journal dziennik serwis portalu gazeta газета агентство агентства агентству издание издания
видання агентства інформагентство servicio service""".split())
# German nouns are capitalised: these descriptors still introduce a name ("der Nachrichtenagentur X").
_CAPITALISED_DESCRIPTORS = {"nachrichtenagentur", "agentur", "zeitung", "tageszeitung", "sender"}
_ROLE_WORDS = set("""secretary general president minister spokesman spokeswoman spokesperson chief head director
mayor chairman chair governor commander ambassador premier chancellor prime deputy leader king queen
pope""".split())
_ORG_WORDS = set("""agency press news radio tv television times post daily weekly journal gazette herald tribune
courier institute ministry office service council bank fund group university foundation committee
commission network broadcasting agencia agenzia agence diario zeitung gazeta ria tass wire monitor
observatory center centre institut instituto istituto instytut институт інститут ministerium ministère
ministerio ministero ministerstwo министерство міністерство agentur agencja агентство""".split())
# After these heads a name may continue in lower case ("l'Institut de recherche côtière").
_ROMANCE_ORG_HEADS = {"institut", "instituto", "istituto", "instytut", "ministère", "ministerio", "ministero",
                      "ministerstwo", "agence", "agencia", "agenzia", "servicio", "service", "observatoire",
                      "observatorio", "osservatorio", "centre", "centro", "office", "oficina", "ufficio"}
_KNOWN_MEDIA = {"reuters", "ap", "afp", "ansa", "tass", "ria novosti", "interfax", "ukrinform", "unian", "pap",
                "dpa", "efe", "xinhua", "bloomberg", "bbc", "cnn", "associated press", "agence france-presse"}

# Cues followed by the source's name; "generic" cues (according to ...) need the name to look like
# an organisation, the others (told, in an interview with) accept any name that is not a person.
_AFTER_CUES: list[tuple[str, bool]] = [
    (r"according to", True), (r"in an interview (?:with|to)", False), (r"(?:interview|interviewed) (?:with|by)", False),
    (r"told", False), (r"(?:quoted|cited|reported) by", False), (r"citing", True), (r"data (?:from|by)", True),
    (r"figures from", True), (r"a report by", True), (r"as reported by", False), (r"writes", False),
    (r"по данным", True), (r"по информации", True), (r"сообщает", False), (r"со ссылкой на", True),
    (r"за даними", True), (r"за інформацією", True), (r"повідомляє", False), (r"з посиланням на", True),
    (r"według", True), (r"podaje", False), (r"za agencją", False), (r"secondo", True), (r"riferisce", False),
    (r"stando a", True), (r"laut", True), (r"berichtete", False), (r"berichtet", False), (r"selon", True),
    (r"d['’]après", True), (r"rapporte", False), (r"según", True), (r"de acuerdo con", True), (r"informó", False),
    (r"citando a?", True),
]
_BEFORE_CUES = r"(?:reported|reports|reporte|berichtete|riferisce|informó|zufolge)"
_NAME_AFTER = re.compile(
    r"\b(?P<cue>" + "|".join(c for c, _ in _AFTER_CUES) + r")\s+(?P<rest>[^.;:!?\n\"“”«»]{1,160})", re.I)
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})\s*,?\s+(?P<cue>{_BEFORE_CUES})\b")


def _is_generic(cue: str) -> bool:
    low = cue.lower()
    for pattern, generic in _AFTER_CUES:
        if re.fullmatch(pattern, low, re.I):
            return generic
    return True


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip(" ,.'’\"-"))
    name = re.sub(r"^(the|The|l['’]|L['’])\s*", "", name)
    return re.sub(r"\s+(of|for|the|de|di|and|&|y|i)$", "", name).strip()


def _split_name(rest: str) -> tuple[str, bool] | None:
    """The source name at the start of ``rest`` and whether a media descriptor introduced it."""
    tokens = rest.split()
    # Elided articles: "l'Institut" -> "Institut".
    tokens = [re.sub(r"^[lLdD]['’]", "", t) for t in tokens[:14]]
    text = " ".join(tokens)
    described = False
    # Skip leading lower-case / descriptor words (and capitalised adjectives before a descriptor).
    words = text.split()
    last_desc = -1
    for i, w in enumerate(words[:8]):
        bare = w.strip(",").lower()
        if bare in _DESCRIPTORS and (w[:1].islower() or bare in _CAPITALISED_DESCRIPTORS):
            last_desc = i
    if last_desc >= 0:
        described = True
        words = words[last_desc + 1:]
        while words and words[0][:1].islower() and len(words) > 1 and words[0].lower() in {"from", "by", "of", "the", "de", "di", "del", "la", "el", "des", "du"}:
            words = words[1:]
        text = " ".join(words)
    else:
        while words and words[0][:1].islower() and words[0].lower() in {"the", "a", "an", "la", "el", "il", "le", "der", "die", "das"}:
            words = words[1:]
        text = " ".join(words)
    m = re.match(_NAME, text)
    if not m:
        return None
    name = m.group(0)
    if name.split()[-1].lower() in _ROMANCE_ORG_HEADS:
        tail = re.match(r"\s+(?:de|des|du|di|del|della|per|para|pour|ds\.?)\s+(?:la\s+|le\s+|l['’])?"
                        r"[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2}", text[m.end():])
        if tail:
            name += tail.group(0)
    return _clean_name(name), described


def _person_like(name: str, persons: set[str]) -> bool:
    toks = name.split()
    low = {t.lower().strip(".,") for t in toks}
    if low & _ROLE_WORDS:
        return True
    if low & _ORG_WORDS or any(t.isupper() and len(t) >= 2 for t in toks):
        return False
    if len(toks) <= 3 and all(t[:1].isupper() for t in toks):
        return len(toks) >= 2 or toks[0] in persons
    return False


def _known_names(articles: Sequence[Article]) -> tuple[set[str], set[str]]:
    """Story-wide evidence: names introduced by a media descriptor, and surnames of people."""
    media: set[str] = set(_KNOWN_MEDIA)
    persons: set[str] = set()
    for a in articles:
        if a.source:
            media.add(a.source.casefold())
        for m in _NAME_AFTER.finditer(a.text):
            split = _split_name(m.group("rest"))
            if split and split[1]:
                media.add(split[0].casefold())
        for m in re.finditer(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\b", a.text):
            if m.group(1).lower() not in _ORG_WORDS and m.group(2).lower() not in _ORG_WORDS:
                persons.add(m.group(2))
    return media, persons


def _sentence_of(article: Article, pos: int) -> Sentence:
    for s in article.sentences:
        if s.start <= pos < s.end:
            return s
    return Sentence(0, 0, len(article.text), article.text)


def cited_sources(articles: Sequence[Article]) -> list[ProvenanceLink]:
    """"cites" links: each article's named primary sources, with the sentence that names them."""
    media, persons = _known_names(articles)
    source_article: dict[str, int] = {}
    for a in sorted(articles, key=lambda x: (x.published or "", x.id)):
        if a.source:
            source_article.setdefault(a.source.casefold(), a.id)
    links: list[ProvenanceLink] = []
    for a in articles:
        found: dict[str, ProvenanceLink] = {}
        hits: list[tuple[str, int, int, bool, bool]] = []
        for m in _NAME_AFTER.finditer(a.text):
            split = _split_name(m.group("rest"))
            if split:
                hits.append((split[0], m.start(), m.end(), split[1], _is_generic(m.group("cue"))))
        for m in _NAME_BEFORE.finditer(a.text):
            hits.append((_clean_name(m.group("name")), m.start(), m.end(), False, False))
        for name, start, end, described, generic in hits:
            if len(name) < 2 or name.casefold() == (a.source or "").casefold():
                continue
            known = name.casefold() in media
            if not described and not known:
                if _person_like(name, persons):
                    continue
                toks = name.split()
                is_org = any(t.lower() in _ORG_WORDS for t in toks) or any(t.isupper() and len(t) >= 2 for t in toks)
                if generic and not is_org:
                    continue
            key = name.casefold()
            if key in found:
                continue
            sent = _sentence_of(a, start)
            found[key] = ProvenanceLink(a.id, "cites", target_article=source_article.get(key) if source_article.get(key) != a.id else None,
                                        target_source=name, score=1.0,
                                        evidence=Span(a.id, sent.index, start, min(end, len(a.text)), sent.text))
        links.extend(found.values())
    return links


def trace_provenance(articles: Sequence[Article], *, embedder: Embedder | None = None) -> list[ProvenanceLink]:
    """Copies, rewrites, translations (between the story's articles) and cited primary sources."""
    return reuse_links(articles, embedder=embedder) + cited_sources(articles)


def independent_roots(articles: Sequence[Article], links: Sequence[ProvenanceLink]) -> dict[int, int]:
    """article id -> id of its independent origin: copies, rewrites and translations count once."""
    parent = {a.id: a.id for a in articles}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.relation in {"copy", "rewrite", "translation"} and link.target_article in parent \
                and link.article_id in parent:
            ra, rb = find(link.article_id), find(link.target_article)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {a.id: find(a.id) for a in articles}


def link_json(link: ProvenanceLink) -> dict:
    """A JSON-ready provenance link."""
    ev = link.evidence
    return {"article": link.article_id, "relation": link.relation, "target_article": link.target_article,
            "target_source": link.target_source, "score": link.score,
            "evidence": None if ev is None else {"article": ev.article_id, "sentence": ev.sentence,
                                                 "start": ev.start, "end": ev.end, "text": ev.text}}


def provenance_graph(links: Sequence[ProvenanceLink], articles: Sequence[Article] | None = None) -> dict:
    """{nodes, edges}: article nodes ("article:ID") and cited-source nodes ("source:NAME")."""
    labels = {a.id: (a.source or f"article {a.id}", a.title) for a in articles or ()}
    nodes: dict[str, dict] = {}

    def art(aid: int) -> str:
        key = f"article:{aid}"
        if key not in nodes:
            src, title = labels.get(aid, (f"article {aid}", ""))
            nodes[key] = {"id": key, "type": "article", "article": aid, "label": src, "title": title}
        return key

    for a in articles or ():
        art(a.id)
    edges = []
    for link in links:
        src = art(link.article_id)
        if link.target_article is not None:
            dst = art(link.target_article)
        elif link.target_source:
            dst = f"source:{link.target_source}"
            nodes.setdefault(dst, {"id": dst, "type": "source", "label": link.target_source})
        else:
            continue
        edges.append({"from": src, "to": dst, "relation": link.relation, "score": link.score})
    return {"nodes": list(nodes.values()), "edges": edges}
