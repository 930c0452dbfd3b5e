from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from bot.errors import BlockedURLError, FetchError
from bot.ingest import make_client
from bot.ingest.http import Fetcher, HTTPStatusError
from tests.fakes.feeds import FeedServer, rss
from tests.ingest.conftest import items, make_config


def fetcher(client: httpx.AsyncClient, **ingest: object) -> Fetcher:
    return Fetcher(client, make_config([], **ingest).ingest)


async def test_conditional_get_user_agent_and_304(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    server.add(
        "/f", rss("F", items("f", 2)), etag='"v1"', last_modified="Mon, 01 Jan 2026 00:00:00 GMT"
    )
    f = fetcher(client)
    first = await f.get(server.url("/f"))
    assert first.status == 200 and first.etag == '"v1"' and b"f story 0" in first.body
    second = await f.get(server.url("/f"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    sent = server.hits("/f")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2026 00:00:00 GMT"
    assert sent["user-agent"].startswith("newsbot/")
    assert "br" in sent["accept-encoding"] and "gzip" in sent["accept-encoding"]


async def test_gzip_is_decoded(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    body = rss("Z", items("z", 20))
    server.add("/z", body, gzip=True)
    resp = await fetcher(client).get(server.url("/z"))
    assert resp.body == body.encode()


async def test_redirects_are_followed_and_bounded(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    server.add("/final", "<rss/>")
    server.add("/r1", status=301, redirect="/final")
    resp = await fetcher(client).get(server.url("/r1"))
    assert resp.url == server.url("/final")
    for i in range(5):
        server.add(f"/loop{i}", status=302, redirect=f"/loop{i + 1}")
    with pytest.raises(FetchError, match="redirects"):
        await fetcher(client, max_redirects=3).get(server.url("/loop0"))
    assert len(server.hits("/loop3")) == 1 and not server.hits("/loop4")


async def test_body_limit_is_enforced_while_streaming(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    server.add("/big", b"x" * 50_000)
    with pytest.raises(FetchError, match="limit"):
        await fetcher(client, max_body="10KB").get(server.url("/big"))
    # compressed small, decompressed large: the limit applies to what is decoded
    server.add("/bomb", b"a" * 200_000, gzip=True)
    with pytest.raises(FetchError, match="limit"):
        await fetcher(client, max_body="100KB").get(server.url("/bomb"))


async def test_errors_and_retry_after(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    server.add("/500", "oops", status=500)
    server.add("/429", "slow down", status=429, headers={"Retry-After": "600"})
    f = fetcher(client)
    with pytest.raises(HTTPStatusError) as err:
        await f.get(server.url("/500"))
    assert err.value.status == 500 and err.value.retry_after is None
    with pytest.raises(HTTPStatusError) as err:
        await f.get(server.url("/429"))
    assert err.value.retry_after == timedelta(seconds=600)
    with pytest.raises(HTTPStatusError) as err:
        await f.get(server.url("/missing"))
    assert err.value.status == 404


async def test_slow_response_times_out(server: FeedServer) -> None:
    server.add("/slow", "<rss/>", delay=1.5)
    config = make_config([], read_timeout="1s")
    async with make_client(config.ingest) as c:
        with pytest.raises(FetchError, match="timed out"):
            await Fetcher(c, config.ingest).get(server.url("/slow"))


async def test_private_addresses_are_refused_unless_allowed(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    server.add("/f", "<rss/>")
    with pytest.raises(BlockedURLError):
        await fetcher(client, allow_hosts=[]).get(server.url("/f"))
    with pytest.raises(BlockedURLError):
        await fetcher(client, allow_hosts=[]).get("http://localhost:1/f")
    with pytest.raises(BlockedURLError):
        await fetcher(client).get("file:///etc/passwd")
    # a public-looking redirect target is checked too
    server.add("/hop", status=302, redirect="http://10.0.0.1/x")
    with pytest.raises(BlockedURLError):
        await fetcher(client).get(server.url("/hop"))
    assert (await fetcher(client, allow_hosts=["127.0.0.0/8"]).get(server.url("/f"))).status == 200


async def test_per_host_limit(server: FeedServer, client) -> None:  # type: ignore[no-untyped-def]
    for i in range(8):
        server.add(f"/s{i}", "<rss/>", delay=0.1)
    f = fetcher(client, per_host=2, concurrency=10)
    await asyncio.gather(*(f.get(server.url(f"/s{i}")) for i in range(8)))
    assert server.max_active == 2
