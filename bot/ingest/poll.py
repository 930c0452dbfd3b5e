"""One ingest pass: fetch every due feed, store its new articles, record its health.

Each URL is fetched once per pass even when several feeds name it; each
feed's articles are then filtered with that feed's own filters. A feed's
articles are stored in one transaction before its state (ETag, next poll)
is recorded, so a pass cut short anywhere loses nothing already stored and,
rerun, stores nothing twice: the feed is fetched again and the store's
GUID / canonical URL / content-hash identity drops what it already has.
Successful feed states are written in batches (a 304 needs nothing more).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import httpx

from bot.config import Config, Feed, Filters, FullText
from bot.errors import ExtractionError, FeedError, FetchError
from bot.ingest import schedule
from bot.ingest.extract import Extracted, extract
from bot.ingest.filters import passes
from bot.ingest.http import PAGE_ACCEPT, Fetcher, HTTPStatusError
from bot.ingest.parse import Entry, ParsedFeed, parse_feed
from bot.ingest.urls import canonical_url
from bot.store import FeedState, NewArticle, Store
from bot.store.clock import utcnow
from bot.store.feeds import Success

log = logging.getLogger(__name__)

FLUSH_EVERY = 200  # feed states written per transaction
TEASER_WORDS = 150  # fewer words than this in the feed means "only a teaser"
PARSE_INLINE_BYTES = 256 * 1024  # a larger feed parses in a worker thread: the loop keeps going
_WORDS = re.compile(r"\w+")


class Status(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not-modified"
    FAILED = "failed"


@dataclass(frozen=True, kw_only=True)
class FeedResult:
    feed: str
    url: str
    status: Status
    new: int = 0
    http_status: int | None = None
    error: str | None = None  # why the feed failed
    warning: str | None = None  # ill-formed, but entries were recovered

    @property
    def ok(self) -> bool:
        return self.status is not Status.FAILED


@dataclass(frozen=True, kw_only=True)
class PollReport:
    results: tuple[FeedResult, ...] = field(default_factory=tuple)

    @property
    def polled(self) -> int:
        return len(self.results)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def new_articles(self) -> int:
        return self.new

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status is Status.FAILED)

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.results if r.status is Status.NOT_MODIFIED)

    @property
    def all_failed(self) -> bool:
        return bool(self.results) and self.failed == self.polled


def content_hash(title: str | None, text: str | None, url: str) -> str:
    """sha256 of the lower-cased words of title and text (the URL too when there is no text)."""
    words = _WORDS.findall(f"{title or ''} {text or ''}".lower())
    basis = " ".join(words)
    if not text or not text.strip():
        basis += f" {url}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def _guid(feed_url: str, guid: str | None) -> str | None:
    """GUIDs are only unique per feed unless they are URLs, tags or URNs."""
    if not guid:
        return None
    if guid.startswith(("http://", "https://", "tag:", "urn:")):
        return guid[:2048]
    return f"{feed_url}#{guid}"[:2048]


def _entry_url(feed_url: str, entry: Entry) -> str:
    if entry.url:
        return entry.url
    if entry.guid and entry.guid.startswith(("http://", "https://")):
        return entry.guid
    key = entry.guid or hashlib.sha256((entry.title or "").encode()).hexdigest()[:16]
    return f"{feed_url}#{key}"


def _wants_full_text(feed: Feed, entry: Entry) -> bool:
    if feed.full_text is FullText.NEVER or not entry.url:
        return False
    if feed.full_text is FullText.ALWAYS:
        return True
    words = len((entry.content or entry.summary or "").split())
    return words < TEASER_WORDS


def _article(
    feed: Feed,
    feed_url: str,
    parsed: ParsedFeed,
    entry: Entry,
    page: Extracted | None = None,
) -> NewArticle:
    url = _entry_url(feed_url, entry)
    canonical = canonical_url(url)[:2048]
    text = (page.text if page else None) or entry.content or entry.summary
    title = entry.title or (page.title if page else None)
    return NewArticle(
        url=url,
        canonical_url=canonical,
        content_hash=content_hash(title, text, canonical),
        feed=feed.name,
        guid=_guid(feed_url, entry.guid),
        title=title,
        teaser=entry.summary,
        text=text,
        author=entry.author or (page.author if page else None),
        outlet=parsed.title or feed.name,
        language=page.language if page else None,
        published=entry.published or (page.published if page else None),
    )


class _Pass:
    """The state one call of :func:`poll` shares between its feed tasks."""

    def __init__(self, config: Config, store: Store, client: httpx.AsyncClient, now: datetime):
        self.config = config
        self.store = store
        self.fetcher = Fetcher(client, config.ingest)
        self.now = now
        self._successes: list[Success] = []
        # SQLite has one writer; queueing writes here beats "database is locked".
        self._write: AbstractAsyncContextManager[object] = (
            asyncio.Lock() if store.dialect == "sqlite" else nullcontext()
        )

    async def feed_group(self, url: str, feeds: list[Feed], state: FeedState) -> list[FeedResult]:
        interval = min(f.interval for f in feeds)
        try:
            resp = await self.fetcher.get(url, etag=state.etag, last_modified=state.last_modified)
            if resp.not_modified:
                await self._succeeded(
                    url,
                    status=304,
                    etag=resp.etag or state.etag,
                    last_modified=resp.last_modified or state.last_modified,
                    next_poll=schedule.next_poll(url, interval, self.now),
                )
                return [
                    FeedResult(feed=f.name, url=url, status=Status.NOT_MODIFIED, http_status=304)
                    for f in feeds
                ]
            parsed = await _parse(resp.body, url=resp.url, content_type=resp.content_type)
        except (FetchError, FeedError) as exc:
            return await self._failed(url, feeds, state, exc)
        if parsed.error:
            log.warning(
                "feed %s: %s (%d entries recovered)", url, parsed.error, len(parsed.entries)
            )
        counts = await self._store_entries(url, feeds, state, parsed)
        await self._succeeded(
            url,
            status=200,
            etag=resp.etag,
            last_modified=resp.last_modified,
            next_poll=schedule.next_poll(url, interval, self.now),
        )
        return [
            FeedResult(
                feed=f.name,
                url=url,
                status=Status.OK,
                new=counts.get(f.name, 0),
                http_status=200,
                warning=parsed.error,
            )
            for f in feeds
        ]

    async def _succeeded(
        self,
        url: str,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        next_poll: datetime,
    ) -> None:
        # Successes are written in batches: a success not yet written when a pass is cut
        # short only means that feed is fetched again, and its articles are already stored.
        self._successes.append(
            Success(
                url=url,
                status=status,
                etag=etag,
                last_modified=last_modified,
                next_poll=next_poll,
                at=self.now,
            )
        )
        if len(self._successes) >= FLUSH_EVERY:
            await self.flush()

    async def flush(self) -> None:
        batch, self._successes = self._successes, []
        if batch:
            async with self._write:
                await self.store.feeds.record_successes(batch)

    async def _failed(
        self, url: str, feeds: list[Feed], state: FeedState, exc: Exception
    ) -> list[FeedResult]:
        status = exc.status if isinstance(exc, HTTPStatusError) else None
        retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        message = str(exc) or type(exc).__name__
        log.warning("feed %s failed: %s", url, message)
        async with self._write:
            await self.store.feeds.record_failure(
                url,
                error=message,
                status=status,
                next_poll=schedule.retry_at(state.failures + 1, self.now, retry_after=retry_after),
                at=self.now,
            )
        return [
            FeedResult(
                feed=f.name, url=url, status=Status.FAILED, http_status=status, error=message
            )
            for f in feeds
        ]

    async def _store_entries(
        self, url: str, feeds: list[Feed], state: FeedState, parsed: ParsedFeed
    ) -> dict[str, int]:
        entries = list(reversed(parsed.entries))  # oldest first, so ids follow time
        if state.last_success is None:  # a new feed must not flood the first digest
            cutoff = self.now - self.config.ingest.first_poll_max_age
            entries = [e for e in entries if e.published is None or e.published >= cutoff]
        candidates: list[tuple[Feed, Entry, NewArticle]] = []
        for feed in feeds:
            blocked = Filters(exclude=feed.exclude, exclude_regex=feed.exclude_regex)
            for entry in entries:
                article = _article(feed, url, parsed, entry)
                if passes(blocked, article.title, article.text):
                    candidates.append((feed, entry, article))
        if not candidates:
            return {}
        pages: dict[str, asyncio.Task[Extracted | None]] = {}
        wants = [_wants_full_text(feed, entry) for feed, entry, _ in candidates]
        if any(wants):  # only then is it worth asking the store what it already has
            known = await self.store.articles.known([a for _, _, a in candidates])
            for (_, entry, _), found, want in zip(candidates, known, wants, strict=True):
                if want and found is None and entry.url and entry.url not in pages:
                    pages[entry.url] = asyncio.ensure_future(self._page(entry.url))
        if pages:
            await asyncio.gather(*pages.values())
        batch: list[NewArticle] = []
        for feed, entry, article in candidates:
            task = pages.get(entry.url or "")
            page = task.result() if task is not None else None
            if page is not None:
                article = _article(feed, url, parsed, entry, page)
            if passes(feed, article.title, article.text):
                batch.append(article)
        async with self._write:
            stored = await self.store.articles.add_many(batch, at=self.now)
        counts: dict[str, int] = {}
        for article, (_, created) in zip(batch, stored, strict=True):
            counts[article.feed] = counts.get(article.feed, 0) + int(created)
        return counts

    async def _page(self, url: str) -> Extracted | None:
        try:
            resp = await self.fetcher.get(url, accept=PAGE_ACCEPT)
            return await extract(resp.body, resp.url)
        except (FetchError, ExtractionError) as exc:
            log.info("full text of %s not used: %s", url, exc)
            return None


async def _parse(body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    """Small feeds (nearly all) parse in place, in about a millisecond; a large one in a
    thread, so other feeds' polls and the chat adapters are not held up meanwhile."""
    if len(body) <= PARSE_INLINE_BYTES:
        return parse_feed(body, url=url, content_type=content_type)
    return await asyncio.to_thread(parse_feed, body, url=url, content_type=content_type)


