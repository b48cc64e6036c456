"""Article embedders: both bundled models load offline from site-packages and are multilingual."""

import numpy as np
import pytest

from newsprism.embed import ARTICLE_EMBEDDERS, article_embedder
from newsprism.errors import ModelError

STRIKE_EN = "Dock workers in Gdańsk went on strike on Monday, leaving 28 ships waiting at anchor."
STRIKE_DE = "Die Hafenarbeiter in Danzig sind am Montag in den Streik getreten; 28 Schiffe warten vor Anker."
FOOTBALL_EN = "The football club signed a new goalkeeper from Brazil for the coming season."


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ARTICLE_EMBEDDERS))
def test_embedder_gives_unit_vectors_that_match_across_languages(name):
    embedder = article_embedder(name)
    vecs = embedder.embed([STRIKE_EN, STRIKE_DE, FOOTBALL_EN, ""])
    assert vecs.shape == (4, embedder.dim) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    translation, unrelated = float(vecs[0] @ vecs[1]), float(vecs[0] @ vecs[2])
    assert translation > unrelated + 0.2, (name, translation, unrelated)


def test_article_embedder_by_name_and_environment(monkeypatch):
    monkeypatch.setenv("NEWSPRISM_EMBEDDER", "use")
    assert article_embedder().name == "use-m3-centred"
    monkeypatch.delenv("NEWSPRISM_EMBEDDER")
    assert article_embedder().name == "e5-small-q4-centred"
    with pytest.raises(ModelError, match="unknown embedder 'word2vec'; choose one of e5, use"):
        article_embedder("word2vec")
