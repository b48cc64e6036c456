"""Storylines across languages: one subject in es/fr/it stays whole; two look-alike countries stay apart.

Articles written for this test in the style of 2011 wire copy (two uprisings that a multilingual
encoder finds alike: Libya and Yemen), two events per country months apart, each event reported in
two languages.
"""

import pickle

import numpy as np
import pytest

from newsprism import cluster
from newsprism.cluster import OnlineClusterer, StorylineClusterer

from cluster_support import add_docs, make_doc

pytestmark = pytest.mark.slow


def unit(*values: float) -> np.ndarray:
    """A unit vector in 8 dimensions from its first coordinates (hand-built story centroids)."""
    vec = np.zeros(8)
    vec[:len(values)] = values
    return vec / np.linalg.norm(vec)

LIBYA = {
    "libya-feb": [
        ("Libia: miles de manifestantes toman Bengasi contra Gadafi",
         "Miles de manifestantes se hicieron con el control de Bengasi, la segunda ciudad de Libia, tras "
         "varios días de enfrentamientos con las fuerzas leales a Muamar Gadafi. Testigos citados por la "
         "prensa hablan de decenas de muertos. En Trípoli, el hijo del coronel, Saif al Islam Gadafi, "
         "advirtió en televisión de una guerra civil.", "es", "2011-02-21"),
        ("Libye : les insurgés contrôlent Benghazi, Kadhafi menace",
         "Les insurgés ont pris le contrôle de Benghazi, deuxième ville de Libye, après plusieurs jours "
         "d'affrontements avec les forces fidèles à Mouammar Kadhafi. Des témoins font état de dizaines de "
         "morts. À Tripoli, Saïf al-Islam Kadhafi a mis en garde contre une guerre civile.", "fr", "2011-02-22"),
    ],
    "libya-aug": [
        ("I ribelli libici entrano a Tripoli, Gheddafi in fuga",
         "I ribelli del Consiglio nazionale di transizione sono entrati a Tripoli e hanno conquistato il "
         "complesso di Bab al Aziziya, il quartier generale di Muammar Gheddafi. Del colonnello non c'è "
         "traccia. A Bengasi migliaia di persone hanno festeggiato in piazza.", "it", "2011-08-23"),
        ("Los rebeldes libios toman el cuartel de Gadafi en Trípoli",
         "Los rebeldes del Consejo Nacional de Transición entraron en Trípoli y tomaron el complejo de Bab "
         "al Aziziya, cuartel general de Muamar Gadafi, cuyo paradero se desconoce. En Bengasi miles de "
         "personas celebraron en las calles la caída de la capital libia.", "es", "2011-08-23"),
    ],
}

YEMEN = {
    "yemen-mar": [
        ("Yemen: francotiradores matan a decenas de manifestantes en Saná",
         "Francotiradores abrieron fuego contra los manifestantes acampados frente a la Universidad de Saná y "
         "mataron al menos a 45 personas, según médicos en el lugar. El presidente Alí Abdalá Saleh decretó "
         "el estado de emergencia. En Adén y Taiz también hubo protestas contra el régimen.", "es", "2011-03-18"),
        ("Yemen, cecchini sparano sui manifestanti a Sana'a: decine di morti",
         "Cecchini hanno aperto il fuoco sui manifestanti accampati davanti all'Università di Sana'a, "
         "uccidendo almeno 45 persone secondo i medici. Il presidente Ali Abdullah Saleh ha proclamato lo "
         "stato di emergenza. Proteste anche ad Aden e Taiz contro il regime.", "it", "2011-03-18"),
    ],
    "yemen-nov": [
        ("Yémen : Ali Abdallah Saleh signe à Riyad l'accord de transfert du pouvoir",
         "Le président yéménite Ali Abdallah Saleh a signé à Riyad l'accord de sortie de crise proposé par "
         "le Conseil de coopération du Golfe, qui transfère ses pouvoirs au vice-président Abd Rabbo Mansour "
         "Hadi. À Sanaa, des milliers de manifestants ont rejeté l'immunité accordée à Saleh.", "fr", "2011-11-23"),
        ("Saleh firma en Riad el acuerdo para ceder el poder en Yemen",
         "El presidente yemení, Alí Abdalá Saleh, firmó en Riad el plan del Consejo de Cooperación del Golfo "
         "que transfiere sus poderes al vicepresidente Abd Rabbo Mansur Hadi. En Saná miles de manifestantes "
         "rechazaron la inmunidad concedida a Saleh.", "es", "2011-11-23"),
    ],
}