LEASE = timedelta(minutes=10)  # longer than any one poll of a feed can take


async def poll(
    config: Config,
    store: Store,
    client: httpx.AsyncClient,
    *,
    due_only: bool = True,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PollReport:
    """Poll the (due) enabled feeds once; a feed's failure is recorded, never raised."""
    now = now or utcnow()
    groups: dict[str, list[Feed]] = {}
    for feed in config.feeds:
        if feed.enabled:
            groups.setdefault(feed.url, []).append(feed)
    states = {s.url: s for s in await store.feeds.all()}
    due = [
        (url, feeds, states.get(url) or FeedState(url=url))
        for url, feeds in groups.items()
        if not due_only or schedule.is_due(states[url].next_poll if url in states else None, now)
    ]
    # Another instance on the same database may be polling too: poll only what we lease.
    won = await store.feeds.claim(
        [url for url, _, _ in due],
        owner=store.instance,
        until=now + LEASE,
        now=now,
        due_only=due_only,
    )
    due = [item for item in due if item[0] in won]
    work = _Pass(config, store, client, now)
    total = len(due)
    done = 0
    if progress is not None:
        progress(0, total)

    async def one(url: str, feeds: list[Feed], state: FeedState) -> list[FeedResult]:
        nonlocal done
        try:
            return await work.feed_group(url, feeds, state)
        except Exception as exc:  # one bad feed never stops the others
            log.exception("feed %s: unexpected error", url)
            try:
                return await work._failed(url, feeds, state, exc)
            except Exception:
                log.exception("feed %s: cannot record the failure", url)
                return [
                    FeedResult(feed=f.name, url=url, status=Status.FAILED, error=str(exc))
                    for f in feeds
                ]
        finally:
            done += 1
            if progress is not None:
                progress(done, total)

    try:
        grouped = await asyncio.gather(*(one(*item) for item in due))
    finally:
        await work.flush()
    return PollReport(results=tuple(r for group in grouped for r in group))
