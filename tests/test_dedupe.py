"""Near-duplicate detection: copies with other boilerplate, truncation and edits match; other reports don't."""

from newsprism import dedupe

WIRE = (
    "Rescue teams in the mountain town of Valdoria pulled two more survivors from the rubble on Tuesday, "
    "officials said, as the death toll from Sunday's magnitude 6.1 earthquake rose to 17. The regional "
    "governor said about 400 homes had been destroyed and that temporary shelters would be set up in the "
    "football stadium. Aftershocks continued through the night, hampering the search. The national "
    "weather service warned of heavy rain later in the week, which could trigger landslides on the "
    "damaged slopes above the town, and asked residents not to return to their houses."
)
REPORT = (
    "An earthquake of magnitude 6.1 struck the Valdoria region on Sunday. Our correspondent visited the "
    "stadium where families now sleep on camp beds. Many said they had lost everything and criticised "
    "the slow arrival of aid. The governor promised compensation but gave no figures. Engineers were "
    "inspecting the bridge on the main road, which remains closed to heavy traffic."
)


def index_with(texts):
    store = dict(enumerate(texts, start=1))
    index = dedupe.DuplicateIndex(store.__getitem__)
    for aid, text in store.items():
        index.add(aid, dedupe.minhash(dedupe.shingles(text)))
    return index


def find(index, text):
    return index.find(text, dedupe.minhash(dedupe.shingles(text)))


def test_copy_with_other_boilerplate_matches():
    index = index_with([WIRE, REPORT])
    copy = "Share this article\n" + WIRE.replace("officials said", "officials told reporters") + "\nSubscribe now"
    match = find(index, copy)
    assert match is not None and match.article_id == 1 and match.containment > 0.8


def test_truncated_copy_matches():
    index = index_with([REPORT, WIRE])
    match = find(index, WIRE[: len(WIRE) // 2])
    assert match is not None and match.article_id == 2


def test_independent_report_of_same_event_does_not_match():
    index = index_with([WIRE])
    assert find(index, REPORT) is None


def test_signature_round_trip():
    mh = dedupe.minhash(dedupe.shingles(WIRE))
    back = dedupe.signature_from_bytes(dedupe.signature_bytes(mh))
    assert back.jaccard(mh) == 1.0


def test_tiny_texts_are_never_called_copies():
    index = index_with(["Breaking news today."])
    assert find(index, "Breaking news today.") is None
