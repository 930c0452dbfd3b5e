from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import Config, Route
from bot.digest.deliver import ALREADY_SENT, DRY_RUN, EMPTY, POSTED, deliver, idempotency_key
from bot.digest.model import Digest
from bot.errors import DeliveryError
from bot.store import Store
from tests.fakes.slack import sample_digest

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class RecordingAdapter:
    """An Adapter that keeps what it was asked to post (and can be told to fail)."""

    platform = "console"

    def __init__(self, fail: int = 0) -> None:
        self.posts: list[tuple[str, Digest, str]] = []
        self.fail = fail

    async def start(self) -> None:
        return None

    async def post_digest(self, route: Route, digest: Digest, *, key: str) -> list[str]:
        if self.fail:
            self.fail -= 1
            raise DeliveryError("platform down")
        self.posts.append((route.name, digest, key))
        return [f"m{len(self.posts)}"]

    async def close(self) -> None:
        return None


def builder(digest: Digest) -> Any:
    async def build(config: Config, store: Store, route: Route, *, now: datetime) -> Digest:
        return digest

    return build


def setup(**route: Any) -> tuple[Config, Route]:
    config = Config(
        routes=[Route(name="morning", platform="console", channel="stdout", **route)]  # type: ignore[arg-type]
    )
    return config, config.routes[0]


async def test_posts_once_then_never_again(store: Store) -> None:
    config, route = setup()
    digest = sample_digest(2, story_id=None)
    digest = Digest(
        route="morning",
        title=digest.title,
        created_at=NOW,
        stories=tuple(
            type(s)(story_id=i + 1, summary=s.summary) for i, s in enumerate(digest.stories)
        ),
    )
    adapter = RecordingAdapter()
    first = await deliver(config, store, route, adapter, now=NOW, build=builder(digest))
    assert first.status == POSTED and first.message_ids == ("m1",)
    post = await store.posts.get(first.key or "")
    assert post is not None and post.status == "sent" and post.story_ids == (1, 2)
    assert await store.stories.posted_fact_keys("morning", 1) == {"k0-0", "k0-1", "k0-2"}
    assert await store.posts.last_digest("morning") == NOW

    later = NOW.replace(minute=5)
    second = await deliver(config, store, route, adapter, now=later, build=builder(digest))
    assert second.status == ALREADY_SENT and second.key == first.key
    assert len(adapter.posts) == 1


async def test_key_depends_on_route_and_content_not_time() -> None:
    _, route = setup()
    a = sample_digest(2)
    b = Digest(route=a.route, title=a.title, created_at=NOW, stories=a.stories)
    assert idempotency_key(route, a, now=NOW) == idempotency_key(route, b, now=NOW)
    assert idempotency_key(route, a, now=NOW) != idempotency_key(route, sample_digest(3), now=NOW)
    assert idempotency_key(route, a, now=NOW).startswith("digest:morning:")


async def test_empty_digest_posts_nothing(store: Store) -> None:
    config, route = setup()
    empty = Digest(route="morning", title="T", created_at=NOW, stories=())
    adapter = RecordingAdapter()
    result = await deliver(config, store, route, adapter, now=NOW, build=builder(empty))
    assert result.status == EMPTY and adapter.posts == []
    assert await store.posts.for_route("morning") == []


async def test_nothing_new_line_is_posted_once_a_day(store: Store) -> None:
    config, route = setup(nothing_new_message="Nothing new today.")
    empty = Digest(route="morning", title="T", created_at=NOW, stories=())
    adapter = RecordingAdapter()
    first = await deliver(config, store, route, adapter, now=NOW, build=builder(empty))
    again = await deliver(config, store, route, adapter, now=NOW, build=builder(empty))
    tomorrow = await deliver(
        config, store, route, adapter, now=NOW.replace(day=2), build=builder(empty)
    )
    assert (first.status, again.status, tomorrow.status) == (POSTED, ALREADY_SENT, POSTED)
    assert [d.note for _, d, _ in adapter.posts] == ["Nothing new today."] * 2


async def test_dry_run_records_nothing(store: Store) -> None:
    config, route = setup()
    adapter = RecordingAdapter()
    result = await deliver(
        config, store, route, adapter, now=NOW, dry_run=True, build=builder(sample_digest(1))
    )
    assert result.status == DRY_RUN and "Story 0 headline" in result.text
    assert adapter.posts == [] and await store.posts.for_route("morning") == []


