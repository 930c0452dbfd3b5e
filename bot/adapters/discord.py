"""The Discord adapter: digests as embeds, and the ``/news`` command group, over discord.py.

Construct it with the loaded config and the platform-neutral command handler::

    adapter = DiscordAdapter(config, handler=handler, store=store)
    await adapter.start()      # log in, sync /news, connect to the gateway, wait for READY
    ids = await adapter.post_digest(route, digest, key=key)
    await adapter.close()

``post_digest`` also works without ``start`` (it logs in over REST only), which
is what a one-shot ``newsbot digest --route NAME`` needs.

Rendering lives in ``discord_render`` (pure) and the API/gateway URLs are set in
``discord_api``. Each message of a digest is created with a ``nonce`` derived from
the idempotency key and ``enforce_nonce``, so a retry after a timeout cannot post
it twice; discord.py itself waits out 429s (``retry_after``) and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any, Final, Literal, Protocol, runtime_checkable

import aiohttp
import discord
from discord import app_commands

from bot.adapters import discord_api
from bot.adapters.discord_render import DiscordMessage, render_digest, render_reply
from bot.commands.types import CommandHandler, CommandReply, CommandRequest
from bot.config import Config, Route
from bot.digest.model import Digest
from bot.errors import CommandError, ConfigError, DeliveryError
from bot.store import Store

log = logging.getLogger(__name__)

NONCE_LENGTH = 25  # Discord's limit for a string nonce
SLOW = frozenset({"summarise", "search", "digest", "story", "latest"})
NO_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=False)
THREAD_ARCHIVE_MINUTES: Final[Literal[1440]] = 1440


@runtime_checkable
class Completer(Protocol):
    """Optional: a handler that can suggest values for autocomplete (``kind``: story, feed)."""

    async def complete(self, kind: str, prefix: str) -> list[tuple[str, str]]:
        """``(label, value)`` pairs matching ``prefix``."""
        ...


def nonce_for(key: str, index: int) -> str:
    """The nonce of message ``index`` of the digest with idempotency ``key`` (≤ 25 chars)."""
    return hashlib.sha256(f"{key}\x00{index}".encode()).hexdigest()[:NONCE_LENGTH]


class NewsClient(discord.Client):
    """A ``discord.Client`` with a command tree holding the ``news`` group."""

    def __init__(
        self, group: app_commands.Group, *, intents: discord.Intents, guild_ready_timeout: float
    ) -> None:
        super().__init__(
            intents=intents, allowed_mentions=NO_MENTIONS, guild_ready_timeout=guild_ready_timeout
        )
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(group)


class DiscordAdapter:
    platform = "discord"

    def __init__(
        self,
        config: Config,
        *,
        handler: CommandHandler,
        store: Store | None = None,
        token: str | None = None,
        defer_after: float = 1.5,
        ready_timeout: float = 60.0,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        self._config = config
        self._handler = handler
        self._store = store
        self._token = token or config.discord.token
        self._defer_after = defer_after
        self._ready_timeout = ready_timeout
        self._previous: discord_api.Endpoints | None = None
        self._runner: asyncio.Task[None] | None = None
        self._logged_in = False
        self._login_lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        self.synced: list[app_commands.AppCommand] = []
        self.client = NewsClient(
            build_news_group(self), intents=_intents(), guild_ready_timeout=guild_ready_timeout
        )

    # -- lifecycle -------------------------------------------------------------------

    def _point(self) -> None:
        if self._previous is None:
            discord_cfg = self._config.discord
            self._previous = discord_api.point_at(discord_cfg.api_url, discord_cfg.gateway_url)

    async def _login(self) -> None:
        async with self._login_lock:  # two routes posting at once log in once
            if self._logged_in:
                return
            if not self._token:
                raise ConfigError(["discord.token: DISCORD_TOKEN is not set"])
            self._point()
            try:
                await self.client.login(self._token)
            except discord.LoginFailure as exc:
                raise ConfigError(["DISCORD_TOKEN: Discord refused the token"]) from exc
            except (discord.HTTPException, OSError) as exc:
                raise DeliveryError(f"discord: cannot log in: {exc}") from exc
            self._logged_in = True

    async def start(self) -> None:
        """Log in, sync the command tree, connect to the gateway and wait for READY."""
        if not self._token:
            log.info("discord: no DISCORD_TOKEN; posting through webhooks only, no /news")
            return
        await self._login()
        await self.sync_commands()
        self._runner = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._runner}, timeout=self._ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            error = (
                self._runner.exception()
                if self._runner in done and not self._runner.cancelled()
                else None
            )
            await self.close()
            raise DeliveryError(f"discord: the gateway did not become ready: {error}") from error
        log.info("discord: connected as %s", self.client.user)

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Register ``/news``: to each configured guild (instant), or globally."""
        tree = self.client.tree
        synced: list[app_commands.AppCommand] = []
        try:
            if self._config.discord.guilds:
                for guild_id in self._config.discord.guilds:
                    guild = discord.Object(id=int(guild_id))
                    tree.copy_global_to(guild=guild)
                    synced += await tree.sync(guild=guild)
            else:
                synced = await tree.sync()
        except discord.HTTPException as exc:
            # A guild without the applications.commands scope answers 403: keep posting.
            log.warning("discord: command sync failed (%s); /news may be missing", exc)
        self.synced = synced
        return synced

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.close()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(BaseException):
                await self._runner
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._previous is not None:
            discord_api.restore(self._previous)
            self._previous = None
        self._logged_in = False

    # -- digests ---------------------------------------------------------------------

    def mention_for(
        self, route: Route, digest: Digest
    ) -> tuple[str | None, discord.AllowedMentions]:
        """The route's role mention and the ``allowed_mentions`` that let only it ping."""
        raw = (route.mention or digest.mention or "").strip()
        if not raw:
            return None, NO_MENTIONS
        match = re.fullmatch(r"<@&(\d+)>|(\d{5,25})", raw)
        role_id: int | None = int(match.group(1) or match.group(2)) if match else None
        name = raw.lstrip("@")
        if role_id is None and name.lower() in ("everyone", "here"):
            log.warning("route %s: refusing to mention @%s", route.name, name)
            return None, NO_MENTIONS
        if role_id is None:
            for guild in self.client.guilds:
                role = discord.utils.get(guild.roles, name=name)
                if role is not None:
                    role_id = role.id
                    break
        if role_id is None:
            log.warning(
                "route %s: no role named %r; posting its name without a ping", route.name, name
            )
            return f"@{discord.utils.escape_mentions(name)}", NO_MENTIONS
        allowed = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
        )
        return f"<@&{role_id}>", allowed

    async def post_digest(self, route: Route, digest: Digest, *, key: str) -> list[str]:
        webhook = webhook_parts(route.channel)
        if webhook is not None:
            return await self._post_via_webhook(route, digest, *webhook)
        await self._login()
        try:
            channel_id = int(route.channel)
        except ValueError:
            raise ConfigError(
                [f"routes.{route.name}.channel: not a Discord channel id: {route.channel!r}"]
            ) from None
        messages = render_digest(digest)
        mention, allowed = self.mention_for(route, digest)
        if mention:
            first = messages[0]
            content = f"{mention}\n{first.content}" if first.content else mention
            messages[0] = DiscordMessage(content=content, embeds=first.embeds)
        target: discord.abc.Messageable = self.client.get_partial_messageable(channel_id)
        ids: list[str] = []
        try:
            for index, message in enumerate(messages):
                sent = await target.send(
                    content=message.content,
                    embeds=[discord.Embed.from_dict(e) for e in message.embeds],
                    nonce=nonce_for(key, index),
                    allowed_mentions=allowed if index == 0 else NO_MENTIONS,
                )
                ids.append(str(sent.id))
                if index == 0 and route.thread and len(messages) > 1:
                    target = await self._thread_for(channel_id, sent.id, digest)
        except discord.HTTPException as exc:
            raise DeliveryError(
                f"route {route.name}: Discord refused message {len(ids) + 1} of "
                f"{len(messages)} ({exc.status}): {exc.text}"
            ) from exc
        return ids

    async def _post_via_webhook(
        self, route: Route, digest: Digest, webhook_id: int, webhook_token: str
    ) -> list[str]:
        """Webhook-only posting: no bot user, no login. Webhooks take no nonce, so a
        retry after a timeout may post again; the outbox still records every post."""
        self._point()
        if self._session is None:
            self._session = aiohttp.ClientSession()
        hook = discord.Webhook.partial(webhook_id, webhook_token, session=self._session)
        messages = render_digest(digest)
        mention, allowed = self.mention_for(route, digest)
        ids: list[str] = []
        try:
            for index, message in enumerate(messages):
                content = message.content
                if index == 0 and mention:
                    content = f"{mention}\n{content}" if content else mention
                kwargs: dict[str, Any] = {"content": content} if content else {}
                sent = await hook.send(
                    embeds=[discord.Embed.from_dict(e) for e in message.embeds],
                    allowed_mentions=allowed if index == 0 else NO_MENTIONS,
                    wait=True,
                    **kwargs,
                )
                ids.append(str(sent.id))
        except discord.HTTPException as exc:
            raise DeliveryError(
                f"route {route.name}: the Discord webhook refused message {len(ids) + 1} of "
                f"{len(messages)} ({exc.status})"
            ) from exc
        return ids

    async def _thread_for(
        self, channel_id: int, message_id: int, digest: Digest
    ) -> discord.abc.Messageable:
        try:
            data = await self.client.http.start_thread_with_message(
                channel_id,
                message_id,
                name=(digest.title or "Digest")[:100],
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            thread_id = int(data["id"])
        except discord.HTTPException as exc:
            if exc.status != 400:
                raise
            # A retried digest: the first message already has its thread, and a thread
            # started from a message carries that message's id.
            thread_id = message_id
        return self.client.get_partial_messageable(thread_id)

    # -- commands --------------------------------------------------------------------

    async def _handle(self, request: CommandRequest) -> CommandReply:
        try:
            return await self._handler.handle(request)
        except CommandError as exc:
            return CommandReply(text=str(exc), ephemeral=True)
        except Exception:
            log.exception("discord: /news %s failed", request.subcommand)
            return CommandReply(text="Sorry, that did not work. Please try again.", ephemeral=True)

    async def run_command(
        self, interaction: discord.Interaction, subcommand: str, *args: object
    ) -> None:
        """Answer one ``/news`` subcommand: forward it, deferring when it is slow."""
        request = CommandRequest(
            subcommand=subcommand,
            args=tuple(str(a).strip() for a in args if a is not None and str(a).strip()),
            platform="discord",
            user=str(interaction.user.id),
            channel=str(interaction.channel_id) if interaction.channel_id else None,
        )
        task = asyncio.create_task(self._handle(request))
        deferred = False
        if subcommand in SLOW:
            done, _ = await asyncio.wait({task}, timeout=self._defer_after)
            if not done:
                await interaction.response.defer(thinking=True)
                deferred = True
        reply = await task
        await self._reply(interaction, reply, deferred=deferred)

    async def _reply(
        self, interaction: discord.Interaction, reply: CommandReply, *, deferred: bool
    ) -> None:
        messages = render_reply(reply)
        if deferred and reply.ephemeral:
            # the "thinking…" message is public; drop it so the error stays private
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        for index, message in enumerate(messages):
            kwargs: dict[str, Any] = {
                "embeds": [discord.Embed.from_dict(e) for e in message.embeds],
                "ephemeral": reply.ephemeral,
                "allowed_mentions": NO_MENTIONS,
            }
            if message.content:
                kwargs["content"] = message.content
            if index == 0 and not deferred:
                await interaction.response.send_message(**kwargs)
            else:
                await interaction.followup.send(**kwargs)

    async def complete(self, kind: str, prefix: str) -> list[app_commands.Choice[str]]:
        """Autocomplete choices for ``kind`` (story, feed, route), best first, ≤ 25."""
        pairs: list[tuple[str, str]] = []
        try:
            if isinstance(self._handler, Completer):
                pairs = await self._handler.complete(kind, prefix)
            elif kind == "story" and self._store is not None:
                stories = await self._store.stories.open_stories()
                pairs = [(s.title or f"Story {s.id}", str(s.id)) for s in stories]
        except Exception:
            log.exception("discord: autocomplete for %s failed", kind)
        if not pairs:
            pairs = self._names(kind)
        folded = prefix.casefold().strip()
        choices = [
            app_commands.Choice(name=label[:100], value=value[:100])
            for label, value in pairs
            if label.strip() and folded in label.casefold()
        ]
        return choices[:25]

    def _names(self, kind: str) -> list[tuple[str, str]]:
        if kind == "route":
            return [(r.name, r.name) for r in self._config.routes]
        names = [f.name for f in self._config.feeds]
        if kind == "story":
            names += [r.name for r in self._config.routes]
        return [(n, n) for n in names]


_WEBHOOK_URL = re.compile(r"https?://[^/\s]+/api(?:/v\d+)?/webhooks/(\d+)/([\w-]+)/?\Z")


def webhook_parts(channel: str) -> tuple[int, str] | None:
    """``(id, token)`` when a route's channel is a webhook URL (webhook-only posting).

    Only the id and token are used: requests go to ``discord.api_url`` like the rest.
    """
    match = _WEBHOOK_URL.match(channel.strip())
    return (int(match.group(1)), match.group(2)) if match else None


def _intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True  # roles (for mentions by name) and threads; not privileged
    return intents


AutocompleteFn = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]


