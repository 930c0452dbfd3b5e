"""The real bolt app and slack_sdk against the fake Slack on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import EVENT_TYPE, WORKING, SlackAdapter
from bot.commands.types import CommandReply, CommandRequest
from bot.config import Config, Route
from bot.config.models import Slack
from bot.errors import DeliveryError
from tests.fakes.slack import FakeSlack, fake_slack, sample_digest

SECRET = "fake-signing-secret"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with fake_slack() as server:
        yield server


def slack_config(fake: FakeSlack, mode: str = "http") -> Config:
    return Config(
        slack=Slack(
            mode=mode,  # type: ignore[arg-type]
            api_url=fake.api_url,
            host="127.0.0.1",
            port=0,
            bot_token="xoxb-fake",
            app_token="xapp-fake",
            signing_secret=SECRET,
        ),
        routes=[Route(name="morning", platform="slack", channel="C123")],  # type: ignore[arg-type]
    )


class EchoHandler:
    """A CommandHandler that answers with what it got, after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.seen: list[CommandRequest] = []

    async def handle(self, request: CommandRequest) -> CommandReply:
        self.seen.append(request)
        await asyncio.sleep(self.delay)
        return CommandReply(text=f"{request.subcommand}: {' '.join(request.args)}")


def signed(body: str, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(fake: FakeSlack, text: str) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0FAKE",
            "channel_id": "C123",
            "user_id": "U1",
            "command": "/news",
            "text": text,
            "response_url": fake.response_url(1),
            "trigger_id": "1.2.3",
        }
    )


async def post_command(adapter: SlackAdapter, body: str, headers: dict[str, str]) -> Any:
    url = f"http://127.0.0.1:{adapter.port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body.encode(), headers=headers) as resp,
    ):
        text = await resp.text()
        return resp.status, (json.loads(text) if text.startswith("{") else text)


async def test_signed_slash_command_is_answered_in_the_ack(fake: FakeSlack) -> None:
    handler = EchoHandler()
    adapter = SlackAdapter(slack_config(fake), handler=handler)
    await adapter.start()
    try:
        body = command_body(fake, "latest ukraine 5")
        status, answer = await post_command(adapter, body, signed(body))
    finally:
        await adapter.close()
    assert status == 200
    assert answer["response_type"] == "in_channel"
    assert answer["text"] == "latest: ukraine 5"
    assert handler.seen[0].subcommand == "latest"
    assert handler.seen[0].args == ("ukraine", "5")
    assert handler.seen[0].channel == "C123" and handler.seen[0].platform == "slack"


@pytest.mark.parametrize("problem", ["forged", "stale", "missing"])
async def test_bad_signature_gets_401(fake: FakeSlack, problem: str) -> None:
    handler = EchoHandler()
    adapter = SlackAdapter(slack_config(fake), handler=handler)
    await adapter.start()
    try:
        body = command_body(fake, "help")
        headers = {
            "forged": signed(body, secret="wrong"),
            "stale": signed(body, age=600),
            "missing": {"Content-Type": "application/x-www-form-urlencoded"},
        }[problem]
        status, _ = await post_command(adapter, body, headers)
    finally:
        await adapter.close()
    assert status == 401
    assert handler.seen == []


async def test_slow_command_acks_first_and_answers_through_response_url(fake: FakeSlack) -> None:
    adapter = SlackAdapter(slack_config(fake), handler=EchoHandler(delay=0.5), inline_budget=0.1)
    await adapter.start()
    try:
        body = command_body(fake, "search budget vote")
        started = time.monotonic()
        status, answer = await post_command(adapter, body, signed(body))
        acked = time.monotonic() - started
        for _ in range(100):
            if fake.responses:
                break
            await asyncio.sleep(0.05)
    finally:
        await adapter.close()
    assert status == 200 and acked < 0.5
    assert answer == {"response_type": "ephemeral", "text": WORKING}
    [response] = fake.responses
    assert response.body["text"] == "search: budget vote"
    assert response.body["response_type"] == "in_channel"
    assert response.body["replace_original"] is False


async def test_post_digest_splits_and_tags_every_part(fake: FakeSlack) -> None:
    config = slack_config(fake)
    adapter = SlackAdapter(config, handler=EchoHandler(), pace=0)
    digest = sample_digest(40, facts=10, fact_len=200, sources=5)
    ids = await adapter.post_digest(config.routes[0], digest, key="digest:morning:abc")
    posts = fake.calls("chat.postMessage")
    assert len(posts) == len(ids) > 1
    for part, post in enumerate(posts):
        assert post.body["channel"] == "C123"
        assert len(post.body["blocks"]) <= 50
        assert post.body["metadata"] == {
            "event_type": EVENT_TYPE,
            "event_payload": {"key": "digest:morning:abc", "part": part, "parts": len(posts)},
        }
        assert post.headers["Authorization"] == "Bearer xoxb-fake"


