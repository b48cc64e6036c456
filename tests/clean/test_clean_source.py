"""Outlet names read from a page's footer (copyright lines, taglines, a name matching the printed
web address) and the guard that keeps page furniture from ever becoming an outlet."""

from __future__ import annotations

import pytest

from newsprism import clean
from newsprism.clean.source import (
    clean_outlet_name,
    detect_source,
    is_outlet_name,
    outlet_from_copyright,
    outlet_from_footer,
    outlet_from_tagline,
    split_title_suffix,
)
from newsprism.models import RawDocument

BODY = ("Headline of the day\n\nKyiv, 12 March 2024 — The first paragraph of the report says what "
        "happened, who said it and when it was said.\n\nA second paragraph gives more detail.\n\n")


@pytest.mark.parametrize(("line", "outlet"), [
    ("© Голос Дніпра, 2024. Усі права захищено. Підписуйтеся на наш Telegram-канал.", "Голос Дніпра"),
    ("Gazeta Wieczorna © 2024. Wszelkie prawa zastrzeżone.", "Gazeta Wieczorna"),
    ("© Вести Севера. При полном или частичном использовании материалов ссылка обязательна.", "Вести Севера"),
    ("© El Mirador Global. Todos los derechos reservados.", "El Mirador Global"),
    ("Copyright 2024 Baltic Ledger", "Baltic Ledger"),
    ("(c) 2024 The Example Times", "The Example Times"),
    ("© Baltic Ledger 2024. All rights reserved.", "Baltic Ledger"),
    ("Riproduzione riservata © Corriere del Lago", "Corriere del Lago"),
    ("© Rheinische Abendschau GmbH · Impressum · Datenschutz · Abo", "Rheinische Abendschau"),
    ("Copyright © 2024 Example Media Ltd. All rights reserved.", "Example Media"),
    ("© Le Courrier Continental – Abonnez-vous à notre lettre d'information", "Le Courrier Continental"),
    ("Copyright 2020 SA LA NACION | Todos los derechos", "LA NACION"),
])
def test_copyright_lines_name_the_outlet(line, outlet):
    assert outlet_from_copyright(line) == outlet


@pytest.mark.parametrize("line", [
    "© 2024. All rights reserved.",
    "Усі права захищено © 2024",
    "Copyright© 2019 — P.Iva 12741650159",  # a VAT number is no name
    "Фото © Reuters",  # a photo credit names the photographer's agency
    "© AFP",  # an agency alone at the end is a picture credit
    "© all the people who helped us",  # lower-case prose
])
def test_copyright_lines_without_a_name(line):
    assert outlet_from_copyright(line) is None


@pytest.mark.parametrize(("line", "outlet"), [
    ("Kyiv Morning Post – незалежне видання. Підтримайте нас.", "Kyiv Morning Post"),
    ("Nordsee-Kurier – Ihre Zeitung für die Küste. Alle Rechte vorbehalten.", "Nordsee-Kurier"),
    ("Kurier Bałtycki – codziennie najświeższe wiadomości z Pomorza. © 2024", "Kurier Bałtycki"),
    ("“Новая правда” — независимое издание.", "Новая правда"),
])
def test_taglines_name_the_outlet(line, outlet):
    assert outlet_from_tagline(line) == outlet


@pytest.mark.parametrize("line", [
    "Jens Stoltenberg — NATO Secretary General since 2014.",  # a person described, no outlet words
    "the newspaper – a dying breed of independent media",  # not a name
    "NATO summit in Vilnius — what the independent news outlets expect from the allies this year and beyond",
])
def test_taglines_need_a_name_and_a_self_description(line):
    assert outlet_from_tagline(line) is None


def test_a_name_matching_the_printed_address_names_the_outlet():
    assert outlet_from_footer(["Body.", "«Свободный вестник» работает без цензуры. Поддержите нас: "
                               "svobodnyvestnik.org/support".replace("«", "“").replace("»", "”")]) == "Свободный вестник"
    assert outlet_from_footer(["Body.", "Kyiv Morning Post is an independent newsroom. "
                               "Support us at kyivmorningpost.com/donate"]) == "Kyiv Morning Post"
    # a name that does not spell the address is not taken
    assert outlet_from_footer(["Body.", "Jane Doe wrote this. Support us at kyivmorningpost.com"]) is None


def test_footer_must_be_among_the_last_lines():
    lines = ["© Baltic Ledger 2024. All rights reserved."] + [f"Paragraph {i} of the report goes on." for i in range(12)]
    assert outlet_from_footer(lines) is None
    assert outlet_from_footer(lines[1:] + lines[:1]) == "Baltic Ledger"
    tagline_early = ["Kyiv Morning Post – незалежне видання."] + [f"Paragraph {i}." for i in range(4)]
    assert outlet_from_footer(tagline_early) is None  # a tagline is one of the very last lines


def test_footer_comes_after_title_suffix_and_credit_but_before_the_domain():
    text = BODY + "© Baltic Ledger 2024. All rights reserved."
    raw = RawDocument(origin="x", text=text, url="https://www.balticledger.lv/a/1")
    assert detect_source(raw, text) == "Baltic Ledger"
    titled = RawDocument(origin="x", text=text, title="Headline | Ledger Online", url=raw.url)
    assert detect_source(titled, text) == "Ledger Online"
    with_meta = RawDocument(origin="x", text=text, source="BL")
    assert detect_source(with_meta, text) == "BL"
    plain = RawDocument(origin="x", text=BODY, url=raw.url)
    assert detect_source(plain, BODY) == "balticledger.lv"


def test_prepare_names_the_outlet_of_a_plain_text_file():
    text = ("Рютте: війська НАТО в Україну не на порядку денному\n\nБрюссель, 4 грудня 2024 року — "
            "Генеральний секретар НАТО Марк Рютте заявив, що питання не розглядається.\n\n"
            "Коментарі (3)\n\n© Голос Дніпра, 2024. Усі права захищено.")
    doc = clean.prepare(RawDocument(origin="hd.txt", text=text))
    assert doc.source == "Голос Дніпра"
    assert doc.published == "2024-12-04"


@pytest.mark.parametrize("junk", ["Copy link", "WhatsApp", "RU", "E-mail", "UA", "Facebook", "Share", "12345", "—"])
def test_page_furniture_is_never_an_outlet(junk):
    assert not is_outlet_name(junk)
    assert clean_outlet_name(junk) is None
    assert split_title_suffix(f"NATO rules out troops | {junk}") == (f"NATO rules out troops | {junk}", None)
    text = f"NATO rules out troops\n\nBody text of the article.\n\n{junk} – незалежне видання.\n\n© {junk} 2024"
    assert detect_source(RawDocument(origin="x", text=text), text) is None


def test_two_letter_outlets_that_are_not_language_codes_stay():
    assert is_outlet_name("RT")
    assert split_title_suffix("NATO chief rebukes Macron | RT") == ("NATO chief rebukes Macron", "RT")