def _file(store, embedder, events):
    ids = {}
    for name, rows in events.items():
        ids[name] = add_docs(store, [make_doc(t, x, lang, day) for t, x, lang, day in rows])
    everything = [i for group in ids.values() for i in group]
    cluster.assign(store, everything, embedder=embedder)
    story_line = {s.id: s.storyline for s in store.list_stories()}
    return {name: {story_line[store.get_article(i).story] for i in group} for name, group in ids.items()}


def test_one_storyline_per_country_across_languages(store, embedder):
    lines = _file(store, embedder, {**LIBYA, **YEMEN})
    libya = lines["libya-feb"] | lines["libya-aug"]
    yemen = lines["yemen-mar"] | lines["yemen-nov"]
    assert len(libya) == 1, f"the Libya storyline split (es/fr/it): {lines}"
    assert len(yemen) == 1, f"the Yemen storyline split (es/fr/it): {lines}"
    assert libya != yemen, "two uprisings in different countries merged into one storyline"


def test_storylines_are_incremental_and_picklable(store, embedder):
    first = _file(store, embedder, LIBYA)
    later = _file(store, embedder, {"libya-more": [
        ("Kadhafi tué à Syrte, la Libye proclame sa libération",
         "Mouammar Kadhafi a été tué jeudi à Syrte, sa ville natale, lors de l'assaut final des forces du "
         "Conseil national de transition. À Tripoli et à Benghazi, des milliers de Libyens ont célébré la "
         "fin de quarante-deux ans de règne.", "fr", "2011-10-20")]})
    assert later["libya-more"] == first["libya-feb"], "a later Libya story must join the existing storyline"


def test_storyline_core_is_deterministic_and_picklable():
    rng = np.random.default_rng(3)
    base = rng.normal(size=384)
    vectors = [base + rng.normal(scale=0.3, size=384) for _ in range(6)]
    vectors = [v / np.linalg.norm(v) for v in vectors]
    names = [{"kdf": 0.8, "lb": 0.6}, {"kdf": 0.7, "trpl": 0.7}, {"sl": 0.8, "ymn": 0.6}]
    batch = [(i, vectors[i], 1, 734000 + 10 * i, 734000 + 10 * i, names[i % 3]) for i in range(6)]
    one, two = StorylineClusterer(), StorylineClusterer()
    assert one.update(batch) == two.update(batch)
    clone = pickle.loads(pickle.dumps(one))
    assert clone.update([(6, vectors[0], 1, 734100, 734100, names[0])]) == \
        one.update([(6, vectors[0], 1, 734100, 734100, names[0])])
    assert isinstance(OnlineClusterer().storylines, StorylineClusterer)


def test_a_story_that_came_before_its_subject_gets_a_second_look():
    from newsprism.cluster.settings import DEFAULT_SETTINGS

    v0, v1, v2 = unit(1.0), unit(0.25, 0.968), unit(0.9, 0.16, 0.405)  # v0.v1 = 0.25, v1.v2 = 0.38
    lines = StorylineClusterer(DEFAULT_SETTINGS, dim=8)
    first = lines.update([(0, v0, 1, 100, 100, {}), (1, v1, 1, 101, 101, {})])
    assert first[0] != first[1], "0.25 is below the storyline threshold: story 1 opens its own storyline"
    # story 2 joins story 0; three weeks on, story 1 is looked at again and now links to both
    later = lines.update([(2, v2, 1, 130, 130, {})])
    assert later[2] == first[0]
    assert later[1] == first[0] and lines.sizes[first[1]] == 0
    assert pickle.loads(pickle.dumps(lines)).story_line == {0: first[0], 1: first[0], 2: first[0]}


def test_a_story_placed_early_in_a_batch_moves_to_the_storyline_formed_after_it():
    # story 1 links to story 0 at 0.35 (above the 0.3 threshold) and to story 2 at 0.5; story 2 comes
    # last in the batch and is too far from the pair {0, 1} (mean 0.15) to join it, so it opens a line
    v0, v1, v2 = unit(1.0), unit(0.35, 0.937), unit(-0.2, 0.608, 0.768)
    lines = StorylineClusterer(dim=8)
    placed = lines.update([(0, v0, 1, None, None, {}), (1, v1, 1, None, None, {}), (2, v2, 1, None, None, {})])
    assert placed[1] == placed[0] != placed[2]
    assert lines.revisit([0, 1, 2]) == {1: placed[2]}
    assert lines.story_line == {0: placed[0], 1: placed[2], 2: placed[2]}
    assert lines.revisit([0, 1, 2]) == {}, "a second revisit finds nothing to move: it settles"


