"""The database tables (SQLAlchemy Core). The schema's version lives in ``meta``.

Changing a table here means adding an upgrade step in ``bot.store.migrations``
too, so databases created by an older release are upgraded, never rebuilt.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("last_status", Integer),
    Column("last_attempt", UTCDateTime),
    Column("last_success", UTCDateTime),
    Column("next_poll", UTCDateTime),
    Column("lease_owner", String(64)),
    Column("lease_until", UTCDateTime),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("article_count", Integer, nullable=False, default=0),
    Column("centroid", LargeBinary),
    Column("entities", JSON),
)
Index("ix_stories_open_updated", stories.c.closed, stories.c.updated_at)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guid", String(2048)),
    Column("url", Text, nullable=False),
    Column("canonical_url", String(2048), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("feed", String(200), nullable=False),
    Column("title", Text),
    Column("teaser", Text),
    Column("text", Text),
    Column("author", Text),
    Column("outlet", Text),
    Column("language", String(16)),
    Column("published", UTCDateTime),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
)
Index("ix_articles_guid", articles.c.guid)
Index("ix_articles_content_hash", articles.c.content_hash)
Index("ix_articles_fetched_at", articles.c.fetched_at)
Index("ix_articles_story_id", articles.c.story_id)

article_feeds = Table(
    "article_feeds",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("feed", String(200), primary_key=True),
)

summaries = Table(
    "summaries",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("route", String(200), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("channel", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("story_ids", JSON, nullable=False),
    Column("external_id", String(200)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
)
Index("ix_posts_route_status", posts.c.route, posts.c.status)

posted_facts = Table(
    "posted_facts",
    metadata,
    Column("route", String(200), primary_key=True),
    Column("story_id", Integer, primary_key=True),
    Column("fact_key", String(64), primary_key=True),
    Column("posted_at", UTCDateTime, nullable=False),
)

route_state = Table(
    "route_state",
    metadata,
    Column("route", String(200), primary_key=True),
    Column("last_digest_at", UTCDateTime),
)
