"""The Discord adapter at the wire: a real discord.py client against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters import discord_api
from bot.adapters.discord import DiscordAdapter, nonce_for, webhook_parts
from bot.adapters.discord_render import LIMITS, DiscordMessage, limit_problems, render_digest
from bot.commands.types import SUBCOMMANDS, CommandRequest
from bot.config import Config
from bot.config.models import Discord, Feed, Route
from bot.digest.model import Digest, DigestStory
from bot.errors import ConfigError
from bot.store import Store
from tests.fakes.discord import (
    APP_ID,
    CHANNEL_ID,
    GUILD_ID,
    ROLE_ID,
    ROLE_NAME,
    TOKEN,
    USER_ID,
    FakeDiscord,
    RecordingHandler,
    guild_with_role,
    make_story,
)

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the fake Discord")
        await asyncio.sleep(0.01)


def config_for(fake: FakeDiscord, *, guilds: list[str] | None = None, **route: Any) -> Config:
    return Config(
        feeds=[Feed(name="Example Times", url="https://times.example/feed")],
        routes=[
            Route(**{"name": "morning", "platform": "discord", "channel": CHANNEL_ID, **route})
        ],
        discord=Discord(
            api_url=fake.api_url, gateway_url=fake.gateway_url, token=TOKEN, guilds=guilds or []
        ),
    )


def digest_of(*stories: DigestStory) -> Digest:
    return Digest(route="morning", title="Morning news", created_at=NOW, stories=stories)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    before = discord_api.current()
    server = FakeDiscord(guilds=[guild_with_role()])
    await server.start()
    try:
        yield server
    finally:
        await server.close()
        assert discord_api.current() == before, "the adapter must put discord.py back on close"


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler(stories=(make_story(1), make_story(2, is_update=True)))


@pytest.fixture
async def adapter(fake: FakeDiscord, handler: RecordingHandler) -> AsyncIterator[DiscordAdapter]:
    made = DiscordAdapter(config_for(fake), handler=handler, guild_ready_timeout=0.05)
    try:
        yield made
    finally:
        await made.close()


async def test_logs_in_gets_ready_and_syncs_the_news_group_globally(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await adapter.start()
    assert adapter.client.is_ready()
    assert adapter.client.user is not None and str(adapter.client.user.id) == APP_ID
    assert fake.identifies[0]["token"] == TOKEN
    assert fake.received("GET", "/users/@me")[0].headers["Authorization"] == f"Bot {TOKEN}"
    (sync,) = fake.command_syncs
    assert sync.path == f"/api/v10/applications/{APP_ID}/commands"
    (news,) = sync.body
    assert news["name"] == "news"
    subcommands = {o["name"]: o for o in news["options"]}
    assert tuple(subcommands) == SUBCOMMANDS
    assert all(o["type"] == 1 for o in news["options"])  # SUB_COMMAND
    story = subcommands["story"]["options"][0]
    assert story["name"] == "story" and story["required"] and story["autocomplete"]
    count = {o["name"]: o for o in subcommands["latest"]["options"]}["count"]
    assert (count["type"], count["min_value"], count["max_value"]) == (4, 1, 20)
    assert [c.name for c in adapter.synced] == ["news"]


async def test_syncs_to_configured_guilds(fake: FakeDiscord, handler: RecordingHandler) -> None:
    adapter = DiscordAdapter(
        config_for(fake, guilds=[GUILD_ID]), handler=handler, guild_ready_timeout=0.05
    )
    try:
        await adapter.start()
    finally:
        await adapter.close()
    (sync,) = fake.command_syncs
    assert sync.path == f"/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    assert sync.body[0]["name"] == "news"


async def test_a_bad_token_is_a_config_error(fake: FakeDiscord, handler: RecordingHandler) -> None:
    config = config_for(fake)
    adapter = DiscordAdapter(config, handler=handler, token="wrong")
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await adapter.start()
    await adapter.close()


async def test_news_latest_is_forwarded_and_answered(
    fake: FakeDiscord, adapter: DiscordAdapter, handler: RecordingHandler
) -> None:
    await adapter.start()
    interaction = await fake.send_command(
        "latest",
        [{"name": "topic", "type": 3, "value": "bridge"}, {"name": "count", "type": 4, "value": 2}],
        token="interaction-token-1",
    )
    (callback,) = await eventually(lambda: fake.callbacks)
    assert callback.path == f"/api/v10/interactions/{interaction}/interaction-token-1/callback"
    assert callback.headers["Content-Type"] == "application/json"
    assert callback.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    data = callback.body["data"]
    assert data["content"] == "2 latest stories"
    assert [e["title"] for e in data["embeds"]] == [
        "Story 1: bridge to reopen after repairs",
        "Update: Story 2: bridge to reopen after repairs",
    ]
    assert data["allowed_mentions"] == {"parse": []}
    assert not data.get("flags", 0) & 64  # public
    assert limit_problems(DiscordMessage(content=data["content"], embeds=data["embeds"])) == []
    assert handler.requests == [
        CommandRequest(
            subcommand="latest",
            args=("bridge", "2"),
            platform="discord",
            user=USER_ID,
            channel=CHANNEL_ID,
        )
    ]


async def test_slow_work_is_deferred_then_followed_up(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    handler.delay = 0.3
    adapter = DiscordAdapter(
        config_for(fake), handler=handler, defer_after=0.05, guild_ready_timeout=0.05
    )
    try:
        await adapter.start()
        await fake.send_command(
            "search", [{"name": "query", "type": 3, "value": "oil prices"}], token="tok-2"
        )
        (followup,) = await eventually(lambda: fake.followups)
    finally:
        await adapter.close()
    (callback,) = fake.callbacks
    assert callback.body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE ("thinking…")
    assert followup.path == f"/api/v10/webhooks/{APP_ID}/tok-2"
    assert followup.body["content"] == "search: oil prices"
    assert handler.requests[0].args == ("oil prices",)


async def test_errors_are_ephemeral(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    await adapter.start()
    await fake.send_command(
        "story", [{"name": "story", "type": 3, "value": "missing"}], token="tok-3"
    )
    (callback,) = await eventually(lambda: fake.callbacks)
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & 64  # EPHEMERAL
    assert "No story called" in callback.body["data"]["content"]


async def test_a_deferred_error_stays_ephemeral(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    handler.delay = 0.2
    adapter = DiscordAdapter(
        config_for(fake), handler=handler, defer_after=0.01, guild_ready_timeout=0.05
    )
    try:
        await adapter.start()
        await fake.send_command(
            "story", [{"name": "story", "type": 3, "value": "missing"}], token="tok-4"
        )
        (followup,) = await eventually(lambda: fake.followups)
    finally:
        await adapter.close()
    assert fake.received("DELETE", "/messages/@original")
    assert followup.body["flags"] & 64


async def test_autocomplete_offers_feed_and_route_names(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await adapter.start()
    await fake.send_command(
        "sources",
        [{"name": "feed", "type": 3, "value": "tim", "focused": True}],
        token="tok-5",
        autocomplete=True,
    )
    (callback,) = await eventually(lambda: fake.callbacks)
    assert callback.body["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert callback.body["data"]["choices"] == [{"name": "Example Times", "value": "Example Times"}]


async def test_a_big_digest_splits_within_limits_with_nonces_through_a_429(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    # posting needs no gateway: the one-shot `newsbot digest` path logs in over REST only
    stories = [make_story(i, facts=8, fact_length=400, sources=5) for i in range(25)]
    digest = digest_of(*stories)
    expected = render_digest(digest)
    assert len(expected) > 2
    fake.rate_limit_next = 1
    route = adapter._config.route("morning")
    ids = await adapter.post_digest(route, digest, key="digest-key-1")

    assert [r.status for r in fake.received("POST", f"/channels/{CHANNEL_ID}/messages")][:2] == [
        429,
        200,
    ]
    posts = fake.channel_posts(CHANNEL_ID)
    assert len(posts) == len(expected) == len(ids)
    titles = []
    for index, post in enumerate(posts):
        assert post.headers["Content-Type"] == "application/json"
        body = post.body
        assert body["nonce"] == nonce_for("digest-key-1", index)
        assert len(body["nonce"]) <= 25
        assert body["enforce_nonce"] is True
        assert body["allowed_mentions"] == {"parse": []}
        message = DiscordMessage(content=body.get("content"), embeds=tuple(body["embeds"]))
        assert limit_problems(message) == []
        assert len(body["embeds"]) <= LIMITS.embeds
        titles += [e["title"] for e in body["embeds"]]
    assert titles == [f"Story {i}: bridge to reopen after repairs" for i in range(25)]
    assert posts[0].body["content"] == "**Morning news** · 25 stories"


async def test_a_retry_with_the_same_key_cannot_post_twice(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    route = adapter._config.route("morning")
    digest = digest_of(make_story(1))
    first = await adapter.post_digest(route, digest, key="k-same")
    again = await adapter.post_digest(route, digest, key="k-same")
    assert first == again
    assert [p.duplicate for p in fake.channel_posts()] == [False, True]
    other = await adapter.post_digest(route, digest, key="k-other")
    assert other != first


async def test_a_role_mention_pings_only_that_role(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = DiscordAdapter(
        config_for(fake, mention=ROLE_NAME), handler=handler, guild_ready_timeout=0.05
    )
    try:
        await adapter.start()  # READY + GUILD_CREATE bring the guild's roles
        await adapter.post_digest(
            adapter._config.route("morning"), digest_of(make_story(1)), key="m"
        )
    finally:
        await adapter.close()
    (post,) = fake.channel_posts()
    assert post.body["content"].startswith(f"<@&{ROLE_ID}>\n**Morning news**")
    assert post.body["allowed_mentions"] == {"parse": [], "roles": [int(ROLE_ID)]}


@pytest.mark.parametrize("mention", ["@everyone", "here", "no-such-role"])
async def test_everyone_and_unknown_roles_never_ping(
    fake: FakeDiscord, handler: RecordingHandler, mention: str
) -> None:
    adapter = DiscordAdapter(config_for(fake, mention=mention), handler=handler)
    try:
        await adapter.post_digest(
            adapter._config.route("morning"), digest_of(make_story(1)), key="m"
        )
    finally:
        await adapter.close()
    (post,) = fake.channel_posts()
    assert post.body["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in post.body["content"] and "<@&" not in post.body["content"]


async def test_a_thread_per_digest_holds_the_rest(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = DiscordAdapter(config_for(fake, thread=True), handler=handler)
    stories = [make_story(i, facts=8, fact_length=400) for i in range(12)]
    try:
        ids = await adapter.post_digest(
            adapter._config.route("morning"), digest_of(*stories), key="t"
        )
    finally:
        await adapter.close()
    (thread,) = fake.received("POST", "/threads")
    assert thread.body["name"] == "Morning news"
    posts = fake.channel_posts()
    assert len(posts) == len(ids) > 1
    assert posts[0].path == f"/api/v10/channels/{CHANNEL_ID}/messages"
    assert all(f"/channels/{CHANNEL_ID}/" not in p.path for p in posts[1:])


async def test_a_channel_name_is_a_config_error(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    config = config_for(fake)
    adapter = DiscordAdapter(config, handler=handler)
    route = config.route("morning").model_copy(update={"channel": "#general"})
    try:
        with pytest.raises(ConfigError, match="channel"):
            await adapter.post_digest(route, digest_of(make_story(1)), key="x")
    finally:
        await adapter.close()


async def test_webhook_only_posting_needs_no_bot_token(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    hook = "https://discord.com/api/webhooks/700000000000000007/hook-token_x"
    config = config_for(fake, channel=hook, mention=ROLE_ID)
    config = config.model_copy(
        update={"discord": config.discord.model_copy(update={"token": None})}
    )
    adapter = DiscordAdapter(config, handler=handler)
    stories = [make_story(i, facts=8, fact_length=400) for i in range(12)]
    try:
        ids = await adapter.post_digest(config.route("morning"), digest_of(*stories), key="w")
    finally:
        await adapter.close()
    posts = fake.received("POST", "/webhooks/700000000000000007/hook-token_x")
    assert len(posts) == len(ids) == len(render_digest(digest_of(*stories))) > 1
    assert all(p.query.get("wait") == "1" for p in posts)
    assert posts[0].body["content"].startswith(f"<@&{ROLE_ID}>")
    assert posts[0].body["allowed_mentions"] == {"parse": [], "roles": [int(ROLE_ID)]}
    assert posts[1].body["allowed_mentions"] == {"parse": []}
    for post in posts:
        message = DiscordMessage(content=post.body.get("content"), embeds=post.body["embeds"])
        assert limit_problems(message) == []
    assert not fake.received("GET", "/users/@me")  # no login


def test_webhook_urls_are_recognised() -> None:
    assert webhook_parts("https://discord.com/api/webhooks/123/abc-DEF_1") == (123, "abc-DEF_1")
    assert webhook_parts("https://discordapp.com/api/v10/webhooks/9/t/") == (9, "t")
    assert webhook_parts(CHANNEL_ID) is None
    assert webhook_parts("https://example.com/webhooks/1/t") is None


async def test_story_autocomplete_reads_open_stories_from_the_store(
    fake: FakeDiscord, handler: RecordingHandler, sqlite_url: str
) -> None:
    store = await Store.open(sqlite_url)
    bridge = await store.stories.create(title="Bridge to reopen after repairs")
    await store.stories.create(title="Council budget approved")
    adapter = DiscordAdapter(
        config_for(fake), handler=handler, store=store, guild_ready_timeout=0.05
    )
    try:
        await adapter.start()
        await fake.send_command(
            "story",
            [{"name": "story", "type": 3, "value": "bri", "focused": True}],
            token="tok-6",
            autocomplete=True,
        )
        (callback,) = await eventually(lambda: fake.callbacks)
    finally:
        await adapter.close()
        await store.close()
    assert callback.body["data"]["choices"] == [
        {"name": "Bridge to reopen after repairs", "value": str(bridge)}
    ]


class CompletingHandler(RecordingHandler):
    async def complete(self, kind: str, prefix: str) -> list[tuple[str, str]]:
        return [(f"{kind} {n}: {prefix}", f"{kind}-{n}") for n in range(40)]


async def test_a_handler_that_completes_is_asked_first(fake: FakeDiscord) -> None:
    adapter = DiscordAdapter(config_for(fake), handler=CompletingHandler())
    choices = await adapter.complete("story", "oil")
    await adapter.close()
    assert len(choices) == 25
    assert (choices[0].name, choices[0].value) == ("story 0: oil", "story-0")


async def test_a_lost_answer_is_retried_without_a_second_message(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    # The message is created but the answer is lost (502): discord.py retries, and the
    # nonce makes Discord hand back the message it already has instead of a second one.
    fake.lose_answer_next = 1
    route = adapter._config.route("morning")
    ids = await adapter.post_digest(route, digest_of(make_story(3)), key="k-lost")
    tries = fake.received("POST", f"/channels/{CHANNEL_ID}/messages")
    assert [r.status for r in tries] == [502, 200]
    assert tries[0].body["nonce"] == tries[1].body["nonce"]
    assert [p.duplicate for p in fake.channel_posts()] == [True]
    assert len(ids) == 1


async def test_a_retried_digest_reuses_its_thread(
    fake: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = DiscordAdapter(config_for(fake, thread=True), handler=handler)
    digest = digest_of(*[make_story(i, facts=8, fact_length=400) for i in range(12)])
    route = adapter._config.route("morning")
    try:
        first = await adapter.post_digest(route, digest, key="t-retry")
        again = await adapter.post_digest(route, digest, key="t-retry")
    finally:
        await adapter.close()
    assert again == first
    assert [t.status for t in fake.received("POST", "/threads")] == [200, 400]
    assert all(p.duplicate for p in fake.channel_posts()[len(first) :])