def test_a_rare_language_loses_the_corpus_topic_through_the_pooled_mean():
    from dataclasses import replace

    from newsprism.cluster import StoryClusterer, article_features
    from newsprism.models import Article

    # every article shares one topic direction (a corpus about one country); 30 are English, one German
    topic = np.zeros(384, dtype=np.float32)
    topic[0] = 1.0

    def feature(i: int, language: str) -> object:
        vec = topic.copy()
        vec[i + 1] = 1.0
        article = Article(id=i + 1, origin="t", title=f"Story {i}", text=f"Story {i}.", sentences=(),
                          language=language, source=None, published=None)
        return replace(article_features(article, vec), id=i + 1)

    sc = StoryClusterer(replace(cluster.DEFAULT_SETTINGS, story_join_probability=1.1))  # one story each
    stories = sc.add([feature(i, "en") for i in range(30)] + [feature(30, "de")])
    german = sc.language_neutral_vector(stories[-1])
    english = sc.language_neutral_vector(stories[0])
    # raw cosine to the topic is 0.71 for both. English has 30 articles: its own mean takes the topic
    # out. German has one, so its own mean is barely known (0.71 without the pooled fallback); the
    # pooled mean of all languages takes most of the topic out (0.37)
    assert float(english @ topic) < 0.2
    assert float(german @ topic) < 0.45


def test_a_lone_story_is_looked_at_again_until_its_subject_arrives():
    from newsprism.cluster.settings import DEFAULT_SETTINGS

    v0, v1, v2, other = unit(1.0), unit(0.25, 0.968), unit(0.9, 0.16, 0.405), unit(0, 0, 0, 1.0)
    lines = StorylineClusterer(DEFAULT_SETTINGS, dim=8)
    first = lines.update([(0, v0, 1, 100, 100, {}), (1, v1, 1, 101, 101, {})])
    assert first[0] != first[1]
    # day 120: an unrelated story moves the stream on; story 1's first review (day 115) finds nothing
    lines.update([(3, other, 1, 120, 120, {})])
    assert lines.story_line[1] == first[1]
    # day 140: story 2 joins story 0; story 1's next review (day 129) now links it to both
    later = lines.update([(2, v2, 1, 140, 140, {})])
    assert later[2] == first[0] and lines.story_line[1] == first[0]


def test_a_same_language_pair_yields_to_a_multilingual_storyline_that_accepts_the_story():
    # stories 0 (es) and 1 (fr) form one storyline; story 2 (it) is unrelated to them (cosine 0); the
    # Italian story 3 is close to story 2 (0.8) and accepted by the es/fr storyline too (0.4 >= 0.3)
    es, fr, it2, it3 = unit(1.0), unit(0.9, 0.436), unit(0, 0, 1.0), unit(0.4, 0.0917, 0.8, 0.438)

    def place(with_languages: bool) -> tuple[StorylineClusterer, dict[int, int]]:
        lines = StorylineClusterer(dim=8)
        extra = [({"es"},), ({"fr"},), ({"it"},), ({"it"},)] if with_languages else [()] * 4
        first = lines.update([(0, es, 1, None, None, {}, *extra[0]), (1, fr, 1, None, None, {}, *extra[1]),
                              (2, it2, 1, None, None, {}, *extra[2])])
        assert first[0] == first[1] != first[2]
        placed = lines.update([(3, it3, 1, None, None, {}, *extra[3])])
        assert placed[3] == first[2], "first placement: the best score wins (0.8 with story 2)"
        lines.revisit([3])
        return lines, first

    lines, first = place(with_languages=True)
    assert lines.story_line[3] == first[0], "the Italian pair in the making yields to the es/fr storyline"
    assert lines.line_languages[first[0]] == {"es": 1, "fr": 1, "it": 1}
    lines.update([(0, es, 1, None, None, {}, {"es", "de"})])  # a refreshed story brings a new language
    assert lines.line_languages[first[0]] == {"es": 1, "fr": 1, "it": 1, "de": 1}
    state = dict(lines.__dict__)
    del state["line_languages"]  # a state saved before the per-storyline counts existed
    older = StorylineClusterer.__new__(StorylineClusterer)
    older.__setstate__(state)
    assert older.line_languages == lines.line_languages
    lines, first = place(with_languages=False)
    assert lines.story_line[3] == first[2], "without language information the pair stays"
    assert pickle.loads(pickle.dumps(lines)).story_languages == {0: frozenset(), 1: frozenset(),
                                                                 2: frozenset(), 3: frozenset()}
