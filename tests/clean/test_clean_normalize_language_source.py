"""Normalisation conventions, language identification and outlet detection."""

from __future__ import annotations

import pytest

from newsprism.clean.language import detect_language, valid_language
from newsprism.clean.normalize import normalize_text
from newsprism.clean.source import detect_source, domain_of, outlet_from_credit, split_title_suffix
from newsprism.models import RawDocument


@pytest.mark.parametrize(("raw", "expected"), [
    ('He said "no troops" today.', "He said “no troops” today."),
    ("„Wir schicken keine Truppen“, sagte er.", "“Wir schicken keine Truppen”, sagte er."),
    ("Il a dit : « Non » hier.", "Il a dit : “Non” hier."),
    ("Он сказал: «Нет».", "Он сказал: “Нет”."),
    ("»Nein«, sagte er.", "“Nein”, sagte er."),
    ("didn’t", "didn't"),
    ("– NATO has no intention", "— NATO has no intention"),
    ("support - Stoltenberg", "support — Stoltenberg"),
    ("in 2014–2022", "in 2014-2022"),
    ("a\u00a0b\u200bc  d\u00ad", "a bc d"),
    ("Caf\u0065\u0301", "Café"),
    ("line one\nwrapped in lower case.\nNew line", "line one wrapped in lower case.\n\nNew line"),
    ("p1\r\n\r\n\r\np2", "p1\n\np2"),
])
def test_normalize(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(("text", "language"), [
    ("NATO has no intention of deploying forces in Ukraine, Stoltenberg said on Wednesday.", "en"),
    ("Die Nato wird keine Truppen in die Ukraine schicken, sagte Stoltenberg am Mittwoch.", "de"),
    ("НАТО не має наміру розміщувати війська в Україні, заявив Столтенберг.", "uk"),
    ("НАТО не намерено размещать войска на Украине, заявил Столтенберг.", "ru"),
    ("NATO nie zamierza wysyłać wojsk na Ukrainę, powiedział Stoltenberg.", "pl"),
    ("La Nato non ha intenzione di inviare truppe in Ucraina, ha detto Stoltenberg.", "it"),
    ("La OTAN no tiene intención de enviar tropas a Ucrania, dijo Stoltenberg.", "es"),
    ("L'Otan n'a pas l'intention d'envoyer des troupes en Ukraine, a déclaré Stoltenberg.", "fr"),
    ("Читайте також про НАТО", "uk"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_too_short_is_unknown():
    assert detect_language("ok") is None
    assert detect_language("12 345 — !!") is None


def test_valid_language():
    assert [valid_language(c) for c in ("en-US", "DE", "ukr", "xx", "", None)] == ["en", "de", "uk", None, None, None]


def test_title_suffixes():
    assert split_title_suffix("NATO chief rebukes Macron — RT World News") == ("NATO chief rebukes Macron", "RT")
    assert split_title_suffix("Troops row | Kyiv Post") == ("Troops row", "Kyiv Post")
    assert split_title_suffix("NATO troops row — Kyiv Independent") == ("NATO troops row", "Kyiv Independent")
    # a dash also attaches a speaker: not an outlet
    assert split_title_suffix("Ukraine seeks more support — Stoltenberg") == ("Ukraine seeks more support — Stoltenberg", None)
    assert split_title_suffix("Troops row — KyivPost", "kyivpost.com") == ("Troops row", "KyivPost")


def test_outlet_from_credit_skips_photo_agencies():
    assert outlet_from_credit("Photo: Jens Stoltenberg (Vitalii Nosach, RBC-Ukraine)") == "RBC-Ukraine"
    assert outlet_from_credit("Photo: Jens Stoltenberg (John Smith, Reuters)") is None
    assert outlet_from_credit("Photo: Reuters") is None


def test_domain_of():
    assert domain_of("https://www.kyivpost.com/post/1") == "kyivpost.com"
    assert domain_of("http://news.bbc.co.uk/2/hi/europe/1.stm") == "bbc.co.uk"
    assert domain_of("https://www.rbc.ua/rus/news") == "rbc.ua"
    assert domain_of("not a url") is None
    assert domain_of(None) is None


def test_detect_source_order():
    raw = RawDocument(origin="x", text="T — RT World News\n\nBody", url="https://www.rt.com/n/1")
    assert detect_source(raw, raw.text) == "RT"
    assert detect_source(raw, raw.text, override="Russia Today") == "Russia Today"
    with_meta = RawDocument(origin="x", text=raw.text, metadata={"sitename": "RT International"})
    assert detect_source(with_meta, raw.text) == "RT International"
    plain = RawDocument(origin="x", text="Title\n\nBody", url="https://www.rt.com/n/1")
    assert detect_source(plain, plain.text) == "rt.com"


def test_mojibake_is_repaired_only_when_the_whole_text_round_trips():
    original = "‘Yes’ — café, Столтенберг didn’t"
    assert normalize_text(original.encode("utf-8").decode("cp1252")) == "‘Yes’ — café, Столтенберг didn't"
    assert normalize_text("“Kyiv” — Zełenski".encode("utf-8").decode("latin-1")) == "“Kyiv” — Zełenski"
    assert normalize_text("São Paulo, Ça va, Ñandú") == "São Paulo, Ça va, Ñandú"


def test_huge_input_is_capped():
    from newsprism import clean

    text = ("A paragraph of an endless article that keeps going. " * 20 + "\n\n") * 600
    doc = clean.prepare(RawDocument(origin="huge", text=text))
    assert len(doc.text) <= clean.MAX_TEXT_CHARS


def test_html_entities_left_by_extraction_are_decoded():
    assert normalize_text("AT&amp;T said &#8220;no&#8221;&nbsp;today") == "AT&T said “no” today"


def test_a_language_switcher_is_not_a_title_with_an_outlet():
    raw = RawDocument(origin="x", text="EN | DE\n\nNATO rules out troops\n\nBody text here.")
    assert detect_source(raw, raw.text) is None
