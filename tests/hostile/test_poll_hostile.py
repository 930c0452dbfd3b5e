"""One ingest pass over good feeds and every kind of hostile one, at the same time.

Each hostile feed fails alone with a clear error recorded in the store; the
good feeds store every article; article pages that misbehave only cost that
article its full text (the feed's teaser is kept). The whole pass is bounded
in time (3 s total deadline per fetch) and in memory (5 MB body limit).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.ingest import Status, make_client, poll
from bot.store import Store
from tests.fakes.feeds import FeedServer, Item, rss
from tests.fakes.hostile import HostileServer
from tests.hostile.conftest import hostile_config
from tests.ingest.conftest import NOW, items

MB = 1_000_000

HOSTILE_FEEDS = {
    "/bomb": "larger than the 5000000-byte limit",
    "/bomb-br": "larger than the 5000000-byte limit",
    "/endless": "larger than the 5000000-byte limit",
    "/drip": "ingest.total_timeout",
    "/loop": "more than 5 redirects",
    "/loop-a": "more than 5 redirects",
    "/huge": "is too large (50000000 bytes",
    "/huge-chunked": "larger than the 5000000-byte limit",
    "/png": "ill-formed feed",
    "/html": "not a feed",
}
BLOCKED_FEEDS = {
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "intranet": "http://10.20.30.40/feed.xml",
    "mapped": "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
}
HOSTILE_PAGES = ["/bomb", "/drip", "/endless", "/huge", "/huge-chunked", "/loop", "/png"]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


async def test_hostile_feeds_fail_alone_while_good_feeds_flow(
    store: Store, hostile: HostileServer, feeds: FeedServer
) -> None:
    config_feeds: list[dict[str, Any]] = []
    for n in range(4):
        feeds.add(f"/good{n}.xml", rss(f"Good {n}", items(f"good{n}", 3)))
        config_feeds.append({"name": f"good{n}", "url": feeds.url(f"/good{n}.xml")})
    # teasers whose article pages are hostile or forbidden: fetched, refused, teaser kept
    pages = [hostile.url(p) for p in HOSTILE_PAGES] + list(BLOCKED_FEEDS.values())
    teasers = [
        Item(
            title=f"Teaser {i}",
            link=f"{page}{'&' if '?' in page else '?'}story={i}",
            guid=f"teaser-{i}",
            summary=f"Short teaser number {i} about the harbour.",
            published=NOW - timedelta(hours=1),
        )
        for i, page in enumerate(pages)
    ]
    feeds.add("/teasers.xml", rss("Teasers", teasers))
    config_feeds.append({"name": "teasers", "url": feeds.url("/teasers.xml")})
    for path in HOSTILE_FEEDS:
        config_feeds.append({"name": f"hostile{path}", "url": hostile.url(path)})
    for name, url in BLOCKED_FEEDS.items():
        config_feeds.append({"name": name, "url": url})
    for path in ("/bad-encoding", "/bogus-charset"):
        config_feeds.append(
            {"name": f"lying{path}", "url": hostile.url(path), "full_text": "never"}
        )
    config = hostile_config(config_feeds)

    before = len(hostile.hits)
    tracemalloc.start()
    started = time.monotonic()
    try:
        async with make_client(config.ingest) as client:
            report = await poll(config, store, client, due_only=False, now=NOW)
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"\nPOLL {len(config_feeds)} feeds: {elapsed:.2f}s, peak {peak / MB:.1f} MB")

    results = {r.feed: r for r in report.results}
    assert len(results) == len(config_feeds)
    for n in range(4):
        assert results[f"good{n}"].status is Status.OK and results[f"good{n}"].new == 3
    assert results["teasers"].status is Status.OK and results["teasers"].new == len(pages)
    for path, message in HOSTILE_FEEDS.items():
        result = results[f"hostile{path}"]
        assert result.status is Status.FAILED and message in (result.error or ""), result
    for name in BLOCKED_FEEDS:
        result = results[name]
        assert result.status is Status.FAILED, result
        assert "refusing to fetch" in (result.error or ""), result
    for path in ("/bad-encoding", "/bogus-charset"):
        assert results[f"lying{path}"].status is Status.OK and results[f"lying{path}"].new == 1
    assert report.new == 4 * 3 + len(pages) + 2

    # the failures are recorded per feed, where `/news sources` reads them
    states = {s.url: s for s in await store.feeds.all()}
    for path, message in HOSTILE_FEEDS.items():
        state = states[hostile.url(path)]
        assert state.failures == 1 and message in (state.last_error or "")
    assert all(states[url].failures == 1 for url in BLOCKED_FEEDS.values())
    # nothing was ever sent to a forbidden address (they are not ours to reach anyway),
    # and every hostile page was asked for once at most
    hits = hostile.paths()[before:]
    for page in HOSTILE_PAGES:
        assert sum(1 for h in hits if h.startswith(f"{page}?story=")) <= 1

    assert elapsed < 20, f"{elapsed:.1f}s"  # 3 s deadline; the rest runs alongside
    assert peak < 150 * MB, f"peak {peak / MB:.1f} MB"  # 200 MB bombs, 50 MB pages
