"""Summary sentences read on their own, in one language, and cite only sentences with their numbers."""

from __future__ import annotations

import pytest

from newsprism.summary import stated_values, summarize, unreadable_reason


@pytest.fixture(autouse=True)
def _no_llm_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEWSPRISM_LLM_BASE_URL", "NEWSPRISM_LLM_MODEL", "NEWSPRISM_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def ev(article: int, sentence: int, text: str) -> dict:
    return {"article": article, "sentence": sentence, "text": text}


def art(aid: int, language: str, source: str, sentences: list[str] | None = None) -> dict:
    return {"id": aid, "source": source, "language": language, "published": "2024-05-06", "duplicate_of": None,
            "title": f"Title {aid}", "sentences": sentences or []}


@pytest.mark.parametrize("text, lang, reason", [
    ("— NATO has no intention of deploying forces in Ukraine.", "en", "dash"),
    ("– NATO nie ma planów wysłania wojsk bojowych na Ukrainę.", "pl", "dash"),
    ("He explained that during their recent visit, the Ukrainians asked for more support.", "en", "pronoun"),
    ("Він заявив, що НАТО не планує відправляти війська.", "uk", "pronoun"),
    ("Она сказала, что переговоры продолжатся.", "ru", "pronoun"),
    ("Zaapelował do rządów o podpisywanie wieloletnich kontraktów.", "pl", "pronoun"),
    ("Das gaben beide Vereine am Montag bekannt.", "de", "pronoun"),
    ("According to him, it took the United States six months to agree on a new aid package.", "en", "pronoun"),
    ("“We did not come for guarantees on paper,” he said.", "en", "pronoun"),
    ("Gdańsk dockers walk out, 28 ships stuck at anchor", "en", "heading"),
    ("Jens Stoltenberg met Giorgia Meloni in Rome on Wednesday, May 8.", "en", None),
    ("Stoltenberg said he would not send troops.", "en", None),
    ("On Monday, 28 ships waited at anchor.", "en", None),
    ("Das Unternehmen weist das zurück.", "de", None),
    ("Il bilancio è di 14 morti.", "it", None),
    ("On nie wykluczył kolejnych rozmów.", "pl", "pronoun"),
    ("“It was a very long night,” Cascia mayor Giovanna Rinaldi said.", "en", None),
])
def test_reads_on_its_own(text: str, lang: str, reason: str | None) -> None:
    assert unreadable_reason(text, lang) == reason


def test_stated_values_read_digits_and_number_words() -> None:
    assert stated_values("Vor dem Hafen warten mehr als 35 Schiffe.", "de") == {35.0}
    assert stated_values("Na redzie czeka już 28 statków.", "pl") == stated_values("Vor der Hafeneinfahrt warteten "
                                                                                   "am Montag 28 Schiffe.", "de")
    assert stated_values("Die Erde bebte am 20. Februar 2024.", "de") == frozenset(), "dates are not quantities"


# Demo story 2 (Gdańsk strike, German outlets): the claim grouping put "28 Schiffe" and "mehr als 35
# Schiffe" (the second strike) together; the summary must not cite one for the other.
SHIPS = {"id": 7, "status": "partial", "text": "Vor der Hafeneinfahrt warteten am Montag 28 Schiffe.",
         "evidence": [ev(41, 7, "Vor der Hafeneinfahrt warteten am Montag 28 Schiffe."),
                      ev(44, 8, "Vor dem Hafen warten nach Angaben von Schiffsmaklern mehr als 35 Schiffe."),
                      ev(45, 4, "Am Montag lagen 28 Schiffe vor der Hafeneinfahrt auf Reede.")]}
GERMAN = [art(41, "de", "Nordsee-Kurier"), art(44, "de", "Rheinische Abendschau"), art(45, "de", "Hafenblatt")]


def test_citations_state_the_summary_sentence_numbers() -> None:
    (out,) = summarize([SHIPS], GERMAN, embedder=False)
    assert "28" in out["text"]
    assert {c["article"] for c in out["citations"]} == {41, 45}, "the '35 Schiffe' sentence is not cited"
    assert out["independent_sources"] == 2
    for c in out["citations"]:
        assert stated_values(out["text"], "de") <= stated_values(c["text"], "de")