def _completer(adapter: DiscordAdapter, kind: str) -> AutocompleteFn:
    async def autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await adapter.complete(kind, current)

    return autocomplete


def build_news_group(adapter: DiscordAdapter) -> app_commands.Group:
    """The ``news`` group: one subcommand per ``SUBCOMMANDS``, each forwarding to the handler."""
    news = app_commands.Group(
        name="news", description="Key facts from the news, with who said them"
    )

    @news.command(name="latest", description="The latest stories, optionally on a topic")
    @app_commands.describe(topic="A word or phrase, or a feed name", count="How many stories")
    @app_commands.autocomplete(topic=_completer(adapter, "feed"))
    async def latest(
        interaction: discord.Interaction,
        topic: str | None = None,
        count: app_commands.Range[int, 1, 20] | None = None,
    ) -> None:
        await adapter.run_command(interaction, "latest", topic, count)

    @news.command(name="story", description="One story's facts, who said them, and sources")
    @app_commands.describe(story="The story (start typing its headline)")
    @app_commands.autocomplete(story=_completer(adapter, "story"))
    async def story(interaction: discord.Interaction, story: str) -> None:
        await adapter.run_command(interaction, "story", story)

    @news.command(name="search", description="Search stories and facts")
    @app_commands.describe(query="Words to look for")
    async def search(interaction: discord.Interaction, query: str) -> None:
        await adapter.run_command(interaction, "search", query)

    @news.command(name="summarise", description="Key facts of an article at a URL")
    @app_commands.describe(url="The article's address")
    async def summarise(interaction: discord.Interaction, url: str) -> None:
        await adapter.run_command(interaction, "summarise", url)

    @news.command(name="digest", description="A route's digest, as it stands now")
    @app_commands.describe(route="The route")
    @app_commands.autocomplete(route=_completer(adapter, "route"))
    async def digest(interaction: discord.Interaction, route: str | None = None) -> None:
        await adapter.run_command(interaction, "digest", route)

    @news.command(name="sources", description="The feeds newsbot reads")
    @app_commands.describe(feed="A feed, for its details")
    @app_commands.autocomplete(feed=_completer(adapter, "feed"))
    async def sources(interaction: discord.Interaction, feed: str | None = None) -> None:
        await adapter.run_command(interaction, "sources", feed)

    @news.command(name="help", description="What /news can do")
    async def help_(interaction: discord.Interaction) -> None:
        await adapter.run_command(interaction, "help")

    return news


__all__ = [
    "Completer",
    "DiscordAdapter",
    "NewsClient",
    "build_news_group",
    "nonce_for",
    "webhook_parts",
]
