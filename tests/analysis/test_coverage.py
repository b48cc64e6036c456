"""Coverage matrix and omissions over hand-built claims (pure, no model)."""

from __future__ import annotations

from newsprism.analysis.coverage import coverage_matrix, widely_reported_minimum
from newsprism.models import Article, Claim, Sentence, Span


def _article(aid: int, source: str, sentences: list[str], duplicate_of: int | None = None) -> Article:
    text, sents = "", []
    for s in sentences:
        sents.append(Sentence(len(sents), len(text), len(text) + len(s), s))
        text += s + " "
    return Article(id=aid, origin=f"t:{aid}", title=sentences[0], text=text.strip(), sentences=tuple(sents),
                   language="en", source=source, published="2025-01-01", duplicate_of=duplicate_of)


def _claim(cid: int, status: str, evidence: list[tuple[Article, int]]) -> Claim:
    spans = tuple(Span(a.id, i, a.sentences[i].start, a.sentences[i].end, a.sentences[i].text) for a, i in evidence)
    return Claim(cid, spans[0].text, status, tuple(dict.fromkeys(a.source for a, _ in evidence)), spans)


def test_matrix_cells_omissions_and_headline() -> None:
    a = _article(1, "Alpha", ["Fact one happened.", "Fact two happened."])
    b = _article(2, "Beta", ["Fact one happened indeed.", "Fact three happened."])
    c = _article(3, "Gamma", ["Fact one was reported.", "Fact two was reported."])
    d = _article(4, "Delta", ["Fact one happened.", "Fact two happened."], duplicate_of=1)  # a copy of Alpha
    claims = [_claim(1, "consensus", [(a, 0), (b, 0), (c, 0), (d, 0)]),
              _claim(2, "partial", [(a, 1), (c, 1), (d, 1)]),
              _claim(3, "unique", [(b, 1)])]
    cov = coverage_matrix(claims, [a, b, c, d])
    assert cov["independent_sources"] == 3  # Delta copies Alpha
    assert cov["headline"] == "4 articles from 3 independent sources"
    assert cov["sources"] == ["Alpha", "Beta", "Gamma", "Delta"]
    row2 = next(r for r in cov["rows"] if r["claim"] == 2)
    assert row2["cells"]["Beta"] is None
    assert row2["cells"]["Gamma"] == {"article": 3, "sentence": 1, "text": "Fact two was reported."}
    # claim 2 is reported by 2 of 3 independent sources -> widely reported; Beta leaves it out.
    # A unique claim is never an omission of the others.
    assert cov["omissions"] == {"Beta": [2]}


def test_widely_reported_minimum() -> None:
    assert [widely_reported_minimum(m) for m in (1, 2, 3, 4, 5, 8)] == [2, 2, 2, 2, 3, 4]


def test_claim_of_few_sources_is_not_an_omission_in_a_large_story() -> None:
    arts = [_article(i, f"S{i}", [f"Story sentence number {i} here.", f"Other sentence {i} here."]) for i in range(1, 7)]
    claims = [_claim(1, "partial", [(arts[0], 0), (arts[1], 0)])]  # 2 of 6 < ceil(6/2)
    assert coverage_matrix(claims, arts)["omissions"] == {}


def test_a_sentence_stating_every_number_of_a_claim_covers_it_at_a_lower_similarity():
    from newsprism.analysis.coverage import COVERED_Z, COVERED_Z_WITH_NUMBERS, _covered, _numbers

    assert _numbers("Профспілка вимагає 15%, роботодавець пропонує 7%.", "uk") >= {7.0, 15.0}
    assert _numbers("Związkowcy domagają się 15-procentowych podwyżek płac.", "pl") == {15.0}
    assert 2024.0 not in _numbers("In 2024 the union struck.", "en")  # a year is not a claim number
    between = (COVERED_Z_WITH_NUMBERS + COVERED_Z) / 2
    near = {"score": between, "shared_anchors": 0, "states_its_numbers": True, "stem_share": 0.0}
    assert _covered(near)
    assert not _covered(near | {"states_its_numbers": False})
    assert not _covered(near | {"score": COVERED_Z_WITH_NUMBERS - 0.5})
    assert _covered(near | {"states_its_numbers": False, "score": COVERED_Z + 0.1})


class _TableEmbedder:
    """Vectors from a table: a sentence and its translation share one axis."""

    name, dim = "table", 4

    def __init__(self, axes: dict[str, int]) -> None:
        self.axes = axes

    def embed(self, texts):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, self.axes[text]] = 1.0
        return out


def test_a_sentence_translated_out_of_order_is_not_left_out_but_a_dropped_one_is() -> None:
    from newsprism.analysis.claims import LeftOut
    from newsprism.analysis.coverage import _translated_elsewhere

    original = Article(id=1, origin="a", title="T", text="", language="ru", source="A", published=None, sentences=tuple(
        Sentence(i, 0, 0, t) for i, t in enumerate(["Пожар начался ночью.", "Погибших нет.", "Огонь потушили к утру."])))
    derived = Article(id=2, origin="b", title="T", text="", language="en", source="B", published=None, sentences=(
        Sentence(0, 0, 0, "The fire was put out by morning."), Sentence(1, 0, 0, "The fire started at night.")))
    embedder = _TableEmbedder({"Пожар начался ночью.": 0, "The fire started at night.": 0, "Погибших нет.": 1,
                               "Огонь потушили к утру.": 2, "The fire was put out by morning.": 2})
    by_id = {1: original, 2: derived}
    moved = _translated_elsewhere(LeftOut(2, 1, "translation", 2), by_id, embedder)
    assert moved is not None and moved["sentence"] == 0
    assert _translated_elsewhere(LeftOut(2, 1, "translation", 1), by_id, embedder) is None
