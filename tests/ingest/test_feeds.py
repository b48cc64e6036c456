"""RSS/Atom feeds: full-text entries, link-only entries fetched from the test server, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.errors import ParseError
from newsprism.ingest import collect
from newsprism.ingest.feeds import FULL_TEXT_MIN_CHARS, guard_xml, parse_feed
from newsprism.ingest.web import INTERNAL_REFUSED, is_internal_host
from newsprism.models import RawDocument, Rejection

from ingest_support import BILLION_LAUGHS, FIXTURES


def test_full_text_feed_needs_no_fetching(http_server, client) -> None:
    before = len(http_server.requests)
    items = list(collect([], feeds=[http_server.url("/feed-full.rss")], client=client))
    assert len(http_server.requests) == before + 1  # only the feed itself
    assert all(isinstance(i, RawDocument) for i in items)
    tram, flood = items
    assert tram.origin == "https://valley-times.example/2024/05/tram-line"
    assert tram.url == tram.origin
    assert tram.title == "Council approves new tram line"
    assert tram.text.startswith("Council approves new tram line\n\nThe city council approved")
    assert "mayor Helen Park said" in tram.text and "<p>" not in tram.text
    assert tram.published == "2024-05-08T10:15:00+02:00"
    assert tram.author == "Sam Ortiz"
    assert tram.source == "Valley Times"  # the feed title when nothing better is known
    assert tram.language == "en"
    assert tram.metadata["feed"] == http_server.url("/feed-full.rss")
    assert flood.source == "Regional Wire Service"  # the entry's own <source> wins
    assert flood.published == "2024-05-09T07:00:00+00:00"


def test_link_only_feed_fetches_each_entry(http_server, client) -> None:
    feed_url = http_server.url("/feed-links.atom")
    items = list(collect([feed_url], client=client))  # a feed URL given as an input is detected
    assert len(items) == 3
    bridge, jazz, missing = items
    assert isinstance(bridge, RawDocument) and isinstance(jazz, RawDocument)
    assert bridge.origin == http_server.url("/linked_1.html")
    assert "Brücke über die Elbe bei Neustadt" in bridge.text
    assert bridge.source == "Nordkurier Beispiel"  # the page's site name beats the feed title
    assert bridge.published == "2024-06-02"  # the page's own date
    assert bridge.language == "de"
    assert jazz.url == http_server.url("/linked_2.html")  # relative link resolved on the feed URL
    assert jazz.language == "fr"  # the page's lang beats the feed's xml:lang
    assert jazz.published == "2024-06-01T12:30:00+02:00"  # page has none: the entry's date
    assert jazz.source == "Le Quotidien Exemple"
    assert missing == Rejection(http_server.url("/missing"), "HTTP 404")


def test_local_feed_file() -> None:
    items = list(collect([str(FIXTURES / "feed_full.rss")]))
    assert [type(i) for i in items] == [RawDocument, RawDocument]
    assert items[0].metadata["feed"] == str(FIXTURES / "feed_full.rss")


def test_feed_served_as_generic_xml_is_sniffed(http_server, client) -> None:
    items = list(collect([http_server.url("/feed-as-xml")], client=client))
    assert len(items) == 2 and all(isinstance(i, RawDocument) for i in items)


def test_billion_laughs_is_refused_before_parsing(http_server, client) -> None:
    items = list(collect([], feeds=[http_server.url("/evil.rss")], client=client))
    assert len(items) == 1
    assert items[0].origin == http_server.url("/evil.rss")
    assert "entit" in items[0].problem  # type: ignore[union-attr]


def test_malformed_feed_is_rejected_naming_the_feed(http_server, client) -> None:
    items = list(collect([], feeds=[http_server.url("/broken.rss")], client=client))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert items[0].origin == http_server.url("/broken.rss")


def test_html_page_given_as_feed_is_rejected(http_server, client) -> None:
    items = list(collect([], feeds=[http_server.url("/article.html")], client=client))
    assert items == [Rejection(http_server.url("/article.html"), "not an RSS/Atom feed (got text/html)")]


def test_entry_links_to_other_schemes_are_not_followed(tmp_path: Path) -> None:
    feed = tmp_path / "local.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Secret</title><link>file:///etc/passwd</link><description>short</description></item>"
        "</channel></rss>"
    )
    items = list(collect([str(feed)]))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert items[0].origin.startswith("file:")
    assert items[0].problem == "entry link has unsupported scheme 'file'"


def test_parse_feed_never_opens_a_path_named_by_the_payload(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><item><title>leak</title></item></channel></rss>')
    with pytest.raises(ParseError):
        parse_feed(str(secret).encode(), "payload")


def test_guard_xml() -> None:
    with pytest.raises(ParseError):
        guard_xml(BILLION_LAUGHS, "evil")
    with pytest.raises(ParseError):
        guard_xml(b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://a/b.dtd" [ ]><rss/>', "evil")
    rss091 = b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"/>'
    assert b"DOCTYPE" not in guard_xml(rss091, "old")
    entries = parse_feed(rss091.replace(b"<rss version=\"0.91\"/>", b'<rss version="0.91"><channel><title>Old</title><item><title>A</title><link>http://x/a</link></item></channel></rss>'), "old")
    assert [e.title for e in entries] == ["A"]


def test_parse_feed_entries_and_full_text_threshold() -> None:
    entries = parse_feed((FIXTURES / "feed_full.rss").read_bytes(), "f")
    assert [e.index for e in entries] == [1, 2]
    assert all(e.has_full_text for e in entries)
    assert all(len(e.text) >= FULL_TEXT_MIN_CHARS for e in entries)
    assert entries[0].guid == "https://valley-times.example/?p=101"
    teaser = parse_feed(
        (FIXTURES / "feed_links.atom.template").read_bytes().replace(b"{base}", b"http://h"), "f"
    )
    assert [e.has_full_text for e in teaser] == [False, False, False]
    assert teaser[0].published == "2024-06-02T18:00:00+00:00"


def test_feed_without_entries(tmp_path: Path) -> None:
    feed = tmp_path / "empty.atom"
    feed.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing</title></feed>')
    assert list(collect([str(feed)])) == [Rejection(str(feed), "feed has no entries")]


def test_site_page_given_as_feed_follows_its_advertised_feed(http_server, client) -> None:
    items = list(collect([], feeds=[http_server.url("/home.html")], client=client))
    assert [i.title for i in items] == ["Council approves new tram line", "Flooding closes river road"]  # type: ignore[union-attr]
    assert items[0].metadata["feed"] == http_server.url("/home.html")  # type: ignore[union-attr]


def test_unreachable_host_is_not_retried_for_every_entry(tmp_path: Path, closed_port_url: str, client) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>{closed_port_url}story-{n}</link><description>teaser</description></item>"
        for n in (1, 2, 3)
    )
    feed = tmp_path / "dead.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Dead</title>{items}</channel></rss>')
    problems = [i.problem for i in collect([], feeds=[str(feed)], client=client)]  # type: ignore[union-attr]
    assert problems == ["connection refused"] + ["skipped: host unreachable for an earlier entry of this feed"] * 2


def test_feed_from_the_internet_cannot_make_newsprism_fetch_internal_pages(http_server, client) -> None:
    from newsprism.ingest import _feed_documents

    atom = ("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Public wire</title>"
            f"<entry><title>Internal page</title><link href='{http_server.url('/linked_1.html')}'/>"
            "<id>e1</id><updated>2024-06-02T10:00:00Z</updated></entry></feed>").encode()
    before = len(http_server.requests)
    public_feed = "http://93.184.215.14/rss"  # a public address literal: no DNS, no connection made
    items = list(_feed_documents(atom, public_feed, lambda: client, base_url=public_feed))
    assert items == [Rejection(http_server.url("/linked_1.html"), INTERNAL_REFUSED)]
    assert len(http_server.requests) == before  # nothing was fetched


def test_internal_hosts_are_recognised() -> None:
    assert is_internal_host("127.0.0.1") and is_internal_host("localhost") and is_internal_host("[::1]")
    assert is_internal_host("10.1.2.3") and is_internal_host("192.168.0.1") and is_internal_host("169.254.169.254")
    assert not is_internal_host("93.184.215.14") and not is_internal_host("")
