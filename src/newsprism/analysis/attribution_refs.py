"""Who a speaker phrase refers to in an English article: names, pronouns and roles.

Names are matched to the story's canonical entities (full name, alias, or surname); titles,
brackets, possessives and trailing day/month words are not part of a name. A pronoun goes to the
nearest compatible person — searching back sentence by sentence, preferring the main clause's
subject — where compatibility is the article's own evidence of gender: the titles Mr/Mrs/Ms and
gendered role words next to the name, and he/she pronouns in sentences naming only that person.
"They"/"we" go to the nearest group (organisation or party). A role noun ("the senator") goes to
the person the story gives that title.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..models import Entity
from .speakers import fold

_MALE_TITLES = {"mr", "mr.", "congressman", "chairman", "spokesman", "businessman", "king", "prince", "sir"}
_FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss", "congresswoman", "chairwoman", "spokeswoman",
                  "businesswoman", "queen", "princess", "lady"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                   "herself": "f", "they": "p", "them": "p", "we": "p", "us": "p"}
# Words dropped from the front of a name ("Sen. Ted Cruz", "President Trump", "Mr. Fox").
_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
                "president", "pres", "vice", "former", "speaker", "secretary", "judge", "justice", "mayor", "gen",
                "general", "adm", "lt", "col", "sgt", "prof", "professor", "rev", "reverend", "sir", "lady", "chief",
                "leader", "minister", "prime", "attorney", "the", "then", "candidate", "congressman", "congresswoman",
                "senate", "house", "majority", "minority", "state", "first", "justice"}
_CALENDAR = set("""monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
today yesterday tomorrow morning evening night week weekend""".split())
# Role nouns and the words that give a person that role ("the senator" -> "Sen. Scott Brown").
ROLE_TITLES = {
    "president": {"president", "pres."}, "senator": {"sen.", "senator", "sen"},
    "governor": {"gov.", "governor", "gov"}, "congressman": {"rep.", "representative", "congressman"},
    "congresswoman": {"rep.", "representative", "congresswoman"}, "representative": {"rep.", "representative"},
    "lawmaker": {"sen.", "senator", "rep.", "representative", "congressman", "congresswoman"},
    "speaker": {"speaker"}, "secretary": {"secretary"}, "leader": {"leader"}, "judge": {"judge"},
    "justice": {"justice"}, "mayor": {"mayor"}, "minister": {"minister"}, "spokesman": {"spokesman", "spokesperson"},
    "spokeswoman": {"spokeswoman", "spokesperson"}, "chairman": {"chairman", "chair"}, "attorney": {"attorney", "lawyer"},
    "lawyer": {"attorney", "lawyer"}, "candidate": {"candidate"}, "nominee": {"nominee"}, "businessman": {"businessman"},
}
# How many sentences back a pronoun may find its antecedent.
PRONOUN_REACH_SENTENCES = 6
_PERSON = "PERSON"
_GROUP_LABELS = ("ORG", "NORP")


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str  # canonical
    kind: str  # "person" / "group"
    rank: int  # 0 main-clause subject, 1 other subject, 2 anything else
    sent: int  # index of the sentence


def clean_name(text: str) -> str:
    """A name without brackets, titles, possessive or trailing day/month words."""
    text = re.sub(r"[\[\]{}()<>\"“”«»]", " ", text)
    text = re.sub(r"(?:'s|’s|')$", "", text.strip())
    words = [w.strip(",;:") for w in text.split()]
    words = [w for w in words if w]
    while len(words) > 1 and (w := words[0].lower().rstrip(".")) in _TITLE_WORDS:
        words.pop(0)
    while words and words[-1].lower().rstrip(".") in _CALENDAR:
        words.pop()
    return " ".join(words)


def valid_speaker(name: str) -> bool:
    """A plausible person or organisation name: not a day, month, title or lone fragment."""
    words = name.split()
    if not words or not name[:1].isupper():
        return False
    low = [w.lower().rstrip(".") for w in words]
    if all(w in _CALENDAR or w in _TITLE_WORDS for w in low):
        return False
    return not (len(words) == 1 and len(low[0]) < 3 and not name.isupper())


class Mentions:
    """Person and group mentions of one parsed article, with gender evidence per person."""

    def __init__(self, doc, entities: Sequence[Entity], outside: Callable[[int], bool]) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self._sent_starts = [s.start_char for s in self.sents]
        self.forms: dict[str, str] = {}
        self.surnames: dict[str, set[str]] = defaultdict(set)
        for ent in entities:
            if ent.type not in ("PERSON", "ORG"):
                continue
            canon = clean_name(ent.name)
            if not valid_speaker(canon):
                continue
            for form in (ent.name, *ent.aliases):
                self.forms.setdefault(fold(clean_name(form)), canon)
            if ent.type == "PERSON":
                self.surnames[fold(canon.split()[-1])].add(canon)
        self.items: list[_Mention] = []
        for span in doc.ents:
            if not outside(span.start_char) or span.label_ not in (_PERSON, "GPE", *_GROUP_LABELS):
                continue
            described = span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN"  # "a resident, Giorgos Stamou,"
            if span.label_ == "GPE" and not described:
                continue
            name = self.canon(span.text, _PERSON if described else span.label_)
            if not name:
                continue
            kind = "person" if span.label_ == _PERSON or described or name in self.surname_people() else "group"
            self.items.append(_Mention(span.start_char, span.end_char, name, kind, _rank(span.root),
                                       self.sent_index(span.start_char)))
        self.gender = self._genders(outside)

    def surname_people(self) -> set[str]:
        return {n for names in self.surnames.values() for n in names}

    def sent_index(self, pos: int) -> int:
        lo, hi = 0, len(self._sent_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if self._sent_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid
        return lo

    def canon(self, text: str, label: str = _PERSON) -> str | None:
        """The canonical name for a name phrase, or None when it is no speaker's name."""
        name = clean_name(text)
        if not valid_speaker(name):
            return None
        key = fold(name)
        if key in self.forms:
            return self.forms[key]
        last = fold(name.split()[-1])
        people = self.surnames.get(last, set())
        if len(people) == 1 and (label == _PERSON or len(name.split()) == 1):
            return next(iter(people))
        if len(name.split()) == 1:  # a first name used alone ("Bibi") is left to the alias rules
            first = [n for n in self.surname_people() if fold(n.split()[0]) == key]
            if len(first) == 1:
                return first[0]
        return name

    def said(self, pos: int, speaker: str) -> None:
        """An attributed quote: its speaker counts as a main-clause subject at ``pos``."""
        kind = "person" if speaker in self.surname_people() or self._gender_of(speaker) else "group"
        self.items.append(_Mention(pos, pos, speaker, kind, 0, self.sent_index(pos)))

    def persons_between(self, lo: int, hi: int) -> list[str]:
        return [m.name for m in self.items if lo <= m.start < hi and m.kind == "person" and m.start != m.end]

    def _gender_of(self, name: str) -> str | None:
        return self.gender.get(name)

    def _genders(self, outside: Callable[[int], bool]) -> dict[str, str]:
        votes: dict[str, Counter] = defaultdict(Counter)
        doc = self.doc
        for m in self.items:
            if m.kind != "person":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            before = [t.lower_ for t in doc[max(0, span.start - 3):span.start]] + [t.lower_ for t in span[:1]]
            if any(w in _MALE_TITLES for w in before):
                votes[m.name]["m"] += 3
            if any(w in _FEMALE_TITLES for w in before):
                votes[m.name]["f"] += 3
        for tok in doc:
            g = _PRONOUN_GENDER.get(tok.lower_)
            if g not in ("m", "f") or not outside(tok.idx):
                continue
            s = self.sent_index(tok.idx)
            near = {m.name for m in self.items if m.kind == "person" and m.start < tok.idx and s - 1 <= m.sent <= s}
            if len(near) == 1:
                votes[near.pop()][g] += 1
        out = {}
        for name, c in votes.items():
            (top, n), *rest = c.most_common(2) + [("", 0)]
            if n > rest[0][1]:
                out[name] = top
        return out

    def antecedent(self, pos: int, pronoun: str) -> str | None:
        """The nearest compatible referent of a subject pronoun at ``pos``."""
        g = _PRONOUN_GENDER.get(pronoun.lower())
        if g is None:
            return None
        want = "group" if g == "p" else "person"
        s = self.sent_index(pos)
        for back in range(s, max(-1, s - PRONOUN_REACH_SENTENCES), -1):
            cands = [m for m in self.items if m.sent == back and m.start < pos and m.kind == want
                     and (g == "p" or self.gender.get(m.name) in (None, g))]
            if cands:
                return min(cands, key=lambda m: (m.rank, -m.start if back == s else m.start)).name
        return None

    def role_holder(self, lemma: str, pos: int) -> str | None:
        """The person the story gives this role, the latest one named before ``pos`` first."""
        titles = ROLE_TITLES.get(lemma)
        if not titles:
            return None
        holders = []
        for m in self.items:
            if m.kind != "person" or m.start == m.end:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            near = [t.lower_ for t in self.doc[max(0, span.start - 4):span.end]]
            root = span.root
            near += [t.lower_ for t in root.children if t.dep_ == "appos"]
            if root.dep_ == "appos":
                near.append(root.head.lower_)
            if any(w in titles for w in near):
                holders.append(m)
        before = [m for m in holders if m.start < pos]
        pick = max(before, key=lambda m: m.start) if before else (holders[0] if holders else None)
        return pick.name if pick else None


