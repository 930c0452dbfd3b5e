"""A fake Discord: REST API and gateway on 127.0.0.1, recording what a real client sends.

Enough of Discord for discord.py to log in, identify, receive READY, sync app
commands, answer an interaction, send follow-ups and create messages (with
nonces, threads and an occasional 429). Details that matter to discord.py:

* responses carry ``Content-Type: application/json`` exactly (discord.py
  compares the header verbatim; aiohttp's ``json_response`` would add a charset
  and discord.py would then see text, not JSON);
* a 429 carries a ``Via`` header (without one discord.py takes it for a
  Cloudflare ban and gives up) and a JSON body with ``retry_after``;
* interaction callbacks are answered with the ``InteractionCallback`` JSON that
  ``with_response=1`` asks for.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from bot.commands.types import CommandReply, CommandRequest
from bot.digest.model import DigestStory
from bot.errors import CommandError
from summariser.types import Fact, FactKind, Source, StoryFact, StorySummary

TOKEN = "fake-bot-token.not-real.0000"
APP_ID = "100000000000000001"
BOT_ID = APP_ID
GUILD_ID = "200000000000000002"
CHANNEL_ID = "300000000000000003"
USER_ID = "400000000000000004"
ROLE_ID = "500000000000000005"
ROLE_NAME = "news-watchers"

JSON = "application/json"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    status: int = 200
    duplicate: bool = False  # a repeated nonce: answered with the message created before


@dataclass
class FakeDiscord:
    """Start with ``await fake.start()``; ``api_url`` and ``gateway_url`` point a client here."""

    token: str = TOKEN
    guilds: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    rate_limit_next: int = 0  # how many channel-message POSTs to answer with 429 first
    lose_answer_next: int = 0  # how many to create but answer with 502, as a flaky proxy would
    retry_after: float = 0.05

    def __post_init__(self) -> None:
        self._ids = itertools.count(900_000_000_000_000_000)
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self._threads: set[str] = set()  # messages that have a thread
        self.identified = asyncio.Event()
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        api = "/api/v10"
        app.router.add_get("/gateway", self._gateway_ws)
        app.router.add_get(api + "/gateway", self._gateway_info)
        app.router.add_get(api + "/gateway/bot", self._gateway_info)
        app.router.add_get(api + "/users/@me", self._me)
        app.router.add_get(api + "/oauth2/applications/@me", self._application)
        app.router.add_put(api + "/applications/{app}/commands", self._commands)
        app.router.add_put(api + "/applications/{app}/guilds/{guild}/commands", self._commands)
        app.router.add_post(api + "/interactions/{id}/{token}/callback", self._callback)
        app.router.add_post(api + "/webhooks/{app}/{token}", self._followup)
        app.router.add_route("*", api + "/webhooks/{app}/{token}/messages/{msg}", self._original)
        app.router.add_post(api + "/channels/{channel}/messages", self._create_message)
        app.router.add_post(api + "/channels/{channel}/messages/{msg}/threads", self._thread)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- what was received ----------------------------------------------------------

    def received(self, method: str, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    @property
    def command_syncs(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "PUT" and r.path.endswith("/commands")]

    @property
    def callbacks(self) -> list[Recorded]:
        return self.received("POST", "/callback")

    @property
    def followups(self) -> list[Recorded]:
        return [r for r in self.received("POST", "/webhooks/") if "/messages" not in r.path]

    def channel_posts(self, channel: str | None = None) -> list[Recorded]:
        """Message creations that got a 2xx answer (429s are in ``requests`` too)."""
        return [
            r
            for r in self.received("POST", "/messages")
            if r.path.endswith("/messages")
            and r.status == 200
            and (channel is None or f"/channels/{channel}/" in r.path)
        ]

    # -- gateway --------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        await ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to every connected client."""
        for ws in self._sockets:
            await self._send(ws, {"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def _gateway_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await self._send(ws, {"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": 41250}})
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op = payload.get("op")
                if op == 1:
                    self.heartbeats += 1
                    await self._send(ws, {"op": 11, "s": None, "t": None, "d": None})
                elif op == 2:
                    self.identifies.append(payload["d"])
                    await self._ready(ws)
                    self.identified.set()
        finally:
            self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": self._bot_user(),
            "guilds": [{"id": g["id"], "unavailable": True} for g in self.guilds],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "shard": [0, 1],
        }
        await self._send(ws, {"op": 0, "t": "READY", "s": next(self._seq), "d": ready})
        for guild in self.guilds:
            await self._send(ws, {"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})

    async def send_command(
        self,
        subcommand: str,
        options: list[dict[str, Any]] | None = None,
        *,
        token: str,
        autocomplete: bool = False,
    ) -> str:
        """Dispatch INTERACTION_CREATE for ``/news <subcommand>`` (type 2, or 4 for an
        autocomplete request: mark the option being typed ``"focused": True``);
        returns the interaction id."""
        interaction_id = str(next(self._ids))
        await self.dispatch(
            "INTERACTION_CREATE",
            {
                "id": interaction_id,
                "application_id": APP_ID,
                "type": 4 if autocomplete else 2,
                "token": token,
                "version": 1,
                "data": {
                    "id": "600000000000000006",
                    "name": "news",
                    "type": 1,
                    "options": [{"name": subcommand, "type": 1, "options": options or []}],
                },
                "channel_id": CHANNEL_ID,
                "channel": {"id": CHANNEL_ID, "type": 1},
                "user": self._user(),
                "locale": "en-GB",
                "app_permissions": "0",
                "entitlements": [],
                "authorizing_integration_owners": {"1": USER_ID},
                "context": 1,
                "attachment_size_limit": 8_388_608,
            },
        )
        return interaction_id

    # -- REST -----------------------------------------------------------------------

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
        # web.json_response would send "application/json; charset=utf-8"
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": JSON, **(headers or {})},
        )

    async def _record(self, request: web.Request) -> Recorded:
        raw = await request.read()
        body: Any = None
        if raw:
            body = (
                json.loads(raw) if request.content_type == JSON else raw.decode("utf-8", "replace")
            )
        rec = Recorded(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            body=body,
            headers=dict(request.headers),
        )
        self.requests.append(rec)
        return rec

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    def _unauthorised(self) -> Any:
        return self._json({"message": "401: Unauthorized", "code": 0}, status=401)

    def _user(self) -> dict[str, Any]:
        return {
            "id": USER_ID,
            "username": "reader",
            "discriminator": "0",
            "global_name": "A Reader",
            "avatar": None,
        }

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "username": "newsbot",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
        }

    def _message(
        self, channel: str, body: dict[str, Any], *, webhook: bool = False
    ) -> dict[str, Any]:
        data = {
            "id": str(next(self._ids)),
            "channel_id": channel,
            "author": self._bot_user(),
            "content": body.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
            "components": [],
        }
        if "nonce" in body:
            data["nonce"] = body["nonce"]
        if webhook:
            data["webhook_id"] = APP_ID
        return data

    async def _unknown(self, request: web.Request) -> Any:
        await self._record(request)
        return self._json({"message": "404: Not Found", "code": 0}, status=404)

    async def _gateway_info(self, request: web.Request) -> Any:
        await self._record(request)
        return self._json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _me(self, request: web.Request) -> Any:
        await self._record(request)
        if not self._authorised(request):
            return self._unauthorised()
        return self._json(self._bot_user())

    async def _application(self, request: web.Request) -> Any:
        await self._record(request)
        if not self._authorised(request):
            return self._unauthorised()
        return self._json(
            {
                "id": APP_ID,
                "name": "newsbot",
                "icon": None,
                "description": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self._user(),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _commands(self, request: web.Request) -> Any:
        rec = await self._record(request)
        if not self._authorised(request):
            return self._unauthorised()
        guild = request.match_info.get("guild")
        answer = []
        for command in rec.body:
            answer.append(
                {
                    **command,
                    "id": str(next(self._ids)),
                    "application_id": request.match_info["app"],
                    "version": "1",
                    **({"guild_id": guild} if guild else {}),
                }
            )
        return self._json(answer)

    async def _callback(self, request: web.Request) -> Any:
        rec = await self._record(request)
        body = rec.body if isinstance(rec.body, dict) else {}
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": request.match_info["id"], "type": 2}
        answer: dict[str, Any] = {"interaction": interaction}
        if kind in (4, 5):
            message = self._message(CHANNEL_ID, data, webhook=True)
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = bool((data.get("flags") or 0) & 64)
            answer["resource"] = {"type": kind, "message": message}
        return self._json(answer)

    async def _followup(self, request: web.Request) -> Any:
        rec = await self._record(request)
        body = rec.body if isinstance(rec.body, dict) else {}
        return self._json(self._message(CHANNEL_ID, body, webhook=True))

    async def _original(self, request: web.Request) -> Any:
        rec = await self._record(request)
        if request.method == "DELETE":
            return web.Response(status=204)
        body = rec.body if isinstance(rec.body, dict) else {}
        return self._json(self._message(CHANNEL_ID, body, webhook=True))

    async def _create_message(self, request: web.Request) -> Any:
        rec = await self._record(request)
        if not self._authorised(request):
            rec.status = 401
            return self._unauthorised()
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            rec.status = 429
            return self._json(
                {
                    "message": "You are being rate limited.",
                    "retry_after": self.retry_after,
                    "global": False,
                },
                status=429,
                headers={
                    "Via": "1.1 google",
                    "Retry-After": "1",
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": str(self.retry_after),
                    "X-RateLimit-Bucket": "fake-bucket",
                    "X-RateLimit-Scope": "user",
                },
            )
        channel = request.match_info["channel"]
        body = rec.body if isinstance(rec.body, dict) else {}
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord answers a repeated nonce with the message it already created
            seen = self._nonces.get((channel, str(nonce)))
            if seen is not None:
                rec.duplicate = True
                return self._json(seen)
        message = self._message(channel, body)
        if nonce is not None:
            self._nonces[(channel, str(nonce))] = message
        if self.lose_answer_next > 0:
            self.lose_answer_next -= 1
            rec.status = 502
            return self._json({"message": "Bad Gateway", "code": 0}, status=502)
        return self._json(message)

    async def _thread(self, request: web.Request) -> Any:
        rec = await self._record(request)
        body = rec.body if isinstance(rec.body, dict) else {}
        message_id = request.match_info["msg"]  # as on Discord: the thread takes its id
        if message_id in self._threads:
            rec.status = 400
            return self._json(
                {"message": "A thread has already been created for this message", "code": 160004},
                status=400,
            )
        self._threads.add(message_id)
        return self._json(
            {
                "id": message_id,
                "type": 11,
                "guild_id": GUILD_ID,
                "parent_id": request.match_info["channel"],
                "owner_id": BOT_ID,
                "name": body.get("name", "thread"),
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": 1,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": body.get("auto_archive_duration", 1440),
                    "archive_timestamp": datetime.now(UTC).isoformat(),
                    "locked": False,
                },
                "flags": 0,
            }
        )


def guild_with_role() -> dict[str, Any]:
    """A GUILD_CREATE payload for one guild holding the role ``ROLE_NAME``."""
    return {
        "id": GUILD_ID,
        "name": "Newsroom",
        "icon": None,
        "owner_id": USER_ID,
        "unavailable": False,
        "member_count": 2,
        "large": False,
        "features": [],
        "roles": [
            {
                "id": GUILD_ID,
                "name": "@everyone",
                "color": 0,
                "hoist": False,
                "position": 0,
                "permissions": "0",
                "managed": False,
                "mentionable": False,
            },
            {
                "id": ROLE_ID,
                "name": ROLE_NAME,
                "color": 0,
                "hoist": False,
                "position": 1,
                "permissions": "0",
                "managed": False,
                "mentionable": True,
            },
        ],
        "emojis": [],
        "stickers": [],
        "channels": [],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "joined_at": datetime.now(UTC).isoformat(),
        "mfa_level": 0,
        "verification_level": 0,
        "explicit_content_filter": 0,
        "default_message_notifications": 0,
        "premium_tier": 0,
        "preferred_locale": "en-GB",
        "system_channel_flags": 0,
        "nsfw_level": 0,
    }


class RecordingHandler:
    """A small real ``CommandHandler``: canned replies, and every request kept.

    ``latest`` answers with ``stories`` (or a line saying there are none),
    ``story missing`` raises ``CommandError`` (an ephemeral error), ``slow``
    sleeps ``delay`` seconds first, anything else echoes its arguments.
    """

    def __init__(self, stories: tuple[DigestStory, ...] = (), *, delay: float = 0.0) -> None:
        self.stories = stories
        self.delay = delay
        self.requests: list[CommandRequest] = []

    async def handle(self, request: CommandRequest) -> CommandReply:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if request.subcommand == "latest":
            if not self.stories:
                return CommandReply(text="No stories yet.")
            return CommandReply(text=f"{len(self.stories)} latest stories", stories=self.stories)
        if request.subcommand == "story" and request.args == ("missing",):
            raise CommandError("No story called “missing”. Try /news search.")
        if request.subcommand == "help":
            return CommandReply(text="/news latest [topic] [count] …", ephemeral=True)
        return CommandReply(text=f"{request.subcommand}: {' '.join(request.args)}")


def make_story(
    index: int,
    *,
    facts: int = 3,
    fact_length: int = 120,
    sources: int = 2,
    is_update: bool = False,
    headline: str | None = None,
) -> DigestStory:
    """A story with quotes, claims and outlet reports, in the seed article's style."""
    items: list[StoryFact] = []
    for n in range(facts):
        words = f"Fact {n} of story {index}: the council said the bridge would reopen in spring"
        text = (words + " and more" * fact_length)[:fact_length].rstrip() + "."
        if n % 3 == 0:
            fact = Fact(
                text=text,
                kind=FactKind.REPORT,
                speaker=None,
                speaker_role=None,
                cue=None,
                sentence=n,
            )
        elif n % 3 == 1:
            fact = Fact(
                text=f"“{text}”",
                kind=FactKind.QUOTE,
                speaker="Maria Lopez",
                speaker_role="transport minister",
                cue="said",
                sentence=n,
            )
        else:
            fact = Fact(
                text=text,
                kind=FactKind.CLAIM,
                speaker="City Council",
                speaker_role=None,
                cue="claimed",
                sentence=n,
            )
        items.append(
            StoryFact(fact=fact, outlets=("Example Times", "Daily Sample"), key=f"s{index}f{n}")
        )
    return DigestStory(
        story_id=index,
        is_update=is_update,
        summary=StorySummary(
            headline=headline or f"Story {index}: bridge to reopen after repairs",
            facts=tuple(items),
            sources=tuple(
                Source(outlet=f"Outlet {k}", url=f"https://news{k}.example/story/{index}_(a)")
                for k in range(sources)
            ),
        ),
    )
