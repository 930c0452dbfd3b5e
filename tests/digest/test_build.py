from __future__ import annotations

from datetime import timedelta

from bot.config import Config
from bot.digest.build import build_digest
from bot.digest.model import Digest
from bot.store import Store
from summariser.types import Article, Fact, FactKind, Summary
from tests.stories.corpus import BRIDGE, MATCH, RATES_HELD, T0
from tests.stories.helpers import add, config

NOW = T0 + timedelta(hours=12)


def report(text: str, sentence: int = 0) -> Fact:
    return Fact(
        text=text,
        kind=FactKind.REPORT,
        speaker=None,
        speaker_role=None,
        cue=None,
        sentence=sentence,
    )


def claim(text: str, speaker: str) -> Fact:
    return Fact(
        text=text, kind=FactKind.CLAIM, speaker=speaker, speaker_role=None, cue="said", sentence=1
    )


CLOSED = "The Kellan harbour bridge was closed after the Northern Star struck a pier."
POWER = "The ship lost power after leaving the terminal."
WEEK = "The bridge will stay closed for at least a week."


async def put(
    store: Store,
    article: Article,
    story: int | None,
    *facts: Fact,
    fetched: timedelta = timedelta(0),
) -> int:
    article_id = await add(store, article, fetched=T0 + timedelta(hours=10) + fetched)
    summary = Summary(
        id=article.id, title=article.title, url=article.url, outlet=article.outlet, facts=facts
    )
    await store.summaries.put(article_id, summary)
    if story is not None:
        await store.articles.set_story(article_id, story)
    return article_id


async def confirm(store: Store, digest: Digest, at: timedelta) -> None:
    """What delivery does once the platform confirmed the post."""
    for story in digest.stories:
        assert story.story_id is not None
        keys = [f.key for f in story.summary.facts]
        keys += [f.key for d in story.summary.disagreements for f in d.facts]
        await store.stories.mark_posted(digest.route, story.story_id, keys, at=NOW + at)
    await store.posts.set_last_digest(digest.route, NOW + at)


async def build(cfg: Config, store: Store, at: timedelta = timedelta(0)) -> Digest:
    return await build_digest(cfg, store, cfg.routes[0], now=NOW + at)


async def test_multi_outlet_story_appears_once_with_every_outlet(store: Store) -> None:
    cfg = config()
    bridge = await store.stories.create(title="Bridge", at=T0)
    match = await store.stories.create(title="Cup final", at=T0)
    await put(store, BRIDGE[0], bridge, report(CLOSED), report(POWER, 1))
    await put(store, BRIDGE[1], bridge, report(CLOSED))
    await put(store, MATCH[0], match, report("Riverside United beat Hollow Town 3-1."))
    digest = await build(cfg, store)
    assert [s.story_id for s in digest.stories] == [bridge, match]  # more outlets first
    top = digest.stories[0]
    assert not top.is_update
    assert top.summary.facts[0].fact.text == CLOSED
    assert top.summary.facts[0].outlets == ("Kellan Post", "Coastal Herald")
    assert len(top.summary.sources) == 2


async def test_second_digest_shows_only_new_facts_as_update(store: Store) -> None:
    cfg = config()
    bridge = await store.stories.create(title="Bridge", at=T0)
    await put(store, BRIDGE[0], bridge, report(CLOSED), report(POWER, 1))
    first = await build(cfg, store)
    assert len(first.stories) == 1 and len(first.stories[0].summary.facts) == 2
    await confirm(store, first, timedelta(hours=1))

    # a later article repeats an old fact and adds one new one
    await put(store, BRIDGE[1], bridge, report(CLOSED), report(WEEK, 1), fetched=timedelta(hours=5))
    second = await build(cfg, store, timedelta(hours=6))
    assert len(second.stories) == 1
    update = second.stories[0]
    assert update.is_update and update.story_id == bridge
    assert [f.fact.text for f in update.summary.facts] == [WEEK]


async def test_nothing_new_gives_an_empty_digest_with_the_routes_note(store: Store) -> None:
    cfg = config(nothing_new_message="All quiet.")
    bridge = await store.stories.create(title="Bridge", at=T0)
    await put(store, BRIDGE[0], bridge, report(CLOSED))
    await confirm(store, await build(cfg, store), timedelta(hours=1))
    # an article with nothing the route has not seen yet
    await put(store, BRIDGE[1], bridge, report(CLOSED), fetched=timedelta(hours=5))
    again = await build(cfg, store, timedelta(hours=6))
    assert again.empty and again.note == "All quiet."


async def test_disagreement_is_shown_side_by_side(store: Store) -> None:
    cfg = config()
    story = await store.stories.create(title="Market fire", at=T0)
    police = claim("Police said 12 people were killed in the market fire.", "Police")
    union = claim(
        "The traders' union said 15 people were killed in the market fire.", "Traders' union"
    )
    await put(store, BRIDGE[0], story, police, report(POWER, 2))
    await put(store, BRIDGE[1], story, union)
    digest = await build(cfg, store)
    shown = digest.stories[0].summary
    assert len(shown.disagreements) == 1
    assert {f.fact.speaker for f in shown.disagreements[0].facts} == {"Police", "Traders' union"}
    assert [f.fact.text for f in shown.facts] == [POWER]  # disputed figures not repeated


async def test_route_feeds_filters_and_limits(store: Store) -> None:
    bridge = await store.stories.create(title="Bridge", at=T0)
    rates = await store.stories.create(title="Rates", at=T0)
    await put(store, BRIDGE[0], bridge, report(CLOSED), report(POWER, 1), report(WEEK, 2))
    await put(store, RATES_HELD[0], rates, report("The Bank of Tarsia held rates at 4.25%."))
    await put(store, MATCH[0], None, report("Riverside United won the cup."))

    only_money = config(feeds=["money"])
    assert [s.story_id for s in (await build(only_money, store)).stories] == [rates]

    no_sport = config(exclude=["Riverside"], facts_per_story=2, max_stories=5)
    digest = await build(no_sport, store)
    assert {s.story_id for s in digest.stories} == {bridge, rates}
    assert all(len(s.summary.facts) <= 2 for s in digest.stories)

    one = config(max_stories=1)
    assert len((await build(one, store)).stories) == 1

    # an article not in any story yet still shows, without a story id
    everything = await build(config(), store)
    assert None in {s.story_id for s in everything.stories}
