"""conflicts.compare_sentences / find_conflict: changed values between sentences about one fact."""

from __future__ import annotations

import pytest
from conftest import make_article  # at module level: inside a test, 'conftest' may be another folder's

from newsprism.analysis.conflicts import ValueConflict, compare_sentences, find_conflict, same_name


def test_number_words_against_digits_and_words_across_languages() -> None:
    # demo corpus, Zakarpattia flood: six dead (en/pl/uk) against five (ru)
    hit = compare_sentences("Floods caused by three days of rain have killed six people in Zakarpattia.",
                            "Паводок на Закарпатье: погибли пять человек", "en", "ru")
    assert hit == ValueConflict("number", "six (6)", "пять (5)")
    assert find_conflict("Co najmniej sześć osób zginęło w powodzi.", "Floods killed 6 people.", "pl", "en") is None
    assert find_conflict("У Закарпатті загинули шість людей.", "Паводок: погибли шесть человек.", "uk", "ru") is None


def test_transfer_fee_against_fee_plus_bonus() -> None:
    hit = find_conflict("Według niemieckich mediów kwota transferu wyniesie około 40 mln euro.",
                        "All'Atalanta andranno 38 milioni di euro più 4 milioni di bonus legati ai risultati.",
                        "pl", "it")
    assert hit == ("40 mln euro", "38 milioni di euro")
    assert find_conflict("Der Wechsel kostet 38 Millionen Euro plus 4 Millionen Euro Boni.",
                         "Il trasferimento costa 38 milioni di euro più 4 milioni di bonus.", "de", "it") is None


@pytest.mark.parametrize(("a", "la", "b", "lb"), [
    ("Unos 20.000 manifestantes", "es", "About 20,000 protesters", "en"),
    ("35 000 personnes", "fr", "35.000 Menschen", "de"),
    ("Ein Anstieg um 1,9 Milliarden Euro", "de", "a rise of 1.9 billion euros", "en"),
    ("за сутки умерли 77 человек", "ru", "77 people died in 24 hours", "en"),
    ("В субботу, 25 июля, в 11 часов 28 минут", "ru", "On Saturday, July 25, at 11:28 a.m.", "en"),
    ("Il a diminué de (-0,5%)", "fr", "It fell by 0.5%", "en"),
    ("Длиной примерно 4,5 метра.", "ru", "That's about a 15-foot boat.", "en"),
    ("Es wurden 16 Konten gesperrt.", "de", "Ils ont suspendu 16 comptes le 24 juillet.", "fr"),
])
def test_same_values_in_other_notations_or_details_left_out_are_no_conflict(a: str, la: str, b: str, lb: str) -> None:
    assert find_conflict(a, b, la, lb) is None


@pytest.mark.parametrize(("a", "la", "b", "lb", "values"), [
    ("В субботу, 25 июля, произошло ДТП.", "ru", "On Saturday, July 35, an accident occurred.", "en",
     ("25 июля", "July 35")),
    ("15 bis 20 Zentimeter am Tag", "de", "21 à 20 centimètres par jour", "fr",
     ("15 bis 20 Zentimeter", "21 à 20 centimètres")),
    ("im Sommer fehlten 1,9 Milliarden Euro", "de", "il manquait 3,9 milliards d'euros", "fr",
     ("1,9 Milliarden Euro", "3,9 milliards d'euros")),
    ("В сезоне-2019/20 Миранчук провел 32 матча", "ru", "In the 2019–28 season, Miranchuk played 32 matches", "en",
     ("2019/20", "2019–28")),
    ("уничтожено девять ЗРПК \"Панцирь-С1\"", "ru", "nine Pantsir-S3 systems were destroyed", "en", ("1", "3")),
    ("Le programme 100 jours, 100 villes", "fr", "Das Programm „140 Tage, 100 Städte“", "de", ("100 jours", "140 Tage")),
    ("Der Index stieg auf 54,8 Punkte von 48,5 Zählern.", "de", "L'indice a atteint 76,8 points, contre 48,5.", "fr",
     ("54,8", "76,8")),
    ("The vote is set for March 9.", "en", "The vote is set for March 16.", "en", ("March 9", "March 16")),
    ("The cabinet meets on Wednesday.", "en", "Das Kabinett tagt am Donnerstag.", "de", ("Wednesday", "Donnerstag")),
])
def test_changed_values(a: str, la: str, b: str, lb: str, values: tuple[str, str]) -> None:
    assert find_conflict(a, b, la, lb) == values
    assert find_conflict(b, a, lb, la) == values[::-1]


