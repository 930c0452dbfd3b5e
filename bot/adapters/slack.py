"""The Slack adapter: scheduled digests over ``chat.postMessage`` and ``/news`` over bolt.

Network code only; rendering lives in ``bot.adapters.slack_render``. The
``AsyncWebClient`` is always injected with ``slack.api_url`` as its base URL,
so tests (a fake Slack on 127.0.0.1) and production run the same code.

* Socket Mode (default) needs ``SLACK_APP_TOKEN``; HTTP mode serves
  ``POST /slack/events`` on ``slack.host:slack.port`` and bolt verifies every
  request's signature with ``SLACK_SIGNING_SECRET`` (forged or stale → 401).
* ``/news`` is acknowledged within Slack's 3 seconds: an answer ready within
  ``inline_budget`` goes in the acknowledgement itself; slower work is
  acknowledged with a short note and answered through ``response_url``.
* Each digest message carries the idempotency key in its ``metadata``
  (``newsbot_digest`` / ``{key, part, parts}``); before posting, the channel's
  recent history is checked so a retried digest skips parts already there.
* 429s are retried after ``Retry-After``; 5xx, timeouts and connection errors
  with exponential backoff; other API errors raise ``DeliveryError`` at once.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_render import Message, render_digest, render_reply
from bot.commands.parse import parse_command
from bot.commands.types import CommandHandler, CommandReply
from bot.config import Config, Route
from bot.config.models import SlackMode
from bot.digest.model import Digest
from bot.errors import ConfigError, DeliveryError

log = logging.getLogger(__name__)

EVENT_TYPE = "newsbot_digest"
EVENTS_PATH = "/slack/events"
WORKING = "Working on it…"


def make_client(config: Config, *, timeout: int = 15) -> AsyncWebClient:
    """The Web API client every Slack call goes through (``slack.api_url``, the bot token)."""
    return AsyncWebClient(
        token=config.slack.bot_token, base_url=config.slack.api_url, timeout=timeout
    )


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) and value else value)
    return None


class SlackAdapter:
    platform = "slack"

    def __init__(
        self,
        config: Config,
        *,
        handler: CommandHandler,
        store: object | None = None,
        client: AsyncWebClient | None = None,
        inline_budget: float = 2.0,
        pace: float = 1.0,
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_delay: float = 60.0,
        check_history: bool = True,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        slack = config.slack
        if not slack.bot_token:
            raise ConfigError(["slack: SLACK_BOT_TOKEN is not set"])
        if slack.mode is SlackMode.HTTP and not slack.signing_secret:
            raise ConfigError(["slack: SLACK_SIGNING_SECRET is not set (slack.mode: http)"])
        if slack.mode is SlackMode.SOCKET and not slack.app_token:
            raise ConfigError(["slack: SLACK_APP_TOKEN is not set (slack.mode: socket)"])
        self.config = config
        self.handler = handler
        self.store = store
        self.client = client or make_client(config)
        self.inline_budget = inline_budget
        self.pace = pace
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_delay = max_delay
        self.check_history = check_history
        self._sleep = sleep
        self.port: int | None = None  # the bound port in HTTP mode, once started
        self._runner: web.AppRunner | None = None
        self._socket: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = AsyncApp(
            client=self.client,
            signing_secret=slack.signing_secret or "unused-in-socket-mode",
            request_verification_enabled=slack.mode is SlackMode.HTTP,
            logger=_bolt_logger(),
        )
        self.app.command(slack.command)(self._on_command)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        slack = self.config.slack
        if slack.mode is SlackMode.HTTP:
            web_app = web.Application()
            web_app.router.add_post(EVENTS_PATH, self._on_http)
            web_app.router.add_get("/healthz", self._on_health)
            self._runner = web.AppRunner(web_app, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, slack.host, slack.port)
            await site.start()
            server = site._server
            sockets = getattr(server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1] if sockets else slack.port
            log.info("slack: serving %s on %s:%s", EVENTS_PATH, slack.host, self.port)
        else:
            from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, slack.app_token, web_client=self.client)
            await self._socket.connect_async()
            log.info("slack: connected in Socket Mode")

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _on_http(self, request: web.Request) -> web.StreamResponse:
        bolt_request = await to_bolt_request(request)
        bolt_response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def _on_health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    # --- /news -----------------------------------------------------------------------------

    async def _on_command(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        request = parse_command(
            str(body.get("text") or ""),
            command=self.config.slack.command,
            platform="slack",
            user=body.get("user_id"),
            channel=body.get("channel_id"),
        )
        work = asyncio.ensure_future(self.handler.handle(request))
        done, _ = await asyncio.wait({work}, timeout=self.inline_budget)
        if work in done:
            reply = _reply(work)
            messages = render_reply(reply)
            await ack(**_ack_kwargs(reply, messages[0]))
            await self._respond_all(respond, reply, messages[1:])
            return
        await ack(response_type="ephemeral", text=WORKING)
        await asyncio.wait({work})
        reply = _reply(work)
        await self._respond_all(respond, reply, render_reply(reply))

    async def _respond_all(
        self, respond: Any, reply: CommandReply, messages: list[Message]
    ) -> None:
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        for message in messages:
            try:
                await respond(
                    text=message["text"],
                    blocks=message["blocks"],
                    response_type=response_type,
                    replace_original=False,
                )
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                log.warning("slack: answering through response_url failed: %s", exc)
                return

    # --- posting ---------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        *,
        landed: Callable[[], Awaitable[Any]] | None = None,
        **kwargs: Any,
    ) -> Any:
        """One Web API call, retried on 429 (after Retry-After), 5xx, timeouts and resets.

        ``landed`` is asked before every retry whether the failed attempt took effect
        anyway (a timeout can hide a success); a non-None answer ends the retries.
        """
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1 and landed is not None and (found := await landed()) is not None:
                return found
            try:
                return await getattr(self.client, method)(**kwargs)
            except SlackApiError as exc:
                status = exc.response.status_code
                data = exc.response.data
                error = data.get("error") if isinstance(data, dict) else None
                if status == 429:
                    after = _header(exc.response.headers, "Retry-After")
                    delay = float(after) if after and after.isdigit() else self.backoff
                    reason = "rate limited"
                elif status >= 500:
                    delay = self.backoff * 2 ** (attempt - 1)
                    reason = f"HTTP {status}"
                else:
                    raise DeliveryError(f"Slack {method}: {error or f'HTTP {status}'}") from None
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                delay = self.backoff * 2 ** (attempt - 1)
                reason = type(exc).__name__
            if attempt == self.max_attempts:
                raise DeliveryError(f"Slack {method}: {reason} after {attempt} attempts")
            log.info("slack: %s %s; retrying in %.1fs", method, reason, delay)
            await self._sleep(min(delay, self.max_delay))
        raise AssertionError("unreachable")

    async def posted_parts(self, channel: str, key: str, *, thread: bool = False) -> dict[int, str]:
        """Parts of the digest ``key`` already in the channel (by message metadata); with
        ``thread``, also the parts posted as replies under its first part."""
        found = await self._tagged(key, "conversations_history", channel=channel, limit=100)
        if thread and 0 in found:
            replies = await self._tagged(
                key, "conversations_replies", channel=channel, ts=found[0], limit=200
            )
            found = {**replies, **found}
        return found

    async def _tagged(self, key: str, method: str, **params: Any) -> dict[int, str]:
        """Message ts by digest part, for the messages ``method`` lists that carry ``key``."""
        try:
            response = await self.call(method, include_all_metadata=True, **params)
        except DeliveryError as exc:
            log.debug("slack: cannot read %s: %s", method, exc)
            return {}
        found: dict[int, str] = {}
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
                found[int(payload.get("part", 0))] = str(message.get("ts"))
        return found

    async def _landed(
        self, channel: str, key: str, part: int, thread: bool
    ) -> dict[str, str] | None:
        if not self.check_history:
            return None
        ts = (await self.posted_parts(channel, key, thread=thread)).get(part)
        return {"ts": ts} if ts is not None else None

    async def post_digest(self, route: Route, digest: Digest, *, key: str) -> list[str]:
        messages = render_digest(digest)
        done = (
            await self.posted_parts(route.channel, key, thread=route.thread)
            if self.check_history
            else {}
        )
        if done:
            log.info("slack: digest %s already has parts %s in the channel", key, sorted(done))
        ids: list[str] = []
        thread_ts: str | None = None
        sent = 0
        for part, message in enumerate(messages):
            ts = done.get(part)
            if ts is None:
                if sent and self.pace:
                    await self._sleep(self.pace)  # Slack allows about 1 message/s per channel
                extra: dict[str, Any] = {}
                if route.thread and thread_ts:
                    extra["thread_ts"] = thread_ts
                response = await self.call(
                    "chat_postMessage",
                    landed=functools.partial(self._landed, route.channel, key, part, route.thread),
                    channel=route.channel,
                    text=message["text"],
                    blocks=message["blocks"],
                    metadata={
                        "event_type": EVENT_TYPE,
                        "event_payload": {"key": key, "part": part, "parts": len(messages)},
                    },
                    unfurl_links=False,
                    unfurl_media=False,
                    **extra,
                )
                ts = str(response.get("ts"))
                sent += 1
            if thread_ts is None:
                thread_ts = ts
            ids.append(ts)
        return ids


def _reply(work: asyncio.Future[CommandReply]) -> CommandReply:
    try:
        return work.result()
    except Exception:  # the handler turns failures into replies; this is the last guard
        log.exception("slack: /news handler failed")
        return CommandReply(
            text="Sorry, that failed unexpectedly; the error is logged.", ephemeral=True
        )


def _ack_kwargs(reply: CommandReply, message: Message) -> dict[str, Any]:
    return {
        "response_type": "ephemeral" if reply.ephemeral else "in_channel",
        "text": message["text"],
        "blocks": message["blocks"],
    }


def _bolt_logger() -> logging.Logger:
    """bolt's logger, minus the warning it gives whenever SLACK_BOT_TOKEN is set in the
    environment although the client (built from that same token) is injected."""
    logger = logging.getLogger("newsbot.slack_bolt")
    if not any(isinstance(f, _InjectedClientNotice) for f in logger.filters):
        logger.addFilter(_InjectedClientNotice())
    return logger


class _InjectedClientNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()
