"""Online clustering through the store with the real embedder: events across languages, look-alike
events kept apart, incremental == rebuild, determinism, duplicates, labels."""

import pytest

from newsprism import cluster
from newsprism.cluster import labels

from cluster_support import add_docs, make_doc

pytestmark = pytest.mark.slow


def _load(store, news_events):
    ids = {}
    for event, docs in news_events.items():
        for title, text, lang, published in docs:
            ids[add_docs(store, [make_doc(title, text, lang, published)])[0]] = event
    return ids


def _grouping(store) -> dict[int, int]:
    return {a.id: a.story for a in store.iter_articles()}


def test_events_group_across_languages_and_lookalikes_stay_apart(store, embedder, news_events):
    gold = _load(store, news_events)
    cluster.assign(store, sorted(gold), embedder=embedder)
    story = _grouping(store)
    assert all(story[a] is not None for a in gold)
    for event in news_events:
        assert len({story[a] for a, e in gold.items() if e == event}) == 1, f"{event} split"
    assert len(set(story.values())) == 3, "look-alike earthquakes or the rate decision were merged"
    stories = store.list_stories()
    assert all(s.storyline is not None for s in stories)
    for s in stories:
        assert s.title and s.title != "…" and len(s.keywords) >= 3
    lines = {ln.id: ln for ln in store.list_storylines()}
    assert set(lines) == {s.storyline for s in stories}
    # the two earthquakes are one subject at storyline level, the rate decision is not
    turkey, peru, rate = (next(s for s in stories if s.id == story[min(a for a, e in gold.items() if e == ev)])
                          for ev in ("quake-turkey", "quake-peru", "rate-poland"))
    assert rate.storyline not in {turkey.storyline, peru.storyline}


def test_incremental_matches_recluster_and_is_deterministic(store, embedder, news_events):
    gold = _load(store, news_events)
    ordered = sorted(gold, key=lambda a: (store.get_article(a).published, a))
    cluster.assign(store, ordered[:3], embedder=embedder)
    cluster.assign(store, ordered[3:], embedder=embedder)
    cluster.assign(store, ordered, embedder=embedder)  # already filed: a no-op
    incremental = _grouping(store)
    titles = sorted(s.title for s in store.list_stories())
    cluster.recluster(store, embedder=embedder)
    rebuilt = _grouping(store)
    partition = lambda g: sorted(sorted(a for a in g if g[a] == s) for s in set(g.values()))  # noqa: E731
    assert partition(incremental) == partition(rebuilt)
    assert titles == sorted(s.title for s in store.list_stories())
    cluster.recluster(store, embedder=embedder)
    assert _grouping(store) == rebuilt


def test_duplicates_join_their_originals_story(store, embedder, news_events):
    title, text, lang, published = news_events["quake-peru"][0]
    original = add_docs(store, [make_doc(title, text, lang, published)])[0]
    other = add_docs(store, [make_doc(*news_events["rate-poland"][0])])[0]
    cluster.assign(store, [original, other], embedder=embedder)
    copy = add_docs(store, [make_doc(title + " (update)", text + " Updated.", lang, published)],
                    duplicate_of=original)[0]
    cluster.assign(store, [copy], embedder=embedder)
    assert store.get_article(copy).story == store.get_article(original).story
    assert store.get_article(other).story != store.get_article(original).story


def test_titles_lose_outlet_suffixes_but_keep_speakers():
    assert labels.clean_title("NATO chief rebukes Macron — RT World News") == "NATO chief rebukes Macron"
    assert labels.clean_title("Ukraine seeks more support - Stoltenberg") == "Ukraine seeks more support - Stoltenberg"
    assert labels.clean_title("Floods in Valencia | Reuters") == "Floods in Valencia"
    assert labels.clean_title("http: / / www. x. com / a", fallback_text="\nRed Sox offer Teixeira $200 million\n") \
        == "Red Sox offer Teixeira $200 million"


def test_keywords_skip_function_words_in_several_languages():
    from newsprism.models import Article

    def art(i, text, lang):
        return Article(id=i, origin="t", title="", text=text, sentences=(), language=lang, source=None, published=None)

    arts = [art(1, "NATO will not send troops with the allies, Stoltenberg said, which would escalate.", "en"),
            art(2, "Die NATO wird keine Truppen schicken, sagte Stoltenberg, weil das eskalieren würde.", "de"),
            art(3, "НАТО не будет отправлять войска, заявил Столтенберг, потому что это эскалация.", "ru")]
    words = {w.lower() for w in labels.keywords(arts, lambda lang, term: 1.0, count=30)}
    assert not words & {"will", "with", "which", "would", "wird", "keine", "weil", "будет", "потому", "это"}
    assert {"troops", "stoltenberg"} <= words


def test_a_story_merged_in_a_later_batch_leaves_no_orphans_in_the_store(store, embedder, news_events):
    from dataclasses import replace

    from newsprism.cluster.settings import DEFAULT_SETTINGS

    # No article may join a story and any two stories of one time window merge, so only the merge
    # step groups, whatever this CPU's embedding numerics (a cosine threshold such as 0.75 was met by
    # the quake reports on one machine and missed on another).
    settings = replace(DEFAULT_SETTINGS, story_join_probability=1.1, story_merge_cosine=-2.0)
    gold = _load(store, {"quake-turkey": news_events["quake-turkey"]})
    ordered = sorted(gold)
    cluster.assign(store, ordered[:1], embedder=embedder, settings=settings)
    cluster.assign(store, ordered[1:], embedder=embedder, settings=settings)
    story = _grouping(store)
    stories = store.list_stories()
    assert story[ordered[0]] in {story[a] for a in ordered[1:]}, "the first batch's story absorbed a later one"
    assert len(set(story.values())) < len(ordered)
    assert {s.id for s in stories} == set(story.values()), "no story row without articles, none missing"
    lines = {ln.id for ln in store.list_storylines()}
    assert {s.storyline for s in stories} == lines


def test_storyline_keywords_merge_spellings_across_scripts():
    words = labels.storyline_keywords([(("НАТО", "Stoltenberg", "ставку"), 3), (("NATO", "Ukraine", "summit"), 8),
                                       (("NATO", "Украина", "troops"), 2)], count=4)
    assert words[0] == "NATO"  # НАТО and NATO are one keyword, in its heaviest spelling
    assert "НАТО" not in words and len({w.lower() for w in words}) == 4
    assert "Ukraine" in words and "Украина" not in words


def test_keywords_show_one_name_once_across_scripts():
    from newsprism.models import Article

    def art(i, text, lang):
        return Article(id=i, origin="t", title="", text=text, sentences=(), language=lang, source=None, published=None)

    arts = [art(1, "Генсек НАТО Марк Рютте исключил отправку войск. Рютте выступил в Брюсселе.", "ru"),
            art(2, "NATO chief Mark Rutte ruled out troops. Rutte spoke in Brussels.", "en")]
    words = labels.keywords(arts, lambda lang, term: 1.0, count=12)
    assert sum(w in {"Рютте", "Rutte"} for w in words) == 1, words
    assert sum(w in {"Брюсселе", "Brussels"} for w in words) == 1, words
    assert "troops" in words  # common words are not merged by sound
    assert labels.storyline_keywords([(("Рютте", "войск"), 3), (("Rutte", "troops"), 2)], count=4) == \
        ("Рютте", "Rutte")[:1] + ("войск", "troops")
