"""APScheduler jobs: one polling cycle every minute, and one digest per route on its cron.

Each job handles its own failure (logged, never raised into the scheduler),
and jobs in flight are tracked so that shutdown can let them finish.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Config

log = logging.getLogger(__name__)

POLL_JOB = "poll"
DIGEST_PREFIX = "digest:"


class Jobs:
    """The bot's scheduled work, on an asyncio scheduler."""

    def __init__(
        self,
        *,
        poll: Callable[[], Awaitable[None]],
        digest: Callable[[str], Awaitable[None]],
        poll_every: timedelta = timedelta(minutes=1),
    ) -> None:
        self._poll = poll
        self._digest = digest
        self._poll_every = poll_every
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[None]] = set()

    def start(self, config: Config, *, poll_now: bool = True) -> None:
        self._scheduler.add_job(
            self._guard,
            IntervalTrigger(seconds=self._poll_every.total_seconds(), timezone=UTC),
            args=["poll", self._poll],
            id=POLL_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC) if poll_now else None,
        )
        self.schedule_routes(config)
        self._scheduler.start()

    def schedule_routes(self, config: Config) -> None:
        """(Re)create one digest job per route; used at start and on reload."""
        for job in self._scheduler.get_jobs():
            if job.id.startswith(DIGEST_PREFIX):
                job.remove()
        for route in config.routes:
            trigger = CronTrigger.from_crontab(route.schedule, timezone=route.timezone)
            self._scheduler.add_job(
                self._guard,
                trigger,
                args=[f"digest {route.name}", functools.partial(self._digest, route.name)],
                id=f"{DIGEST_PREFIX}{route.name}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=600,
            )
            log.info("route %s: digest on %r (%s)", route.name, route.schedule, route.timezone)

    async def _guard(self, label: str, work: Callable[[], Awaitable[None]]) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await work()
        except asyncio.CancelledError:
            log.warning("%s: interrupted by shutdown", label)
            raise
        except Exception:
            log.exception("%s failed; the next run will try again", label)
        finally:
            if task is not None:
                self._running.discard(task)

    async def run_now(self, label: str, work: Callable[[], Awaitable[None]]) -> None:
        await self._guard(label, work)

    async def stop(self, *, grace: float = 30.0) -> None:
        """Stop scheduling, let running jobs finish (up to ``grace`` seconds), then cancel.

        The scheduler is paused first and shut down last: shutting it down cancels the
        coroutines it is running, which would cut every job short."""
        if self._scheduler.running:
            self._scheduler.pause()
        running = [t for t in self._running if not t.done()]
        if running:
            log.info("waiting for %d running job(s) to finish", len(running))
            _done, pending = await asyncio.wait(running, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
