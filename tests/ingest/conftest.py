from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.config import Config
from bot.ingest import make_client
from tests.fakes.feeds import FeedServer, Item

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

LONG = (
    "The harbour authority said on Tuesday that the new breakwater would be finished by "
    "spring, two years later than first planned, after storms damaged the foundations. "
) * 12


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def make_config(feeds: list[dict[str, Any]], **ingest: Any) -> Config:
    settings: dict[str, Any] = {
        "allow_hosts": ["127.0.0.1"],
        "connect_timeout": "2s",
        "read_timeout": "2s",
    }
    settings.update(ingest)
    return Config.model_validate({"feeds": feeds, "ingest": settings})


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(make_config([]).ingest) as c:
        yield c


def items(prefix: str, n: int, *, base: str = "https://news.example.org", **kw: Any) -> list[Item]:
    return [
        Item(
            title=f"{prefix} story {i}",
            link=f"{base}/{prefix}/{i}?utm_source=rss",
            guid=f"{prefix}-{i}",
            summary=f"Teaser {i} for {prefix}.",
            content=f"<p>{prefix} {i}. {LONG}</p>",
            published=NOW - timedelta(hours=i + 1),
            **kw,
        )
        for i in range(n)
    ]
