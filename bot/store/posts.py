"""Posts: what went where. A post is recorded (pending) before it is sent and
confirmed after, keyed by an idempotency key, so a restart can tell what was sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import schema
from bot.store.clock import utcnow
from bot.store.records import Post
from bot.store.stories import mark_posted

_p = schema.posts
_r = schema.route_state

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


def _post(row: object) -> Post:
    m = row._mapping  # type: ignore[attr-defined]
    return Post(
        id=m["id"],
        idempotency_key=m["idempotency_key"],
        route=m["route"],
        platform=m["platform"],
        channel=m["channel"],
        status=m["status"],
        payload=m["payload"],
        story_ids=tuple(m["story_ids"] or ()),
        external_id=m["external_id"],
        attempts=m["attempts"],
        error=m["error"],
        created_at=m["created_at"],
        sent_at=m["sent_at"],
    )


class Posts:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def reserve(
        self,
        key: str,
        *,
        route: str,
        platform: str,
        channel: str,
        payload: Any,
        story_ids: Sequence[int] = (),
        at: datetime | None = None,
    ) -> tuple[Post, bool]:
        """Record a post as pending; return ``(post, created)``; an existing key is kept."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    _p.insert().values(
                        idempotency_key=key,
                        route=route,
                        platform=platform,
                        channel=channel,
                        status=PENDING,
                        payload=payload,
                        story_ids=list(story_ids),
                        attempts=0,
                        created_at=at or utcnow(),
                    )
                )
            created = True
        except IntegrityError:
            created = False
        post = await self.get(key)
        assert post is not None
        return post, created

    async def get(self, key: str) -> Post | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_p).where(_p.c.idempotency_key == key))).first()
        return _post(row) if row else None

    async def mark_sent(
        self, key: str, *, external_id: str | None, at: datetime | None = None
    ) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(_p)
                .where(_p.c.idempotency_key == key)
                .values(status=SENT, external_id=external_id, sent_at=at or utcnow(), error=None)
            )

    async def mark_attempt(self, key: str, *, error: str | None, failed: bool = False) -> None:
        async with self._engine.begin() as conn:
            values: dict[str, Any] = {"attempts": _p.c.attempts + 1, "error": error}
            if failed:
                values["status"] = FAILED
            await conn.execute(update(_p).where(_p.c.idempotency_key == key).values(**values))

    async def unconfirmed(self, route: str, *, max_attempts: int) -> list[Post]:
        """The route's posts not yet confirmed (pending, or failed fewer than
        ``max_attempts`` times), oldest first: the outbox to finish before anything new."""
        query = (
            select(_p)
            .where(
                _p.c.route == route,
                or_(
                    _p.c.status == PENDING,
                    and_(_p.c.status == FAILED, _p.c.attempts < max_attempts),
                ),
            )
            .order_by(_p.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_post(r) for r in rows]

    async def pending(self, *, route: str | None = None) -> list[Post]:
        query = select(_p).where(_p.c.status == PENDING)
        if route is not None:
            query = query.where(_p.c.route == route)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(_p.c.id))).all()
        return [_post(r) for r in rows]

    async def for_route(self, route: str, *, limit: int = 50) -> list[Post]:
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(_p).where(_p.c.route == route).order_by(_p.c.id.desc()).limit(limit)
                )
            ).all()
        return [_post(r) for r in rows]

    async def last_digest(self, route: str) -> datetime | None:
        async with self._engine.connect() as conn:
            return await conn.scalar(select(_r.c.last_digest_at).where(_r.c.route == route))

    async def set_last_digest(self, route: str, at: datetime) -> None:
        async with self._engine.begin() as conn:
            await _set_last_digest(conn, route, at)

    async def confirm(
        self,
        key: str,
        *,
        route: str,
        external_id: str | None,
        shown: Mapping[int, Sequence[str]],
        at: datetime,
    ) -> None:
        """Mark a post sent and record what it showed, in ONE transaction.

        Were these separate, a crash between them would leave a digest sent but some of
        its facts unrecorded, and the next digest would show them again under a new key.
        """
        async with self._engine.begin() as conn:
            await conn.execute(
                update(_p)
                .where(_p.c.idempotency_key == key, _p.c.status != SENT)
                .values(status=SENT, external_id=external_id, sent_at=at, error=None)
            )
            for story_id, fact_keys in shown.items():
                await mark_posted(conn, route, story_id, fact_keys, at=at)
            await _set_last_digest(conn, route, at)


async def _set_last_digest(conn: AsyncConnection, route: str, at: datetime) -> None:
    changed = await conn.execute(update(_r).where(_r.c.route == route).values(last_digest_at=at))
    if not changed.rowcount:
        await conn.execute(_r.insert().values(route=route, last_digest_at=at))
