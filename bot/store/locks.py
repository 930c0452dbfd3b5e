"""Cross-process locks that die with their holder.

Two newsbot instances may share one database. Work that must happen in one
place at a time (posting a route's digest) takes a named lock first:
PostgreSQL's session advisory locks, or on SQLite an ``flock`` on a file
beside the database. Both are released by the operating system or the server
when the holding process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_local: dict[tuple[int, str], asyncio.Lock] = {}  # per engine: tasks of one process


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@asynccontextmanager
async def try_lock(engine: AsyncEngine, name: str) -> AsyncIterator[bool]:
    """Yield True when this process holds the lock ``name``, False when another does."""
    local = _local.setdefault((id(engine), name), asyncio.Lock())
    if local.locked():
        yield False
        return
    async with local:
        if engine.dialect.name == "postgresql":
            async with _advisory(engine, name) as held:
                yield held
        else:
            with _FileLock(engine, name) as held:
                yield held


@asynccontextmanager
async def _advisory(engine: AsyncEngine, name: str) -> AsyncIterator[bool]:
    key = _key(name)
    async with engine.connect() as conn:
        held = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))
        await conn.commit()
        try:
            yield held
        finally:
            if held:
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                await conn.commit()


class _FileLock:
    def __init__(self, engine: AsyncEngine, name: str) -> None:
        database = engine.url.database
        self._path: Path | None = None
        if database and database != ":memory:":
            digest = hashlib.sha256(name.encode()).hexdigest()[:16]
            self._path = Path(f"{database}.{digest}.lock")
        self._fd: int | None = None

    def __enter__(self) -> bool:
        if self._path is None:
            return True
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            return False
        return True

    def __exit__(self, *_exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
