"""Claims: extraction, grouping across outlets and languages, statuses, conflicts (seeds + units)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from newsprism.models import Article, Sentence

SEEDS = Path("/work/shared/seeds")
SEED_META = {  # file prefix -> (published, source), as the texts themselves say
    "000": ("2024-05-08", "Polish portal"),
    "001": ("2024-05-09", "RBC-Ukraine"),
    "002": ("2024-03-18", "RT"),
    "003": ("2024-06-06", "aggregator"),
    "004": ("2022-03-24", "Italian outlet"),
}
_SPLIT = re.compile(r"(?<=[.!?…])[\"”»]?\s+(?=[\"“«–-]?\s?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ0-9])")


def make_article(aid: int, text: str, *, source: str | None, published: str | None, language: str | None = "en",
                 title: str | None = None, duplicate_of: int | None = None) -> Article:
    """An Article with a simple sentence split: lines, then sentence ends before a capital."""
    sents: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        start_line = text.index(line, pos) if line else pos
        pos = start_line + len(line)
        offset = start_line
        for piece in _SPLIT.split(line):
            if not piece.strip():
                offset += len(piece)
                continue
            start = text.index(piece, offset)
            lead = len(piece) - len(piece.lstrip())
            end = start + len(piece.rstrip())
            sents.append(Sentence(len(sents), start + lead, end, text[start + lead:end]))
            offset = end
    first = text.strip().split("\n", 1)[0].strip()
    return Article(id=aid, origin=f"test:{aid}", title=title or first, text=text, sentences=tuple(sents),
                   language=language, source=source, published=published, duplicate_of=duplicate_of)


def seed_articles() -> list[Article]:
    """The five seed articles as Article records (ids 1..5), built directly from the files."""
    out = []
    for i, path in enumerate(sorted(SEEDS.glob("*.txt")), start=1):
        published, source = SEED_META[path.name[:3]]
        out.append(make_article(i, path.read_text(encoding="utf-8"), source=source, published=published))
    return out


# ----------------------------------------------------------------------------------- seeds

@pytest.fixture(scope="module")
def seed_comparison() -> dict:
    from newsprism.analysis.coverage import compare_story

    return compare_story(seed_articles())


@pytest.mark.slow
def test_seed_no_troops_claim_is_consensus_of_all_five(seed_comparison: dict) -> None:
    claims = seed_comparison["claims"]
    no_troops = [c for c in claims
                 if sum(bool(re.search(r"(no plans|not (plan|send)|no intention)", e["text"])) for e in c["evidence"]) >= 3]
    assert no_troops, "the no-troops claim must be found"
    top = no_troops[0]
    assert top["status"] == "consensus"
    assert set(top["sources"]) == {meta[1] for meta in SEED_META.values()}
    assert top["conflicting_values"] == []
    assert {e["article"] for e in top["evidence"]} == {1, 2, 3, 4, 5}
    # evidence cells point at real sentences of the articles
    arts = {a.id: a for a in seed_articles()}
    for e in top["evidence"]:
        assert arts[e["article"]].sentences[e["sentence"]].text == e["text"]


@pytest.mark.slow
def test_seed_story_has_partial_and_unique_claims_and_headline(seed_comparison: dict) -> None:
    statuses = {c["status"] for c in seed_comparison["claims"]}
    assert {"consensus", "partial", "unique"} <= statuses
    cov = seed_comparison["coverage"]
    assert cov["headline"] == "5 articles from 5 independent sources"
    assert set(cov["sources"]) == {meta[1] for meta in SEED_META.values()}
    assert set(seed_comparison) == {"claims", "coverage", "framing", "provenance", "timeline"}


# ------------------------------------------------------------------------------ unit tests

class BagOfWordsEmbedder:
    """A deterministic stand-in for e5: hashed bag of lower-case words, unit length."""

    name, dim = "bow-test", 256

    def embed(self, texts):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(w.encode()) % self.dim] += 1.0  # not hash(): it varies per process
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def _story(texts: dict[int, tuple[str, str]]) -> list[Article]:
    return [make_article(aid, text, source=src, published="2025-01-0%d" % (aid % 9 + 1), title=f"Story {aid}")
            for aid, (src, text) in texts.items()]


def test_number_conflict_is_detected_and_named() -> None:
    from newsprism.analysis.claims import extract_claims

    arts = _story({
        1: ("Outlet A", "Storm hits the coast. At least 12 people were killed in the storm on the coast of Brava. "
                        "Power lines were cut across the whole region. Mayor Ines Roca asked residents to stay home."),
        2: ("Outlet B", "Deadly storm. At least 15 people were killed in the storm on the coast of Brava. "
                        "Schools will stay closed until Friday. The harbour was flooded by high waves."),
        3: ("Outlet C", "Brava mourns. At least 12 people were killed in the storm on the Brava coast. "
                        "Rescue teams searched the beaches. Fishermen lost dozens of boats in the port."),
    })
    claims = extract_claims(arts, embedder=BagOfWordsEmbedder())
    killed = next(c for c in claims if "killed" in c.text)
    assert killed.status == "conflict"
    assert set(killed.conflicting_values) == {"12", "15"}
    assert len(killed.evidence) == 3


def test_negation_conflict_between_sources() -> None:
    from newsprism.analysis.conflicts import find_conflict

    assert find_conflict("The United States did not sign the agreement.",
                         "The United States signed the agreement on the final day.", "en", "en") is not None
    assert find_conflict("Further rate hikes were not ruled out.", "She ruled out further rate hikes.", "en", "en")
    # two wordings of the same negative fact are not a conflict
    assert find_conflict("NATO has no plans to send troops to Ukraine.",
                         "NATO will not send troops or aircraft to Ukraine.", "en", "en") is None


def test_value_conflicts_numbers_dates_places() -> None:
    from newsprism.analysis.conflicts import find_conflict, quantities

    assert find_conflict("Aid reached $278 billion.", "Aid reached $300 billion.") == ("$278 billion", "$300 billion")
    assert find_conflict("The vote is set for March 9.", "The vote is set for March 16.") == ("March 9", "March 16")
    assert find_conflict("The fire started near the village of Benaojan.",
                         "The fire started near the village of Jimera.", "en", "en") == ("Benaojan", "Jimera")
    # same value in other notations / languages: no conflict
    assert find_conflict("Unos 20.000 manifestantes", "About 20,000 protesters", "es", "en") is None
    assert find_conflict("około 12 tysięcy żołnierzy", "about 12,000 troops", "pl", "en") is None
    # spelling variants are not a place conflict
    assert find_conflict("Officials in Kyiv condemned it.", "Officials in Kiev condemned it.", "en", "en") is None
    assert [q.value for q in quantities("3,5 Prozent und 1 200 Stellen", "de")] == [3.5, 1200.0]


def test_copies_count_once_and_status_thresholds() -> None:
    from newsprism.analysis.claims import consensus_minimum, extract_claims

    assert [consensus_minimum(m) for m in (1, 2, 3, 4, 5, 10)] == [2, 2, 2, 3, 3, 6]
    text = "Bridge closes. The city closed the Tarn bridge on Monday for repairs lasting two years."
    arts = _story({1: ("Outlet A", text), 2: ("Outlet B", text + " Source link"),
                   3: ("Outlet C", "Bridge news. Mayor Ana Ruiz said the Tarn bridge will reopen in 2027.")})
    claims = extract_claims(arts, embedder=BagOfWordsEmbedder())
    closed = next(c for c in claims if "closed" in c.text)
    # an article and its verbatim copy are one independent source: unique, though two outlets print it
    assert closed.status == "unique" and set(closed.sources) == {"Outlet A", "Outlet B"}


def test_claim_sentences_skip_questions_headers_and_keep_attribution() -> None:
    from newsprism.analysis.claims import claim_sentences, split_attribution

    art = make_article(1, "Big news today\nWhat went wrong? Stoltenberg said NATO has no plans to send troops. "
                          "He added that support would continue for years. Source link",
                       source="X", published="2024-05-08")
    items = claim_sentences(art)
    assert [c.sentence.text for c in items] == ["Stoltenberg said NATO has no plans to send troops.",
                                                "He added that support would continue for years."]
    assert items[0].attributed_to == "Stoltenberg" and items[0].core.startswith("NATO has no plans")
    assert items[1].attributed_to == "Stoltenberg"  # pronoun resolved to the previous speaker
    core, who = split_attribution("Twelve workers died, according to the Meridian Press Agency.")
    assert who == "the Meridian Press Agency" and core == "Twelve workers died"