async def test_429_is_retried_after_retry_after(fake: FakeSlack) -> None:
    config = slack_config(fake)
    adapter = SlackAdapter(config, handler=EchoHandler(), pace=0, check_history=False)
    fake.fail_next(
        "chat.postMessage",
        429,
        headers={"Retry-After": "1"},
        body={"ok": False, "error": "ratelimited"},
    )
    started = time.monotonic()
    ids = await adapter.post_digest(config.routes[0], sample_digest(1), key="k1")
    elapsed = time.monotonic() - started
    posts = fake.calls("chat.postMessage")
    assert len(posts) == 2 and len(ids) == 1
    assert posts[1].at - posts[0].at >= 0.95
    assert elapsed >= 0.95
    assert len(fake.messages["C123"]) == 1


async def test_5xx_and_timeouts_are_retried_then_give_up(fake: FakeSlack) -> None:
    config = slack_config(fake)
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token="xoxb-fake", base_url=fake.api_url, timeout=1, retry_handlers=[])
    adapter = SlackAdapter(
        config, handler=EchoHandler(), client=client, pace=0, backoff=0.01, check_history=False
    )
    fake.fail_next("chat.postMessage", 503)
    fake.fail_next("chat.postMessage", 200, delay=1.5)  # a timeout
    ids = await adapter.post_digest(config.routes[0], sample_digest(1), key="k2")
    assert len(ids) == 1 and len(fake.calls("chat.postMessage")) == 3

    adapter.max_attempts = 2
    fake.fail_next("chat.postMessage", 500)
    fake.fail_next("chat.postMessage", 502)
    with pytest.raises(DeliveryError, match="HTTP 502 after 2 attempts"):
        await adapter.post_digest(config.routes[0], sample_digest(1), key="k3")

    fake.fail_next("chat.postMessage", 200, body={"ok": False, "error": "channel_not_found"})
    with pytest.raises(DeliveryError, match="channel_not_found"):
        await adapter.post_digest(config.routes[0], sample_digest(1), key="k4")


async def test_retry_skips_parts_already_in_the_channel(fake: FakeSlack) -> None:
    config = slack_config(fake)
    adapter = SlackAdapter(config, handler=EchoHandler(), pace=0)
    digest = sample_digest(40, facts=10, fact_len=200, sources=5)
    first = await adapter.post_digest(config.routes[0], digest, key="kk")
    # A crash lost the last part: drop it from the channel, then retry the same key.
    fake.messages["C123"].pop()
    again = await adapter.post_digest(config.routes[0], digest, key="kk")
    assert again[:-1] == first[:-1]
    assert len(fake.calls("chat.postMessage")) == len(first) + 1
    assert len(fake.messages["C123"]) == len(first)


async def test_socket_mode_slash_command(fake: FakeSlack) -> None:
    handler = EchoHandler()
    adapter = SlackAdapter(slack_config(fake, mode="socket"), handler=handler)
    await adapter.start()
    try:
        ack = await fake.send_slash_command(
            {
                "command": "/news",
                "text": "story budget",
                "channel_id": "C9",
                "user_id": "U1",
                "team_id": "T0FAKE",
                "response_url": fake.response_url(2),
            }
        )
    finally:
        await adapter.close()
    assert ack["envelope_id"] == "env-1"
    assert ack["payload"]["text"] == "story: budget"
    assert handler.seen[0].channel == "C9"
    opened = fake.calls("apps.connections.open")
    assert opened and opened[0].headers["Authorization"] == "Bearer xapp-fake"


async def test_a_threaded_retry_finds_the_replies_already_posted(fake: FakeSlack) -> None:
    config = slack_config(fake)
    route = config.routes[0].model_copy(update={"thread": True})
    adapter = SlackAdapter(config, handler=EchoHandler(), pace=0)
    digest = sample_digest(40, facts=10, fact_len=200, sources=5)
    first = await adapter.post_digest(route, digest, key="kt")
    assert len(first) > 2
    assert all(m["thread_ts"] == first[0] for m in fake.messages["C123"][1:])
    fake.messages["C123"].pop()  # a crash lost the last reply
    again = await adapter.post_digest(route, digest, key="kt")
    assert again[:-1] == first[:-1]
    assert len(fake.calls("chat.postMessage")) == len(first) + 1
    assert fake.messages["C123"][-1]["thread_ts"] == first[0]


async def test_a_post_that_landed_before_its_timeout_is_not_sent_again(fake: FakeSlack) -> None:
    config = slack_config(fake)
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token="xoxb-fake", base_url=fake.api_url, timeout=1, retry_handlers=[])
    adapter = SlackAdapter(config, handler=EchoHandler(), client=client, pace=0, backoff=0.01)
    fake.late_answers["chat.postMessage"] = [1.5]  # Slack took it, but answered too late
    ids = await adapter.post_digest(config.routes[0], sample_digest(1), key="k-late")
    assert len(fake.calls("chat.postMessage")) == 1
    assert len(fake.messages["C123"]) == 1 and ids == [fake.messages["C123"][0]["ts"]]
