"""The feed layer on arbitrary and mutated documents: entries or a FeedError, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import FeedError
from bot.ingest.parse import ParsedFeed, parse_feed
from tests.fakes.feeds import Item, atom, json_feed, rss
from tests.properties.strategies import mutated

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ITEMS = [
    Item(
        title=f"Harbour story {i} & \u201cquotes\u201d",
        link=f"https://news.example.org/harbour/{i}",
        guid=f"harbour-{i}",
        summary=f"The council said on Tuesday that plan {i} would go ahead.",
        content=f"<p>Full text {i}. <b>Bold</b> claims &amp; counter-claims.</p>",
        published=NOW - timedelta(hours=i),
        author="Ana Ruiz",
    )
    for i in range(3)
]
VALID = [
    rss("Harbour Times", ITEMS).encode(),
    atom("Harbour Post", ITEMS).encode(),
    json_feed("Harbour JSON", ITEMS).encode(),
]
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/rss+xml; charset=utf-8",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "text/html; charset=iso-8859-1",
        "text/xml; charset=x-bogus",
        "image/png",
    ]
)
SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def check(body: bytes, content_type: str | None) -> None:
    try:
        parsed = parse_feed(body, url="https://news.example.org/feed", content_type=content_type)
    except FeedError as exc:
        assert str(exc)  # a message that says something
        return
    assert isinstance(parsed, ParsedFeed)
    assert parsed.entries or parsed.error is None or isinstance(parsed.error, str)
    for entry in parsed.entries:
        for value in (entry.guid, entry.url, entry.title, entry.summary, entry.content):
            assert value is None or isinstance(value, str)
        assert entry.published is None or entry.published.tzinfo is not None


@SETTINGS
@given(st.binary(max_size=2000), CONTENT_TYPES)
def test_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    check(body, content_type)


@SETTINGS
@given(st.sampled_from(VALID).flatmap(mutated), CONTENT_TYPES)
def test_mutated_valid_feeds(body: bytes, content_type: str | None) -> None:
    check(body, content_type)


def test_the_valid_feeds_parse() -> None:
    for body in VALID:
        assert len(parse_feed(body, url="https://news.example.org/feed").entries) == 3
