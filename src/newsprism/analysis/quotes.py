"""Direct and indirect quotes of an article, with the speaker resolved to a canonical entity.

Direct quotes: text between “…” „…“ «…» "…" ‘…’ marks, and dash-introduced speech
("– We will not ..., – Wierzbicki stressed."). A split quote ("…," he said, "…") gives two quotes
with the same speaker. Nested quotes stay inside the outer one. Indirect speech ("X said that …",
"according to X, …", "…, he added.") gives quotes with ``direct=False``.

Attribution looks for a speech verb (``data/roles.yaml``) next to the quote and takes the nearest
speaker phrase around it: a name of a known entity, a role ("the Secretary General") resolved to the
person holding it, or a pronoun / dropped subject resolved to the latest person. A quote with no
attribution of its own continues the previous quote or takes the speaker introduced just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Entity, Quote, Sentence
from .attribution import EnglishAttributor
from .speakers import (PREPOSITIONS, UPPER, WORD_RE, according_to_re, complementizer_re, find_role_phrases, lang_key, pronoun_re,
                       reported_via_res, same_name_stem, speech_verb_re)

# Quotes of fewer words are kept only when a speech verb attributes them (drops scare quotes).
MIN_FREE_QUOTE_WORDS = 4
# How far (characters) from a speech verb a speaker phrase may be.
SPEAKER_WINDOW = 70
# A quoted fragment inside an indirect clause replaces the clause when it covers more than this
# share of its words (chosen on the tuning half: "told X that Kyiv had "no interest in..."").
FRAGMENT_COVER = 0.5
MAX_QUOTE_CHARS = 3000

# Opening mark -> marks that may close it (machine-translated text often closes “ with ").
_PAIRS = {"“": "”\"", "„": "“”\"", "«": "»", "‘": "’", "‚": "‘’", "\"": "\""}
_DASH_OPEN = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\n))[–—―-]\s+(?=\S)", re.MULTILINE)
_CAP_NAME = re.compile(r"(?<![\w'’])[{U}][\w'’\-]+(?:[ ]+(?:(?:von|van|de|al|bin|el)[ ]+)?[{U}][\w'’\-]+){0,3}".replace("{U}", UPPER))
_NOT_SPEAKER = set("the a an he she it they this that there we i you in on at after before when while according "
                   "der die das ein eine le la les il elle un une el los las w na z в на и".split())
_PREPOSITIONS = PREPOSITIONS
_POSSESSIVE_PRONOUN = re.compile(r"(?<!\w)(?:him|her|them|его|её|ее|него|неё|його|її|ihm|ihr|lui|elle|él|ella|jego|jej)(?!\w)", re.I)


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    text: str
    kind: str  # "name", "role", "pronoun", "caps"
    entity: str | None


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
        close = re.search(r"[,.!?]?\s+[–—―-]\s+", chunk)  # "– text, – said X." / "– text – powiedział X."
        if close:
            out.append((_Direct(begin, begin + close.start() + (1 if chunk[close.start()] in ".!?" else 0), m.start()),
                        begin + close.end()))
            continue
        tail = re.search(r",\s+([^,.!?]{2,60})\.\s*$", chunk)  # "– text, Stoltenberg concluded."
        if tail and speech_verb_re(None).search(tail.group(1)):
            out.append((_Direct(begin, begin + tail.start(), m.start()), begin + tail.start(1)))
    return out


class _Resolver:
    """Speaker phrases of one article and how they map to canonical entities."""

    def __init__(self, article: Article, entities: Sequence[Entity], inside: list[tuple[int, int]]) -> None:
        self.article = article
        self.text = article.text
        self.inside = inside
        self.names = self._locate_names(entities)
        self.roles = find_role_phrases(self.text)
        self.role_owner: dict[tuple[str, str | None], str] = {}
        self._learn_roles(entities)
        self.via_spans = [(m.start("via"), m.end("via")) for p in reported_via_res() for m in p.finditer(self.text)]
        self.spoken: list[tuple[int, str]] = []
        self.cue_positions: set[int] = set()  # speech verbs already attributing a direct quote
        self.pending_cue: int | None = None  # (position, speaker) of quotes attributed so far

    def _locate_names(self, entities: Sequence[Entity]) -> list[_Cand]:
        self.persons = {e.name for e in entities if e.type == "PERSON"}
        forms: dict[str, str] = {}
        for ent in entities:
            if ent.type not in ("PERSON", "ORG", "OTHER"):
                continue
            for form in (ent.name, *ent.aliases):
                if len(form) >= 2 and form[:1].isupper() and not find_role_phrases(form):
                    forms.setdefault(form, ent.name)
        if not forms:
            return []
        inflect = r"\w{0,3}" if lang_key(self.article.language) not in ("en", None) else r"(?:'s|’s)?"
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                             + rf"){inflect}(?!\w)")
        out = []
        for m in pattern.finditer(self.text):
            base = max((f for f in forms if m.group(0).startswith(f)), key=len)
            kind = "name" if forms[base] in self.persons else "org"
            out.append(_Cand(m.start(), m.end(), m.group(0), kind, forms[base]))
        return out

    def _learn_roles(self, entities: Sequence[Entity]) -> None:
        for ent in entities:
            for link in ent.alias_links:
                if link.rule.startswith("role"):
                    for role in find_role_phrases(link.alias):
                        self.role_owner.setdefault((role.title, role.org), ent.name)
                        self.role_owner.setdefault((role.title, None), ent.name)
                        if role.org:
                            self.role_owner.setdefault(("*", role.org), ent.name)
        for role in self.roles:  # apposition inside this article wins ("the spokesman, Omar Haddad,")
            name = self._apposed(role.start, role.end)
            if name:
                self.role_owner[(role.title, role.org)] = name
                self.role_owner[(role.title, None)] = name
                if role.org:
                    self.role_owner[("*", role.org)] = name

    def _apposed(self, start: int, end: int) -> str | None:
        for cand in self.names:
            if cand.entity not in self.persons:
                continue
            if 0 <= cand.start - end <= 3 and re.fullmatch(r"[\s,]*", self.text[end:cand.start]):
                return cand.entity
            if 0 <= start - cand.end <= 7 and re.fullmatch(r"\s*,\s*(?:the\s+)?", self.text[cand.end:start]) \
                    and re.match(r"\s*[,)(]", self.text[end:end + 3]):
                return cand.entity
        m = _CAP_NAME.match(self.text, end + (1 if self.text[end:end + 1] == " " else 2 if self.text[end:end + 2] == ", " else 0))
        if m and m.start() - end <= 2 and len(m.group(0).split()) >= 2:
            return m.group(0)
        return None

    def _outside(self, pos: int) -> bool:
        return not any(s <= pos < e for s, e in self.inside)

    def candidates(self, lo: int, hi: int, language: str | None) -> list[_Cand]:
        found = [c for c in self._candidates(lo, hi, language) if not self._object(c)]
        roles = [c for c in found if c.kind == "role"]
        # an organisation inside a role ("глава МЗС", "the head of NATO") is not the speaker
        return [c for c in found if c.kind == "role" or not any(r.start <= c.start and c.end <= r.end for r in roles)]

    def _object(self, cand: _Cand) -> bool:
        before = re.split(r"[\n.!?;:]", self.text[max(0, cand.start - 30):cand.start])[-1].split()
        if any(s <= cand.start < e for s, e in self.via_spans):
            return True
        if cand.kind in ("pronoun", "role") or not before:
            return False
        word = before[-1].lower()
        prev = before[-2].lower() if len(before) > 1 else ""
        return word in _PREPOSITIONS or (word in ("the", "a", "an", "l'") and prev in _PREPOSITIONS)

    def _candidates(self, lo: int, hi: int, language: str | None) -> list[_Cand]:
        out = [c for c in self.names if lo <= c.start and c.end <= hi and self._outside(c.start)]
        for role in self.roles:
            if lo <= role.start and role.end <= hi and self._outside(role.start):
                named = self._apposed(role.start, role.end)
                out.append(_Cand(role.start, role.end, role.text, "role", named or self._role_entity(role, lo)))
        for m in pronoun_re(language).finditer(self.text, lo, hi):
            if self._outside(m.start()):
                out.append(_Cand(m.start(), m.end(), m.group(0), "pronoun", None))
        taken = [(c.start, c.end) for c in out]
        for m in _CAP_NAME.finditer(self.text, lo, hi):
            words = m.group(0).split()
            if words[0].lower() in _NOT_SPEAKER or speech_verb_re(language).fullmatch(words[0]):
                continue
            if any(s < m.end() and m.start() < e for s, e in taken) or not self._outside(m.start()):
                continue
            out.append(_Cand(m.start(), m.end(), m.group(0), "caps", self._match_name(m.group(0))))
        return out

    def _match_name(self, phrase: str) -> str:
        for cand in self.names:
            if cand.entity and any(same_name_stem(w, cand.entity.split()[-1]) for w in phrase.split()):
                return cand.entity
        return phrase

    def _role_entity(self, role, pos: int) -> str | None:
        # a qualified role ("the Ukrainian president") never falls back to another holder of the title
        keys = [(role.title, role.org), ("*", role.org) if role.title == "head" else None] if role.org \
            else [(role.title, None)]
        for key in keys:
            if key and key in self.role_owner:
                return self.role_owner[key]
        if role.org:  # "the head of the Commission" = the president of the "European Commission"
            last = role.org.split()[-1].lower()
            owners = {name for (title, org), name in self.role_owner.items()
                      if org and org.split()[-1].lower() == last and (title in (role.title, "*") or role.title == "head")}
            if len(owners) == 1:
                return owners.pop()
        return None

    def latest_person(self, pos: int, min_pos: int = 0) -> str | None:
        """The speaker or named person mentioned last before ``pos`` (outside quotes)."""
        best: tuple[int, str] | None = None
        for cand in self.names:
            if min_pos <= cand.start < pos and self._outside(cand.start) and cand.entity in self.persons:
                best = (cand.start, cand.entity) if best is None or cand.start > best[0] else best
        said = max(((p, n) for p, n in self.spoken if min_pos <= p < pos), default=None)
        if said and (best is None or said[0] >= best[0]):
            return said[1]
        return best[1] if best else None

    def _named_speaker_after(self, pos: int, reach: int = 400) -> str | None:
        """A role introduced before the name: the person named as the subject of a speech verb in
        the next lines ("the Ukrainian president sends a message: “…” ... Zelensky explained")."""
        verbs = speech_verb_re(self.article.language)
        for c in self.names:
            if pos < c.start <= pos + reach and c.entity in self.persons and self._outside(c.start):
                if verbs.match(self.text, c.end + 1) or verbs.match(self.text, c.end + 1 + len(self.text[c.end + 1:].split(" ", 1)[0]) + 1):
                    return c.entity
        return None

    def subject_before(self, pos: int) -> str | None:
        """A pronoun's referent: the latest speaker if quoted since, else the first person named in
        the latest sentence that names one (the subject usually comes first)."""
        named = [c for c in self.names if c.start < pos and self._outside(c.start) and c.entity in self.persons]
        said = max(((p, n) for p, n in self.spoken if p < pos), default=None)
        if not named:
            return said[1] if said else None
        last = named[-1]
        sent_start = max(self.text.rfind(". ", 0, last.start), self.text.rfind("\n", 0, last.start)) + 1
        if said and said[0] >= sent_start:
            return said[1]
        return next(c.entity for c in named if c.start >= sent_start)

    def resolve(self, cand: _Cand, pos: int) -> str:
        if cand.kind == "pronoun":
            return self.subject_before(cand.start) or cand.text
        if cand.entity:
            return cand.entity
        if cand.kind == "role" or (cand.kind == "caps" and _definite_noun(self.text, cand)):
            # an unnamed role refers back to the latest person ("the minister", "der Niederländer"),
            # unless it is indefinite ("a senior Ukrainian official" is someone new)
            if re.match(r"^(?:a|an|ein|eine|un|une|uno|una)\s", cand.text, re.I) or _indefinite(self.text, cand):
                return _strip_det(cand.text)
            role = next((r for r in self.roles if r.start == cand.start), None)
            before = self.latest_person(cand.start, max(0, cand.start - 600))
            if role is not None and role.org:  # "the Ukrainian president": maybe named only later
                return self._named_speaker_after(cand.end) or before or _strip_det(cand.text)
            return before or self._named_speaker_after(cand.end) or _strip_det(cand.text)
        return cand.text


def _definite_noun(text: str, cand: _Cand) -> bool:
    """"Der Niederländer", "der Kanzler": a capitalised noun after a definite article."""
    before = text[max(0, cand.start - 5):cand.start].split()
    return len(cand.text.split()) == 1 and bool(before) and before[-1].lower() in ("der", "die", "the")


def _indefinite(text: str, cand: _Cand) -> bool:
    before = text[max(0, cand.start - 30):cand.start].split()
    return bool(before) and before[-1].lower() in ("a", "an", "ein", "eine", "einer", "un", "une", "uno", "una")


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:(?:the|a|an|der|die|das|le|la|il|el|un|une|lo)\s+|l['’])", "", text.strip(), flags=re.I)


def _nearest(cands: list[_Cand], anchor: int, text: str = "") -> _Cand | None:
    """The candidate closest to the speech verb; names beat pronouns at equal distance."""
    rank = {"name": 0, "role": 1, "org": 2, "caps": 2, "pronoun": 3}
    scored = [(min(abs(c.start - anchor), abs(c.end - anchor)) + _penalty(c), rank[c.kind], c) for c in cands]
    scored = [s for s in scored if s[0] <= SPEAKER_WINDOW]
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]))
    best = scored[0][2]
    if best.kind == "role":  # "the spokesman, Omar Haddad," / "Kremlin spokesman Dmitry Peskov": the name
        for _, _, c in scored[1:]:
            if c.kind not in ("name", "caps") or (c.kind == "caps" and len(c.text.split()) < 2):
                continue
            if 0 <= c.start - best.end <= 3 or 0 <= best.start - c.end <= 3:
                return c
            # "przewodnicząca porozumienia dr Katarzyna Nowak": a few words, no punctuation, between
            if 0 < c.start - best.end <= ROLE_NAME_GAP and not re.search(r"[,.;:!?()]", text[best.end:c.start]):
                return c
    return best


# A name may follow its role by this many characters of plain words ("chair of the union Dr Ann Lee").
ROLE_NAME_GAP = 30
# Unknown single capitalised words are weak speakers (German nouns, places): they lose to any
# name, role or pronoun closer than this many characters.
UNKNOWN_WORD_PENALTY = 25


def _penalty(cand: _Cand) -> int:
    if cand.kind == "caps" and cand.entity == cand.text and len(cand.text.split()) == 1:
        return UNKNOWN_WORD_PENALTY
    if cand.kind == "org":  # organisations speak too ("the ministry said"), but a person near the verb wins
        return UNKNOWN_WORD_PENALTY
    return 0


def _attribution(res: _Resolver, lo: int, hi: int, language: str | None, prefer: str) -> tuple[_Cand | None, str | None, bool]:
    """Speaker candidate and cue verb in [lo, hi); ``prefer`` is where the quote is ("before"/"after")."""
    verbs = [m for m in speech_verb_re(language).finditer(res.text, lo, hi) if res._outside(m.start())]
    if not verbs:
        return None, None, False
    verb = verbs[0] if prefer == "after" else verbs[-1]
    # remembered so reported-speech search skips it once the quote is kept; "X said that «…»" stays
    # available for the indirect clause
    res.pending_cue = verb.start() if prefer == "after" or not complementizer_re(language).search(
        res.text, verb.end(), hi) else None
    inner = pronoun_re(language).search(verb.group(0))
    if inner and inner.start() > 0:  # "a-t-il déclaré": the subject is inside the verb form
        return _Cand(verb.start() + inner.start(), verb.start() + inner.end(), inner.group(0), "pronoun", None), \
            verb.group(0), True
    cands = res.candidates(max(lo, verb.start() - SPEAKER_WINDOW), min(hi, verb.end() + SPEAKER_WINDOW), language)
    cands = [c for c in cands if not (c.start < verb.end() and verb.start() < c.end)]
    return _nearest(cands, verb.start(), res.text), verb.group(0), True


def _reported_via(text: str, lo: int, hi: int) -> str | None:
    for pattern in reported_via_res():
        m = pattern.search(text, lo, hi)
        if m:
            via = re.split(r"\.\s", m.group("via"))[0].strip("«»„“”\" .")
            if via and via.split()[0].lower() not in _NOT_SPEAKER:
                return via
    return None


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
    res = _Resolver(article, entities, inside)
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
        cand, cue, has_verb = _attribution(res, attr_at if attr_at is not None else d.end + 1, after_hi, lang, "after")
        if not has_verb:
            cand, cue, has_verb = _attribution(res, before_lo, d.open_at, lang, "before")
        colon = re.search(r"([^\n:.!?]{2,60}):\s*$", text[before_lo:d.open_at])
        if not has_verb and colon:  # headline style "Stoltenberg: «…»"
            cands = res.candidates(before_lo, before_lo + colon.end(1), lang)
            cand = _nearest(cands, before_lo + colon.end(1), res.text)
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
                cand, cue, has_verb2 = _attribution(res, prev_sent.start, sent.start, lang, "before")
                res.pending_cue = None  # that verb introduces its own sentence's content too
                speaker = res.resolve(cand, d.start) if cand else (res.latest_person(d.start, max(0, sent.start - 300)) if has_verb2 else None)
        speaker_text = cand.text if cand else None
        if attributor is not None and attr_at is None:  # English: the parse decides where it can
            found = attributor.attribute(d.open_at, d.end + 1)
            if found is not None and found.speaker:
                speaker, speaker_text, cue, has_verb = found.speaker, found.speaker_text or speaker_text, found.cue or cue, True
            elif speaker and speaker[:1].isupper():  # a name: titles, brackets and days dropped, short forms joined
                speaker = attributor.mentions.canon(speaker)
        if _words(content) < MIN_FREE_QUOTE_WORDS and not (has_verb and speaker):
            continue
        if _words(content) <= 4 and all(w[:1].isupper() for w in WORD_RE.findall(content)):
            continue  # a quoted name («Сибирь-24»), not speech
        via = _reported_via(text, sent.start, max(after_hi, end_sent.end)) or \
            _reported_via(text, _sentence_at(sents, max(0, sent.start - 2)).start, sent.start)
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
# "X said residents should …": a lower-case subject right after the verb opens reported speech.
_ENGLISH_BARE_CLAUSE = re.compile(r"^\s+(?!(?:on|in|at|to|after|before|during|this|last|that|of|for|with|about|"
                                  r"from|by|so|yes|no|nothing|something|goodbye|hello|and|but|or|as)\b)(?=[a-z]+\s+\w)")


def _indirect(article: Article, res: _Resolver, sents: Sequence[Sentence], direct: list[Quote]) -> list[Quote]:
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
        via = _reported_via(text, s_lo, s_hi)
        out.append(Quote(article.id, content, speaker, False, c_lo, c_lo + len(content), sent.index,
                         cand.text if cand else None, via, cue))
    return out


def _according_to(res: _Resolver, lo: int, hi: int, lang: str | None):
    m = next((m for m in according_to_re(lang).finditer(res.text, lo, hi) if res._outside(m.start())), None)
    if not m or m.start() - lo > 40:
        return None
    # the source follows a preposition here ("according to X"), so no object filter
    cands = [c for c in res._candidates(m.end(), min(hi, m.end() + SPEAKER_WINDOW), lang) if c.start - m.end() <= 3]
    pron = _POSSESSIVE_PRONOUN.search(res.text, max(lo, m.start() - 6), min(hi, m.end() + 8))
    inner = _POSSESSIVE_PRONOUN.search(m.group(0))  # "по его словам", "according to him"
    cand = None if inner else (_nearest(cands, m.end(), res.text) if cands else None)
    if cand is None and pron:
        cand = _Cand(pron.start(), pron.end(), pron.group(0), "pronoun", None)
    if cand is None:  # a lower-case source: "по данным мэрии, …", "according to the ministry, …"
        m2 = re.match(r"\s*([^,.;:]{2,40}?),", res.text[m.end():hi])
        if m2 and len(m2.group(1).split()) <= 6:
            cand = _Cand(m.end() + m2.start(1), m.end() + m2.end(1), m2.group(1), "caps", _strip_det(m2.group(1)))
    anchor = cand.end if cand else m.end()
    if cand and cand.kind == "role":  # "according to NATO's Secretary General, Jens Stoltenberg, the …"
        after_role = res._candidates(cand.end, min(hi, cand.end + SPEAKER_WINDOW), lang)
        named = next((c for c in after_role if c.kind in ("name", "caps") and 0 <= c.start - cand.end <= 3), None)
        anchor = named.end if named else anchor
    comma = res.text.find(",", anchor, min(hi, anchor + 4))
    start = comma + 1 if comma >= 0 else anchor
    if lang_key(lang) == "de" and comma < 0:
        start = anchor  # "Laut Gisler will die Partei …"
    return start, hi, cand, m.group(0)


def _verb_clause(res: _Resolver, lo: int, hi: int, lang: str | None):
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
        if start is None:
            continue
        cands = [c for c in res.candidates(max(lo, verb.start() - SPEAKER_WINDOW), verb.start(), lang)]
        cand = _nearest(cands, verb.start(), res.text)
        if cand is None:  # inverted order: "a précisé le ministre que …" is rare; try after the verb
            after = [c for c in res.candidates(verb.end(), start, lang)]
            cand = _nearest(after, verb.end(), res.text)
        if cand is None:  # a common-noun subject: "The operators' association said in a statement that"
            subject = re.fullmatch(r"\s*((?:the|der|die|das|le|la|les|el|il|lo)\s+[^,.;:!?]{2,50}?)\s*", text[lo:verb.start()], re.I)
            # one noun ("The coordinator", "La ministra") refers back to a person: left to the fallback
            if subject and 3 <= len(subject.group(1).split()) <= 5:
                phrase = subject.group(1)
                cand = _Cand(lo + subject.start(1), lo + subject.end(1), phrase, "caps", _strip_det(phrase))
        return start, hi, cand, verb.group(0)
    return None


def _trailing_attribution(res: _Resolver, lo: int, hi: int, lang: str | None):
    """"The airline would hire 800 workers, he added." / "…, sagte die Ministerin."."""
    m = re.search(r",\s+([^,:“”\"«»„]{2,60})$", res.text[lo:hi])
    if not m or not res._outside(lo + m.start(1)):
        return None
    a_lo = lo + m.start(1)
    verb = speech_verb_re(lang).search(res.text, a_lo, hi)
    if not verb or verb.start() - a_lo > TRAILING_VERB_REACH:
        return None
    cand = _nearest(res.candidates(a_lo, hi, lang), verb.start(), res.text)
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