def test_representative_is_readable_and_furniture_is_never_used() -> None:
    claims = [
        {"id": 1, "status": "consensus", "text": "NATO has no intention of deploying forces in Ukraine.",
         "evidence": [ev(1, 9, "– NATO has no intention of deploying forces in Ukraine."),
                      ev(2, 3, "He added that NATO has no intention of deploying forces in Ukraine."),
                      ev(3, 2, "Stoltenberg said NATO has no intention of deploying forces in Ukraine.")]},
        {"id": 2, "status": "consensus", "text": "Dortmund, 1 de julio de 2024.",
         "evidence": [ev(1, 1, "Dortmund, 1 de julio de 2024."), ev(2, 1, "Uzhhorod, 19 June 2024.")]},
        {"id": 3, "status": "unique", "text": "(Reporting by Claire Dumont; Editing by Henrik Aas)",
         "evidence": [ev(3, 12, "(Reporting by Claire Dumont; Editing by Henrik Aas)")]},
        {"id": 4, "status": "unique", "text": "He explained that the Ukrainians asked for more support.",
         "evidence": [ev(2, 5, "He explained that the Ukrainians asked for more support.")]},
    ]
    articles = [art(1, "en", "A"), art(2, "en", "B"), art(3, "en", "C")]
    out = summarize(claims, articles, embedder=False)
    assert [s["text"] for s in out] == ["Stoltenberg said NATO has no intention of deploying forces in Ukraine."]
    assert len(out[0]["citations"]) == 3, "every supporting sentence is still cited"


def test_dateline_is_cut_from_a_summary_sentence() -> None:
    claims = [{"id": 1, "status": "partial", "text": "At least 14 people died in the earthquake.",
               "evidence": [ev(1, 1, "CAMERINO, Italy, 20 February 2024 (CPA) — At least 14 people died in the "
                                     "earthquake, civil protection officials said."),
                            ev(2, 2, "– Co najmniej 14 osób zginęło w trzęsieniu ziemi.")]}]
    polish = art(2, "pl", "Gazeta", ["Tytuł", "Rzym, 20 lutego 2024 r.", "– Co najmniej 14 osób zginęło w trzęsieniu "
                                                                          "ziemi."])
    (en,) = summarize(claims, [art(1, "en", "Wire"), art(3, "en", "Other"), polish], embedder=False)
    assert en["text"] == "At least 14 people died in the earthquake, civil protection officials said."
    (pl,) = summarize(claims, [art(1, "en", "Wire"), polish], embedder=False, lang="pl")
    assert pl["text"] == "Co najmniej 14 osób zginęło w trzęsieniu ziemi.", "the dateline's dash is not a quote"
    assert pl["language"] == "pl" and {c["article"] for c in pl["citations"]} == {1, 2}


def test_summary_is_in_the_majority_language_or_the_one_asked_for() -> None:
    claims = [
        {"id": 1, "status": "consensus", "text": "NATO will not send troops to Ukraine.",
         "evidence": [ev(1, 1, "NATO will not send troops to Ukraine, Stoltenberg said on Wednesday."),
                      ev(2, 1, "NATO nie wyśle wojsk na Ukrainę, powiedział w środę Stoltenberg."),
                      ev(3, 1, "НАТО не будет отправлять войска на Украину, заявил в среду Столтенберг.")]},
        {"id": 2, "status": "unique", "text": "Москва назвала это шантажом.",
         "evidence": [ev(3, 4, "Москва назвала заявления Запада шантажом и давлением на Киев.")]},
        {"id": 3, "status": "unique", "text": "Allies pledged air defence.",
         "evidence": [ev(4, 2, "At least five allies pledged additional air defence systems to Kyiv.")]},
    ]
    articles = [art(1, "en", "A"), art(2, "pl", "B"), art(3, "ru", "C"), art(4, "en", "D")]
    out = summarize(claims, articles, embedder=False)
    assert {s["language"] for s in out} == {"en"} and [s["claim"] for s in out] == [1, 3]
    assert out[0]["text"].startswith("NATO will not send troops")
    assert len(out[0]["citations"]) == 3, "citations stay in every language"
    russian = summarize(claims, articles, embedder=False, lang="ru")
    assert {s["language"] for s in russian} == {"ru"} and {s["claim"] for s in russian} == {1, 2}
    french = summarize(claims, articles, embedder=False, lang="fr")
    assert french == out, "no French sentence to give: the majority language is used"
