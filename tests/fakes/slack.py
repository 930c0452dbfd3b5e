"""A fake Slack on 127.0.0.1: Web API, response_url and a Socket Mode WebSocket.

Every request is recorded (method, JSON/form body, headers). Failures are
scripted per method with ``fail_next``. Point ``slack.api_url`` at
``fake.api_url``; ``response_url`` values point at ``fake.response_url(n)``.
In the spirit of bolt-python's ``mock_web_api_server``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web


@dataclass
class Recorded:
    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    delay: float = 0.0


class FakeSlack:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.responses: list[Recorded] = []  # what arrived at response_url
        self.failures: dict[str, list[Failure]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel → posted messages
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.socket_connected = asyncio.Event()
        self.response_delay = 0.0
        self.api_delay = 0.0  # after recording a call, before answering it
        self.late_answers: dict[str, list[float]] = {}  # method → delays: done, answered late

    # --- control ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, n: int | str = 1) -> str:
        return f"{self.base_url}/response/{n}"

    def fail_next(self, method: str, status: int, **kwargs: Any) -> None:
        self.failures.setdefault(method, []).append(Failure(status=status, **kwargs))

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- Web API ---------------------------------------------------------------------------

    async def _body(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text() if request.can_read_body else ""
        if request.content_type == "application/json":
            return dict(json.loads(raw or "{}"))
        body: dict[str, Any] = dict(parse_qsl(raw))
        for name in ("blocks", "metadata"):
            if isinstance(body.get(name), str):
                body[name] = json.loads(body[name])
        return body

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._body(request)
        body.update({k: v for k, v in request.query.items() if k not in body})
        loop = asyncio.get_running_loop()
        self.requests.append(Recorded(method, body, dict(request.headers), loop.time()))
        queue = self.failures.get(method)
        if queue:
            failure = queue.pop(0)
            if failure.delay:
                await asyncio.sleep(failure.delay)
            payload = failure.body or {"ok": False, "error": "fake_failure"}
            return web.json_response(payload, status=failure.status, headers=failure.headers)
        if not request.headers.get("Authorization", "").startswith("Bearer x"):
            return web.json_response({"ok": False, "error": "not_authed"})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": True})
        answer = handler(body)
        if self.api_delay:
            await asyncio.sleep(self.api_delay)
        if self.late_answers.get(method):
            await asyncio.sleep(self.late_answers[method].pop(0))
        return web.json_response(answer)

    def _m_auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "team_id": "T0FAKE",
            "user": "newsbot",
            "user_id": "U0BOT",
            "bot_id": "B0BOT",
        }

    def _m_chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel"))
        ts = f"{1700000000 + next(self._ts)}.000100"
        message = {
            "ts": ts,
            "text": body.get("text"),
            "blocks": body.get("blocks"),
            "metadata": body.get("metadata"),
            "thread_ts": body.get("thread_ts"),
        }
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel"))
        messages = [m for m in self.messages.get(channel, []) if not m.get("thread_ts")]
        return {"ok": True, "messages": list(reversed(messages)), "has_more": False}

    def _m_conversations_replies(self, body: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(body.get("channel")), str(body.get("ts"))
        thread = [m for m in self.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def _m_apps_connections_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    async def _response(self, request: web.Request) -> web.Response:
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        body = await self._body(request)
        loop = asyncio.get_running_loop()
        self.responses.append(
            Recorded(request.match_info["n"], body, dict(request.headers), loop.time())
        )
        return web.Response(text="ok")

    # --- Socket Mode -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1})
        self.socket_connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                future = self._acks.get(data.get("envelope_id", ""))
                if future is not None and not future.done():
                    future.set_result(data)
            elif msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break
        return ws

    async def send_slash_command(
        self, payload: dict[str, Any], *, envelope_id: str = "env-1", timeout: float = 5.0
    ) -> dict[str, Any]:
        """Deliver a slash command over the socket; return the app's acknowledgement."""
        await asyncio.wait_for(self.socket_connected.wait(), timeout)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": payload,
            }
        )
        return await asyncio.wait_for(future, timeout)


@asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


# --- hand-built digests ------------------------------------------------------------------------


def sample_story(
    n: int, *, facts: int = 3, fact_len: int = 60, sources: int = 2, story_id: int | None = None
) -> Any:
    from bot.digest.model import DigestStory
    from summariser.types import Fact, FactKind, Source, StoryFact, StorySummary

    items = []
    for i in range(facts):
        body = f"Fact {n}.{i} " + "x" * max(0, fact_len - 10)
        if i % 3 == 0:
            fact = Fact(
                text=body,
                kind=FactKind.QUOTE,
                speaker=f"Ana Speaker{n}",
                speaker_role="minister",
                cue="said",
                sentence=i,
            )
        elif i % 3 == 1:
            fact = Fact(
                text=body,
                kind=FactKind.CLAIM,
                speaker="Police",
                speaker_role=None,
                cue="said",
                sentence=i,
            )
        else:
            fact = Fact(
                text=body,
                kind=FactKind.REPORT,
                speaker=None,
                speaker_role=None,
                cue=None,
                sentence=i,
            )
        items.append(StoryFact(fact=fact, outlets=("Outlet A", "Outlet B"), key=f"k{n}-{i}"))
    summary = StorySummary(
        headline=f"Story {n} headline",
        facts=tuple(items),
        sources=tuple(
            Source(outlet=f"Outlet {chr(65 + j)}", url=f"https://news{j}.example/{n}")
            for j in range(sources)
        ),
    )
    return DigestStory(story_id=story_id, summary=summary)


def sample_digest(stories: int = 2, *, route: str = "morning", **kwargs: Any) -> Any:
    from datetime import UTC, datetime

    from bot.digest.model import Digest

    return Digest(
        route=route,
        title="Morning news",
        created_at=datetime(2026, 1, 1, 8, tzinfo=UTC),
        stories=tuple(sample_story(n, **kwargs) for n in range(stories)),
    )