def test_weekday_that_matches_the_date_is_no_conflict() -> None:
    # 1 July 2024 was a Monday
    assert find_conflict("Il trasferimento è stato annunciato il 1 luglio 2024.",
                         "Transfer ogłoszono w poniedziałek.", "it", "pl") is None
    assert find_conflict("Le transfert a été annoncé lundi.", "Der Wechsel wurde am Montag, 1. Juli 2024 bekannt.",
                         "fr", "de") is None
    hit = compare_sentences("Il trasferimento è stato annunciato il 1 luglio 2024.",
                            "Transfer ogłoszono we wtorek.", "it", "pl")
    assert hit == ValueConflict("date", "1 luglio 2024", "wtorek")
    # a weekday beside a date without a year cannot be checked: no conflict
    assert find_conflict("annunciato il 1 luglio", "ogłoszono we wtorek", "it", "pl") is None


def test_negation() -> None:
    assert compare_sentences("The United States did not sign the agreement.",
                             "The United States signed the agreement on the final day.", "en", "en").kind == "negation"
    # two negative sentences are not a negation conflict, whatever words the negation falls on
    assert find_conflict("NATO has no plans to send troops to Ukraine.",
                         "NATO will not send troops or aircraft to Ukraine.", "en", "en") is None
    assert find_conflict("Sojusz nie planuje wysłać wojsk na Ukrainę i nie zmieni zdania.",
                         "Sojusz nie wyśle wojsk na Ukrainę, nie planuje tego.", "pl", "pl") is None
    assert find_conflict("НАТО не планирует отправлять войска на Украину.",
                         "Альянс не будет направлять войска в Украину и не планирует этого.", "ru", "ru") is None
    # negation is only judged within one language
    assert find_conflict("NATO will not send troops.", "НАТО отправит войска.", "en", "ru") is None


def test_names() -> None:
    assert find_conflict("The fire started near the village of Benaojan.",
                         "The fire started near the village of Jimera.", "en", "en") == ("Benaojan", "Jimera")
    for x, y in [("Saint", "St"), ("Saints", "Sts."), ("SMP-class", "SMP"), ("Pantsir-S1", "Pantsir"),
                 ("Evgeny", "Yevgeny"), ("Federation Investigations", "Investigative"), ("Kyiv", "Kiev")]:
        assert same_name(x, y), (x, y)
    assert not same_name("Benaojan", "Jimera")
    assert find_conflict("The parade takes place in Saint Petersburg.", "The parade takes place in St. Petersburg.",
                         "en", "en") is None


def test_claim_conflicts_carry_both_values_and_both_sentences() -> None:
    import dataclasses
    import re as _re
    import zlib

    import numpy as np

    from newsprism.analysis.claims import claim_json, extract_claims
    from newsprism.models import Article, Sentence

    class Words:  # deterministic stand-in for e5: hashed bag of words
        name, dim = "bow-conflicts-test", 256

        def embed(self, texts):
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for i, t in enumerate(texts):
                for w in _re.findall(r"\w+", t.lower()):
                    out[i, zlib.crc32(w.encode()) % self.dim] += 1.0
            return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def article(aid: int, source: str, sentences: list[str]) -> Article:
        text, sents, pos = " ".join(sentences), [], 0
        for k, s in enumerate(sentences):
            start = text.index(s, pos)
            sents.append(Sentence(k, start, start + len(s), s))
            pos = start + len(s)
        return Article(id=aid, origin=f"test:{aid}", title=sentences[0], text=text, sentences=tuple(sents),
                       language="en", source=source, published=f"2025-01-0{aid}")

    arts = [article(1, "Outlet A", ["Storm hits the coast.", "At least six people were killed in the storm on the coast of Brava.",
                                    "Power lines were cut across the whole region."]),
            article(2, "Outlet B", ["Deadly storm.", "At least 5 people were killed in the storm on the coast of Brava.",
                                    "Schools will stay closed until Friday."])]
    killed = next(c for c in extract_claims(arts, embedder=Words()) if "killed" in c.text)
    assert killed.status == "conflict"
    (conflict,) = killed.conflicts
    assert (conflict.kind, conflict.value_a, conflict.value_b) == ("number", "six (6)", "5")
    assert (conflict.evidence_a.article_id, conflict.evidence_a.sentence) == (1, 1)
    assert (conflict.evidence_b.article_id, conflict.evidence_b.sentence) == (2, 1)
    assert killed.conflicting_values == ("six (6)", "5")
    data = claim_json(killed)
    assert data["conflicts"] == [{
        "kind": "number",
        "a": {"value": "six (6)", "article": 1, "sentence": 1, "text": arts[0].sentences[1].text},
        "b": {"value": "5", "article": 2, "sentence": 1, "text": arts[1].sentences[1].text}}]
    assert dataclasses.replace(killed, conflicts=()).conflicts == ()


