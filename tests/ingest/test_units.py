from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Filters
from bot.ingest import passes
from bot.ingest.extract import is_prompt, strip_prompts
from bot.ingest.http import parse_retry_after
from bot.ingest.schedule import backoff, is_due, next_poll, offset, retry_at
from bot.ingest.urls import canonical_url

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://News.Example.ORG:443/a/b?utm_source=rss&utm_medium=x&id=7#top",
            "https://news.example.org/a/b?id=7",
        ),
        ("http://example.org?fbclid=abc&gclid=1", "http://example.org/"),
        ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?a=1&b=2"),
        ("https://example.org/x?mc_cid=1&page=2&_ga=3", "https://example.org/x?page=2"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_canonical_url_is_idempotent_and_survives_garbage() -> None:
    once = canonical_url("https://example.org/p?utm_campaign=a&q=x%20y")
    assert canonical_url(once) == once
    assert canonical_url("not a url") == "not a url"
    assert canonical_url("http://[::1") == "http://[::1"


def test_filters_keywords_are_whole_words_and_case_insensitive() -> None:
    f = Filters(include=["AI", "Ukraine"], exclude=["sponsored"])
    assert passes(f, "Ukraine's grain deal", None)
    assert passes(f, "New AI rules", "text")
    assert not passes(f, "He said nothing", "no match")
    assert not passes(f, "Ukraine", "Sponsored content")
    assert passes(Filters(), None, None)


def test_filters_regexes() -> None:
    f = Filters(include_regex=[r"elections?\b"], exclude_regex=[r"^live:"])
    assert passes(f, "Local elections today", None)
    assert not passes(f, "LIVE: elections", None)
    assert not passes(f, "Weather", "sunny")
    assert passes(Filters(exclude_regex=["opinion"]), "News", "facts")


def test_offset_is_stable_and_spreads_feeds() -> None:
    interval = timedelta(minutes=15)
    assert offset("https://a.example/feed", interval) == offset("https://a.example/feed", interval)
    offsets = {offset(f"https://example.org/{i}", interval).seconds // 60 for i in range(1000)}
    assert len(offsets) == 15  # every minute of the interval is used


def test_next_poll_is_in_the_next_interval() -> None:
    interval = timedelta(minutes=10)
    rng = random.Random(1)
    when = next_poll("https://a.example/feed", interval, NOW, rng=rng)
    assert NOW < when <= NOW + interval + timedelta(seconds=12)
    again = next_poll("https://a.example/feed", interval, when, rng=rng)
    assert timedelta(minutes=9) < again - when < timedelta(minutes=11)


def test_backoff_doubles_and_caps() -> None:
    assert backoff(1) == timedelta(minutes=5)
    assert backoff(2) == timedelta(minutes=10)
    assert backoff(4) == timedelta(minutes=40)
    assert backoff(30) == timedelta(days=1)
    assert backoff(10_000) == timedelta(days=1)
    later = retry_at(1, NOW, retry_after=timedelta(hours=2), rng=random.Random(0))
    assert later >= NOW + timedelta(hours=2)
    assert is_due(None, NOW) and is_due(NOW, NOW) and not is_due(later, NOW)


def test_retry_after() -> None:
    assert parse_retry_after("120") == timedelta(seconds=120)
    assert parse_retry_after("Wed, 25 Nov 2026 12:05:00 GMT", NOW) == timedelta(minutes=5)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_paywall_and_cookie_lines_are_not_text() -> None:
    assert is_prompt("Subscribe now to continue reading.")
    assert is_prompt("We use cookies to improve your experience. Accept all cookies")
    assert not is_prompt("The minister said subscribers to the scheme would be paid.")
    text = "Real sentence one.\nSign in to continue reading\nReal sentence two."
    assert strip_prompts(text) == "Real sentence one.\nReal sentence two."
