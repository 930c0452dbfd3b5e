from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Config
from tests.fakes.hostile import HostileServer


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def hostile_config(feeds: list[dict[str, Any]] | None = None, **ingest: Any) -> Config:
    settings: dict[str, Any] = {
        "allow_hosts": ["127.0.0.1"],
        "connect_timeout": "2s",
        "read_timeout": "2s",
        "total_timeout": "3s",
        "max_body": "5MB",
    }
    settings.update(ingest)
    return Config.model_validate({"feeds": feeds or [], "ingest": settings})
