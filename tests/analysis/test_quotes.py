"""Quote extraction: every quote style, split quotes, pronouns, indirect speech, other languages, seeds."""

from __future__ import annotations

import pytest

from conftest import make_article
from newsprism.analysis.entities import extract_entities
from newsprism.analysis.quotes import extract_quotes


def quotes_of(text: str, lang: str = "en"):
    article = make_article(text, lang)
    entities, _ = extract_entities([article])
    return extract_quotes(article, entities)


def find(quotes, fragment: str):
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


@pytest.mark.parametrize("opening,closing", [("“", "”"), ("„", "“"), ("«", "»"), ("\"", "\""), ("‘", "’")])
def test_every_quote_style(opening: str, closing: str) -> None:
    text = f"Talks failed.\n\n{opening}We will not sign this agreement today{closing}, Maria Lopez said on Monday."
    q = find(quotes_of(text), "We will not sign")
    assert q.direct and q.speaker == "Maria Lopez" and q.cue == "said"


def test_dash_speech_and_reported_via() -> None:
    text = ("Warsaw expels diplomats.\n\nPolish Foreign Minister Tomasz Wierzbicki spoke on Friday.\n\n"
            "– We will not tolerate sabotage on Polish soil, – Wierzbicki stressed in an interview with Radio Kolor.")
    q = find(quotes_of(text), "tolerate sabotage")
    assert q.speaker == "Tomasz Wierzbicki" and q.direct and q.reported_via == "Radio Kolor"


def test_split_quote_gives_two_quotes_with_one_speaker() -> None:
    text = ('Ministers met.\n\n"We are closer than we were a month ago, but we are not there yet," said Irish Finance '
            'Minister Declan Moran. "Nobody wants to walk away from this table empty-handed."')
    qs = quotes_of(text)
    assert find(qs, "closer than").speaker == "Declan Moran"
    assert find(qs, "Nobody wants").speaker == "Declan Moran"


def test_pronoun_and_role_speakers() -> None:
    text = ("Flood.\n\nThe Environment Agency warned on Monday. Its regional manager, Paul Okafor, visited the town.\n\n"
            "“The ground is saturated and the river will rise again,” he explained.\n\n"
            "Dutch Finance Minister Anouk Verbeek was sceptical. \"I have heard this promise many times before,\" she told reporters.")
    qs = quotes_of(text)
    assert find(qs, "ground is saturated").speaker == "Paul Okafor"
    assert find(qs, "heard this promise").speaker == "Anouk Verbeek"


def test_indirect_speech() -> None:
    text = ("Airline apologises.\n\nThe chief executive Lars Holmgren spoke in Oslo. Holmgren said that staff shortages "
            "at three airports had been underestimated. According to Holmgren, the airline will hire 800 workers.")
    qs = quotes_of(text)
    q = find(qs, "staff shortages at three airports")
    assert not q.direct and q.speaker == "Lars Holmgren"
    assert find(qs, "hire 800 workers").speaker == "Lars Holmgren"


def test_nested_quote_stays_inside_outer_quote() -> None:
    text = ("Diplomats.\n\n\"When the ambassador told me 'we know nothing about it', I understood there would be no "
            "cooperation,\" Foreign Minister Tomasz Wierzbicki said.")
    qs = [q for q in quotes_of(text) if q.direct]
    assert len(qs) == 1 and "we know nothing" in qs[0].text and qs[0].speaker == "Tomasz Wierzbicki"


def test_russian_quotes() -> None:
    text = ("Кремль.\n\nПресс-секретарь президента Дмитрий Песков опроверг сообщения. «Никаких контактов нет, и планов "
            "таких контактов тоже нет», — заявил Песков журналистам. По словам Пескова, решение о поездке пока не принято.")
    qs = quotes_of(text, "ru")
    q = find(qs, "Никаких контактов")
    assert q.direct and "Песков" in q.speaker
    ind = find(qs, "решение о поездке")
    assert not ind.direct and "Песков" in ind.speaker


def test_german_quotes() -> None:
    text = ("Streik.\n\nGewerkschaftschef Uwe Kettner sprach in Frankfurt. „Die Bahn hat uns ein Angebot vorgelegt, das "
            "diesen Namen nicht verdient“, sagte Kettner. Personalvorstand Miriam Jost sagte, das Unternehmen habe elf "
            "Prozent mehr Lohn angeboten.")
    qs = quotes_of(text, "de")
    assert find(qs, "Angebot vorgelegt").speaker == "Uwe Kettner"
    q = find(qs, "elf Prozent")
    assert not q.direct and q.speaker == "Miriam Jost"


def test_polish_quotes() -> None:
    text = ("Powódź.\n\nWojewoda Marek Grabowski przyjechał do Kłodzka. „Nikt nie zostanie bez pomocy” – zapewnił "
            "Grabowski. – Wały wytrzymały, ale woda jeszcze nie opadła – powiedział dziennikarzom.")
    qs = quotes_of(text, "pl")
    assert find(qs, "Nikt nie zostanie").speaker == "Marek Grabowski"
    assert find(qs, "Wały wytrzymały").speaker == "Marek Grabowski"


def test_seed_quotes_have_the_right_speakers(seeds) -> None:
    entities, _ = extract_entities(seeds)
    by_id = {a.id: extract_quotes(a, entities) for a in seeds}
    for aid in (0, 1):
        assert find(by_id[aid], "NATO has no intention of deploying forces").speaker == "Jens Stoltenberg"
    assert find(by_id[0], "NATO has no intention").reported_via == "ANSA"
    assert find(by_id[2], "NATO has no plans to send forces").speaker == "Jens Stoltenberg"
    assert find(by_id[3], "We need to produce more").speaker == "Christopher Cavoli"
    assert find(by_id[3], "We used to have deployments").speaker == "Christopher Cavoli"
    assert find(by_id[4], "Ukraine has turned to you").speaker == "Volodymyr Zelensky"
    assert find(by_id[4], "China's position is consistent").speaker == "Wang Wenbin"
    assert find(by_id[4], "We will strengthen the Alliance").speaker == "Jens Stoltenberg"
