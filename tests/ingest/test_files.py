"""Local files: txt/md, directories, decoding, binary/empty/oversized/missing inputs."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from ingest_support import FIXTURES, PNG_BYTES

from newsprism.ingest import collect
from newsprism.ingest.decode import MAX_INPUT_BYTES, binary_kind, decode_bytes, sniff_kind
from newsprism.ingest.files import guess_title, markdown_to_text, parse_text, walk_directory
from newsprism.errors import ParseError
from newsprism.models import RawDocument, Rejection

UKRAINIAN = "Київ отримав нову партію допомоги\n\nУряд повідомив, що партія гуманітарної допомоги прибула до столиці у вівторок.\n"


def _only(path: Path | str) -> RawDocument | Rejection:
    items = list(collect([str(path)]))
    assert len(items) == 1, items
    return items[0]


def test_txt_first_line_is_title_and_text_is_everything() -> None:
    doc = _only(FIXTURES / "note.txt")
    assert isinstance(doc, RawDocument)
    assert doc.title == "Wildfire forces evacuation of hillside villages"
    assert doc.text.startswith("Wildfire forces evacuation of hillside villages\n\nFirefighters battled")
    assert doc.text.endswith("Two firefighting planes joined the effort at dawn.")
    assert doc.html is None and doc.published is None and doc.source is None


def test_markdown_front_matter_and_markup() -> None:
    doc = _only(FIXTURES / "report.md")
    assert isinstance(doc, RawDocument)
    assert doc.title == "Museum reopens after renovation"
    assert doc.published == "2023-11-20"
    assert doc.author == "Lena Fischer"
    assert doc.source == "Riverside Weekly"
    assert doc.language == "en"
    assert doc.metadata == {"section": "culture"}
    assert "**" not in doc.text and "](" not in doc.text and "#" not in doc.text
    assert "reopened on Sunday after a two-year renovation that cost\n18 million euros." in doc.text
    assert '"We wanted a building that belongs to everyone," the director said.' in doc.text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Share\n\nNATO rules out troops for Ukraine\n\nBody.", "NATO rules out troops for Ukraine"),
        ("ua en ru\n\nУкраїна просить більше підтримки\n\nТекст.", "Україна просить більше підтримки"),
        ("EN | DE\nTitel der Meldung", "Titel der Meldung"),
        ("Share", "Share"),  # nothing better: the first line stays
    ],
)
def test_title_skips_page_chrome(text: str, title: str) -> None:
    assert guess_title(text) == title
    assert parse_text(text, "x").text == text.strip()  # the text itself is never cut


def test_markdown_to_text() -> None:
    assert markdown_to_text("## A *big* [deal](http://x/(y))\n\n![photo](a.png) __done__") == "A big deal\n\nphoto done"
    assert markdown_to_text("2 * 3 * 4") == "2 * 3 * 4"


def test_directory_is_walked_recursively_sorted_skipping_hidden_and_unknown(write_file, tmp_path) -> None:
    write_file("b.txt", "Second story\n\nbody b")
    write_file("a.md", "# First\n\nbody a")
    write_file("sub/c.txt", "Third story\n\nbody c")
    write_file("sub/deeper/d.html", "<html><body><article><p>Fourth story body text here.</p></article></body></html>")
    write_file(".hidden.txt", "hidden")
    write_file(".git/e.txt", "hidden dir")
    write_file("notes.docx", b"PK\x03\x04 not ours")
    write_file("image.png", PNG_BYTES)
    items = list(collect([str(tmp_path)]))
    assert [Path(i.origin).relative_to(tmp_path).as_posix() for i in items] == [
        "a.md",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.html",
    ]
    assert [i.title for i in items if isinstance(i, RawDocument)][:3] == ["First", "Second story", "Third story"]
    assert list(walk_directory(tmp_path)) == [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub/c.txt", tmp_path / "sub/deeper/d.html"]


def test_directory_without_supported_files(write_file, tmp_path) -> None:
    write_file("photo.jpg", b"\xff\xd8\xff")
    (rej,) = collect([str(tmp_path)])
    assert isinstance(rej, Rejection) and rej.origin == str(tmp_path)
    assert rej.problem.startswith("no supported files in directory")


def test_explicit_unknown_extension_is_sniffed(write_file) -> None:
    page = write_file("story.page", "<!doctype html><html><body><article><h1>Title here</h1><p>Body of the story.</p></article></body></html>")
    text = write_file("story.log", "Plain title\n\nPlain body of a story.")
    blob = write_file("photo.dat", PNG_BYTES)
    data = write_file("rows.json", '[{"text": "x"}]')
    doc_page, doc_text, rej_blob, rej_json = collect([str(page), str(text), str(blob), str(data)])
    assert isinstance(doc_page, RawDocument) and "Body of the story." in doc_page.text
    assert isinstance(doc_text, RawDocument) and doc_text.title == "Plain title"
    assert rej_blob == Rejection(str(blob), "binary file (looks like PNG)")
    assert isinstance(rej_json, Rejection) and "unsupported file type '.json'" in rej_json.problem


def test_scheme_less_url_gets_a_hint() -> None:
    assert _only("www.example.org/news/1") == Rejection(
        "www.example.org/news/1", "no such file or directory (for a web page, start it with https://)"
    )


def test_xhtml_saved_as_xml_is_read_as_html(write_file) -> None:
    page = write_file("page.xml", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>An XHTML article body.</p></body></html>')
    doc = _only(page)
    assert isinstance(doc, RawDocument) and doc.text == "An XHTML article body."


def test_empty_file(write_file) -> None:
    path = write_file("empty.txt", "  \n\n ")
    assert _only(path) == Rejection(str(path), "file is empty")


def test_binary_file_with_text_extension(write_file) -> None:
    png = write_file("photo.txt", PNG_BYTES)
    nul = write_file("nul.md", b"abc\x00def" * 10)
    assert _only(png) == Rejection(str(png), "binary file (looks like PNG)")
    assert _only(nul) == Rejection(str(nul), "binary file (contains NUL bytes)")


def test_oversized_file(write_file) -> None:
    path = write_file("huge.txt", b"a" * (MAX_INPUT_BYTES + 1))
    assert _only(path) == Rejection(str(path), "larger than 5 MB cap")


def test_undecodable_file_is_rejected(write_file) -> None:
    rng = random.Random(7)
    path = write_file("garbage.txt", bytes(rng.randrange(128, 256) for _ in range(3000)))
    assert _only(path) == Rejection(str(path), "not valid UTF-8 or any detectable encoding")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_legacy_cyrillic_encodings_are_detected(write_file, encoding: str) -> None:
    text = "Генеральный секретарь заявил, что альянс не намерен направлять войска. По его словам, украинцы просили о большей поддержке."
    path = write_file(f"ru_{encoding}.txt", text.encode(encoding))
    doc = _only(path)
    assert isinstance(doc, RawDocument) and doc.text == text


@pytest.mark.parametrize(
    "payload",
    [codecs.BOM_UTF8 + UKRAINIAN.encode(), UKRAINIAN.encode("utf-16"), UKRAINIAN.replace("\n", "\r\n").encode()],
    ids=["utf8-bom", "utf16-bom", "crlf"],
)
def test_bom_and_line_endings(write_file, payload: bytes) -> None:
    doc = _only(write_file("uk.txt", payload))
    assert isinstance(doc, RawDocument)
    assert doc.title == "Київ отримав нову партію допомоги"
    assert doc.text == UKRAINIAN.strip()


def test_missing_path() -> None:
    assert _only("/no/such/dir/article.txt") == Rejection("/no/such/dir/article.txt", "no such file or directory")


def test_source_override_applies_to_every_document(write_file, tmp_path) -> None:
    write_file("a.txt", "A\n\nbody")
    write_file("b.md", "---\nsource: Someone Else\n---\nB\n\nbody")
    items = list(collect([str(tmp_path)], source="My Outlet"))
    assert [i.source for i in items] == ["My Outlet", "My Outlet"]  # type: ignore[union-attr]


def test_inputs_keep_their_order(write_file) -> None:
    b = write_file("b.txt", "B\n\nbody")
    a = write_file("a.txt", "A\n\nbody")
    items = list(collect([str(b), "/missing.txt", str(a)]))
    assert [i.origin for i in items] == [str(b), "/missing.txt", str(a)]


def test_a_single_string_is_one_input() -> None:
    items = list(collect(str(FIXTURES / "note.txt")))  # type: ignore[arg-type]
    assert len(items) == 1 and isinstance(items[0], RawDocument)


def test_parse_text_rejects_blank() -> None:
    with pytest.raises(ParseError):
        parse_text(" \n \n", "x")


def test_decode_and_sniff_helpers() -> None:
    assert binary_kind(b"%PDF-1.7\n...") == "PDF"
    assert binary_kind("Zażółć gęślą jaźń".encode("utf-16")) is None
    assert binary_kind(b"MZ Verlag announced a new title") is None
    assert decode_bytes("Grüße aus Köln, schöne Straße".encode("utf-8"), "x") == "Grüße aus Köln, schöne Straße"
    assert decode_bytes("Prix: 12 €".encode("cp1252"), "x", declared="windows-1252") == "Prix: 12 €"
    # valid UTF-8 wins over a declared single-byte charset; one that cannot decode is ignored
    assert decode_bytes("Zürich, Genève".encode("utf-8"), "x", declared="iso-8859-1") == "Zürich, Genève"
    assert decode_bytes("Київ".encode("utf-16-le"), "x", declared="utf-16-le") == "Київ"
    assert decode_bytes("Добрый день".encode("utf-8"), "x", declared="ascii") == "Добрый день"
    assert sniff_kind(b"<?xml version='1.0'?><rss version='2.0'></rss>") == "feed"
    assert sniff_kind(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>') == "feed"
    assert sniff_kind(b"<!-- generated -->\n<rss version='2.0'><channel></channel></rss>") == "feed"
    assert sniff_kind(b"<!DOCTYPE html><html><body></body></html>") == "html"
    assert sniff_kind(b"<?xml version='1.0'?><note>x</note>") == "xml"
    assert sniff_kind(b"Just words.") == "text"


MIXED_UTF8 = "Café reopens in Zürich\n\nThe café on the Limmat reopened on Monday, the owner from Kraków said.\n"
MIXED_LATIN1 = "Le café était plein à midi, a déclaré le propriétaire.\n"


def test_utf8_file_with_latin1_lines_is_read_line_by_line_with_a_warning(write_file, caplog) -> None:
    # a latin-1 paragraph pasted into a UTF-8 file: before, the whole file went to charset
    # detection and every UTF-8 'é' came out as mojibake ('cafÃĐ'), silently
    path = write_file("mixed.txt", MIXED_UTF8.encode() + b"\n" + MIXED_LATIN1.encode("latin-1"))
    with caplog.at_level("WARNING", logger="newsprism.ingest.decode"):
        doc = _only(path)
    assert isinstance(doc, RawDocument)
    assert doc.text == (MIXED_UTF8 + "\n" + MIXED_LATIN1).strip()
    assert [r.getMessage() for r in caplog.records] == [
        f"warning: {path}: mixed encodings: 1 line(s) not valid UTF-8 were read as cp1252, the rest as UTF-8 "
        "(check those lines; save the file as UTF-8 to avoid this)"]


def test_a_line_mixing_utf8_and_cp1252_keeps_both() -> None:
    data = "Zürich: ".encode() + "café, 12 €".encode("cp1252") + " – Kraków".encode()
    assert decode_bytes(data, "x") == "Zürich: café, 12 € – Kraków"


@pytest.mark.parametrize("encoding", ["cp1252", "cp1251", "koi8-r"])
def test_a_file_wholly_in_one_legacy_encoding_is_not_read_as_mixed(caplog, encoding: str) -> None:
    # Ukrainian in cp1251 holds accidental valid UTF-8 pairs ('Кі' is CA B3): still one encoding
    text = {"cp1252": "Les cafés étaient pleins à midi, a précisé la mairie de Genève.",
            "cp1251": "Кіїв: уряд повідомив, що допомога прибула. Київ і Харків отримали її першими.",
            "koi8-r": "Генеральный секретарь заявил, что альянс не намерен направлять войска."}[encoding]
    with caplog.at_level("WARNING"):
        assert decode_bytes(text.encode(encoding), "x") == text
    assert not caplog.records
