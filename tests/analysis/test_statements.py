"""Statements matched across articles and languages, word diffs and drift flags."""

from __future__ import annotations

import pytest

from newsprism.analysis.quotes import who_said_what
from newsprism.analysis.statements import match_statements, speakers_compatible
from newsprism.analysis.worddiff import drift_flags, numbers, word_diff
from newsprism.models import Quote


def test_word_diff_and_drift_flags() -> None:
    diff = word_diff("NATO has no plans to send troops", "NATO has plans to send troops")
    assert ("-", "no") in diff
    assert "negation" in drift_flags("NATO has no plans to send troops", "NATO has plans to send troops")
    assert any(f.startswith("number") for f in drift_flags("grow by 100,000 soldiers", "grow by 10,000 soldiers"))
    assert numbers("20.000 tanks and 2,8 %") == {"20000", "2.8"}
    long_ = "We will strengthen the Alliance in the East but we will not send troops and planes to Ukraine"
    assert "missing clause" in drift_flags(long_, "We will strengthen the Alliance in the East")


def test_speaker_compatibility_across_scripts() -> None:
    assert speakers_compatible("Dmitry Peskov", "Дмитрий Песков")
    assert speakers_compatible("Jens Stoltenberg", None)
    assert not speakers_compatible("Jens Stoltenberg", "Dmitry Peskov")


@pytest.mark.slow
def test_translation_is_one_statement_and_other_statement_is_not() -> None:
    quotes = [
        Quote(1, "NATO has no plans to send combat troops to Ukraine", "Mark Rutte", True, 0, 50, 0),
        Quote(2, "Die Nato hat keine Pläne, Kampftruppen in die Ukraine zu schicken", "Mark Rutte", True, 0, 60, 0),
        Quote(3, "Our task is to make Ukraine as strong as possible", "Mark Rutte", True, 0, 50, 0),
    ]
    statements = match_statements(quotes)
    assert len(statements) == 1
    assert {v.article_id for v in statements[0].variants} == {1, 2}


@pytest.mark.slow
def test_seed_statement_reported_by_two_outlets(seeds) -> None:
    result = who_said_what(seeds)
    target = [s for s in result["statements"]
              if sum("NATO has no intention of deploying forces in Ukraine" in v["text"] for v in s["variants"]) >= 2]
    assert len(target) == 1
    variants = [v for v in target[0]["variants"] if "no intention of deploying forces" in v["text"]]
    assert {v["article"] for v in variants} == {0, 1}
    assert target[0]["speaker"] == "Jens Stoltenberg"
    assert any(op[0] in "+-" for v in variants[1:] for op in v["diff"])
    assert {"entities", "quotes", "statements", "mentions"} <= set(result)
