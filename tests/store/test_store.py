"""The store, against a real SQLite file and (where reachable) a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import NewArticle, Store
from summariser.types import Fact, FactKind, Summary

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def article(n: int, **changes: object) -> NewArticle:
    values: dict[str, object] = {
        "url": f"https://news.example.org/world/{n}?utm_source=rss",
        "canonical_url": f"https://news.example.org/world/{n}",
        "content_hash": f"hash-{n}",
        "feed": "Example World",
        "guid": f"guid-{n}",
        "title": f"Harbour reopens after storm number {n}",
        "text": "Port officials said the harbour would reopen on Tuesday.",
        "outlet": "Example News",
        "published": T0 + timedelta(minutes=n),
    }
    values.update(changes)
    return NewArticle(**values)  # type: ignore[arg-type]


async def test_article_is_stored_once_by_guid_url_or_hash(store: Store) -> None:
    first, created = await store.articles.add(article(1))
    assert created
    same_guid, created = await store.articles.add(
        article(1, canonical_url="https://other.example.org/x", content_hash="other")
    )
    assert (same_guid, created) == (first, False)
    same_hash, created = await store.articles.add(
        article(2, content_hash="hash-1", feed="Second Feed", guid=None)
    )
    assert (same_hash, created) == (first, False)
    stored = await store.articles.get(first)
    assert stored is not None
    assert stored.feeds == ("Example World", "Second Feed")
    assert stored.published == T0 + timedelta(minutes=1)
    assert stored.published.tzinfo is not None
    assert await store.articles.count() == 1


async def test_recent_and_search_filter_by_feed_and_words(store: Store) -> None:
    for n in range(5):
        await store.articles.add(article(n, feed="A" if n % 2 else "B"))
    recent = await store.articles.recent(feeds=["A"])
    assert [a.canonical_url[-1] for a in recent] == ["3", "1"]
    found = await store.articles.search("HARBOUR number 4")
    assert [a.title for a in found] == ["Harbour reopens after storm number 4"]
    assert await store.articles.search("volcano") == []


async def test_feed_state_round_trip_and_failures_count_up(store: Store) -> None:
    url = "https://news.example.org/feed.xml"
    assert (await store.feeds.get(url)).failures == 0
    assert await store.feeds.record_failure(url, error="HTTP 500", status=500, next_poll=T0) == 1
    assert await store.feeds.record_failure(url, error="HTTP 503", status=503, next_poll=T0) == 2
    state = await store.feeds.get(url)
    assert (state.failures, state.last_error, state.last_status) == (2, "HTTP 503", 503)
    await store.feeds.record_success(
        url, status=200, etag='"v2"', last_modified=None, next_poll=T0 + timedelta(minutes=15)
    )
    state = await store.feeds.get(url)
    assert (state.failures, state.etag, state.last_error) == (0, '"v2"', None)
    assert state.next_poll == T0 + timedelta(minutes=15)


async def test_summary_round_trip(store: Store) -> None:
    article_id, _ = await store.articles.add(article(7))
    summary = Summary(
        id=str(article_id),
        title="Harbour reopens",
        url=None,
        outlet="Example News",
        facts=(
            Fact(
                text="The harbour would reopen on Tuesday.",
                kind=FactKind.CLAIM,
                speaker="Port officials",
                speaker_role=None,
                cue="said",
                sentence=0,
            ),
        ),
    )
    assert await store.summaries.missing() == [article_id]
    await store.summaries.put(article_id, summary)
    await store.summaries.put(article_id, summary)  # idempotent
    assert await store.summaries.get(article_id) == summary
    assert await store.summaries.missing() == []


async def test_post_is_reserved_once_then_confirmed(store: Store) -> None:
    post, created = await store.posts.reserve(
        "digest:world:2026-03-02T09",
        route="world",
        platform="console",
        channel="stdout",
        payload={"stories": 2},
        story_ids=[1, 2],
    )
    assert created and post.status == "pending"
    again, created = await store.posts.reserve(
        "digest:world:2026-03-02T09",
        route="world",
        platform="console",
        channel="stdout",
        payload={"stories": 3},
    )
    assert not created and again.payload == {"stories": 2}
    assert [p.idempotency_key for p in await store.posts.pending()] == [post.idempotency_key]
    await store.posts.mark_sent(post.idempotency_key, external_id="1700000000.000100")
    sent = await store.posts.get(post.idempotency_key)
    assert sent is not None and sent.status == "sent" and sent.story_ids == (1, 2)
    assert await store.posts.pending() == []


async def test_route_state_and_posted_facts(store: Store) -> None:
    assert await store.posts.last_digest("world") is None
    await store.posts.set_last_digest("world", T0)
    await store.posts.set_last_digest("world", T0 + timedelta(hours=1))
    assert await store.posts.last_digest("world") == T0 + timedelta(hours=1)
    story = await store.stories.create(title="Storm", at=T0)
    await store.stories.mark_posted("world", story, ["a", "b"])
    await store.stories.mark_posted("world", story, ["b", "c"])
    assert await store.stories.posted_fact_keys("world", story) == {"a", "b", "c"}
    assert await store.stories.posted_fact_keys("other", story) == set()


async def test_quiet_stories_close(store: Store) -> None:
    old = await store.stories.create(title="Old", at=T0)
    new = await store.stories.create(title="New", at=T0 + timedelta(days=2))
    assert await store.stories.close_quiet(before=T0 + timedelta(days=1)) == 1
    assert [s.id for s in await store.stories.open_stories()] == [new]
    closed = await store.stories.get(old)
    assert closed is not None and closed.closed


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        await store.articles.add(article(1), at=datetime(2026, 1, 1))
