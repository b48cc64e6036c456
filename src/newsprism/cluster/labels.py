"""Headline-like titles and distinctive keywords for stories and storylines.

The title is the title of the member article nearest the story centroid, cleaned of outlet suffixes
("... — RT World News", "... | Reuters"); URL-like or empty titles fall back to the article's first
line. Keywords are the story's heaviest word stems by TF-IDF (document frequencies from the
clusterer), shown in their most frequent surface form.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np

from ..models import Article
from .features import _WORD, MIN_TERM_CHARS, fold, phonetic_key, stem, term_hash

TITLE_MAX_CHARS = 140
KEYWORDS = 6
# How much of each member the keyword counter reads (title + lead carry the event).
KEYWORD_CHARS = 1500
# Words that name outlets when they end a title after a separator ("- Reuters", "| BBC News").
_OUTLET_WORDS = set("""news times post reuters bbc cnn ap afp ansa dpa tass ria rt world daily herald guardian
journal tribune press agency online tv radio channel today gazette telegraph independent express
magazine wire report media com net org ru ua pl it de fr es uk info portal zeitung corriere repubblica
""".split())
_SEPARATORS = re.compile(r"\s+[-–—|•:]\s+")
_URLISH = re.compile(r"^(https?:|www\.)|^\S+\.(com|org|net)\b|http\s*:\s*/", re.I)
_SHORT = 4  # a shorter word is never a keyword (articles, prepositions, most function words)
# Languages whose function words (spaCy's per-language stop word lists) are never keywords. English is
# always included: machine-translated and mixed texts carry English function words in any language.
STOPWORD_LANGUAGES = ("en", "de", "uk", "ru", "pl", "it", "es", "fr", "nl", "pt")


@lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    """Folded stop words of ``language`` plus English (empty set for a language spaCy lacks)."""
    words: set[str] = set()
    for lang in {language, "en"}:
        if lang not in STOPWORD_LANGUAGES:
            continue
        try:
            module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        except ImportError:
            continue
        words.update(fold(w) for w in module.STOP_WORDS)
    return frozenset(words)


def clean_title(title: str, source: str | None = None, fallback_text: str = "") -> str:
    """``title`` without an outlet suffix; the text's first line when the title is missing or a URL."""
    title = " ".join((title or "").split())
    if not title or _URLISH.search(title):
        first = next((ln.strip() for ln in fallback_text.splitlines() if len(ln.strip()) > 15), "")
        title = " ".join(first.split())
    parts = _SEPARATORS.split(title)
    while len(parts) > 1:
        tail = parts[-1]
        words = [fold(w) for w in re.findall(r"[\w.]+", tail)]
        is_source = source is not None and fold(source) in fold(tail)
        if is_source or (len(words) <= 4 and any(w.split(".")[-1] in _OUTLET_WORDS for w in words)):
            parts.pop()
        else:
            break
    title = " - ".join(parts).strip()
    if len(title) > TITLE_MAX_CHARS:
        title = title[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return title or "(untitled)"


def central_title(articles: Sequence[Article], vectors: dict[int, np.ndarray], centroid: np.ndarray | None) -> str:
    """Cleaned title of the article nearest ``centroid`` (first article when vectors are missing)."""
    if not articles:
        return "(untitled)"
    best = articles[0]
    if centroid is not None:
        scored = [(float(vectors[a.id] @ centroid), -a.id, a) for a in articles if a.id in vectors]
        if scored:
            best = max(scored, key=lambda t: (t[0], t[1]))[2]
    return clean_title(best.title, best.source, best.text)


def keywords(articles: Sequence[Article], idf: Callable[[str, int], float], count: int = KEYWORDS) -> tuple[str, ...]:
    """The ``count`` most distinctive words of ``articles``; ``idf(language, term_hash)`` weighs them."""
    weight: Counter[tuple[str, str]] = Counter()
    surface: dict[str, Counter[str]] = {}
    for article in articles:
        lang = (article.language or "und").lower()[:2]
        seen: Counter[str] = Counter()
        stop = stopwords(lang)
        text = f"{article.title}\n{article.text[:KEYWORD_CHARS]}"
        for match in _WORD.finditer(text):
            word = match.group(0)
            if len(word) < max(_SHORT, MIN_TERM_CHARS) or _URLISH.search(word) or fold(word) in stop:
                continue
            key = stem(word)
            seen[key] += 1
            surface.setdefault(key, Counter())[word if not word.isupper() else word] += 1
        for key, n in seen.items():
            weight[(lang, key)] += (1.0 + math.log(n)) * idf(lang, term_hash(key))
    merged: Counter[str] = Counter()
    for (_, key), w in weight.items():
        merged[key] += w
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    # prefer the capitalised form for names, the lower-case one for common words
    return _distinct((max(surface[key].items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]
                      for key, _ in ranked), count)


def _distinct(words: Iterable[str], count: int) -> tuple[str, ...]:
    """The first ``count`` of ``words``, each word once (``_same_word``)."""
    out: list[str] = []
    for word in words:
        if not any(_same_word(word, o) for o in out):
            out.append(word)
            if len(out) == count:
                break
    return tuple(out)


def _same_word(a: str, b: str) -> bool:
    """One word in two spellings: the same letters, or one name in two scripts or languages
    (Рютте / Rutte, Київ / Kyiv: the same phonetic key, both capitalised; Брюсселе / Brussels: one
    key of four or more sounds starts the other, as inflected names do)."""
    if a.lower() == b.lower():
        return True
    if not (a[:1].isupper() and b[:1].isupper()):
        return False
    short, long = sorted((phonetic_key(fold(a)), phonetic_key(fold(b))), key=len)
    if len(short) < 2:  # a vowel-only name has no usable key
        return False
    return short == long if len(short) < 4 else long.startswith(short)


def storyline_keywords(stories: Sequence[tuple[Sequence[str], int]], count: int = KEYWORDS) -> tuple[str, ...]:
    """Keywords of a storyline from its stories' (keywords, size): a story's word weighs more the
    larger the story and the higher it ranks there. Spellings of one word across scripts and
    languages (НАТО / NATO, Украина / Ukraine) count as one, shown in their heaviest form; one name
    in two scripts (Рютте / Rutte) is shown once."""
    weights: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for words, size in stories:
        for rank, word in enumerate(words):
            w = math.log1p(size) / (rank + 1)
            key = stem(word)
            weights[key] += w
            forms.setdefault(key, Counter())[word] += w
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return _distinct((max(forms[key].items(), key=lambda kv: (kv[1], kv[0]))[0] for key, _ in ranked), count)
