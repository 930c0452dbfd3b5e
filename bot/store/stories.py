"""Stories: one event across outlets, and which of its facts each route has seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import schema
from bot.store.clock import utcnow
from bot.store.records import StoredStory

_s = schema.stories
_pf = schema.posted_facts


def _story(row: object) -> StoredStory:
    m = row._mapping  # type: ignore[attr-defined]
    return StoredStory(
        id=m["id"],
        title=m["title"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        closed=m["closed"],
        article_count=m["article_count"],
        centroid=m["centroid"],
        entities=m["entities"],
    )


class Stories:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(
        self,
        *,
        title: str | None,
        at: datetime | None = None,
        centroid: bytes | None = None,
        entities: Any = None,
    ) -> int:
        at = at or utcnow()
        async with self._engine.begin() as conn:
            new_id = await conn.scalar(
                _s.insert()
                .values(
                    title=title,
                    created_at=at,
                    updated_at=at,
                    closed=False,
                    article_count=0,
                    centroid=centroid,
                    entities=entities,
                )
                .returning(_s.c.id)
            )
        assert new_id is not None
        return int(new_id)

    async def update(self, story_id: int, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(_s).where(_s.c.id == story_id).values(**values))

    async def get(self, story_id: int) -> StoredStory | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_s).where(_s.c.id == story_id))).first()
        return _story(row) if row else None

    async def open_stories(self, *, since: datetime | None = None) -> list[StoredStory]:
        query = select(_s).where(_s.c.closed.is_(False))
        if since is not None:
            query = query.where(_s.c.updated_at >= since)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(_s.c.updated_at.desc()))).all()
        return [_story(r) for r in rows]

    async def close_quiet(self, *, before: datetime) -> int:
        """Close every open story not updated since ``before``; return how many."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_s)
                .where(_s.c.closed.is_(False), _s.c.updated_at < before)
                .values(closed=True)
            )
        return int(result.rowcount or 0)

    async def posted_fact_keys(self, route: str, story_id: int) -> set[str]:
        async with self._engine.connect() as conn:
            keys = await conn.scalars(
                select(_pf.c.fact_key).where(_pf.c.route == route, _pf.c.story_id == story_id)
            )
            return set(keys.all())

    async def mark_posted(
        self, route: str, story_id: int, fact_keys: Iterable[str], *, at: datetime | None = None
    ) -> None:
        async with self._engine.begin() as conn:
            await mark_posted(conn, route, story_id, fact_keys, at=at or utcnow())


async def mark_posted(
    conn: AsyncConnection, route: str, story_id: int, fact_keys: Iterable[str], *, at: datetime
) -> None:
    """Remember, inside the caller's transaction, which facts of a story a route has shown."""
    known = set(
        (
            await conn.scalars(
                select(_pf.c.fact_key).where(_pf.c.route == route, _pf.c.story_id == story_id)
            )
        ).all()
    )
    fresh = [k for k in dict.fromkeys(fact_keys) if k not in known]
    if fresh:
        await conn.execute(
            _pf.insert(),
            [{"route": route, "story_id": story_id, "fact_key": k, "posted_at": at} for k in fresh],
        )
