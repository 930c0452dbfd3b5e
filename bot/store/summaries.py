"""Summaries of stored articles, kept as the JSON of ``summariser.types.Summary``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import schema
from bot.store.clock import utcnow
from summariser.types import Summary

_s = schema.summaries
_a = schema.articles


class Summaries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def put(self, article_id: int, summary: Summary, *, at: datetime | None = None) -> None:
        data = summary.to_json()
        async with self._engine.begin() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        _s.insert().values(
                            article_id=article_id, data=data, created_at=at or utcnow()
                        )
                    )
            except IntegrityError:
                await conn.execute(
                    _s.update().where(_s.c.article_id == article_id).values(data=data)
                )

    async def get(self, article_id: int) -> Summary | None:
        async with self._engine.connect() as conn:
            data = await conn.scalar(select(_s.c.data).where(_s.c.article_id == article_id))
        return Summary.from_json(data) if data is not None else None

    async def many(self, article_ids: Sequence[int]) -> dict[int, Summary]:
        if not article_ids:
            return {}
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(_s.c.article_id, _s.c.data).where(_s.c.article_id.in_(list(article_ids)))
                )
            ).all()
        return {int(r[0]): Summary.from_json(r[1]) for r in rows}

    async def missing(self, *, limit: int = 100) -> list[int]:
        """Ids of articles with text but no summary yet, oldest first."""
        query = (
            select(_a.c.id)
            .where(_a.c.text.is_not(None), _a.c.id.not_in(select(_s.c.article_id)))
            .order_by(_a.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [int(i) for i in (await conn.scalars(query)).all()]
