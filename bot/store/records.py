"""Rows as frozen dataclasses, so nothing outside ``bot.store`` sees SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    last_status: int | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    next_poll: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class NewArticle:
    """An article as ingestion hands it to the store."""

    url: str
    canonical_url: str
    content_hash: str
    feed: str
    guid: str | None = None
    title: str | None = None
    teaser: str | None = None
    text: str | None = None
    author: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class StoredArticle(NewArticle):
    id: int
    fetched_at: datetime
    story_id: int | None = None
    feeds: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class StoredStory:
    id: int
    title: str | None
    created_at: datetime
    updated_at: datetime
    closed: bool
    article_count: int
    centroid: bytes | None = None
    entities: Any = None


@dataclass(frozen=True, kw_only=True)
class Post:
    id: int
    idempotency_key: str
    route: str
    platform: str
    channel: str
    status: str  # "pending" until the platform confirmed, then "sent"; "failed" after giving up
    payload: Any
    story_ids: tuple[int, ...]
    external_id: str | None
    attempts: int
    error: str | None
    created_at: datetime
    sent_at: datetime | None