def test_values_in_the_attribution_count() -> None:
    from newsprism.analysis.conflicts import compare_values

    hit = compare_values("Гагарина не ест жареную пищу, пишет kp.ru 26 июля.",
                         "Gagarina does not eat fried food, kp.ru reported on July 36.", "ru", "en")
    assert hit == ValueConflict("date", "26 июля", "July 36")


# --------------------------------------------------------------- independent reports (strict)

def test_independent_reports_disagree_only_on_an_unambiguous_value():
    from newsprism.analysis.conflicts import compare_values

    hit = compare_values("Floods have killed six people in Zakarpattia.",
                         "Сильный паводок на Закарпатье унёс жизни пяти человек.", "en", "ru", strict=True)
    assert hit is not None and {hit.value_a, hit.value_b} == {"six (6)", "пяти (5)"}
    # each report adds its own details: a count against a percentage, a count against hours
    assert compare_values("About 1,300 workers demand a 15% rise.",
                          "The union demands 15%; management offered 7%.", "en", "en", strict=True) is None
    assert compare_values("28 ships wait at anchor in Gdańsk.",
                          "A 48-hour strike began in Gdańsk.", "en", "en", strict=True) is None
    # background years and weekdays are other events, not a disagreement
    assert compare_values("The region was hit by deadly quakes in 2016.",
                          "The quake of 2024 hit the region.", "en", "en", strict=True) is None
    assert compare_values("He passed the medical on Sunday.", "The club announced it on Monday.",
                          "en", "en", strict=True) is None
    # two values of one kind left over on a side: which one changed is not clear
    assert compare_values("Three people died and five were injured.", "Two people died.",
                          "en", "en", strict=True) is None
    # the same pairs are still compared between a translation and its original (not strict)
    assert compare_values("Three people died and five were injured.", "Two people died and five were injured.",
                          "en", "en") is not None


def _claim_items(texts: list[tuple[int, str, str]]):
    from newsprism.analysis.claims import claim_sentences

    return [c for aid, lang, text in texts for c in claim_sentences(make_article(text, lang, aid))]


def test_a_changed_value_joins_two_similar_sentences_into_one_claim():
    import numpy as np

    from newsprism.analysis.claims import DISAGREEING_PAIR_SCORE, _join_disagreeing

    items = _claim_items([(1, "en", "At least five allies pledged new air-defence systems for Kyiv on Tuesday."),
                          (2, "en", "Seven allies promised new air-defence systems for Kyiv on Tuesday.")])
    assert len(items) == 2
    units = {1: 1, 2: 2}
    scores = np.eye(2, dtype=np.float32)
    scores[0, 1] = scores[1, 0] = DISAGREEING_PAIR_SCORE + 0.05
    assert _join_disagreeing([[0], [1]], scores, items, units) == [[0, 1]]
    scores[0, 1] = scores[1, 0] = DISAGREEING_PAIR_SCORE - 0.05  # not similar enough on its own
    assert _join_disagreeing([[0], [1]], scores, items, units) == [[0], [1]]
    scores[0, 1] = scores[1, 0] = DISAGREEING_PAIR_SCORE + 0.05
    assert _join_disagreeing([[0], [1]], scores, items, {1: 1, 2: 1}) == [[0], [1]]  # one source


def test_a_dateline_date_is_not_a_claim_value():
    from newsprism.analysis.claims import _group_conflicts

    items = _claim_items([(1, "en", "CASCIA, Italy, 15 September 2024 (CPA) — A magnitude 4.9 earthquake struck "
                                    "central Italy late on Saturday."),
                          (2, "es", "Un sismo de magnitud 4,9 sacudió el centro de Italia en la noche del 14 de "
                                    "septiembre de 2024.")])
    assert len(items) == 2 and _group_conflicts(items, {1: 1, 2: 2}) == ()


def test_a_claim_is_shown_without_the_dash_or_dateline_before_it():
    from newsprism.analysis.claims import _display_text

    assert _display_text("— NATO has no intention of deploying forces in Ukraine.") == \
        "NATO has no intention of deploying forces in Ukraine."
    assert _display_text("CASCIA, Italy, 15 September 2024 (CPA) — A magnitude 4.9 earthquake struck.") == \
        "A magnitude 4.9 earthquake struck."
