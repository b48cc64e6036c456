"""The five NATO seed articles: one storyline; stories follow the four events they report."""

import pytest

from newsprism import cluster

from cluster_support import SHARED, add_docs, make_doc

pytestmark = pytest.mark.slow

# Publication dates are facts of the articles (stated in or implied by their texts).
SEED_DATES = {"000": "2024-05-08", "001": "2024-05-09", "002": "2024-03-18", "003": "2024-06-06",
              "004": "2022-03-24"}


def _title(text: str) -> str:
    # the first line that reads like a headline (some files start with a language menu)
    return next(line.strip() for line in text.splitlines() if len(line.split()) >= 4)


def test_seeds_form_one_storyline_and_four_stories(store, embedder):
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    assert len(paths) == 5
    ids = {}
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        title = _title(raw)
        body = raw.split(title, 1)[1].strip()
        ids[path.name[:3]] = add_docs(store, [make_doc(title, body, "en", SEED_DATES[path.name[:3]],
                                                       origin=path.name)])[0]
    cluster.assign(store, list(ids.values()), embedder=embedder)
    story = {k: store.get_article(a).story for k, a in ids.items()}
    assert story["000"] == story["001"], "the May 2024 ANSA interview is one event"
    assert len({story[k] for k in ("000", "002", "003", "004")}) == 4, story
    assert len({s.storyline for s in store.list_stories()}) == 1
    line = store.list_storylines()[0]
    assert line.first_published == "2022-03-24" and line.last_published == "2024-06-06"