def _rank(tok) -> int:
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return 0 if tok.head.dep_ == "ROOT" else 1
    if tok.dep_ in ("compound", "appos") and tok.head.dep_ in ("nsubj", "nsubjpass"):
        return _rank(tok.head)  # "Sen. Scott Brown" / "A resident, Giorgos Stamou, said"
    return 2


def canonical_speaker(tok, mentions: Mentions) -> tuple[str, str | None]:
    """(the words naming the speaker, the canonical speaker) for the subject token ``tok``."""
    low = tok.lower_
    if low in _PRONOUN_GENDER:
        return tok.text, mentions.antecedent(tok.idx, low)
    if low in ("i", "you", "it", "this", "that", "who", "which"):
        return tok.text, None
    if tok.ent_type_ and tok.ent_iob_ != "O":
        span = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if span is not None and span.label_ in (_PERSON, "ORG", "NORP", "GPE", "FAC"):
            return span.text, mentions.canon(span.text, span.label_)
    named = [c for c in tok.children if (c.dep_ in ("appos", "compound") and c.ent_type_ == _PERSON)
             or (c.dep_ == "appos" and c.pos_ == "PROPN" and tok.pos_ == "NOUN")]
    if named:  # "the spokesman, Ben LaBolt," / "spokesman Ben LaBolt"
        return canonical_speaker(named[0], mentions)
    if tok.pos_ == "PROPN":
        words = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
        text = " ".join(t.text for t in words)
        return text, mentions.canon(text)
    lemma = tok.lemma_.lower()
    phrase = " ".join(t.text for t in tok.subtree if t.dep_ not in ("relcl", "punct") and t.i <= tok.i + 4)
    if lemma in ROLE_TITLES and not any(c.lower_ in ("a", "an") for c in tok.children):
        holder = mentions.role_holder(lemma, tok.idx)
        if holder:
            return phrase, holder
    if any(c.lower_ in ("a", "an") for c in tok.children):  # "a senior Ukrainian official": someone new
        return phrase, re.sub(r"^(?:a|an)\s+", "", phrase, flags=re.I)
    # another common noun ("the head of the ministry"): left to the lexicon's role rules
    return phrase, None
