"""Framing on the seeds (naming variants, loaded terms, distinctive words) and unit tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from test_claims import make_article, seed_articles

from newsprism.analysis.framing import analyze_framing, log_odds_z


def _terms(result: dict, kind: str) -> set[tuple[int, str]]:
    return {(f["article_id"], f["term"].lower()) for f in result["findings"] if f["kind"] == kind}


def test_seed_naming_variants_align_across_articles() -> None:
    res = analyze_framing(seed_articles())
    naming = {n["referent"]: n["variants"] for n in res["naming"]}
    assert set(naming["Kyiv"]) == {"kyiv", "kiev"}
    assert 3 in naming["Kyiv"]["kiev"] and 2 in naming["Kyiv"]["kyiv"]  # RT: Kiev, RBC-Ukraine: Kyiv
    assert naming["NATO"]["us-led bloc"] == [3]
    assert 2 in naming["NATO"]["north atlantic alliance"]
    war = naming["the war in Ukraine"]
    assert any("invasion" in t for t in war) and any("conflict" in t for t in war)
    loaded = _terms(res, "loaded")
    assert (2, "russian occupiers") in loaded
    # every finding carries its evidence span, pointing into the article text
    arts = {a.id: a for a in seed_articles()}
    for f in res["findings"]:
        span = f["span"]
        assert arts[span["article_id"]].text[span["start"]:span["end"]] == span["text"]


def test_seed_distinctive_vocabulary_and_tone() -> None:
    res = analyze_framing(seed_articles())
    assert "bloc" in [t["term"] for t in res["distinctive"]["RT"]]
    assert all(t["z"] >= 1.96 for terms in res["distinctive"].values() for t in terms)
    assert res["tone"] and all(-1 <= t["score"] <= 1 and t["evidence"] for t in res["tone"])


def test_log_odds_with_informative_prior() -> None:
    # story-sized counts: the prior (500 pseudo-counts) must not swamp them
    counts = {"A": Counter({"regime": 40, "said": 300, "troops": 200, "kiev": 3}),
              "B": Counter({"government": 40, "said": 300, "troops": 200, "kyiv": 3})}
    z = {g: dict(v) for g, v in log_odds_z(counts).items()}
    assert z["A"]["regime"] > 1.96 and z["B"]["government"] > 1.96
    assert abs(z["A"]["said"]) < 0.5 and abs(z["A"]["said"] + z["B"]["said"]) < 1e-9
    assert 0 < z["A"]["kiev"] < z["A"]["regime"]  # rare words are shrunk towards the prior


def test_discovered_spelling_variants_and_user_lexicon(tmp_path: Path) -> None:
    arts = [make_article(1, "Report one\nShelling hit the port of Mariupolis and the town of Berdiansk overnight.",
                         source="A", published="2025-01-01"),
            make_article(2, "Report two\nShelling hit the port of Mariupolis and the town of Berdyansk overnight.",
                         source="B", published="2025-01-01")]
    res = analyze_framing(arts)
    found = {n["referent"]: n["variants"] for n in res["naming"]}
    berd = next(v for r, v in found.items() if r.lower().startswith("berd"))
    assert set(berd) == {"berdiansk", "berdyansk"}
    lex = tmp_path / "mine.yaml"
    lex.write_text("loaded:\n  mine: [shelling]\nreferents:\n  - referent: Mariupol\n    variants: [Mariupolis, Mariupol]\n",
                   encoding="utf-8")
    res = analyze_framing(arts, user_lexicon=str(lex))
    assert (1, "shelling") in _terms(res, "loaded")
