"""The platform-neutral ``/news`` handler: one request in, one reply out.

Adapters parse their platform's payload (``bot.commands.parse``) and render
the reply; nothing here knows about Slack or Discord. Every failure becomes a
one-line ephemeral explanation — a traceback goes to the log, never to a user.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.adapters.base import Adapter
from bot.commands.types import CommandReply, CommandRequest
from bot.config import Config, Route
from bot.digest.deliver import ALREADY_SENT, EMPTY, POSTED, Builder, deliver
from bot.digest.model import DigestStory
from bot.errors import CommandError, NewsbotError
from bot.store import NewArticle, Store, StoredArticle
from bot.store.clock import utcnow
from bot.stories import merge, summaries_of
from summariser.types import Source, StoryFact, StorySummary, Summary

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

DEFAULT_LATEST = 5
MAX_LATEST = 20
MAX_SEARCH = 10
FACTS_PER_STORY = 3

SummariseURL = Callable[[str], Awaitable[Summary]]

HELP = """\
/news — key facts from the news, with who said them
• /news latest [topic] [n] — the newest stories (optionally about a topic), up to n
• /news story <query> — one story across outlets, with its key facts
• /news search <query> — articles matching every word
• /news summarise <url> — the key facts of one article
• /news digest [route] [post] — preview a route's next digest (or post it now)
• /news sources — the feeds and their health
• /news help — this text"""


async def merge_articles(
    config: Config,
    store: Store,
    articles: Sequence[StoredArticle],
    *,
    headline: str | None = None,
    facts: int = FACTS_PER_STORY,
) -> StorySummary:
    """One story from articles about it, merged as digests merge them, cut to ``facts``."""
    pairs = await summaries_of(store, articles)
    merged = await merge(config, [summary for _, summary in pairs])
    title = headline or merged.headline or next((a.title for a in articles if a.title), None)
    return dataclasses.replace(
        merged, headline=title or "Untitled story", facts=merged.facts[:facts]
    )


def _when(article: StoredArticle) -> datetime:
    return article.published or article.fetched_at


class NewsCommands:
    """Implements ``CommandHandler`` over the store (and, for ``digest post``, the adapters)."""

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        adapters: Mapping[str, Adapter] | None = None,
        summarise_url: SummariseURL | None = None,
        client: httpx.AsyncClient | None = None,
        summariser: Any = None,
        build: Builder | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self.store = store
        self.adapters = dict(adapters or {})
        self.summarise_url = summarise_url
        if summarise_url is None and client is not None:
            self.summarise_url = functools.partial(_fetch_and_summarise, config, client, summariser)
        self.build = build
        self.clock = clock
        self._commands: dict[str, Callable[[CommandRequest], Awaitable[CommandReply]]] = {
            "latest": self.latest,
            "story": self.story,
            "search": self.search,
            "summarise": self.summarise,
            "digest": self.digest,
            "sources": self.sources,
            "help": self.help,
        }

    async def handle(self, request: CommandRequest) -> CommandReply:
        command = self._commands.get(request.subcommand)
        if command is None:
            return CommandReply(
                text=f"Unknown subcommand {request.subcommand[:40]!r}.\n{HELP}", ephemeral=True
            )
        try:
            return await command(request)
        except CommandError as exc:
            return CommandReply(text=_one_line(str(exc)), ephemeral=True)
        except NewsbotError as exc:
            log.warning("/news %s failed: %s", request.subcommand, exc)
            return CommandReply(
                text=_one_line(f"Sorry, {request.subcommand} failed: {exc}"), ephemeral=True
            )
        except Exception:
            log.exception("/news %s crashed", request.subcommand)
            return CommandReply(
                text=f"Sorry, {request.subcommand} failed unexpectedly; the error is logged.",
                ephemeral=True,
            )

    async def help(self, request: CommandRequest) -> CommandReply:
        return CommandReply(text=HELP, ephemeral=True)

    async def _stories(self, articles: Sequence[StoredArticle], limit: int) -> list[DigestStory]:
        """Group articles by story (newest first), one ``DigestStory`` per group."""
        groups: dict[object, list[StoredArticle]] = {}
        for article in articles:
            group = article.story_id if article.story_id is not None else ("a", article.id)
            groups.setdefault(group, []).append(article)
        chosen = list(groups.items())[:limit]
        return [
            DigestStory(
                story_id=key if isinstance(key, int) else None,
                summary=await merge_articles(self.config, self.store, group),
            )
            for key, group in chosen
        ]

    async def latest(self, request: CommandRequest) -> CommandReply:
        args = list(request.args)
        count = DEFAULT_LATEST
        if args and args[-1].isdigit():
            count = max(1, min(int(args.pop()), MAX_LATEST))
        topic = " ".join(args).strip()
        if topic:
            articles = await self.store.articles.search(topic, limit=count * 4)
        else:
            articles = await self.store.articles.recent(limit=count * 4)
        if not articles:
            about = f" about {topic!r}" if topic else ""
            return CommandReply(text=f"No stories{about} yet.", ephemeral=True)
        stories = await self._stories(articles, count)
        title = f"Latest on {topic}" if topic else "Latest stories"
        return CommandReply(text=title, stories=tuple(stories))

    async def story(self, request: CommandRequest) -> CommandReply:
        query = " ".join(request.args).strip()
        if not query:
            raise CommandError("Usage: /news story <query>")
        # Discord's autocomplete hands over a story's id; anything else is words to find.
        by_id = await self.store.articles.in_story(int(query)) if query.isdigit() else []
        found = by_id or await self.store.articles.search(query, limit=1)
        if not found:
            return CommandReply(text=f"No story matches {query!r}.", ephemeral=True)
        first = found[0]
        articles = [first]
        headline = None
        if first.story_id is not None:
            articles = await self.store.articles.in_story(first.story_id) or [first]
            stored = await self.store.stories.get(first.story_id)
            headline = stored.title if stored else None
        summary = await merge_articles(
            self.config, self.store, articles, headline=headline, facts=8
        )
        outlets = len({a.outlet or a.feed for a in articles})
        text = f"{summary.headline}\n{len(articles)} articles from {outlets} outlets"
        return CommandReply(
            text=text, stories=(DigestStory(story_id=first.story_id, summary=summary),)
        )

    async def search(self, request: CommandRequest) -> CommandReply:
        query = " ".join(request.args).strip()
        if not query:
            raise CommandError("Usage: /news search <query>")
        found = await self.store.articles.search(query, limit=MAX_SEARCH)
        if not found:
            return CommandReply(text=f"Nothing matches {query!r}.", ephemeral=True)
        lines = [f"Articles matching {query!r}:"]
        for article in found:
            when = _when(article).strftime("%Y-%m-%d")
            outlet = article.outlet or article.feed
            lines.append(f"• {article.title or 'Untitled'} — {outlet}, {when} — {article.url}")
        return CommandReply(text="\n".join(lines))

    async def summarise(self, request: CommandRequest) -> CommandReply:
        url = request.args[0].strip("<>") if request.args else ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError("Usage: /news summarise <http(s) url>")
        summary: Summary | None = None
        known = await self.store.articles.find(
            NewArticle(url=url, canonical_url=url, content_hash="-", feed="-", guid=url)
        )
        if known is not None:
            summary = await self.store.summaries.get(known)
        if summary is None:
            if self.summarise_url is None:
                raise CommandError("Summarising a new URL works in the running bot only.")
            summary = await self.summarise_url(url)
        if not summary.facts:
            return CommandReply(text=f"No key facts found in {url}.", ephemeral=True)
        story = StorySummary(
            headline=summary.title or url,
            facts=tuple(
                StoryFact(fact=f, outlets=(summary.outlet,) if summary.outlet else (), key=f"{i}")
                for i, f in enumerate(summary.facts)
            ),
            sources=(Source(outlet=summary.outlet, url=summary.url or url, title=summary.title),),
        )
        return CommandReply(
            text=summary.title or "Summary", stories=(DigestStory(story_id=None, summary=story),)
        )

    def _route(self, name: str | None, request: CommandRequest) -> Route:
        if name:
            try:
                return self.config.route(name)
            except KeyError:
                names = ", ".join(r.name for r in self.config.routes) or "none"
                raise CommandError(f"No route named {name!r} (routes: {names}).") from None
        for route in self.config.routes:
            if route.platform.value == request.platform and route.channel == request.channel:
                return route
        if not self.config.routes:
            raise CommandError("No routes are configured.")
        return self.config.routes[0]

    async def digest(self, request: CommandRequest) -> CommandReply:
        args = list(request.args)
        post = bool(args) and args[-1].lower() in ("post", "now", "send")
        if post:
            args.pop()
        route = self._route(args[0] if args else None, request)
        now = self.clock()
        if post:
            adapter = self.adapters.get(route.platform.value)
            if adapter is None:
                raise CommandError(f"Cannot post to {route.platform.value} from here.")
            result = await deliver(
                self.config, self.store, route, adapter, now=now, build=self.build
            )
            messages = {
                POSTED: f"Posted {result.stories} stories to route {route.name}.",
                ALREADY_SENT: f"Route {route.name}: this digest was already posted.",
                EMPTY: f"Route {route.name}: nothing new to post.",
            }
            return CommandReply(text=messages.get(result.status, result.status), ephemeral=True)
        preview = await deliver(
            self.config, self.store, route, _NoAdapter(), now=now, dry_run=True, build=self.build
        )
        if preview.status == EMPTY:
            return CommandReply(text=f"Route {route.name}: nothing new.", ephemeral=True)
        return CommandReply(text=f"Preview of route {route.name}:\n{preview.text}", ephemeral=True)

    async def sources(self, request: CommandRequest) -> CommandReply:
        if not self.config.feeds:
            return CommandReply(text="No feeds are configured.", ephemeral=True)
        states = {s.url: s for s in await self.store.feeds.all()}
        now = self.clock()
        lines = [f"{len(self.config.feeds)} feeds:"]
        for feed in self.config.feeds:
            state = states.get(feed.url)
            if not feed.enabled:
                health = "disabled"
            elif state is None or state.last_attempt is None:
                health = "not polled yet"
            elif state.failures:
                health = f"failing ({state.failures}×): {_one_line(state.last_error or '?')[:120]}"
            else:
                health = f"ok, fetched {_ago(now, state.last_success or state.last_attempt)}"
            lines.append(f"• {feed.name} — {health}")
        return CommandReply(text="\n".join(lines))


async def _fetch_and_summarise(
    config: Config, client: httpx.AsyncClient, summariser: Any, url: str
) -> Summary:
    """Fetch a page (through ingestion's guarded fetcher), extract it, summarise it."""
    from bot.ingest.extract import extract
    from bot.ingest.http import Fetcher
    from summariser import summarise as summarise_article
    from summariser.types import Article

    response = await Fetcher(client, config.ingest).get(
        url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
    )
    page = await extract(response.body, response.url)
    article = Article(
        id=response.url,
        text=page.text,
        title=page.title,
        url=response.url,
        outlet=page.site_name or urlsplit(response.url).hostname,
        published=page.published,
    )
    facts = FACTS_PER_STORY + 2
    if summariser is not None:
        result: Summary = await asyncio.to_thread(summariser.summarise, article, facts=facts)
    else:
        result = await asyncio.to_thread(summarise_article, article, facts=facts)
    return result


class _NoAdapter:
    """For previews: a dry run never posts."""

    platform = "preview"

    async def start(self) -> None:
        return None

    async def post_digest(self, route: Route, digest: object, *, key: str) -> list[str]:
        raise AssertionError("a dry run must not post")

    async def close(self) -> None:
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    if seconds < 172800:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"
