"""English attribution from the parse: verb subjects, pronouns by gender, roles, clean speaker names."""

from __future__ import annotations

from conftest import make_article
from newsprism.analysis.attribution_refs import clean_name, valid_speaker
from newsprism.analysis.entities import extract_entities
from newsprism.analysis.quotes import extract_quotes


def speaker_of(text: str, fragment: str) -> str | None:
    article = make_article(text, "en")
    entities, _ = extract_entities([article])
    hits = [q for q in extract_quotes(article, entities) if fragment in q.text]
    assert hits, f"no quote containing {fragment!r}"
    return hits[0].speaker


def test_participle_takes_the_subject_of_its_main_verb() -> None:
    text = ("Debate.\n\nAsked whether Mr. Obama lacked sympathy, Mr. Santorum did not back down, saying, "
            "“I think the president has a very bad record on this issue.”")
    assert speaker_of(text, "very bad record") == "Santorum"


def test_relative_clause_speaker_is_the_noun_it_modifies() -> None:
    text = ("Arrest.\n\nThe raid drew scrutiny, even from President Donald Trump, who said “Border coyotes and drug "
            "dealers are treated better than this,” in a post.")
    assert speaker_of(text, "Border coyotes") == "Donald Trump"


def test_pronoun_goes_to_the_person_of_matching_gender() -> None:
    text = ("Scandal.\n\nMrs. Clinton met Anthony Weiner on Monday. Mr. Weiner spoke to reporters after she left.\n\n"
            "“I am protecting my wife, who every day works hard for this campaign,” he said.")
    assert speaker_of(text, "protecting my wife") == "Anthony Weiner"


def test_she_skips_the_latest_man() -> None:
    text = ("Budget.\n\nMs. Pelosi answered the president's letter on Friday. Mr. Trump had written to Ms. Pelosi "
            "a day earlier, and Mr. Trump repeated the demand.\n\n“We will not fund a wall that nobody needs,” she said.")
    assert speaker_of(text, "fund a wall") == "Pelosi"


def test_continued_quote_after_a_went_on_to_say() -> None:
    text = ("Press.\n\nVladimir Putin was not mentioned. President Donald Trump spoke at the White House.\n"
            "“The story was a disgrace to our country and to journalism,” he told reporters.\n"
            "“It will take a long time for the media to recover its credibility,” he went on to say.\n"
            "“It has lost tremendous credibility.”")
    assert speaker_of(text, "recover its credibility") == "Donald Trump"
    assert speaker_of(text, "lost tremendous credibility") == "Donald Trump"


def test_tweet_after_a_final_quote() -> None:
    text = "Probe.\n\nMr. Stone was arrested.\n\n\"This is the greatest witch hunt in the history of our country!\" Trump tweeted."
    assert speaker_of(text, "greatest witch hunt") == "Trump"


def test_multi_paragraph_quote_keeps_its_speaker() -> None:
    text = ("Apology.\n\n\"I used the wrong words and for that I apologize,\" Todd Akin said in the ad. \"As the father of "
            "two daughters, I want tough justice for predators.\n\"The mistake I made was in the words I said, not in "
            "the heart I hold,\" he said.")
    assert speaker_of(text, "The mistake I made") == "Todd Akin"


def test_speaker_names_are_cleaned() -> None:
    assert clean_name("Barack] Obama") == "Barack Obama"
    assert clean_name("Sen. Ted Cruz's") == "Ted Cruz"
    assert clean_name("Republicans Tuesday") == "Republicans"
    assert not valid_speaker("Gov")
    assert not valid_speaker("March")
    assert valid_speaker("NATO") and valid_speaker("Mitt Romney")


def test_one_person_spelt_two_ways_is_one_speaker() -> None:
    art = make_article  # the module-level import: inside a test, 'conftest' may be another folder's
    a = art("Wall.\n\nFormer Mexican president Vicente Fox spoke on Monday. “We will not pay for it,” Mr. Fox said. "
            "Vicente Fox repeated it later.", "en", 1)
    b = art("Wall.\n\nVincente Fox, a former president, was asked again. “The wall is useless,” Fox said.", "en", 2)
    entities, _ = extract_entities([a, b])
    names = {e.name for e in entities if e.type == "PERSON"}
    assert "Vicente Fox" in names and "Vincente Fox" not in names
    assert {q.speaker for art_ in (a, b) for q in extract_quotes(art_, entities)} == {"Vicente Fox"}
