"""Page-junk lines in the eight supported languages go; content that merely mentions them stays."""

from __future__ import annotations

import pytest

from newsprism.clean.boilerplate import junk_kind, load_lexicon, remove_boilerplate, split_caption

JUNK_LINES = [
    # en
    "Share", "Share this article", "12 comments", "Comments (3)", "Read also:", "Read more",
    "Related Articles", "Similar Posts", "You may also like", "Back to top button", "Source link",
    "Leave a Reply", "Leave a Reply Cancel reply", "Your email address will not be published. Required fields are marked *",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Facebook Twitter WhatsApp Telegram", "ua en ru", "EN | DE | PL", "Advertisement",
    "Subscribe to our Telegram channel", "Tags: NATO, Ukraine, Stoltenberg", "5 min read",
    "Read also: NATO will not send troops to Ukraine, says Stoltenberg",
    # de
    "Teilen", "Lesen Sie auch:", "Lesen Sie auch Nato schickt keine Truppen in die Ukraine",
    "Mehr zum Thema", "Kommentare", "Nach oben", "Anzeige", "Das könnte Sie auch interessieren",
    # uk
    "Поділитися", "Читайте також:", "Читайте також: НАТО не відправлятиме війська", "Коментарі",
    "Вгору", "Реклама", "Новини за темою",
    # ru
    "Поделиться", "Читайте также", "Комментарии", "Наверх", "Похожие новости",
    "Подписывайтесь на наш Telegram-канал", "Смотрите также: Столтенберг о войсках",
    # pl
    "Udostępnij", "Czytaj także:", "Czytaj także: NATO nie wyśle wojsk na Ukrainę", "Komentarze",
    "Do góry", "Reklama", "Zobacz też",
    # it
    "Condividi", "Leggi anche:", "Leggi anche: la Nato non invierà truppe", "commenti", "Torna su",
    "Pubblicità", "Articoli correlati", "Ti potrebbe interessare",
    # es
    "Compartir", "Lee también:", "Comentarios", "Volver arriba", "Publicidad", "Noticias relacionadas",
    # fr
    "Partager", "Lire aussi :", "À lire aussi : l'Otan n'enverra pas de troupes", "Commentaires",
    "Retour en haut", "Publicité", "Articles similaires",
    # captions, credits, counters, datelines
    "Photo: Reuters", "Фото: УНІАН", "Foto: ANSA", "Getty Images", "© Reuters", "•", "0",
    "December 15th, 2008, 7:35 am", "Published: 12 March 2024", "24.03.2022, 10:15",
]


@pytest.mark.parametrize("line", JUNK_LINES)
def test_junk_line_is_recognised(line):
    rest, captions = split_caption(line)
    assert not rest or junk_kind(rest) is not None, line


CONTENT_LINES = [
    "Sending troops",
    "Situation at frontline in Ukraine",
    "Possibility of negotiations",
    "NATO: “Four new battalions in Slovakia, Romania, Bulgaria and Hungary”",
    "Stoltenberg: “Beijing condemns the invasion”",
    "“We did not fulfill what we promised”",
    "Zelensky to NATO: “We need unlimited military aid”",
    "Mehr Soldaten für die Ostflanke",
    "Więcej żołnierzy na wschodniej flance",
    "Читайте між рядків: що сказав Столтенберг",  # starts like a lead-in word, is a headline
    "Share prices fell sharply after the announcement.",
    "Comments by the Secretary General angered Moscow.",
    ("Users were invited to share their comments on the decision, and many of them said the "
     "alliance should read also the signals coming from Kyiv before it decides anything at all."),
    "Source: the Kiel Institute for the World Economy counted $278 billion in aid since 2022.",
    "Top NATO commander warns of Russian advance",
    "Related talks in Brussels ended without a deal.",
    "Home guard units were placed on alert in the Baltic states.",
]


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_content_line_is_kept(line):
    rest, captions = split_caption(line)
    assert rest == line and not captions
    assert junk_kind(line) is None, line


def test_caption_at_the_end_of_a_line_is_cut_and_returned():
    line = ("Ukraine seeks more support — Stoltenberg Photo: Jens Stoltenberg, Secretary General of NATO "
            "(Vitalii Nosach, RBC-Ukraine)")
    rest, captions = split_caption(line)
    assert rest == "Ukraine seeks more support — Stoltenberg"
    assert captions == ["Photo: Jens Stoltenberg, Secretary General of NATO (Vitalii Nosach, RBC-Ukraine)"]


def test_caption_in_parentheses_is_cut_inside_a_paragraph():
    rest, captions = split_caption("Stoltenberg spoke in Rome (Photo: Reuters) on Wednesday.")
    assert rest == "Stoltenberg spoke in Rome on Wednesday."
    assert captions == ["(Photo: Reuters)"]


def test_long_paragraph_after_photo_word_is_prose():
    line = ("The photo: it shows Stoltenberg and Meloni in Rome. They discussed the summit in Washington "
            "and the support for Ukraine.")
    assert split_caption(line) == (line, [])


def test_related_list_at_the_end_is_dropped_but_not_real_paragraphs():
    paragraphs = ["NATO will not send troops.", "Stoltenberg said so on Monday in Rome.", "Related Articles",
                  "Macron under fire over troops remark", "Kremlin reacts to NATO summit"]
    kept, removed = remove_boilerplate(paragraphs)
    assert kept == paragraphs[:2]
    assert [r.kind for r in removed] == ["related", "related_list", "related_list"]

    paragraphs[-1] = "The Kremlin said the summit changed nothing, and repeated its warnings about escalation."
    kept, _ = remove_boilerplate(paragraphs)
    assert kept == [p for p in paragraphs if p != "Related Articles"]


def test_lexicon_can_be_extended_with_a_user_file(tmp_path):
    extra = tmp_path / "more.yaml"
    extra.write_text('lines:\n  custom:\n    - "brought to you by acme"\n', "utf-8")
    assert junk_kind("Brought to you by ACME") is None
    assert junk_kind("Brought to you by ACME", load_lexicon(extra)) == "custom"


def test_dateline_lines_go_but_dated_sentences_stay():
    assert junk_kind("Updated: November 11, 2011 20:09 IST") == "dateline"
    assert junk_kind("Diritto di critica | July 29, 2020") == "dateline"
    assert junk_kind("Russia invaded Ukraine on 24 February 2022") is None
    assert junk_kind("Russia invaded Ukraine on 24 February 2022.") is None
