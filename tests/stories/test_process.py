from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from bot.stories import find_stories, process_new, story_summary
from summariser.embeddings import Embedder
from tests.stories.corpus import BRIDGE, MATCH, T0
from tests.stories.helpers import FakeSummariser, add, config

NOW = T0 + timedelta(hours=10)


async def test_new_articles_are_summarised_and_clustered(store: Store, embedder: Embedder) -> None:
    cfg = config()
    ids = {a.id: await add(store, a, fetched=NOW) for a in [*BRIDGE[:2], *MATCH]}
    fake = FakeSummariser()
    assert await process_new(cfg, store, fake, now=NOW, encoder=embedder) == 4
    assert len(fake.seen) == 4
    stored = {name: await store.articles.get(i) for name, i in ids.items()}
    story = {name: a.story_id for name, a in stored.items() if a}
    assert story["bridge-1"] == story["bridge-2"] is not None
    assert story["match-1"] == story["match-2"] is not None
    assert story["bridge-1"] != story["match-1"]

    # nothing left to do on the next pass
    assert await process_new(cfg, store, fake, now=NOW, encoder=embedder) == 0
    assert len(fake.seen) == 4

    # a later article joins the stored story: clustering state came back from the database
    later = await add(store, BRIDGE[2], fetched=NOW + timedelta(hours=1))
    assert await process_new(cfg, store, fake, now=NOW + timedelta(hours=1), encoder=embedder) == 1
    joined = await store.articles.get(later)
    assert joined and joined.story_id == story["bridge-1"]
    record = await store.stories.get(story["bridge-1"])
    assert record and record.article_count == 3 and record.centroid
    assert record.entities["count"] == 3

    summary = await story_summary(cfg, store, story["bridge-1"])
    assert {s.outlet for s in summary.sources} == {"Kellan Post", "Coastal Herald", "Wire Service"}
    assert summary.headline in {a.title for a in BRIDGE}


async def test_quiet_stories_close_and_new_articles_start_new_ones(
    store: Store, embedder: Embedder
) -> None:
    cfg = config()
    await add(store, BRIDGE[0], fetched=NOW)
    await process_new(cfg, store, FakeSummariser(), now=NOW, encoder=embedder)
    assert len(await store.stories.open_stories()) == 1
    much_later = NOW + cfg.stories.quiet_period + timedelta(hours=1)
    await process_new(cfg, store, FakeSummariser(), now=much_later, encoder=embedder)
    assert await store.stories.open_stories() == []

    second = await add(store, BRIDGE[1], fetched=much_later)
    await process_new(cfg, store, FakeSummariser(), now=much_later, encoder=embedder)
    first = (await store.articles.search("Northern Star cargo ship struck"))[0]
    new = await store.articles.get(second)
    assert new and new.story_id is not None and new.story_id != first.story_id


async def test_find_stories(store: Store, embedder: Embedder) -> None:
    cfg = config()
    for article in [*BRIDGE, *MATCH]:
        await add(store, article, fetched=NOW)
    await process_new(cfg, store, FakeSummariser(), now=NOW, encoder=embedder)
    found = await find_stories(store, "Kellan bridge", limit=5)
    assert found and found[0].story_id is not None
    assert {a.outlet for a in found[0].articles} >= {"Kellan Post", "Coastal Herald"}
    assert found[0].article_count == 3
    assert await find_stories(store, "volcano", limit=5) == []


class Choking(FakeSummariser):
    def summarise_many(self, articles):  # type: ignore[no-untyped-def]
        for article in articles:
            if article.title and "Rehn" in article.title:
                raise RuntimeError("boom")
            yield from super().summarise_many([article])


async def test_an_article_the_summariser_fails_on_is_kept_and_not_retried(store: Store) -> None:
    cfg = config().model_copy(
        update={"summariser": config().summariser.model_copy(update={"embeddings": False})}
    )
    ids = [await add(store, a, fetched=NOW) for a in MATCH]
    # embeddings switched off: the hashed-vector stand-in is used, no model loaded
    assert await process_new(cfg, store, Choking(), now=NOW) == 2
    failed = await store.summaries.get(ids[1])
    assert failed is not None and failed.facts == ()
    assert await store.summaries.missing() == []
    placed = [await store.articles.get(i) for i in ids]
    assert all(a is not None and a.story_id is not None for a in placed)
