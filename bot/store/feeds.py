"""Per-feed polling state: validators for conditional GET, failures and the next poll."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import schema
from bot.store.clock import utcnow
from bot.store.records import FeedState

_t = schema.feed_state


def _state(row: object) -> FeedState:
    m = row._mapping  # type: ignore[attr-defined]
    return FeedState(
        url=m["url"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        failures=m["failures"],
        last_error=m["last_error"],
        last_status=m["last_status"],
        last_attempt=m["last_attempt"],
        last_success=m["last_success"],
        next_poll=m["next_poll"],
    )


async def _ensure(conn: AsyncConnection, urls: Sequence[str]) -> None:
    """Create the missing state rows; safe against another writer creating one first."""
    for start in range(0, len(urls), 500):
        chunk = list(urls[start : start + 500])
        present = set((await conn.scalars(select(_t.c.url).where(_t.c.url.in_(chunk)))).all())
        for url in chunk:
            if url in present:
                continue
            try:
                async with conn.begin_nested():
                    await conn.execute(_t.insert().values(url=url, failures=0))
            except IntegrityError:
                pass  # another writer created it first


@dataclass(frozen=True, kw_only=True)
class Success:
    """One successful poll, for :meth:`FeedStates.record_successes`."""

    url: str
    status: int
    etag: str | None
    last_modified: str | None
    next_poll: datetime
    at: datetime


class FeedStates:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, url: str) -> FeedState:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_t).where(_t.c.url == url))).first()
        return _state(row) if row else FeedState(url=url)

    async def all(self) -> list[FeedState]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(_t).order_by(_t.c.url))).all()
        return [_state(r) for r in rows]

    async def record_success(
        self,
        url: str,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        next_poll: datetime,
        at: datetime | None = None,
    ) -> None:
        await self.record_successes(
            [
                Success(
                    url=url,
                    status=status,
                    etag=etag,
                    last_modified=last_modified,
                    next_poll=next_poll,
                    at=at or utcnow(),
                )
            ]
        )

    async def record_failure(
        self,
        url: str,
        *,
        error: str,
        status: int | None,
        next_poll: datetime,
        at: datetime | None = None,
    ) -> int:
        """Store the error and return the number of consecutive failures."""
        at = at or utcnow()
        async with self._engine.begin() as conn:
            await _ensure(conn, [url])
            await conn.execute(
                update(_t)
                .where(_t.c.url == url)
                .values(
                    failures=_t.c.failures + 1,
                    last_error=error[:2000],
                    last_status=status,
                    last_attempt=at,
                    next_poll=next_poll,
                    lease_owner=None,
                    lease_until=None,
                )
            )
            failures = await conn.scalar(select(_t.c.failures).where(_t.c.url == url))
        return int(failures or 0)

    async def claim(
        self,
        urls: Sequence[str],
        *,
        owner: str,
        until: datetime,
        now: datetime,
        due_only: bool,
    ) -> set[str]:
        """Lease the feeds this process may poll now; return the URLs it won.

        A feed is won when no other process holds an unexpired lease on it (and, with
        ``due_only``, when its next poll has come). The conditional UPDATE is atomic
        on SQLite and PostgreSQL alike, so two instances never poll one feed at once.
        """
        if not urls:
            return set()
        won: set[str] = set()
        async with self._engine.begin() as conn:
            await _ensure(conn, urls)
            for start in range(0, len(urls), 500):
                chunk = list(urls[start : start + 500])
                free = or_(
                    _t.c.lease_until.is_(None), _t.c.lease_until < now, _t.c.lease_owner == owner
                )
                condition = and_(_t.c.url.in_(chunk), free)
                if due_only:
                    condition = and_(
                        condition, or_(_t.c.next_poll.is_(None), _t.c.next_poll <= now)
                    )
                result = await conn.execute(
                    update(_t)
                    .where(condition)
                    .values(lease_owner=owner, lease_until=until)
                    .returning(_t.c.url)
                )
                won.update(result.scalars().all())
        return won

    async def record_successes(self, successes: Sequence[Success]) -> None:
        """Many :meth:`record_success` calls in one transaction (the poller batches 304s)."""
        if not successes:
            return
        async with self._engine.begin() as conn:
            await _ensure(conn, list(dict.fromkeys(s.url for s in successes)))
            await conn.execute(
                update(_t)
                .where(_t.c.url == bindparam("b_url"))
                .values(
                    etag=bindparam("b_etag"),
                    last_modified=bindparam("b_last_modified"),
                    failures=0,
                    last_error=None,
                    last_status=bindparam("b_status"),
                    last_attempt=bindparam("b_at"),
                    last_success=bindparam("b_at"),
                    next_poll=bindparam("b_next_poll"),
                    lease_owner=None,
                    lease_until=None,
                ),
                [
                    {
                        "b_url": s.url,
                        "b_etag": s.etag,
                        "b_last_modified": s.last_modified,
                        "b_status": s.status,
                        "b_at": s.at,
                        "b_next_poll": s.next_poll,
                    }
                    for s in successes
                ],
            )
