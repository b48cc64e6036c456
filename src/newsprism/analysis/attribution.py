"""English quote attribution from the sentence's structure (spaCy's dependency parse).

For a direct quote, the speech verb next to it is found outside the quote marks — after it in the
same sentence ("“…,” said Rep. Zoe Lofgren", "“…!” Trump tweeted"), or before it ("Santorum did not
back down, saying, “…”", "He added: “…”", "Trump, who said “…”") — and the speaker is that verb's
grammatical subject: ``nsubj``; for a participle, infinitive or conjunct verb ("saying", "went on to
say") the subject of the verb it hangs from; for "who said" the noun the relative clause modifies;
for "according to X" the object of "to". A subject pronoun goes to the nearest compatible person
(``attribution_refs``), a role noun ("the senator") to the person who holds that title in the story.
A quote with no verb of its own that fills its paragraph continues the previous quote's speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Entity
from .attribution_refs import Mentions, canonical_speaker
from .entities import english_doc

# Lemmas of verbs that report speech or writing; "call" and "describe" cover "what he called “…”".
SPEECH_LEMMAS = frozenset("""say tell add continue write tweet post state explain argue insist warn claim
declare note ask reply respond answer announce call acknowledge admit suggest contend complain recall
conclude predict urge vow promise testify joke quip charge counter scoff lament observe remark assert
maintain emphasize emphasise stress concede describe brand dub label accuse blast slam criticize
criticise praise thank announce pledge threaten deny confirm report recount told says said
proclaim shout yell cry whisper mutter retort chime boast brag assure caution demand question wonder
agree disagree object protest reiterate repeat interject exclaim underline underscore""".split())
# Tokens a "said X" speaker may have after the verb before the clause ends.
AFTER_REACH_TOKENS = 12
# An attribution after a quote that ends a sentence ("“…!” Trump tweeted.") must start this close.
FINAL_QUOTE_REACH_TOKENS = 4


@dataclass(frozen=True, slots=True)
class Attribution:
    """The speaker of one quote: canonical name (or None), the words that name it, the cue verb."""

    speaker: str | None
    speaker_text: str
    cue: str


class EnglishAttributor:
    """Attributes the direct quotes of one English article."""

    def __init__(self, article: Article, entities: Sequence[Entity], inside: list[tuple[int, int]]) -> None:
        self.text = article.text
        self.doc = english_doc(article.text)
        self.inside = sorted(inside)
        self.mentions = Mentions(self.doc, entities, self._outside)
        self.last: tuple[int, str] | None = None  # (end of quote, speaker) of the latest attributed quote

    def _outside(self, pos: int) -> bool:
        return not any(s <= pos < e for s, e in self.inside)

    def _tokens(self, lo: int, hi: int):
        return [t for t in self.doc if lo <= t.idx < hi and self._outside(t.idx)]

    def attribute(self, open_at: int, close_at: int) -> Attribution | None:
        """The speaker of the quote whose marks span [open_at, close_at)."""
        return self._after(open_at, close_at) or self._before(open_at) or self._continued(open_at)

    def settle(self, open_at: int, close_at: int, speaker: str | None) -> None:
        """Record the speaker finally given to a quote (for continuations and later pronouns)."""
        if speaker:
            self.last = (close_at, speaker)
            self.mentions.said(open_at, speaker)

    def _para(self, pos: int) -> tuple[int, int]:
        lo = self.text.rfind("\n", 0, pos) + 1
        hi = self.text.find("\n", pos)
        return lo, len(self.text) if hi < 0 else hi

    def _after(self, open_at: int, close_at: int) -> Attribution | None:
        _, para_hi = self._para(close_at)
        nxt = next((s for s, _ in self.inside if s >= close_at), para_hi)
        hi = min(para_hi, nxt)
        stop = re.compile(r"[.!?;](?=\s|$)").search(self.text, close_at, hi)
        hi = stop.start() if stop else hi
        toks = self._tokens(close_at, hi)[:AFTER_REACH_TOKENS]
        content = self.text[open_at + 1:close_at - 1].rstrip()
        final = content[-1:] in ".!?" and not self.text[close_at:close_at + 3].lstrip()[:1] in (",", "")
        if final:
            toks = toks[:FINAL_QUOTE_REACH_TOKENS]
        for tok in toks:
            if self._is_speech(tok):
                return self._speaker_of(tok)
        return None

    def _before(self, open_at: int) -> Attribution | None:
        para_lo, _ = self._para(open_at)
        prev = max((e for _, e in self.inside if e <= open_at), default=para_lo)
        lo = max(para_lo, prev)
        region = self.text[lo:open_at]
        stop = [m.end() for m in re.finditer(r"[.!?](?=\s+[A-Z“\"‘])", region)]
        lo = lo + stop[-1] if stop else lo
        if lo >= open_at and para_lo == open_at:
            return self._introduced(open_at)
        toks = self._tokens(lo, open_at)
        for tok in reversed(toks):
            if self._is_speech(tok):
                return self._speaker_of(tok)
            if tok.lower_ == "according" and tok.nbor(1).lower_ == "to":
                obj = next((c for c in tok.nbor(1).children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self._resolve(obj, "according to")
        colon = re.search(r"([^\n:.!?“”\"]{2,60}):\s*$", self.text[lo:open_at])
        if colon:  # "Trump on Twitter: “…”"
            head = [t for t in self._tokens(lo, lo + colon.end(1)) if t.ent_type_ in ("PERSON", "ORG")]
            people = [t for t in head if t.ent_type_ == "PERSON"]
            if head:  # "NATO, Stoltenberg: “…”": the person closest to the colon
                return self._resolve((people or head)[-1], ":")
        if para_lo == open_at or not region.strip():
            return self._introduced(open_at)
        return None

    def _introduced(self, open_at: int) -> Attribution | None:
        """A paragraph that opens with the quote, after one that ends "… said:" or "… tweeted."."""
        prev_hi = open_at - 1
        while prev_hi > 0 and self.text[prev_hi - 1] in " \n":
            prev_hi -= 1
        if prev_hi <= 0 or self.text[prev_hi - 1] != ":":
            return None
        prev_lo, _ = self._para(prev_hi - 1)
        toks = self._tokens(prev_lo, prev_hi)
        for tok in reversed(toks):
            if self._is_speech(tok):
                return self._speaker_of(tok)
        return None

    def _continued(self, open_at: int) -> Attribution | None:
        """A quote with no verb: the previous quote's speaker when nobody else is named in between."""
        if self.last is None:
            return None
        end, speaker = self.last
        gap = self.text[end:open_at]
        if len(gap) > 400 or gap.count("\n") > 2:
            return None
        others = [m for m in self.mentions.persons_between(end, open_at) if m != speaker]
        para_lo, _ = self._para(open_at)
        if others or (self.text[para_lo:open_at].strip() and not self.text[para_lo:open_at].strip().endswith(",")):
            return None
        return Attribution(speaker, "", "")

    @staticmethod
    def _is_speech(tok) -> bool:
        return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_LEMMAS and tok.dep_ != "amod"

    def _speaker_of(self, verb) -> Attribution | None:
        node = verb
        for _ in range(4):
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                if subj.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                    return self._resolve(node.head, verb.text)
                if subj.dep_ == "nsubjpass":
                    agent = next((g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
                    if agent is None:
                        return None
                    subj = agent
                return self._resolve(subj, verb.text)
            if node.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl") and node.head is not node:
                node = node.head
                continue
            break
        # "“…,” said the former governor" parsed without an nsubj: a name right after the verb
        obj = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod")
                    and c.ent_type_ in ("PERSON", "ORG")), None)
        return self._resolve(obj, verb.text) if obj is not None else Attribution(None, "", verb.text)

    def _resolve(self, tok, cue: str) -> Attribution | None:
        if not self._outside(tok.idx):  # a mis-parse that puts the subject inside the quote
            return None
        phrase, speaker = canonical_speaker(tok, self.mentions)
        return Attribution(speaker, phrase, cue)
