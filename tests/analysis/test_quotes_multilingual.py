"""Speakers across languages: persons and organisations only, quote spans that start where the quote
starts, one person across scripts, and drift flags that ignore inflection and translation."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_article
from newsprism.analysis.entities import extract_entities
from newsprism.analysis.quotes import extract_quotes
from newsprism.analysis.worddiff import drift_flags

GOLD = Path(__file__).resolve().parents[2] / "bench" / "data" / "quotes_multilingual.jsonl"


def quotes_of(text: str, language: str):
    article = make_article(text, language)
    entities, _ = extract_entities([article])
    return extract_quotes(article, entities)


def quote_with(text: str, language: str, fragment: str):
    hits = [q for q in quotes_of(text, language) if fragment in q.text]
    assert hits, f"no quote containing {fragment!r}"
    return hits[0]


def test_a_month_beside_the_verb_is_not_the_speaker() -> None:
    text = ("Troops.\n\nNATO will not send troops to Ukraine, the alliance's Secretary General Jens Stoltenberg said in "
            "Brussels on Wednesday, 13 March 2024, adding that Kiev had never requested them.")
    assert quote_with(text, "en", "never requested").speaker == "Jens Stoltenberg"


def test_said_with_a_named_subject_opens_the_reported_clause() -> None:
    text = ("Aid.\n\nOlena Hrytsenko, deputy head of Ukraine's mission to NATO, said Kyiv wanted weapons rather "
            "than foreign soldiers.")
    quote = quote_with(text, "en", "weapons")
    assert quote.text.startswith("Kyiv wanted")
    assert quote.speaker == "Olena Hrytsenko"


def test_a_place_subject_is_not_a_speaker_and_takes_no_one_elses_name() -> None:
    text = ("Talks.\n\nOlena Hrytsenko said Kyiv wanted weapons rather than soldiers.\n\n"
            "Moscow has repeatedly warned that NATO troops in Ukraine would lead to a direct confrontation.")
    assert quote_with(text, "en", "direct confrontation").speaker is None


def test_russian_possessive_according_to_starts_after_the_cue() -> None:
    text = ("Заявление.\n\nГенеральный секретарь НАТО Йенс Столтенберг заявил, что альянс не направит войска. "
            "По его словам, Киев просит прежде всего боеприпасы и системы ПВО.")
    quote = quote_with(text, "ru", "боеприпасы")
    assert quote.text.startswith("Киев просит")
    assert quote.speaker == "Йенс Столтенберг"


def test_polish_according_to_a_role_starts_after_the_role() -> None:
    text = ("Szczyt.\n\nSekretarz generalny NATO Jens Stoltenberg spotkał się z ministrami. Według szefa NATO co "
            "najmniej pięciu sojuszników zadeklarowało przekazanie dodatkowych systemów.")
    quote = quote_with(text, "pl", "pięciu sojuszników")
    assert quote.text.startswith("co najmniej")
    assert quote.speaker == "Jens Stoltenberg"


def test_polish_according_to_a_described_person_names_that_person() -> None:
    text = ("Zboże.\n\nMinister Tadeusz Wróblewski zapowiedział skup. Według przewodniczącej Krajowej Rady Izb "
            "Rolniczych Haliny Sobczak rząd spóźnił się z decyzją o co najmniej pół roku.")
    quote = quote_with(text, "pl", "spóźnił się")
    assert quote.text.startswith("rząd spóźnił")
    assert "Sobczak" in (quote.speaker or "")


def test_a_question_headline_is_not_a_speaker() -> None:
    text = ("Obrona.\n\nPolski rząd już wtedy zapowiedział, że nie rozważa takiego kroku, podobnie jak większość "
            "sojuszników.\n\nCzytaj także: Ile Polska wydaje na obronność? Nowe dane MON")
    article = make_article(text, "pl")
    entities, _ = extract_entities([article])
    assert "Ile Polska" not in {e.name for e in entities}
    quote = quote_with(text, "pl", "nie rozważa")
    assert quote.speaker == "Polski rząd"


def test_one_person_across_scripts_and_diacritics_is_one_entity() -> None:
    articles = [
        make_article("Talks.\n\nOlena Hrytsenko, deputy head of Ukraine's mission, spoke. Olena Hrytsenko left.", "en", 1),
        make_article("Rozmowy.\n\nZastępczyni szefa misji Ukrainy przy NATO Olena Hryćenko podkreśliła, że Kijów "
                     "oczekuje dostaw.", "pl", 2),
        make_article("Переговори.\n\nЗаступниця глави місії України при НАТО Олена Гриценко наголосила, що Київ "
                     "чекає поставок.", "uk", 3),
    ]
    entities, _ = extract_entities(articles)
    people = [e for e in entities if "Hrytsenko" in e.name or "Гриценко" in e.name or "Hryćenko" in e.name
              or any(s in a for a in e.aliases for s in ("Hrytsenko", "Гриценко", "Hryćenko"))]
    assert len(people) == 1
    assert {"Olena Hryćenko", "Олена Гриценко"} <= set(people[0].aliases) | {people[0].name}


def test_different_surnames_of_one_first_name_stay_apart() -> None:
    articles = [make_article("Zboże.\n\nOlena Kovalenko spoke. Olena Kovalenko left.", "en", 1),
                make_article("Зерно.\n\nОлена Ковальчук заявила, що ціни зростуть.", "uk", 2)]
    entities, _ = extract_entities(articles)
    names = {e.name for e in entities}
    assert "Olena Kovalenko" in names and any("Ковальчук" in n for n in names)


def test_drift_ignores_inflection_and_translation_but_not_numbers_or_names() -> None:
    assert drift_flags("Wojska nie trafią na Ukrainę", "Wojska nie trafią na Ukrainie") == []
    assert drift_flags("NATO has no plans to send troops to Ukraine", "Sojusz nie zamierza wysyłać wojsk na Ukrainę",
                       same_language=False) == []
    assert drift_flags("We pledge 5 systems", "Obiecujemy 7 systemów", same_language=False) == ["number: 5 vs 7"]
    assert drift_flags("Troops will go to Kyiv and Lviv", "Troops will go to Kyiv and Odesa") == ["name: lviv, odesa"]
    assert drift_flags("We will not send troops", "We will send troops") == ["negation"]


def test_multilingual_gold_dev_articles_have_their_speakers() -> None:
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert {d["language"] for d in docs} >= {"pl", "uk", "ru", "de", "fr", "it", "es"}
    for doc in docs:
        if doc["split"] != "dev":
            continue
        found = quotes_of(doc["text"], doc["language"])
        for gold in doc["quotes"]:
            hits = [q for q in found if q.text.strip(" .,") and q.text.strip(" .,") in gold["text"] or gold["text"] in q.text]
            assert hits, f"{doc['id']}: no quote for {gold['text'][:40]!r}"
            surname = gold["speaker"].split()[-1][:-2]
            assert surname in (hits[0].speaker or ""), f"{doc['id']}: {hits[0].speaker!r} for {gold['text'][:40]!r}"


def test_entities_and_attribution_share_one_english_parse() -> None:
    from newsprism.analysis.entities import english_doc
    article = make_article("Parse.\n\n“We will build the bridge by June,” said Mayor Ann Lee of Riverton.", "en", 77)
    before = english_doc.cache_info().misses
    entities, _ = extract_entities([article])
    quotes = extract_quotes(article, entities)
    assert quotes and quotes[0].speaker == "Ann Lee"
    assert english_doc.cache_info().misses == before + 1  # parsed once, reused by the attributor


def test_the_words_of_a_named_person_after_a_quote_name_its_speaker() -> None:
    text = ("Заявление.\n\nГенеральный секретарь НАТО Йенс Столтенберг выступил в Брюсселе. Член Госдумы Игорь "
            "Сальников его раскритиковал.\n\n“У НАТО нет планов отправлять боевые войска на Украину”, — приводят "
            "западные агентства слова Столтенберга.")
    assert quote_with(text, "ru", "нет планов").speaker == "Йенс Столтенберг"


def test_a_name_before_a_modified_role_is_the_speaker() -> None:
    text = ("Aid.\n\nJens Stoltenberg spoke first.\n\nOlena Hrytsenko, deputy head of Ukraine's mission to NATO, "
            "said Kyiv wanted weapons rather than foreign soldiers.")
    assert quote_with(text, "en", "Kyiv wanted").speaker == "Olena Hrytsenko"


def test_spanish_dialogue_dash_tight_to_the_words() -> None:
    text = ("Puerto.\n\nEl presidente del puerto, Joan Calabuig, habló el domingo.\n\n"
            "—Los daños son menores de lo que temíamos y la actividad será normal el lunes —explicó Calabuig.")
    quote = quote_with(text, "es", "daños")
    assert quote.text.startswith("Los daños") and quote.text.endswith("el lunes")
    assert quote.speaker == "Joan Calabuig"
