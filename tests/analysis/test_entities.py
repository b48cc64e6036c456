"""Entity extraction and aliasing: surname, role, gazetteer and fuzzy links with evidence."""

from __future__ import annotations

from conftest import make_article
from newsprism.analysis.entities import extract_entities


def entity(entities, name):
    hits = [e for e in entities if e.name == name]
    assert hits, f"{name} not in {[e.name for e in entities]}"
    return hits[0]


def test_person_aliases_surname_and_roles() -> None:
    a = make_article("NATO chief in Rome.\n\nNATO Secretary General Jens Stoltenberg met officials in Rome. "
                     "Stoltenberg said the talks went well. Later the head of NATO flew to Kyiv.", "en", 1)
    b = make_article("The Secretary General praised Italy. NATO chief Jens Stoltenberg thanked the government.", "en", 2)
    entities, mentions = extract_entities([a, b])
    js = entity(entities, "Jens Stoltenberg")
    assert js.type == "PERSON"
    for alias in ("Stoltenberg", "NATO Secretary General", "NATO chief", "head of NATO", "Secretary General"):
        assert alias in js.aliases, (alias, js.aliases)
    rules = {link.alias: link.rule for link in js.alias_links}
    assert rules["Stoltenberg"] == "surname" and rules["NATO Secretary General"] == "role-apposition"
    link = next(l for l in js.alias_links if l.alias == "NATO Secretary General")
    assert link.evidence is not None and "Jens Stoltenberg" in link.evidence.text
    assert any(m.entity == "Jens Stoltenberg" and m.text == "the head of NATO" for m in mentions)


def test_transliteration_gazetteer_kyiv_kiev() -> None:
    a = make_article("Talks in Kyiv.\n\nThe delegation arrived in Kyiv on Monday.", "en", 1)
    b = make_article("Moscow said Kiev was not ready. Officials in Kiev declined to comment.", "en", 2)
    entities, _ = extract_entities([a, b])
    kyiv = [e for e in entities if "Kiev" in e.aliases or e.name == "Kiev"]
    assert kyiv and kyiv[0].name == "Kiev" or "Kyiv" in kyiv[0].aliases + (kyiv[0].name,)
    assert any(link.rule == "gazetteer" for link in kyiv[0].alias_links)


def test_fuzzy_misspelling_in_context() -> None:
    a = make_article("French President Emmanuel Macron spoke about troops. Asked whether Marcone's comments were a "
                     "mistake, the official did not respond. Macron later repeated his view.", "en", 1)
    entities, _ = extract_entities([a])
    macron = entity(entities, "Emmanuel Macron")
    assert any(l.rule == "fuzzy" and l.alias.startswith("Marcone") for l in macron.alias_links)


def test_fuzzy_does_not_merge_distinct_people() -> None:
    a = make_article("Declan Moran met Anna Morgan. Moran said the deal was close. Morgan disagreed.", "en", 1)
    entities, _ = extract_entities([a])
    names = {e.name for e in entities}
    assert "Declan Moran" in names and "Anna Morgan" in names


def test_russian_inflected_names_merge() -> None:
    a = make_article("Генеральный секретарь НАТО Йенс Столтенберг заявил, что альянс не планирует. "
                     "По словам Столтенберга, Киев не просил войска.", "ru", 1)
    entities, _ = extract_entities([a])
    js = entity(entities, "Йенс Столтенберг")
    assert "Столтенберга" in js.aliases
