"""Direct and indirect quotes of an article, with the speaker resolved to a canonical entity.

Direct quotes: text between “…” „…“ «…» "…" ‘…’ marks, and dash-introduced speech
("– We will not ..., – Wierzbicki stressed."). A split quote ("…," he said, "…") gives two quotes
with the same speaker. Nested quotes stay inside the outer one. Indirect speech ("X said that …",
"according to X, …", "…, he added.") gives quotes with ``direct=False``.

Speakers come from the speech-verb rules of ``attribution_rules`` in every language, and for English
from the dependency parse (``attribution``) where it finds one. A quote with no attribution of its
own continues the previous quote or takes the speaker introduced just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Entity, Quote, Sentence
from .attribution import EnglishAttributor
from .attribution_rules import SPEAKER_WINDOW, Candidate, Resolver, attribution_near, nearest, reported_via, strip_det, words_of
from .speakers import WORD_RE, according_to_re, alias_groups, complementizer_re, lang_key, speech_verb_re

# Quotes of fewer words are kept only when a speech verb attributes them (drops scare quotes).
MIN_FREE_QUOTE_WORDS = 4
# A quoted fragment inside an indirect clause replaces the clause when it covers more than this
# share of its words (chosen on the tuning half: "told X that Kyiv had "no interest in..."").
FRAGMENT_COVER = 0.5
MAX_QUOTE_CHARS = 3000

# Opening mark -> marks that may close it (machine-translated text often closes “ with ").
_PAIRS = {"“": "”\"", "„": "“”\"", "«": "»", "‘": "’", "‚": "‘’", "\"": "\""}
# Spanish dialogue sets the em dash tight to the words ("—Los daños … —explicó Calabuig."); others space it.
_DASH_OPEN = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:[–—―-]\s+(?=\S)|—(?=[^\W\d_]))", re.MULTILINE)
_POSSESSIVE_PRONOUN = re.compile(r"(?<!\w)(?:him|her|them|его|её|ее|него|неё|його|її|ihm|ihr|lui|elle|él|ella|jego|jej)(?!\w)", re.I)


@dataclass(slots=True)
class _Direct:
    start: int  # content offsets
    end: int
    open_at: int  # position of the opening mark / dash


def _sentences(article: Article) -> tuple[Sentence, ...]:
    if article.sentences:
        return article.sentences
    out = []
    for m in re.finditer(r"[^.!?\n]+(?:[.!?]+[\"”»’]?|$)", article.text):
        if m.group(0).strip():
            out.append(Sentence(len(out), m.start(), m.end(), m.group(0)))
    return tuple(out)


def _find_direct(text: str) -> list[_Direct]:
    """Outermost quoted spans in every common style; quotes never cross a paragraph break."""
    spans: list[_Direct] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "\n" and text[i + 1:i + 2] == "\n":
            stack.clear()
            continue
        if ch == "\n" and stack and text[i + 1:i + 3].lstrip()[:1] in _PAIRS:
            # a quote running on into the next paragraph leaves its mark open and reopens it there
            at = stack[0][1]
            spans.append(_Direct(at + 1, i, at))
            stack.clear()
            continue
        apostrophe = ch == "’" and text[i + 1:i + 2].isalpha()  # don’t
        if stack and ch in _PAIRS[stack[-1][0]] and not apostrophe:
            _, at = stack.pop()
            if not stack:
                spans.append(_Direct(at + 1, i, at))
            continue
        if ch in "“„«‚" or (ch == "\"" and not stack) or (ch == "‘" and (i == 0 or not text[i - 1].isalnum())):
            stack.append((ch, i))
    return [s for s in spans if s.end > s.start and s.end - s.start <= MAX_QUOTE_CHARS]


def _find_dash_speech(text: str, taken: list[_Direct]) -> list[tuple[_Direct, int]]:
    """Dash-introduced speech; returns the content span and where its attribution starts."""
    out = []
    for m in _DASH_OPEN.finditer(text):
        begin = m.end()
        if any(d.open_at <= begin < d.end + 1 for d in taken):
            continue
        para_end = text.find("\n", begin)
        para_end = len(text) if para_end < 0 else para_end
        chunk = text[begin:para_end]
        close = re.search(r"[,.!?]?\s+(?:[–—―-]\s+|—(?=[^\W\d_]))", chunk)  # "– text, – said X." / "– text – powiedział X."
        if close:
            out.append((_Direct(begin, begin + close.start() + (1 if chunk[close.start()] in ".!?" else 0), m.start()),
                        begin + close.end()))
            continue
        tail = re.search(r",\s+([^,.!?]{2,60})\.\s*$", chunk)  # "– text, Stoltenberg concluded."
        if tail and speech_verb_re(None).search(tail.group(1)):
            out.append((_Direct(begin, begin + tail.start(), m.start()), begin + tail.start(1)))
    return out



def _sentence_at(sents: Sequence[Sentence], pos: int) -> Sentence:
    for s in sents:
        if s.start <= pos < s.end:
            return s
    return min(sents, key=lambda s: abs(s.start - pos)) if sents else Sentence(0, 0, 0, "")


def _words(text: str) -> int:
    return len(WORD_RE.findall(text))


def extract_quotes(article: Article, entities: Sequence[Entity]) -> list[Quote]:
    """Direct and indirect quotes of ``article`` with speakers resolved against ``entities``."""
    text, lang = article.text, article.language
    sents = _sentences(article)
    direct = _find_direct(text)
    dashes = _find_dash_speech(text, direct)
    inside = [(d.open_at, d.end + 1) for d in direct] + [(d.open_at, d.end) for d, _ in dashes]
    res = Resolver(article, entities, inside)
    # places that cannot be a mis-typed person: one word ("Moscow") or in the gazetteer ("United States")
    known_places = {v for _c, variants, etype in alias_groups() if etype == "PLACE" for v in variants}
    places = {e.name for e in entities if e.type == "PLACE" and (len(e.name.split()) == 1 or e.name in known_places)}
    attributor = EnglishAttributor(article, entities, inside) if lang_key(lang) == "en" else None
    items: list[tuple[_Direct, int | None]] = [(d, None) for d in direct] + list(dashes)
    items.sort(key=lambda item: item[0].start)
    quotes: list[Quote] = []
    prev_end, prev_speaker = -1, None
    for d, attr_at in items:
        content = text[d.start:d.end].strip(" ,")
        sent = _sentence_at(sents, d.start)
        end_sent = _sentence_at(sents, max(d.start, d.end - 1))
        closing = text[d.end + 1:d.end + 3]
        final = content.rstrip()[-1:] in ".!?" and not closing.lstrip()[:1].islower() and closing[:1] != ","
        stop = re.compile(r"[.!?\n]").search(text, d.end + 1)
        after_hi = d.end + 1 if final and attr_at is None else min(stop.end() if stop else len(text), d.end + 160)
        nxt = next((o.open_at for o, _ in items if o.open_at > d.end), len(text))
        after_hi = min(after_hi, nxt)
        before_lo = max(sent.start, prev_end if prev_end > sent.start else sent.start)
        res.pending_cue = None
        cand, cue, has_verb = attribution_near(res, attr_at if attr_at is not None else d.end + 1, after_hi, lang, "after")
        if not has_verb:
            cand, cue, has_verb = attribution_near(res, before_lo, d.open_at, lang, "before")
        colon = re.search(r"([^\n:.!?]{2,60}):\s*$", text[before_lo:d.open_at])
        if not has_verb and colon:  # headline style "Stoltenberg: «…»"
            cands = res.candidates(before_lo, before_lo + colon.end(1), lang)
            cand = nearest(cands, before_lo + colon.end(1), res.text)
            has_verb = cand is not None
        if not has_verb:  # "“…”, — приводят агентства слова Столтенберга": the words of a named person
            cand = words_of(res, attr_at if attr_at is not None else d.end + 1, after_hi, lang)
            has_verb = cand is not None
        speaker = res.resolve(cand, d.start) if cand else None
        if has_verb and cand is None:  # pro-drop ("– powiedział.") or "said:" with the subject far away
            speaker = res.latest_person(d.start)
        if not has_verb:
            gap = text[prev_end:d.open_at] if prev_end >= 0 else ""
            others = [c for c in res.names if prev_end <= c.start < d.open_at and c.entity != prev_speaker]
            if prev_speaker and prev_end >= 0 and len(gap) <= 200 and not others:
                speaker = prev_speaker  # continuation of the previous quote
            else:
                prev_sent = _sentence_at(sents, max(0, sent.start - 2))
                cand, cue, has_verb2 = attribution_near(res, prev_sent.start, sent.start, lang, "before")
                res.pending_cue = None  # that verb introduces its own sentence's content too
                speaker = res.resolve(cand, d.start) if cand else (res.latest_person(d.start, max(0, sent.start - 300)) if has_verb2 else None)
        speaker_text = cand.text if cand else None
        if attributor is not None and attr_at is None:  # English: the parse decides where it can
            found = attributor.attribute(d.open_at, d.end + 1)
            if found is not None and found.speaker:
                speaker, speaker_text, cue, has_verb = found.speaker, found.speaker_text or speaker_text, found.cue or cue, True
            elif speaker and speaker[:1].isupper():  # a name: titles, brackets and days dropped, short forms joined
                speaker = attributor.mentions.canon(speaker)
        if speaker in places:
            speaker = None  # "Moscow said": a place names no speaker (its government is not a person or an org here)
        if _words(content) < MIN_FREE_QUOTE_WORDS and not (has_verb and speaker):
            continue
        if _words(content) <= 4 and all(w[:1].isupper() for w in WORD_RE.findall(content)):
            continue  # a quoted name («Сибирь-24»), not speech
        via = reported_via(text, sent.start, max(after_hi, end_sent.end)) or \
            reported_via(text, _sentence_at(sents, max(0, sent.start - 2)).start, sent.start)
        quotes.append(Quote(article.id, content, speaker, True, d.start, d.start + len(text[d.start:d.end].rstrip(" ,")),
                            sent.index, speaker_text, via, cue))
        if attributor is not None:
            attributor.settle(d.open_at, d.end + 1, speaker)
        if res.pending_cue is not None:
            res.cue_positions.add(res.pending_cue)
        if speaker:
            res.spoken.append((d.start, speaker))
            prev_speaker = speaker
        prev_end = d.end + 1
    quotes.extend(_indirect(article, res, sents, quotes))
    quotes.sort(key=lambda q: q.start)
    return quotes


# "…, a diplomat familiar with the talks said.": the verb may come this far into the attribution.
TRAILING_VERB_REACH = 45
# "X said Kyiv wanted …": a capitalised subject and a finite verb after the speech verb open a clause.
_ENGLISH_NAMED_CLAUSE = re.compile(r"^\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+(?:would|will|had|has|was|were|is|are|could|can|"
                                   r"should|must|did|does|do|[a-z]+ed)\b")
# "X said residents should …": a lower-case subject right after the verb opens reported speech.
_ENGLISH_BARE_CLAUSE = re.compile(r"^\s+(?!(?:on|in|at|to|after|before|during|this|last|that|of|for|with|about|"
                                  r"from|by|so|yes|no|nothing|something|goodbye|hello|and|but|or|as)\b)(?=[a-z]+\s+\w)")


def _indirect(article: Article, res: Resolver, sents: Sequence[Sentence], direct: list[Quote]) -> list[Quote]:
    """Reported speech: "X said (that) …", "according to X, …", "…, X added."."""
    text, lang = article.text, article.language
    out: list[Quote] = []
    for sent in sents:
        s_lo, s_hi = sent.start, sent.end
        body_hi = s_hi - (1 if text[s_hi - 1:s_hi] in ".!?" else 0)
        found = _according_to(res, s_lo, body_hi, lang) or _verb_clause(res, s_lo, body_hi, lang) \
            or _trailing_attribution(res, s_lo, body_hi, lang)
        if not found:
            continue
        c_lo, c_hi, cand, cue = found
        while c_lo < c_hi and not text[c_lo].isalnum() and text[c_lo] not in "«„“\"":
            c_lo += 1
        content = text[c_lo:c_hi].strip(" ,;:")
        if _words(content) < 3:
            continue
        overlapping = [q for q in direct if q.start < c_hi and c_lo < q.end]
        if overlapping:
            covered = sum(_words(q.text) for q in overlapping)
            if covered / max(1, _words(content)) > FRAGMENT_COVER or any(q.start <= c_lo for q in overlapping):
                continue  # the quoted fragment is the quote
            direct[:] = [q for q in direct if q not in overlapping]  # a fragment inside reported speech
        speaker = res.resolve(cand, c_lo) if cand else res.latest_person(c_lo, max(0, s_lo - 400))
        via = reported_via(text, s_lo, s_hi)
        out.append(Quote(article.id, content, speaker, False, c_lo, c_lo + len(content), sent.index,
                         cand.text if cand else None, via, cue))
    return out


def _according_to(res: Resolver, lo: int, hi: int, lang: str | None):
    m = next((m for m in according_to_re(lang).finditer(res.text, lo, hi) if res._outside(m.start())), None)
    if not m or m.start() - lo > 40:
        return None
    # the source follows a preposition here ("according to X"), so no object filter
    cands = [c for c in res._candidates(m.end(), min(hi, m.end() + SPEAKER_WINDOW), lang) if c.start - m.end() <= 3]
    pron = _POSSESSIVE_PRONOUN.search(res.text, max(lo, m.start() - 6), min(hi, m.end() + 8))
    inner = _POSSESSIVE_PRONOUN.search(m.group(0))  # "по его словам", "according to him"
    cand = None if inner else (nearest(cands, m.end(), res.text) if cands else None)
    if cand is None and pron:
        cand = Candidate(pron.start(), pron.end(), pron.group(0), "pronoun", None)
    if cand is None:  # "За словами директорки підприємства Оксани Мельник, …": a described person
        described = [c for c in res._candidates(m.end(), min(hi, m.end() + SPEAKER_WINDOW), lang)
                     if c.kind == "name" and c.entity in res.persons and not re.search(r"[,.;:!?]", res.text[m.end():c.start])]
        # the name that ends the description: "… Krajowej Rady Izb Rolniczych Haliny Sobczak rząd …"
        described = [c for c in described if not res.text[c.end:c.end + 2].strip()[:1].isupper()]
        cand = described[0] if described else None
    if cand is None:  # a lower-case source: "по данным мэрии, …", "according to the ministry, …"
        m2 = re.match(r"\s*([^,.;:]{2,40}?),", res.text[m.end():hi])
        if m2 and len(m2.group(1).split()) <= 6:
            cand = Candidate(m.end() + m2.start(1), m.end() + m2.end(1), m2.group(1), "caps", strip_det(m2.group(1)))
    anchor = max(cand.end, m.end()) if cand else m.end()  # "По его словам,": the pronoun lies inside the cue
    if cand and cand.kind == "role":  # "according to NATO's Secretary General, Jens Stoltenberg, the …"
        after_role = res._candidates(cand.end, min(hi, cand.end + SPEAKER_WINDOW), lang)
        named = next((c for c in after_role if c.kind in ("name", "caps") and 0 <= c.start - cand.end <= 3), None)
        if named is not None:  # "Według przewodniczącej rady Haliny Sobczak rząd …": the name is the source
            cand, anchor = named, named.end
    comma = res.text.find(",", anchor, min(hi, anchor + 4))
    start = comma + 1 if comma >= 0 else anchor
    if lang_key(lang) == "de" and comma < 0:
        start = anchor  # "Laut Gisler will die Partei …"
    return start, hi, cand, m.group(0)


def _verb_clause(res: Resolver, lo: int, hi: int, lang: str | None):
    text = res.text
    for verb in speech_verb_re(lang).finditer(text, lo, hi):
        if not res._outside(verb.start()) or verb.start() in res.cue_positions:
            continue
        tail = text[verb.end():hi]
        comp = complementizer_re(lang).search(tail[:70])
        start = None
        if comp and not re.search(r"[.!?;:]", tail[:comp.start()]) and tail[:comp.start()].count(",") <= 1:
            start = verb.end() + comp.end()
        elif lang_key(lang) in ("de", "ru", "uk", "pl") and re.match(r"^,\s+\w", tail):
            start = verb.end() + 1  # "erklärte, man sei …" (reported speech in the subjunctive)
        elif lang_key(lang) in ("en", None) and _ENGLISH_BARE_CLAUSE.match(tail) and verb.group(0).lower() in (
                "said", "says", "added", "warned", "insisted", "argued", "believes", "thinks", "stressed"):
            start = verb.end()
        elif lang_key(lang) in ("en", None) and _ENGLISH_NAMED_CLAUSE.match(tail) and verb.group(0).lower() in (
                "said", "says", "added", "warned", "insisted", "argued", "stressed"):
            start = verb.end()  # "said Kyiv wanted weapons": a named subject and its verb open the clause
        if start is None:
            continue
        cands = [c for c in res.candidates(max(lo, verb.start() - SPEAKER_WINDOW), verb.start(), lang)]
        cand = nearest(cands, verb.start(), res.text)
        if cand is None:  # inverted order: "a précisé le ministre que …" is rare; try after the verb
            after = [c for c in res.candidates(verb.end(), start, lang)]
            cand = nearest(after, verb.end(), res.text)
        if cand is None:  # a common-noun subject: "The operators' association said in a statement that"
            subject = re.fullmatch(r"\s*((?:the|der|die|das|le|la|les|el|il|lo)\s+[^,.;:!?]{2,50}?)\s*", text[lo:verb.start()], re.I)
            # one noun ("The coordinator", "La ministra") refers back to a person: left to the fallback
            if subject and 3 <= len(subject.group(1).split()) <= 5:
                phrase = subject.group(1)
                cand = Candidate(lo + subject.start(1), lo + subject.end(1), phrase, "caps", strip_det(phrase))
        return start, hi, cand, verb.group(0)
    return None


def _trailing_attribution(res: Resolver, lo: int, hi: int, lang: str | None):
    """"The airline would hire 800 workers, he added." / "…, sagte die Ministerin."."""
    m = re.search(r",\s+([^,:“”\"«»„]{2,60})$", res.text[lo:hi])
    if not m or not res._outside(lo + m.start(1)):
        return None
    a_lo = lo + m.start(1)
    verb = speech_verb_re(lang).search(res.text, a_lo, hi)
    if not verb or verb.start() - a_lo > TRAILING_VERB_REACH:
        return None
    if lang_key(lang) in ("en", None) and _ENGLISH_NAMED_CLAUSE.match(res.text[verb.end():hi]):
        return None  # "…, said Kyiv wanted weapons": the verb opens a clause, it does not close one
    cand = nearest(res.candidates(a_lo, hi, lang), verb.start(), res.text)
    if cand is None and lang_key(lang) in ("en", None):
        return None
    return lo, lo + m.start(), cand, verb.group(0)


def who_said_what(articles: Sequence[Article]) -> dict:
    """Entities, quotes and cross-article statements of a story as JSON-ready dicts."""
    from .entities import extract_entities
    from .statements import match_statements

    entities, mentions = extract_entities(articles)
    quotes = [q for a in articles for q in extract_quotes(a, entities)]
    statements = match_statements(quotes)
    sentence_text = {(a.id, s.index): s.text for a in articles for s in a.sentences}
    return {
        "entities": [{
            "name": e.name, "type": e.type, "aliases": list(e.aliases), "mentions": e.mentions,
            "alias_links": [{"alias": l.alias, "rule": l.rule,
                             "article_id": l.evidence.article_id if l.evidence else None,
                             "sentence": l.evidence.text if l.evidence else None} for l in e.alias_links],
        } for e in entities],
        "mentions": [{"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
                      "entity": m.entity} for m in mentions],
        "quotes": [{
            "speaker": q.speaker, "text": q.text, "article": q.article_id, "direct": q.direct,
            "reported_via": q.reported_via, "speaker_text": q.speaker_text, "cue": q.cue,
            "sentence": sentence_text.get((q.article_id, q.sentence), ""), "start": q.start, "end": q.end,
        } for q in quotes],
        "statements": [{
            "id": s.id, "speaker": s.speaker, "drift": list(s.drift),
            "variants": [{"article": v.article_id, "text": v.text, "quote_index": v.quote_index,
                          "diff": [list(op) for op in v.diff]} for v in s.variants],
        } for s in statements],
    }