async def test_failed_post_is_recorded_and_retried(store: Store) -> None:
    config, route = setup()
    adapter = RecordingAdapter(fail=1)
    build = builder(sample_digest(1))
    with pytest.raises(DeliveryError, match="platform down"):
        await deliver(config, store, route, adapter, now=NOW, build=build)
    [post] = await store.posts.for_route("morning")
    assert post.status == "failed" and post.attempts == 1 and post.error == "platform down"
    result = await deliver(config, store, route, adapter, now=NOW, build=build)
    assert result.status == POSTED and len(adapter.posts) == 1
    [post] = await store.posts.for_route("morning")
    assert post.status == "sent"


async def test_without_a_builder_it_builds(store: Store) -> None:
    config, route = setup()
    result = await deliver(config, store, route, RecordingAdapter(), now=NOW)
    assert result.status in (EMPTY, POSTED)


def test_cli_digest_twice_posts_once(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    out = tmp_path / "digest.txt"
    config = tmp_path / "newsbot.yaml"
    config.write_text(
        f"database: sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}\n"
        f"routes:\n  - name: morning\n    platform: console\n    channel: {out}\n"
    )
    assert main(["digest", "--route", "nope", "--config", str(config)]) == 2
    assert main(["digest", "--route", "morning", "--config", str(config)]) == 0
    first = out.read_text() if out.exists() else ""
    assert main(["digest", "--route", "morning", "--config", str(config)]) == 0
    assert (out.read_text() if out.exists() else "") == first


def test_cli_digest_summarises_what_was_polled_first(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # `newsbot poll` stores articles without summarising them; `newsbot digest` right
    # after must still show them (and not leave them behind its cut-off).
    import asyncio

    from bot.cli import main
    from bot.store import NewArticle

    database = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"

    async def poll_like() -> None:
        store = await Store.open(database)
        try:
            await store.articles.add(
                NewArticle(
                    url="https://gazette.example.org/ferry",
                    canonical_url="https://gazette.example.org/ferry",
                    content_hash="ferry",
                    feed="Gazette",
                    title="Ferry service resumes after strike",
                    text=(
                        "The island ferry resumed service on Friday after a four-day strike. "
                        '"Crews are back and every crossing will run," said Ana Duarte, the '
                        "operator's chief executive. The union said talks would continue."
                    ),
                    outlet="Harbour Gazette",
                    published=datetime(2026, 6, 5, 9, 0, tzinfo=UTC),
                )
            )
        finally:
            await store.close()

    asyncio.run(poll_like())
    config = tmp_path / "newsbot.yaml"
    config.write_text(
        f"database: {database}\n"
        "feeds:\n  - name: Gazette\n    url: https://gazette.example.org/rss\n"
        "routes:\n  - name: island\n    platform: console\n"
        "summariser:\n  embeddings: false\n"
    )
    assert main(["digest", "--route", "island", "--dry-run", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Ferry service resumes after strike" in out
    assert "— Ana Duarte" in out


async def test_an_interrupted_post_is_resent_as_stored_before_anything_new(store: Store) -> None:
    # A crash left digest A recorded but unconfirmed; by the next run the news has moved
    # on and a rebuild would give B. A is finished as it was (same key, same content:
    # the platform can tell which parts it already has), then B is posted on its own.
    from bot.digest.deliver import digest_payload
    from bot.digest.model import digest_from_json, digest_to_json

    config, route = setup()
    first, second = sample_digest(2), sample_digest(3)
    assert digest_from_json(digest_to_json(first)) == first
    key = idempotency_key(route, first, now=NOW)
    await store.posts.reserve(
        key,
        route="morning",
        platform="console",
        channel="stdout",
        payload=digest_to_json(first),
        story_ids=[],
    )
    adapter = RecordingAdapter()
    result = await deliver(config, store, route, adapter, now=NOW, build=builder(second))
    assert [(k, digest_payload(d)) for _, d, k in adapter.posts] == [
        (key, digest_payload(first)),
        (result.key, digest_payload(second)),
    ]
    assert result.status == POSTED and result.key != key
    assert [p.status for p in await store.posts.for_route("morning")] == ["sent", "sent"]
    again = await deliver(config, store, route, adapter, now=NOW, build=builder(second))
    assert again.status == ALREADY_SENT and len(adapter.posts) == 2
