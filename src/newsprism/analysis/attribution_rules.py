"""Rule-based quote attribution for every language: speech verbs, speaker phrases and who they are.

Attribution looks for a speech verb (``data/roles.yaml``) next to the quote and takes the nearest
speaker phrase around it: a name of a known entity, a role ("the Secretary General") resolved to the
person holding it, or a pronoun / dropped subject resolved to the latest person. English quotes are
then re-attributed from the dependency parse where it finds a speaker (``attribution``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import Article, Entity
from .speakers import (PREPOSITIONS, UPPER, alias_groups, complementizer_re, fold, find_role_phrases, lang_key, pronoun_re, reported_via_res,
                       same_name_stem, speech_verb_re)

# Lower-case nouns that make a capitalised adjective before them an institution ("Polski rząd").
_INSTITUTION = re.compile(r"[ ]+(?:rząd|government|уряд|правительство|Regierung|gouvernement|governo|gobierno|"
                          r"ministry|ministerstwo|министерство|міністерство|ministère|ministero|ministerio)(?!\w)")


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    """Month and weekday names (every language, folded), with their inflected stems."""
    from ..calendar_words import month_numbers, weekday_numbers
    return frozenset(fold(w) for w in (*month_numbers(), *weekday_numbers()))


# How far (characters) from a speech verb a speaker phrase may be.
SPEAKER_WINDOW = 70
_CAP_NAME = re.compile(r"(?<![\w'’])[{U}][\w'’\-]+(?:[ ]+(?:(?:von|van|de|al|bin|el)[ ]+)?[{U}][\w'’\-]+){0,3}".replace("{U}", UPPER))
_NOT_SPEAKER = set("the a an he she it they this that there we i you in on at after before when while according "
                   "der die das ein eine le la les il elle un une el los las w na z в на и".split())
_PREPOSITIONS = PREPOSITIONS


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    text: str
    kind: str  # "name", "role", "pronoun", "caps", "org", "place"
    entity: str | None



class Resolver:
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

    def _kind(self, phrase: str) -> str | None:
        """"caps" for a capitalised phrase that may name a speaker, "place" for a place (its
        government may speak, but it names no person), None for a month or weekday ("March")."""
        words = [fold(w) for w in phrase.split()]
        if all(w in _calendar_words() for w in words):
            return None
        if len(words) <= 2 and any(same_name_stem(phrase.split()[-1], p) for p in self.places):
            return "place"
        return "caps"

    def _locate_names(self, entities: Sequence[Entity]) -> list[Candidate]:
        self.persons = {e.name for e in entities if e.type == "PERSON"}
        self.places = {f for e in entities if e.type == "PLACE" for f in (e.name, *e.aliases) if " " not in f} | \
            {v for _c, variants, etype in alias_groups() if etype == "PLACE" for v in variants if " " not in v}
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
            out.append(Candidate(m.start(), m.end(), m.group(0), kind, forms[base]))
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

    def candidates(self, lo: int, hi: int, language: str | None) -> list[Candidate]:
        found = [c for c in self._candidates(lo, hi, language) if not self._object(c)]
        roles = [c for c in found if c.kind == "role"]
        # an organisation inside a role ("глава МЗС", "the head of NATO") is not the speaker
        return [c for c in found if c.kind == "role" or not any(r.start <= c.start and c.end <= r.end for r in roles)]

    def _object(self, cand: Candidate) -> bool:
        before = re.split(r"[\n.!?;:]", self.text[max(0, cand.start - 30):cand.start])[-1].split()
        if any(s <= cand.start < e for s, e in self.via_spans):
            return True
        if cand.kind in ("pronoun", "role") or not before:
            return False
        word = before[-1].lower()
        prev = before[-2].lower() if len(before) > 1 else ""
        return word in _PREPOSITIONS or (word in ("the", "a", "an", "l'") and prev in _PREPOSITIONS)

    def _candidates(self, lo: int, hi: int, language: str | None) -> list[Candidate]:
        out = [c for c in self.names if lo <= c.start and c.end <= hi and self._outside(c.start)]
        for role in self.roles:
            if lo <= role.start and role.end <= hi and self._outside(role.start):
                named = self._apposed(role.start, role.end)
                out.append(Candidate(role.start, role.end, role.text, "role", named or self._role_entity(role, lo)))
        for m in pronoun_re(language).finditer(self.text, lo, hi):
            if self._outside(m.start()):
                out.append(Candidate(m.start(), m.end(), m.group(0), "pronoun", None))
        taken = [(c.start, c.end) for c in out]
        for m in _CAP_NAME.finditer(self.text, lo, hi):
            words = m.group(0).split()
            if words[0].lower() in _NOT_SPEAKER or speech_verb_re(language).fullmatch(words[0]):
                continue
            kind = self._kind(m.group(0))
            if kind is None:
                continue
            if any(s < m.end() and m.start() < e for s, e in taken) or not self._outside(m.start()):
                continue
            if kind == "place":  # "Moscow has warned": a government speaks, no person to name
                out.append(Candidate(m.start(), m.end(), m.group(0), "place", None))
                continue
            out.append(Candidate(m.start(), m.end(), m.group(0), "caps", self._match_name(m.group(0))))
        return [self._institution(c) for c in out]

    def _institution(self, cand: Candidate) -> Candidate:
        """"Polski rząd", "French government": an adjective of a place and an institution noun."""
        body = _INSTITUTION.match(self.text, cand.end)
        if body is None or cand.kind not in ("caps", "org", "place") or len(cand.text.split()) != 1 or cand.entity in self.persons:
            return cand
        phrase = self.text[cand.start:body.end()]
        return Candidate(cand.start, body.end(), phrase, "caps", phrase)

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

    def resolve(self, cand: Candidate, pos: int) -> str | None:
        """The canonical speaker a candidate phrase names (None for a place: it names no speaker)."""
        if cand.kind == "place":
            return None
        if cand.kind == "pronoun":
            return self.subject_before(cand.start) or cand.text
        if cand.entity:
            return cand.entity
        if cand.kind == "role" or (cand.kind == "caps" and _definite_noun(self.text, cand)):
            # an unnamed role refers back to the latest person ("the minister", "der Niederländer"),
            # unless it is indefinite ("a senior Ukrainian official" is someone new)
            if re.match(r"^(?:a|an|ein|eine|un|une|uno|una)\s", cand.text, re.I) or _indefinite(self.text, cand):
                return strip_det(cand.text)
            role = next((r for r in self.roles if r.start == cand.start), None)
            before = self.latest_person(cand.start, max(0, cand.start - 600))
            if role is not None and role.org:  # "the Ukrainian president": maybe named only later
                return self._named_speaker_after(cand.end) or before or strip_det(cand.text)
            return before or self._named_speaker_after(cand.end) or strip_det(cand.text)
        return cand.text


def _definite_noun(text: str, cand: Candidate) -> bool:
    """"Der Niederländer", "der Kanzler": a capitalised noun after a definite article."""
    before = text[max(0, cand.start - 5):cand.start].split()
    return len(cand.text.split()) == 1 and bool(before) and before[-1].lower() in ("der", "die", "the")


def _indefinite(text: str, cand: Candidate) -> bool:
    before = text[max(0, cand.start - 30):cand.start].split()
    return bool(before) and before[-1].lower() in ("a", "an", "ein", "eine", "einer", "un", "une", "uno", "una")


def strip_det(text: str) -> str:
    return re.sub(r"^(?:(?:the|a|an|der|die|das|le|la|il|el|un|une|lo)\s+|l['’])", "", text.strip(), flags=re.I)


def nearest(cands: list[Candidate], anchor: int, text: str = "") -> Candidate | None:
    """The candidate closest to the speech verb; names beat pronouns at equal distance."""
    rank = {"name": 0, "role": 1, "org": 2, "caps": 2, "pronoun": 3, "place": 4}
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
            if 0 <= best.start - c.end <= ROLE_NAME_GAP and _MODIFIED_APPOSITION.fullmatch(text, c.end, best.start):
                return c  # "Olena Hrytsenko, deputy head of …": the role's modifier words lie between
            # "przewodnicząca porozumienia dr Katarzyna Nowak": a few words, no punctuation, between
            if 0 < c.start - best.end <= ROLE_NAME_GAP and not re.search(r"[,.;:!?()]", text[best.end:c.start]):
                return c
    return best


# A name may follow its role by this many characters of plain words ("chair of the union Dr Ann Lee").
ROLE_NAME_GAP = 30
# ", deputy " / ", acting " between a name and the role that follows it.
_MODIFIED_APPOSITION = re.compile(r",\s+(?:the\s+)?(?:[^\W\d_A-ZА-ЯЁІЇЄҐ][\w-]*\s+){1,2}")
# Unknown single capitalised words are weak speakers (German nouns, places): they lose to any
# name, role or pronoun closer than this many characters.
UNKNOWN_WORD_PENALTY = 25


def _penalty(cand: Candidate) -> int:
    if cand.kind == "caps" and cand.entity == cand.text and len(cand.text.split()) == 1:
        return UNKNOWN_WORD_PENALTY
    if cand.kind == "place":
        return UNKNOWN_WORD_PENALTY
    if cand.kind == "org":  # organisations speak too ("the ministry said"), but a person near the verb wins
        return UNKNOWN_WORD_PENALTY
    return 0


def attribution_near(res: Resolver, lo: int, hi: int, language: str | None, prefer: str) -> tuple[Candidate | None, str | None, bool]:
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
        return Candidate(verb.start() + inner.start(), verb.start() + inner.end(), inner.group(0), "pronoun", None), \
            verb.group(0), True
    cands = res.candidates(max(lo, verb.start() - SPEAKER_WINDOW), min(hi, verb.end() + SPEAKER_WINDOW), language)
    cands = [c for c in cands if not (c.start < verb.end() and verb.start() < c.end)]
    return nearest(cands, verb.start(), res.text), verb.group(0), True


# "the words of X" after a quote names its speaker ("приводят агентства слова Столтенберга").
_WORDS_OF = re.compile(r"(?<!\w)(?:слова|слів|słowa|words of|les propos de|le parole di|las palabras de|die Worte von)\s+$", re.I)


def words_of(res: Resolver, lo: int, hi: int, language: str | None) -> Candidate | None:
    """A person named right after "the words of" in [lo, hi), else None."""
    for cand in res.candidates(lo, hi, language):
        if cand.kind in ("name", "caps") and _WORDS_OF.search(res.text[max(lo, cand.start - 20):cand.start]):
            return cand
    return None


def reported_via(text: str, lo: int, hi: int) -> str | None:
    for pattern in reported_via_res():
        m = pattern.search(text, lo, hi)
        if m:
            via = re.split(r"\.\s", m.group("via"))[0].strip("«»„“”\" .")
            if via and via.split()[0].lower() not in _NOT_SPEAKER:
                return via
    return None
