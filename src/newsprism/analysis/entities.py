"""Named entities of a story, merged into canonical entities with the evidence for every alias.

NER: spaCy ``en_core_web_sm`` for English, natasha for Russian and Ukrainian, capitalised-sequence
rules for other languages. Aliases are merged within the given articles by explicit rules, each
recorded as an ``AliasLink`` with the sentence that shows it: ``surname`` (Stoltenberg ->
Jens Stoltenberg), ``inflection`` (Stoltenberga), ``gazetteer`` (Kiev -> Kyiv, from
``data/aliases.yaml``), ``role-apposition`` ("NATO Secretary General Jens Stoltenberg"), ``role``
(a later "the head of NATO"), and ``fuzzy`` (a clear misspelling such as "Marcone" in an article
that also names Macron).
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from ..cluster.features import fold as transliterated
from ..cluster.features import phonetic_key
from ..nlp import english
from ..models import AliasLink, Article, Entity, EntityType, Mention, Span
from .speakers import (NAME_PARTICLES, PREPOSITIONS, UPPER, RolePhrase, alias_groups, find_role_phrases, fold, lang_key, org_variants,
                       pronoun_re, reported_via_res, same_name_stem)

# A misspelt name must be this similar (rapidfuzz ratio, 0-100) to a person's surname seen in the
# same article set. Chosen by hand on news misspellings (Marcone/Macron 77, Stoltenburg 91); distinct
# people with similar surnames (Moran/Morgan 91) are kept apart because a name seen as part of a full
# name, or more than once, is never re-linked by this rule.
FUZZY_MIN_RATIO = 75
# Two full names, not both plain ASCII, with one phonetic first name are one person across scripts
# and diacritics when their transliterated surnames are this similar (rapidfuzz ratio). Set by hand:
# Hrytsenko/Гриценко 78, Hrytsenko/Hryćenko 82, Zelensky/Зеленський 82, Шевченко/Ševčenko 89;
# different surnames (Kovalenko/Ковальчук 67, Jones/Johnson 67) stay below.
CROSS_SCRIPT_MIN_RATIO = 75
# Type votes: NER labels count 1 (2 for multi-word spans); a gazetteer entry or a role held by the
# entity outweighs the statistical tagger, which often calls "Kyiv" a person or "Meloni" an org.
GAZETTEER_TYPE_WEIGHT = 100
ROLE_TYPE_WEIGHT = 5
# Characters allowed between a role phrase and the name it describes ("NATO chief Jens", "Jens
# Stoltenberg, NATO's Secretary General").
APPOSITION_GAP = 3

_SPACY_TYPES: dict[str, EntityType] = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_NATASHA_TYPES: dict[str, EntityType] = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
_CAP_SEQ = re.compile(r"(?<![\w'’])[{U}][\w'’\-]+(?:[ ]+(?:(?:von|van|de|al|bin|el)[ ]+)*[{U}][\w'’\-]+){0,3}".replace("{U}", UPPER))
# Capitalised words that start sentences or name months/days: never entities on their own.
_NOT_NAMES = set("""the a an this that these those he she it they we i you his her its their our in on at
for with from by of and but or as if when after before during while since until despite however
meanwhile also earlier later today yesterday tomorrow monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december
der die das ein eine er sie es wir ich und aber oder im am auf mit von zu bei nach für laut
le la les un une il elle nous ils et mais ou dans sur avec pour selon
il lo gli una e ma secondo el los las y pero según
w na z i a o do od po że to jak nie
в на и но по как это он она они мы
у на і але за як це він вона вони ми
ile czy kto gdzie dlaczego kiedy czytaj zobacz wie wer warum wo lesen comment pourquoi qui quand où lire
come perché chi quando dove leggi cómo quién cuándo dónde lea сколько почему кто когда где читайте скільки
чому хто коли де читайте""".split())  # question words and "read also" openers of headlines and link lines
_lock = threading.Lock()
_models: dict[str, object] = {}


# Parsed English articles kept for reuse: entities and quote attribution of one story analysis read
# the same Doc, so each article is parsed once (a story rarely has more articles than this).
PARSE_CACHE_SIZE = 64


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def english_doc(text: str) -> Any:
    """The full English parse of ``text`` (NER, tags, lemmas, dependencies), shared by the entity
    tagger and the quote attributor; NER on this pipeline equals NER without the parser."""
    return english()(text)


def _natasha():
    with _lock:
        if "natasha" not in _models:
            from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
            emb = NewsEmbedding()
            _models["natasha"] = (Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), MorphVocab())
        return _models["natasha"]


@dataclass(slots=True)
class _Raw:
    article_id: int
    start: int
    end: int
    text: str
    type: EntityType
    norm: str  # normal form (natasha lemmatises Russian names), else the text


def _ner_english(article: Article) -> list[_Raw]:
    doc = english_doc(article.text)
    out = []
    for ent in doc.ents:
        etype = _SPACY_TYPES.get(ent.label_)
        text = ent.text.strip()
        if etype and text[:1].isupper():
            text = re.sub(r"^(?:the|The)\s+", "", text).split("\n")[0].strip()  # never across a line break
            text = re.sub(r"^[\[\](){}]+|[\[\](){}]+$", "", text).strip()  # "Barack] Obama" -> "Obama" below
            if "]" in text or "[" in text:
                text = text[max(text.rfind("]"), text.rfind("[")) + 1:].strip()
            if not text[:1].isupper():
                continue
            start = ent.start_char + ent.text.find(text)
            out.append(_Raw(article.id, start, start + len(text), text, etype, re.sub(r"(?:'s|’s)$", "", text)))
    return out


def _ner_natasha(article: Article) -> list[_Raw]:
    from natasha import Doc
    segmenter, tagger, morph, vocab = _natasha()
    doc = Doc(article.text)
    doc.segment(segmenter)
    doc.tag_morph(morph)
    doc.tag_ner(tagger)
    out = []
    for span in doc.spans:
        etype = _NATASHA_TYPES.get(span.type)
        if not etype:
            continue
        try:
            span.normalize(vocab)
            norm = span.normal or span.text
        except Exception:  # natasha normalisation fails on some rare tokens; keep the surface form
            norm = span.text
        if etype == "PERSON":  # natasha glues a preceding genitive place to names ("України Володимир Зеленський")
            words = span.text.split()
            cases = [t.feats.get("Case") if t.feats else None for t in span.tokens]
            # "голова Харкова Ігор Терехов": a genitive word before a nominative name is whose role it is
            genitive_lead = len(cases) > 2 and cases[0] == "Gen" and cases[-1] == "Nom"
            while len(words) > 2 and (_is_place_word(words[0]) or genitive_lead):
                cut = len(words[0]) + 1
                words = words[1:]
                span_start = span.start + cut
                norm_words = norm.split()
                norm = " ".join(norm_words[1:]) if len(norm_words) > len(words) else norm
                out.append(_Raw(article.id, span_start, span.stop, " ".join(words), etype, norm))
                break
            else:
                out.append(_Raw(article.id, span.start, span.stop, span.text, etype, norm))
            continue
        out.append(_Raw(article.id, span.start, span.stop, span.text, etype, norm))
    return out


def _is_place_word(word: str) -> bool:
    return any(word in variants for _c, variants, etype in alias_groups() if etype == "PLACE")


def _ner_rules(article: Article, taken: list[_Raw]) -> list[_Raw]:
    """Capitalised sequences outside other mentions. Two or more words make a PERSON unless they
    follow a preposition ("a Palazzo Chigi", "w Kijowie"); role titles and place names in front
    ("Ambasador Rosji Siergiej Andrijenko") are cut off."""
    spans = [(r.start, r.end) for r in taken]
    roles = find_role_phrases(article.text)
    out = []
    for m in _CAP_SEQ.finditer(article.text):
        start, end = m.start(), m.end()
        for role in roles:  # "ministro della Difesa Guido Cresti" -> "Guido Cresti"
            if role.start <= start < role.end < end:
                start = role.end
        while True:
            piece = article.text[start:end]
            lead = len(piece) - len(piece.lstrip())
            start += lead
            words = article.text[start:end].split()
            if len(words) > 1 and (words[0].lower() in _NOT_NAMES or find_role_phrases(words[0]) or _is_place_word(words[0])):
                start += len(words[0])
                continue
            if words and words[0].lower() in _NOT_NAMES:
                words = []
            if len(words) >= 3 and words[0].isupper() and not words[1].isupper():
                start += len(words[0])  # "NATO Olena Hryćenko": an acronym before a name is its organisation
                continue
            break
        if not words:
            continue
        text = " ".join(words)
        end = start + len(article.text[start:end].rstrip())
        if any(s < end and start < e for s, e in spans):
            continue
        before = article.text[max(0, start - 30):start].lower().split()
        if before and before[-1] in ("the", "a", "an"):
            before = before[:-1]
        after_preposition = bool(before) and before[-1] in PREPOSITIONS
        if text.isupper() and len(text) <= 6:
            etype: EntityType = "ORG"
        elif len(words) >= 2 and not after_preposition:
            etype = "PERSON"
        else:
            etype = "OTHER"
        out.append(_Raw(article.id, start, end, article.text[start:end], etype, article.text[start:end]))
    return out


_ORG_WORDS = re.compile(r"(?:Alliance|Organi[sz]ation|Institute?|Ministry|Union|Council|Party|Bank|Agency|Forces|Army|"
                        r"Committee|Commission|Association|Office|Department|Parliament|Court|Programme|Fund|Service)\b")


def _retype(raw: _Raw) -> _Raw:
    """Known organisations get their canonical name ("North Atlantic Alliance" -> NATO)."""
    known = org_variants().get(raw.norm.lower())
    if known:
        return _Raw(raw.article_id, raw.start, raw.end, raw.text, "ORG", known)
    if raw.type != "ORG" and _ORG_WORDS.search(raw.norm):
        return _Raw(raw.article_id, raw.start, raw.end, raw.text, "ORG", raw.norm)
    return raw


def _raw_mentions(article: Article) -> list[_Raw]:
    lang = lang_key(article.language)
    if lang == "en" or lang is None:
        found = _ner_english(article)
    elif lang in ("ru", "uk"):
        found = _ner_natasha(article)
    else:
        found = []
    roles = [(r.start, r.end) for r in find_role_phrases(article.text)]
    extra = [r for r in _ner_rules(article, found) if lang not in ("en", None) or r.type == "PERSON"]
    # Title words ("Secretary General") are roles, not names: drop NER spans made only of them.
    # Outlets that reported the words ("told the broadcaster Kanal Nord") are organisations.
    via = [(m.start("via"), m.end("via")) for p in reported_via_res() for m in p.finditer(article.text)]
    kept = []
    pronoun = pronoun_re(article.language)
    for raw in found + extra:
        if raw.type == "PERSON" and pronoun.fullmatch(raw.text):
            continue  # a sentence-initial pronoun ("Вона додала") tagged as a name
        if any(s <= raw.start < e for s, e in via):
            raw = _Raw(raw.article_id, raw.start, raw.end, raw.text, "ORG", raw.norm)
        inside = any(s <= raw.start and raw.end <= e for s, e in roles)
        if inside and raw.type != "ORG":
            continue
        kept.append(_retype(raw))
    return sorted(kept, key=lambda r: r.start)


def _sentence_of(article: Article, offset: int) -> int:
    for sent in article.sentences:
        if sent.start <= offset < max(sent.end, sent.start + 1):
            return sent.index
    return 0


def _span(article: Article, start: int, end: int) -> Span:
    idx = _sentence_of(article, start)
    sent = next((s for s in article.sentences if s.index == idx), None)
    text = sent.text if sent is not None else article.text[max(0, start - 80):end + 80]
    return Span(article.id, idx, start, end, text)


class _Merger:
    """Union of surface forms into canonical entities, remembering why each link was made."""

    def __init__(self) -> None:
        self.canon: dict[str, str] = {}  # surface form -> canonical name
        self.links: dict[str, list[AliasLink]] = defaultdict(list)
        self.types: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, name: str, etype: EntityType, weight: int = 1) -> None:
        self.canon.setdefault(name, name)
        self.types[name][etype] += weight

    def link(self, alias: str, canonical: str, rule: str, evidence: Span | None) -> None:
        canonical = self.canon.get(canonical, canonical)
        if alias == canonical or self.canon.get(alias) == canonical:
            return
        self.canon.setdefault(canonical, canonical)
        old = self.canon.get(alias, alias)
        for form, target in list(self.canon.items()):  # re-point everything merged into ``old``
            if target == old:
                self.canon[form] = canonical
        self.canon[alias] = canonical
        for target in (old,):
            if target != canonical and target in self.types:
                self.types[canonical].update(self.types.pop(target))
                self.links[canonical].extend(self.links.pop(target, []))
        self.links[canonical].append(AliasLink(alias, canonical, rule, evidence))


def extract_entities(articles: Sequence[Article]) -> tuple[list[Entity], list[Mention]]:
    """Canonical entities of the given articles (one story) and every mention resolved to them."""
    merger = _Merger()
    raws: list[_Raw] = []
    roles_by_article: dict[int, list[RolePhrase]] = {}
    by_id = {a.id: a for a in articles}
    for article in articles:
        found = _raw_mentions(article)
        raws.extend(found)
        roles_by_article[article.id] = find_role_phrases(article.text)
    # The canonical form of a gazetteer group is the variant these articles use most (a Russian story
    # keeps "Дмитрий Песков", a mixed one the majority spelling); ties go to the group's first form.
    seen = Counter(form for r in raws for form in {r.text, r.norm})
    gazetteer: dict[str, tuple[str, EntityType]] = {}
    for _first, variants, etype in alias_groups():
        canon = max(variants, key=lambda v: (seen[v], -variants.index(v)))
        for v in variants:
            gazetteer[v] = (canon, etype)

    # 1. forms: natasha's normal form first, then the gazetteer.
    for raw in raws:
        merger.add(raw.norm, raw.type, 2 if len(raw.norm.split()) > 1 else 1)
        if raw.text != raw.norm:
            merger.canon.setdefault(raw.text, raw.norm)
            merger.links[raw.norm].append(AliasLink(raw.text, raw.norm, "inflection", _span(by_id[raw.article_id], raw.start, raw.end)))
    for raw in raws:
        for form in (raw.text, raw.norm):
            if form in gazetteer and form != gazetteer[form][0]:
                canon, etype = gazetteer[form]
                merger.add(canon, etype, GAZETTEER_TYPE_WEIGHT)  # the gazetteer knows Kyiv is a place
                merger.link(form, canon, "gazetteer", _span(by_id[raw.article_id], raw.start, raw.end))

    # 2. surnames and inflected forms of multi-word person names.
    persons = sorted({merger.canon[r.norm] for r in raws if r.type == "PERSON" and len(r.norm.split()) >= 2
                      and r.norm.split()[-1].lower() not in NAME_PARTICLES}, key=lambda n: (-len(n), n))
    # one person spelt two ways across outlets ("Vincente Fox" / "Vicente Fox"): same surname, first
    # names a misspelling apart; the form the articles use most is kept, and a bare surname goes to it
    used = Counter(merger.canon.get(r.norm, r.norm) for r in raws)
    persons.sort(key=lambda n: (-used[n], -len(n), n))
    for i, keep in enumerate(persons):
        for other in persons[i + 1:]:
            a, b = keep.split(), other.split()
            if len(a) == len(b) == 2 and fold(a[1]) == fold(b[1]) and a[0] != b[0] and a[0][:1] == b[0][:1] \
                    and fuzz.ratio(fold(a[0]), fold(b[0])) >= FUZZY_MIN_RATIO and merger.canon.get(other, other) == other:
                raw = next(r for r in raws if merger.canon.get(r.norm, r.norm) == other)
                merger.link(other, keep, "fuzzy", _span(by_id[raw.article_id], raw.start, raw.end))
    # one person across scripts and inflections ("Olena Hrytsenko", "Олена Гриценко", "Olena Hryćenko"):
    # same phonetic first name, surnames' phonetic keys nearly equal
    for i, keep in enumerate(persons):
        for other in persons[i + 1:]:
            a, b = keep.split(), other.split()
            if len(a) == len(b) == 2 and merger.canon.get(other, other) == other and merger.canon.get(keep, keep) == keep \
                    and not (other + keep).isascii() and phonetic_key(a[0]) == phonetic_key(b[0]) \
                    and fuzz.ratio(transliterated(a[1]), transliterated(b[1])) >= CROSS_SCRIPT_MIN_RATIO:
                raw = next(r for r in raws if merger.canon.get(r.norm, r.norm) == other)
                merger.link(other, keep, "transliteration", _span(by_id[raw.article_id], raw.start, raw.end))
    persons = [p for p in persons if merger.canon.get(p, p) == p]
    for raw in raws:
        words = raw.norm.split()
        if len(words) > 2 or merger.canon.get(raw.norm, raw.norm) in persons and len(words) >= 2:
            continue
        for full in persons:
            last = full.split()[-1]
            if len(words) == 1 and same_name_stem(words[0], last):
                merger.link(raw.norm, full, "surname" if fold(words[0]) == fold(last) else "inflection",
                            _span(by_id[raw.article_id], raw.start, raw.end))
                break
            if len(words) == 2 and words != full.split() and same_name_stem(words[-1], last) and same_name_stem(words[0], full.split()[0]):
                merger.link(raw.norm, full, "inflection", _span(by_id[raw.article_id], raw.start, raw.end))
                break

    # 3. roles in apposition to a person name, then other mentions of the same role.
    mentions_by_article: dict[int, list[_Raw]] = defaultdict(list)
    for raw in raws:
        mentions_by_article[raw.article_id].append(raw)
    role_owner: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
    role_mentions: list[tuple[RolePhrase, Article, str | None]] = []
    for article in articles:
        people = [r for r in mentions_by_article[article.id] if _is_person(merger, r)]
        for role in roles_by_article[article.id]:
            owner = _apposed_person(article.text, role, people)
            name = merger.canon.get(owner.norm, owner.norm) if owner else None
            role_mentions.append((role, article, name))
            held = merger.canon.get(_role_label(role))
            if name and held is not None and held != merger.canon.get(name, name) and held in merger.types \
                    and merger.types[held].most_common(1)[0][0] == "PERSON":
                name = None  # "President" of another person here: a title shared by two people links neither
            if name:
                role_owner[(role.title, role.org)][name] += 1
                role_owner[(role.title, None)][name] += 1
                if role.org:
                    role_owner[("*", role.org)][name] += 1
                merger.link(_role_label(role), name, "role-apposition", _span(article, role.start, role.end))
                merger.types[merger.canon.get(name, name)]["PERSON"] += ROLE_TYPE_WEIGHT  # roles are held by people
    mentions: list[Mention] = []
    for role, article, name in role_mentions:
        if name is None:
            name = _unique_owner(role_owner, role)
            if name is None:
                continue
            merger.link(_role_label(role), name, "role", _span(article, role.start, role.end))
        mentions.append(Mention(article.id, role.start, role.end, role.text, "PERSON", name))

    # 4. fuzzy: a one-off single word very close to a known person's surname in the same article set.
    counts = Counter(r.norm for r in raws)
    surnames = {p.split()[-1]: p for p in persons}
    for raw in raws:
        if counts[raw.norm] > 1 or len(raw.norm.split()) != 1 or merger.canon.get(raw.norm) != raw.norm:
            continue
        word = re.sub(r"(?:'s|’s)$", "", raw.norm)
        best = max(surnames, key=lambda s: fuzz.ratio(fold(s), fold(word)), default=None)
        if best and len(word) >= 5 and word[0] == best[0] and fuzz.ratio(fold(best), fold(word)) >= FUZZY_MIN_RATIO \
                and not same_name_stem(best, word) and word not in gazetteer:
            merger.link(raw.norm, surnames[best], "fuzzy", _span(by_id[raw.article_id], raw.start, raw.end))

    for raw in raws:
        mentions.append(Mention(raw.article_id, raw.start, raw.end, raw.text, raw.type,
                                merger.canon.get(raw.norm, raw.norm)))
    mentions = sorted((replace(m, entity=merger.canon.get(m.entity, m.entity)) if m.entity else m for m in mentions),
                      key=lambda m: (m.article_id, m.start))
    return _entities(merger, mentions), mentions


def _is_person(merger: _Merger, raw: _Raw) -> bool:
    types = merger.types.get(merger.canon.get(raw.norm, raw.norm), Counter())
    return raw.type == "PERSON" or (types and types.most_common(1)[0][0] == "PERSON")


def _apposed_person(text: str, role: RolePhrase, people: list[_Raw]) -> _Raw | None:
    """The person a role phrase describes: "ROLE Name", "ROLE, Name," or "Name, ROLE"."""
    for raw in people:
        gap_after = text[role.end:raw.start]
        if 0 <= raw.start - role.end <= APPOSITION_GAP and re.fullmatch(r"[\s,]*", gap_after):
            return raw
        gap_before = text[raw.end:role.start]
        # "Jens Stoltenberg, the NATO Secretary General, said": the role is closed by a comma too
        if 0 <= role.start - raw.end <= APPOSITION_GAP + 4 and re.fullmatch(r"\s*,\s*(?:the\s+)?", gap_before) \
                and re.match(r"\s*[,)(]", text[role.end:role.end + 3]):
            return raw
    return None


def _unique_owner(owners: dict[tuple[str, str | None], Counter[str]], role: RolePhrase) -> str | None:
    keys = [(role.title, role.org)] if role.org else [(role.title, None)]
    if role.title == "head" and role.org:
        keys.append(("*", role.org))  # "the head of NATO" is whoever holds NATO's top title
    for key in keys:
        found = owners.get(key)
        if found and len(found) == 1:
            return next(iter(found))
    return None


def _role_label(role: RolePhrase) -> str:
    return re.sub(r"^(?:the|The|der|Der|die|Die|le|Le|la|La|il|Il|el|El)\s+", "", role.text)


def _entities(merger: _Merger, mentions: list[Mention]) -> list[Entity]:
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.entity:
            by_entity[mention.entity].append(mention)
    out = []
    for name, ms in by_entity.items():
        types = merger.types.get(name) or Counter(m.type for m in ms)
        etype = types.most_common(1)[0][0] if types else "OTHER"
        aliases = sorted({m.text for m in ms if m.text != name} | {link.alias for link in merger.links.get(name, [])} - {name})
        out.append(Entity(name, etype, tuple(aliases), len(ms), tuple(merger.links.get(name, []))))
    out.sort(key=lambda e: (-e.mentions, e.name))
    return out
