"""Each hostile server, one at a time: a bounded time, a bounded memory, a clear error.

The limits under test (from ``hostile_config``): read timeout 2 s, total
deadline 3 s, body limit 5 MB, 5 redirects. Memory is the peak of Python
allocations (tracemalloc) during the fetch and parse, which is where a bomb
or an endless body would pile up.
"""

from __future__ import annotations

import re
import time
import tracemalloc

import pytest

from bot.errors import FeedError, FetchError
from bot.ingest import make_client
from bot.ingest.http import Fetcher
from bot.ingest.parse import ParsedFeed, parse_feed
from tests.fakes.hostile import BOMB_SIZE, HUGE_SIZE, HostileServer
from tests.hostile.conftest import hostile_config

MB = 1_000_000
TIME_BOUND = 10.0  # seconds, for a 3 s total deadline
MEMORY_BOUND = 40 * MB  # for a 5 MB body limit; the bombs inflate to 200 MB, the page is 50 MB

FAILURES = {
    "/bomb": r"larger than the 5000000-byte limit",
    "/bomb-br": r"larger than the 5000000-byte limit",
    "/bomb-2gzip": r"unsupported Content-Encoding 'gzip, gzip'",
    "/endless": r"larger than the 5000000-byte limit",
    "/drip": r"gave up on .*/drip after 3s \(ingest.total_timeout\)",
    "/loop": r"more than 5 redirects from .*/loop",
    "/loop-a": r"more than 5 redirects from .*/loop-a",
    "/huge": rf"/huge is too large \({HUGE_SIZE} bytes, limit 5000000\)",
    "/huge-chunked": r"larger than the 5000000-byte limit",
    "/png": r"ill-formed feed",
    "/html": r"not a feed",
}
RECOVERED = ("/bad-encoding", "/bogus-charset")  # readable despite the lie: entries come through


async def fetch_and_parse(url: str) -> ParsedFeed:
    config = hostile_config()
    async with make_client(config.ingest) as client:
        response = await Fetcher(client, config.ingest).get(url)
        return parse_feed(response.body, url=response.url, content_type=response.content_type)


async def measured(url: str) -> tuple[ParsedFeed | Exception, float, int]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome: ParsedFeed | Exception = await fetch_and_parse(url)
    except (FetchError, FeedError) as exc:
        outcome = exc
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"\nFAULT {url.rsplit('/', 1)[-1]}: {elapsed:.2f}s, peak {peak / MB:.1f} MB: {outcome}")
    return outcome, elapsed, peak


@pytest.mark.parametrize("path", sorted(FAILURES))
async def test_each_fault_fails_fast_small_and_clearly(hostile: HostileServer, path: str) -> None:
    outcome, elapsed, peak = await measured(hostile.url(path))
    assert isinstance(outcome, FetchError | FeedError), outcome
    assert re.search(FAILURES[path], str(outcome)), str(outcome)
    assert elapsed < TIME_BOUND
    assert peak < MEMORY_BOUND, f"peak {peak / MB:.1f} MB"


@pytest.mark.parametrize("path", RECOVERED)
async def test_lying_encodings_still_yield_entries(hostile: HostileServer, path: str) -> None:
    outcome, elapsed, peak = await measured(hostile.url(path))
    assert isinstance(outcome, ParsedFeed), outcome
    assert [(e.guid or "").rsplit("/", 1)[-1] for e in outcome.entries] in (["cafe"], ["charset"])
    assert all(e.title for e in outcome.entries)
    assert elapsed < TIME_BOUND and peak < MEMORY_BOUND


def test_the_bombs_are_real() -> None:
    from tests.fakes.hostile import brotli_bomb, gzip_bomb

    assert len(gzip_bomb(10 * MB)) < 20_000 and len(brotli_bomb(10 * MB)) < 1_000
    assert BOMB_SIZE >= 40 * 5 * MB  # 40× the body limit
