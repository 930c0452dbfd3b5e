from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import ExtractionError, FeedError
from bot.ingest.extract import extract, extract_sync
from bot.ingest.parse import _parse_xml, parse_feed
from tests.fakes.feeds import article_page, atom, json_feed, rss
from tests.ingest.conftest import LONG, items

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://example.org/"><title>Harbour Weekly</title>
  <link>https://example.org/</link></channel>
 <item rdf:about="https://example.org/a"><title>Breakwater delayed</title>
  <link>https://example.org/a</link><description>Storm damage.</description>
  <dc:date>2026-11-24T08:30:00Z</dc:date><dc:creator>Kim Lee</dc:creator></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old Times</title>
<link>https://old.example/</link><item><title>Ferry resumes</title>
<link>https://old.example/ferry</link><description>After repairs.</description></item>
</channel></rss>"""


@pytest.mark.parametrize("render", [rss, atom, json_feed])
def test_formats_give_the_same_entries(render) -> None:  # type: ignore[no-untyped-def]
    doc = render("Harbour News", items("h", 3)).encode()
    feed = parse_feed(doc, url="https://example.org/feed")
    assert feed.title == "Harbour News"
    assert [e.title for e in feed.entries] == ["h story 0", "h story 1", "h story 2"]
    first = feed.entries[0]
    assert first.url == "https://news.example.org/h/0?utm_source=rss"
    assert first.summary == "Teaser 0 for h."
    assert first.content is not None and first.content.startswith("h 0. The harbour")
    assert first.published is not None and first.published.tzinfo is not None
    assert feed.error is None


def test_rss_1_0_and_0_91() -> None:
    feed = parse_feed(RSS1, url="https://example.org/rss")
    (entry,) = feed.entries
    assert (entry.title, entry.url, entry.author) == (
        "Breakwater delayed",
        "https://example.org/a",
        "Kim Lee",
    )
    assert entry.published == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    old = parse_feed(RSS091)
    assert old.title == "Old Times" and old.entries[0].published is None


def test_fast_path_agrees_with_feedparser() -> None:
    doc = rss("Harbour News", items("h", 5)).encode()
    assert parse_feed(doc, url="https://e.org/f") == _parse_xml(
        doc, url="https://e.org/f", content_type=None
    )


def test_ill_formed_xml_keeps_what_it_can() -> None:
    broken = rss("Broken & Co", items("b", 2)).replace("</channel></rss>", "").encode()
    broken = broken.replace(b"Broken &amp; Co", b"Broken & Co")
    feed = parse_feed(broken, url="https://e.org/f")
    assert len(feed.entries) == 2
    assert feed.error and "ill-formed" in feed.error


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<html><body>not a feed</body></html>", b"\x00\xff\xfe garbage", b"{nope"],
)
def test_nothing_usable_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, url="https://e.org/f")


def test_wrong_encoding_and_missing_dates_do_not_crash() -> None:
    doc = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
    doc += (
        "<item><title>Caf\xe9 cr\xe8me</title><link>https://e.org/c</link></item></channel></rss>"
    )
    feed = parse_feed(doc.encode("latin-1"), url="https://e.org/f")
    assert feed.entries and feed.entries[0].published is None


def test_json_feed_variants() -> None:
    doc = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "J", "items": ['
        b'{"id": 7, "content_text": "plain", "url": "/a", "date_modified": "2026-11-20T10:00:00"},'
        b'"junk"]}'
    )
    feed = parse_feed(doc, url="https://e.org/feed.json", content_type="application/feed+json")
    (entry,) = feed.entries
    assert (entry.guid, entry.url, entry.content) == ("7", "https://e.org/a", "plain")
    assert entry.published == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert feed.error


def test_extract_full_text_and_metadata() -> None:
    paragraphs = [LONG, "Subscribe now to continue reading.", "We use cookies on this site."]
    page = extract_sync(article_page("Breakwater delayed", paragraphs), "https://e.org/a")
    assert "breakwater would be finished" in page.text
    assert "Subscribe" not in page.text and "cookies" not in page.text
    assert page.title == "Breakwater delayed"
    assert page.site_name == "Example News"
    assert page.published is not None and page.published.year == 2026


async def test_extract_rejects_paywall_only_pages() -> None:
    paywall = article_page(
        "Locked",
        ["Subscribe now to continue reading.", "Already a subscriber? Log in", "Short intro."],
    )
    with pytest.raises(ExtractionError):
        await extract(paywall, "https://e.org/locked")
    with pytest.raises(ExtractionError):
        await extract(b"", "https://e.org/empty")
