"""The running bot: store, HTTP client, summariser, adapters and scheduled jobs.

``Bot.run`` returns when SIGINT or SIGTERM arrives, after running jobs have
finished (every store write is its own transaction, so an interrupted job
leaves no half-written rows). SIGHUP reloads the YAML file: a file with
problems is logged line by line and the running configuration is kept.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from bot import ingest, stories
from bot.adapters.factory import make_adapter
from bot.config import Config, load_config
from bot.digest.deliver import MAX_ATTEMPTS, deliver
from bot.errors import ConfigError, NewsbotError
from bot.scheduler import Jobs
from bot.store import Store
from bot.store.clock import utcnow

if TYPE_CHECKING:
    import httpx

    from bot.adapters.base import Adapter
    from bot.commands.handler import NewsCommands
    from summariser import Summariser

log = logging.getLogger(__name__)


def make_summariser(config: Config) -> Summariser:
    from summariser import Summariser, SummariserOptions

    return Summariser(SummariserOptions(**config.summariser.model_dump()))


class Bot:
    def __init__(self, config_path: Path, config: Config) -> None:
        self.config_path = config_path
        self.config = config
        self._stop = asyncio.Event()
        self._adapters: dict[str, Adapter] = {}
        self._store: Store | None = None
        self._client: httpx.AsyncClient | None = None
        self._summariser: Summariser | None = None
        self._handler: NewsCommands | None = None
        self._jobs = Jobs(poll=self._poll_cycle, digest=self._digest)
        # A digest must not run while a poll cycle is half done: articles fetched but not
        # yet summarised would be skipped and then fall behind the route's cut-off.
        self._cycle = asyncio.Lock()
        self._reloading: asyncio.Task[None] | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def run(self, *, digest_now: bool = False) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stop)
        loop.add_signal_handler(signal.SIGHUP, self._reload_soon)
        try:
            await self._open()
            await self._resume_pending()
            if digest_now:
                await self._jobs.run_now("poll", self._poll_cycle)
                for route in self.config.routes:
                    await self._jobs.run_now(
                        f"digest {route.name}", functools.partial(self._digest, route.name)
                    )
            self._jobs.start(self.config, poll_now=not digest_now)
            log.info(
                "newsbot running: %d feeds, %d routes; Ctrl-C to stop",
                len(self.config.feeds),
                len(self.config.routes),
            )
            await self._stop.wait()
            log.info("shutting down")
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.remove_signal_handler(signum)
            await self._jobs.stop()
            await self._close()
        log.info("stopped")

    async def _resume_pending(self) -> None:
        """A digest recorded but not confirmed before a crash is finished first."""
        assert self._store is not None
        for route in self.config.routes:
            if await self._store.posts.unconfirmed(route.name, max_attempts=MAX_ATTEMPTS):
                log.info("route %s: finishing a digest interrupted by a restart", route.name)
                await self._jobs.run_now(
                    f"digest {route.name}", functools.partial(self._digest, route.name)
                )

    def stop(self) -> None:
        self._stop.set()

    async def _open(self) -> None:
        self._store = await Store.open(self.config.database)
        self._client = ingest.make_client(self.config.ingest)
        self._summariser = make_summariser(self.config)
        from bot.commands.handler import NewsCommands

        self._handler = NewsCommands(
            self.config,
            self._store,
            adapters=self._adapters,
            client=self._client,
            summariser=self._summariser,
        )
        await self._start_adapters()

    async def _start_adapters(self) -> None:
        assert self._store is not None and self._handler is not None
        for platform in sorted(self.config.platforms()):
            if platform.value in self._adapters:
                continue
            adapter = make_adapter(platform, self.config, handler=self._handler, store=self._store)
            await adapter.start()
            self._adapters[platform.value] = adapter
            self._handler.adapters[platform.value] = adapter
            log.info("%s adapter started", platform.value)

    async def _close(self) -> None:
        for name, adapter in self._adapters.items():
            try:
                await adapter.close()
            except Exception:
                log.exception("closing the %s adapter failed", name)
        self._adapters.clear()
        if self._client is not None:
            await self._client.aclose()
        if self._store is not None:
            await self._store.close()

    def _reload_soon(self) -> None:
        if self._store is None:
            log.warning("reload ignored: still starting up")
            return
        if self._reloading is not None and not self._reloading.done():
            return  # one reload at a time; it reads the file as it is by then
        self._reloading = asyncio.get_running_loop().create_task(self.reload())

    async def reload(self) -> None:
        """Re-read the YAML file; keep the running configuration if the new one is invalid."""
        try:
            new = await asyncio.to_thread(load_config, self.config_path)
        except ConfigError as exc:
            log.error("reload refused; still running the previous configuration:")
            for problem in exc.problems:
                log.error("  %s", problem)
            return
        if new.database != self.config.database:
            log.warning("reload: 'database' changed; restart newsbot for that to take effect")
            new = new.model_copy(update={"database": self.config.database})
        if new.ingest != self.config.ingest:
            log.warning("reload: 'ingest' changed; restart newsbot for that to take effect")
            new = new.model_copy(update={"ingest": self.config.ingest})
        self.config = new
        if self._handler is not None:
            self._handler.config = new
        try:
            await self._start_adapters()
        except NewsbotError as exc:
            log.error("reload: %s", exc)
        self._jobs.schedule_routes(new)
        log.info("configuration reloaded: %d feeds, %d routes", len(new.feeds), len(new.routes))

    # --- jobs ------------------------------------------------------------------------------

    async def _poll_cycle(self) -> None:
        assert self._store is not None and self._client is not None
        assert self._summariser is not None
        config = self.config
        async with self._cycle:
            report = await ingest.poll(config, self._store, self._client, due_only=True)
            if report.new_articles:
                log.info("poll: %d new article(s)", report.new_articles)
            processed = await stories.process_new(config, self._store, self._summariser)
        if processed:
            log.info("summarised and clustered %d article(s)", processed)

    async def _digest(self, route_name: str) -> None:
        assert self._store is not None
        try:
            route = self.config.route(route_name)
        except KeyError:
            return  # removed by a reload
        adapter = self._adapters.get(route.platform.value)
        if adapter is None:
            log.error("route %s: no %s adapter running", route.name, route.platform.value)
            return
        async with self._cycle:
            await deliver(self.config, self._store, route, adapter, now=utcnow())
