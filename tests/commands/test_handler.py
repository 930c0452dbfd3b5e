from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.commands.handler import HELP, NewsCommands
from bot.commands.types import CommandRequest
from bot.config import Config, Feed, Route
from bot.digest.model import Digest
from bot.store import NewArticle, Store
from summariser.types import Fact, FactKind, Summary
from tests.fakes.slack import sample_digest

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def req(text: str) -> CommandRequest:
    head, *args = text.split()
    return CommandRequest(subcommand=head, args=tuple(args), platform="slack", channel="C1")


async def add(store: Store, n: int, title: str, outlet: str, story: int | None = None) -> int:
    url = f"https://{outlet.lower()}.example/{n}"
    article_id, _ = await store.articles.add(
        NewArticle(
            url=url,
            canonical_url=url,
            content_hash=f"h{n}",
            feed=outlet.lower(),
            title=title,
            text=f"{title}. Body text {n}.",
            outlet=outlet,
            published=NOW - timedelta(hours=n),
        ),
        at=NOW,
    )
    facts = (
        Fact(
            text=f"The vote passed {n}",
            kind=FactKind.REPORT,
            speaker=None,
            speaker_role=None,
            cue=None,
            sentence=0,
        ),
        Fact(
            text="We will appeal",
            kind=FactKind.QUOTE,
            speaker="Jo Smith",
            speaker_role="mayor",
            cue="said",
            sentence=1,
        ),
    )
    await store.summaries.put(
        article_id, Summary(id=str(article_id), title=title, url=url, outlet=outlet, facts=facts)
    )
    if story is not None:
        await store.articles.set_story(article_id, story)
    return article_id


def handler(store: Store, **kwargs: object) -> NewsCommands:
    config = Config(
        feeds=[Feed(name="alpha", url="https://alpha.example/feed")],
        routes=[Route(name="morning", platform="slack", channel="C1")],  # type: ignore[arg-type]
    )
    return NewsCommands(config, store, clock=lambda: NOW, **kwargs)  # type: ignore[arg-type]


async def test_latest_search_and_story(store: Store) -> None:
    story = await store.stories.create(title="Council budget vote", at=NOW)
    await add(store, 1, "Council passes budget", "Alpha", story)
    await add(store, 2, "Budget approved by council", "Beta", story)
    await add(store, 3, "Storm hits coast", "Alpha")
    news = handler(store)

    latest = await news.handle(req("latest 2"))
    assert latest.text == "Latest stories" and not latest.ephemeral
    assert len(latest.stories) == 2
    merged = latest.stories[0].summary
    quote = next(f for f in merged.facts if f.fact.speaker)
    assert sorted(quote.outlets) == ["Alpha", "Beta"]  # the same quote from two outlets, merged
    assert len(merged.sources) == 2

    topic = await news.handle(req("latest storm"))
    assert [s.summary.headline for s in topic.stories] == ["Storm hits coast"]

    found = await news.handle(req("search budget"))
    assert "Council passes budget — Alpha" in found.text and "Storm" not in found.text

    one = await news.handle(req("story council budget"))
    assert one.stories[0].summary.headline == "Council budget vote"
    assert "2 articles from 2 outlets" in one.text
    by_id = await news.handle(req(f"story {story}"))  # what Discord's autocomplete sends
    assert by_id.stories[0].story_id == story
    assert by_id.stories[0].summary.headline == "Council budget vote"

    none = await news.handle(req("search zebra"))
    assert none.ephemeral and "Nothing matches" in none.text


async def test_help_unknown_and_usage(store: Store) -> None:
    news = handler(store)
    assert (await news.handle(req("help"))).text == HELP
    unknown = await news.handle(req("frobnicate"))
    assert unknown.ephemeral and unknown.text.startswith("Unknown subcommand 'frobnicate'")
    usage = await news.handle(CommandRequest(subcommand="story"))
    assert usage.ephemeral and usage.text == "Usage: /news story <query>"


async def test_summarise_known_url_or_not_available(store: Store) -> None:
    await add(store, 1, "Council passes budget", "Alpha")
    news = handler(store)
    known = await news.handle(req("summarise https://alpha.example/1"))
    assert known.stories and known.stories[0].summary.facts[0].fact.text == "The vote passed 1"
    unknown = await news.handle(req("summarise https://elsewhere.example/x"))
    assert unknown.ephemeral and "works in the running bot only" in unknown.text
    bad = await news.handle(req("summarise file:///etc/passwd"))
    assert bad.ephemeral and bad.text.startswith("Usage")


async def test_digest_preview_and_sources(store: Store) -> None:
    async def build(config: Config, store: Store, route: Route, *, now: datetime) -> Digest:
        return sample_digest(1)

    news = handler(store, build=build)
    preview = await news.handle(req("digest"))
    assert preview.ephemeral and "Preview of route morning" in preview.text
    assert "Story 0 headline" in preview.text
    assert await store.posts.for_route("morning") == []
    missing = await news.handle(req("digest evening"))
    assert missing.text == "No route named 'evening' (routes: morning)."
    cannot = await news.handle(req("digest morning post"))
    assert cannot.text == "Cannot post to slack from here."

    await store.feeds.record_failure(
        "https://alpha.example/feed", error="HTTP 500", status=500, next_poll=NOW, at=NOW
    )
    sources = await news.handle(req("sources"))
    assert "• alpha — failing (1×): HTTP 500" in sources.text


async def test_failures_are_one_line_replies(store: Store) -> None:
    from sqlalchemy import text

    await add(store, 1, "Council passes budget", "Alpha")
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TABLE summaries"))  # the next query fails in SQL
    reply = await handler(store).handle(req("latest"))
    assert reply.ephemeral and "\n" not in reply.text and "Traceback" not in reply.text
    assert reply.text == "Sorry, latest failed unexpectedly; the error is logged."
