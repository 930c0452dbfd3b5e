"""The store: SQLAlchemy 2 (async) over SQLite by default, PostgreSQL by URL.

``Store.open(url)`` creates or upgrades the schema; each table group has a
small repository object (``store.feeds``, ``store.articles`` …).
"""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.articles import Articles
from bot.store.db import open_engine
from bot.store.feeds import FeedStates
from bot.store.locks import try_lock
from bot.store.migrations import Migration
from bot.store.posts import Posts
from bot.store.records import FeedState, NewArticle, Post, StoredArticle, StoredStory
from bot.store.stories import Stories
from bot.store.summaries import Summaries

__all__ = [
    "FeedState",
    "NewArticle",
    "Post",
    "Store",
    "StoredArticle",
    "StoredStory",
]


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Names this process in feed leases, so two instances never poll one feed at once.
        self.instance = uuid.uuid4().hex[:16]
        self.feeds = FeedStates(engine)
        self.articles = Articles(engine)
        self.summaries = Summaries(engine)
        self.stories = Stories(engine)
        self.posts = Posts(engine)

    @classmethod
    async def open(cls, url: str, *, migrations: list[Migration] | None = None) -> Store:
        return cls(await open_engine(url, migrations=migrations))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def lock(self, name: str) -> AbstractAsyncContextManager[bool]:
        """A cross-process lock: ``async with store.lock("route:x") as held:``."""
        return try_lock(self.engine, name)

    async def close(self) -> None:
        await self.engine.dispose()
