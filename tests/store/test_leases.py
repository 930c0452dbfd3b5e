"""Two processes on one database: feed leases and route locks never let both work at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store import Store

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
URLS = [f"https://feeds.example.org/{n}.xml" for n in range(60)]


async def test_concurrent_claims_split_the_feeds(database_url: str) -> None:
    first, second = await Store.open(database_url), await Store.open(database_url)
    try:
        a, b = await asyncio.gather(
            first.feeds.claim(
                URLS, owner="a", until=T0 + timedelta(minutes=10), now=T0, due_only=True
            ),
            second.feeds.claim(
                URLS, owner="b", until=T0 + timedelta(minutes=10), now=T0, due_only=True
            ),
        )
        assert a.isdisjoint(b)
        assert a | b == set(URLS)
        # While the leases hold, nobody else wins; the holder may renew its own.
        assert await second.feeds.claim(URLS, owner="c", until=T0, now=T0, due_only=False) == set()
        assert await first.feeds.claim(sorted(a), owner="a", until=T0, now=T0, due_only=False) == a
    finally:
        await first.close()
        await second.close()


async def test_recorded_polls_release_the_lease_and_respect_next_poll(store: Store) -> None:
    url = URLS[0]
    later = T0 + timedelta(minutes=15)
    assert await store.feeds.claim([url], owner="a", until=later, now=T0, due_only=True) == {url}
    await store.feeds.record_success(
        url, status=200, etag=None, last_modified=None, next_poll=later, at=T0
    )
    # Released, but not due again until its next poll ...
    assert await store.feeds.claim([url], owner="b", until=later, now=T0, due_only=True) == set()
    # ... unless a poll of everything is asked for.
    assert await store.feeds.claim([url], owner="b", until=later, now=T0, due_only=False) == {url}
    # An expired lease is free for anyone.
    after = later + timedelta(seconds=1)
    assert await store.feeds.claim([url], owner="c", until=after, now=after, due_only=True) == {url}


async def test_route_lock_is_exclusive_across_stores(database_url: str) -> None:
    first, second = await Store.open(database_url), await Store.open(database_url)
    try:
        async with first.lock("digest:morning") as held:
            assert held
            async with second.lock("digest:morning") as other:
                assert not other
            async with second.lock("digest:evening") as other:
                assert other
        async with second.lock("digest:morning") as held:
            assert held
    finally:
        await first.close()
        await second.close()
