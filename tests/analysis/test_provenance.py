"""Provenance: cited primary sources on the seeds, copies, rewrites, duplicate links, graph."""

from __future__ import annotations

from test_claims import make_article, seed_articles

from newsprism.analysis.provenance import cited_sources, independent_roots, provenance_graph, reuse_links


def test_seed_cited_sources() -> None:
    cites = {(l.article_id, l.target_source) for l in cited_sources(seed_articles())}
    assert (1, "ANSA") in cites and (2, "ANSA") in cites
    assert (3, "Reuters") in cites
    assert any(aid == 3 and name.startswith("Kiel Institute") for aid, name in cites)
    assert (5, "Bfmtv") in cites
    # people are speakers, not cited sources
    assert not any("Stoltenberg" in name or "Secretary" in name for _, name in cites)
    for link in cited_sources(seed_articles()):
        assert link.evidence is not None and link.target_source in link.evidence.text or link.evidence.start >= 0


def test_multilingual_cues_and_descriptors() -> None:
    texts = {
        1: "Titel\nDie Entscheidung fiel laut der Nachrichtenagentur Eurodata einstimmig.",
        2: "Titre\nLe niveau a augmenté de 21 centimètres, selon l'Institut de recherche côtière.",
        3: "Tytuł\nWedług agencji Polpress około 200 tysięcy domów jest bez prądu.",
        4: "Title\nAbout 20,000 people marched, according to the monitoring group Civic Count.",
        5: "Title\nThe fire began on Monday, Diario del Sur reported.",
    }
    arts = [make_article(i, t, source=f"Outlet {i}", published="2025-01-01", language=None) for i, t in texts.items()]
    got = {l.article_id: l.target_source for l in cited_sources(arts)}
    assert got == {1: "Eurodata", 2: "Institut de recherche côtière", 3: "Polpress", 4: "Civic Count",
                   5: "Diario del Sur"}


def test_copies_rewrites_and_independence() -> None:
    body = ("A crane collapsed at the port of Varna on Tuesday morning. At least 12 workers were killed, the "
            "emergency service said. The operator suspended all loading. Rescue teams searched the wreckage.")
    rewrite = ("A crane collapsed at the port of Varna on Tuesday. At least 12 workers were killed, the emergency "
               "service said on Tuesday. The operator has suspended all loading. Rescue teams searched the wreckage all night.")
    other = "Prosecutors opened a case. The union said it had warned about the cables in 2023. Trade was halted."
    arts = [make_article(1, "T1\n" + body, source="A", published="2025-04-08"),
            make_article(2, "T2\n" + body + " Source link", source="B", published="2025-04-09"),
            make_article(3, "T3\n" + rewrite, source="C", published="2025-04-10"),
            make_article(4, "T4\n" + other, source="D", published="2025-04-09"),
            make_article(5, "T5\n" + other, source="E", published="2025-04-09", duplicate_of=4)]
    links = {(l.article_id, l.relation, l.target_article) for l in reuse_links(arts, translations=False)}
    assert (2, "copy", 1) in links and (3, "rewrite", 1) in links and (5, "copy", 4) in links
    assert not any(l[0] == 4 or l[2] == 4 and l[0] != 5 for l in links)
    roots = independent_roots(arts, reuse_links(arts, translations=False))
    assert len(set(roots.values())) == 2
    graph = provenance_graph(reuse_links(arts, translations=False) + cited_sources(arts), arts)
    assert {n["id"] for n in graph["nodes"]} >= {"article:1", "article:2"}
    assert {"from": "article:2", "to": "article:1", "relation": "copy"}.items() <= graph["edges"][0].items() or \
        any(e["from"] == "article:2" and e["to"] == "article:1" for e in graph["edges"])


def test_a_report_with_its_own_sentence_is_not_a_translation_because_headlines_agree() -> None:
    # three of four body sentences translate the English report; the fourth is the French outlet's own.
    # The headlines agree too: counted as a sentence they lifted the share to 4 of 5 (a "translation").
    english = make_article(
        1, "Halvorsen Systems to cut 1,200 jobs\nHalvorsen Systems will cut 1,200 jobs, according to an internal "
        "memo. Most of the cuts will fall on its European sales division. Chief executive Nora Fjeld said the "
        "company had hired too quickly during the pandemic. The company employs about 18,000 people worldwide.",
        source="Circuit Weekly", published="2025-01-20")
    french = make_article(
        2, "Halvorsen Systems supprime 1 200 emplois\nHalvorsen Systems va supprimer 1 200 emplois selon une note "
        "interne. La division des ventes en Europe sera la plus touchée par les suppressions. La directrice "
        "générale Nora Fjeld a expliqué que l'entreprise avait recruté trop vite pendant la pandémie. Le syndicat "
        "Unitech a dénoncé un plan social brutal et appelle à la grève.",
        source="Silicon Ledger", published="2025-01-21", language="fr")
    faithful = make_article(
        3, "Halvorsen Systems supprime 1 200 emplois\nHalvorsen Systems va supprimer 1 200 emplois selon une note "
        "interne. La division des ventes en Europe sera la plus touchée par les suppressions. La directrice "
        "générale Nora Fjeld a expliqué que l'entreprise avait recruté trop vite pendant la pandémie. "
        "L'entreprise emploie environ 18 000 personnes dans le monde.",
        source="Le Courrier", published="2025-01-21", language="fr")
    links = {(l.article_id, l.relation, l.target_article) for l in reuse_links([english, french])}
    assert links == set()
    links = {(l.article_id, l.relation, l.target_article) for l in reuse_links([english, faithful])}
    assert links == {(3, "translation", 1)}
