"""The same statement reported by several articles, in other words or another language.

Quotes from different articles are linked when their multilingual embeddings (centred e5, dot
product) are close, their speakers are compatible (same canonical name, up to transliteration and
inflection, or one side unknown), and — for quotes in one script — their wording overlaps. Linked
quotes form one ``Statement``; each variant carries a word-level diff against the first variant, and
the statement lists *drift*: a negation, number, name or clause present in one variant only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from ..embed import Embedder, sentence_embedder
from ..models import Quote, Statement, StatementVariant
from .speakers import fold, same_name_stem
from .worddiff import drift_flags, word_diff

# Two quotes are the same statement when (embedding cosine + LEXICAL_WEIGHT * token-set overlap)
# reaches a threshold. Quotes in one language share wording and topic, so they need a higher score
# than translations. Tuned on the even half of bench/data/statement_pairs.jsonl (same-language true
# pairs >= 1.0, same-speaker other statements <= 0.47; translations 0.55-0.85, other statements of
# the speaker <= 0.35) and checked on the seed story, where single linkage at 0.45 chained a whole
# interview into one statement, and 0.80 still merged different "no troops" remarks of one speaker —
# hence complete linkage and the higher same-language bar.
SAME_LANGUAGE_MIN = 0.85
CROSS_LANGUAGE_MIN = 0.45
LEXICAL_WEIGHT = 0.1
# Speakers count as the same person when their surnames (transliterated) are this similar.
SPEAKER_MIN_RATIO = 80

_CYR = dict(zip("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "g", "d", "e", "ye", "yo", "zh", "z", "i", "i", "yi", "y", "k", "l", "m", "n",
                 "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def transliterate(text: str) -> str:
    """Lower-case Latin form of a (possibly Cyrillic) name, accents removed."""
    return "".join(_CYR.get(ch, ch) for ch in fold(text))


def _surname(name: str) -> str:
    words = re.findall(r"[\w'-]+", name)
    return transliterate(words[-1]) if words else ""


def speakers_compatible(a: str | None, b: str | None) -> bool:
    """Unknown speakers are compatible with anyone; known ones must share a surname."""
    if not a or not b:
        return True
    sa, sb = _surname(a), _surname(b)
    if not sa or not sb:
        return True
    return sa == sb or same_name_stem(sa, sb) or fuzz.ratio(sa, sb) >= SPEAKER_MIN_RATIO


def _script(text: str) -> str:
    return "cyrillic" if re.search(r"[\u0400-\u04ff]", text) else "latin"


def _language(text: str) -> str:
    """Language of a quote (py3langid, offline), or its script when too short to tell."""
    if len(text) < 12:
        return _script(text)
    import py3langid
    return py3langid.classify(text)[0]


def _lexical(a: str, b: str) -> float:
    if _script(a) != _script(b):
        return 0.0
    return fuzz.token_set_ratio(fold(a), fold(b)) / 100.0


def match_statements(quotes: Sequence[Quote], *, embedder: Embedder | None = None) -> list[Statement]:
    """Statements reported by at least two different articles, with diffs and drift flags.

    ``StatementVariant.quote_index`` is the position of the quote in ``quotes``.
    """
    idx = [i for i, q in enumerate(quotes) if q.text.strip()]
    if len({quotes[i].article_id for i in idx}) < 2:
        return []
    embedder = embedder or sentence_embedder()
    vecs = np.asarray(embedder.embed([quotes[i].text for i in idx]), dtype=np.float32)
    sims = vecs @ vecs.T
    langs = [_language(quotes[i].text) for i in idx]
    n = len(idx)
    ok = np.zeros((n, n), dtype=bool)  # may these two quotes be one statement?
    candidates = []
    for a in range(n):
        qa = quotes[idx[a]]
        for b in range(a + 1, n):
            qb = quotes[idx[b]]
            if qa.article_id == qb.article_id:
                ok[a, b] = ok[b, a] = True  # the same article may repeat a statement (headline, body)
                continue
            if not speakers_compatible(qa.speaker, qb.speaker):
                continue
            score = float(sims[a, b]) + LEXICAL_WEIGHT * _lexical(qa.text, qb.text)
            if score >= (SAME_LANGUAGE_MIN if langs[a] == langs[b] else CROSS_LANGUAGE_MIN):
                ok[a, b] = ok[b, a] = True
                candidates.append((score, a, b))
    # Complete linkage: two groups merge only when every pair across them may be one statement.
    cluster = list(range(n))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    for _score, a, b in sorted(candidates, reverse=True):
        ca, cb = cluster[a], cluster[b]
        if ca == cb or not all(ok[x, y] for x in members[ca] for y in members[cb]):
            continue
        for x in members[cb]:
            cluster[x] = ca
        members[ca].extend(members.pop(cb))
    groups = members
    statements: list[Statement] = []
    for members in groups.values():
        if len({quotes[idx[k]].article_id for k in members}) < 2:
            continue
        order = sorted(members, key=lambda k: (quotes[idx[k]].article_id, quotes[idx[k]].start))
        first = quotes[idx[order[0]]]
        variants, drift = [], []
        for k in order:
            q = quotes[idx[k]]
            # words are compared only within one language: a translation differs in every word
            same_language = langs[k] == langs[order[0]] and _script(q.text) == _script(first.text)
            diff = word_diff(first.text, q.text) if k != order[0] and same_language else ()
            variants.append(StatementVariant(q.article_id, q.text, idx[k], diff))
            if k != order[0]:
                drift.extend(f for f in drift_flags(first.text, q.text, same_language) if f not in drift)
        speaker = next((quotes[idx[k]].speaker for k in order if quotes[idx[k]].speaker), None)
        statements.append(Statement(0, speaker, tuple(variants), tuple(drift)))
    statements.sort(key=lambda s: (s.variants[0].article_id, quotes[s.variants[0].quote_index].start))
    return [Statement(n + 1, s.speaker, s.variants, s.drift) for n, s in enumerate(statements)]
