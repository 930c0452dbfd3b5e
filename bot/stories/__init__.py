"""Stories in the store: summarise new articles, cluster them into stories, read stories back.

- :func:`process_new` — one pass after polling: summarise every stored article that has
  no summary yet (off the event loop), place each in an open story or start one
  (``summariser.clustering``), persist the stories' clustering state, close quiet ones.
- :func:`merge` — summaries merged into one story (``summariser.stories``, with embeddings
  where they are on); :func:`story_summary` — a stored story's merged summary.
- :func:`find_stories` — stories (and loose articles) matching a search, for
  ``newsbot search`` and ``/news story``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from bot.config import Config
from bot.store import Store, StoredArticle
from bot.store.clock import utcnow
from summariser.clustering import (
    Clusterer,
    ClusterOptions,
    StoryState,
    Vector,
    embedding_text,
    make_item,
)
from summariser.stories import merge_summaries
from summariser.types import Article, StorySummary, Summary

__all__ = [
    "StoryMatch",
    "find_stories",
    "merge",
    "process_new",
    "story_summary",
    "to_article",
]

log = logging.getLogger(__name__)

BATCH = 64


class SummariserLike(Protocol):
    def summarise_many(self, articles: Iterable[Article]) -> Iterator[Summary]: ...


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Any: ...


def to_article(stored: StoredArticle) -> Article:
    return Article(
        id=str(stored.id),
        text=stored.text or stored.teaser or "",
        title=stored.title,
        url=stored.url,
        outlet=stored.outlet or stored.feed,
        published=stored.published or stored.fetched_at,
    )


def _when(article: StoredArticle) -> datetime:
    return article.published or article.fetched_at


def _summarise_batch(summariser: SummariserLike, articles: list[Article]) -> list[Summary]:
    """Summaries in order; an article the summariser chokes on gets an empty summary
    (logged), so it is not retried on every pass."""
    try:
        return list(summariser.summarise_many(articles))
    except Exception:
        log.exception("summarising a batch failed; retrying one by one")
    out: list[Summary] = []
    for article in articles:
        try:
            out += list(summariser.summarise_many([article]))
        except Exception:
            log.exception("cannot summarise article %s", article.id)
            out.append(
                Summary(
                    id=article.id,
                    title=article.title,
                    url=article.url,
                    outlet=article.outlet,
                    facts=(),
                )
            )
    return out


def _default_encoder(config: Config) -> Encoder:
    if config.summariser.embeddings:
        from summariser.embeddings import shared_embedder

        return shared_embedder()
    from summariser.clustering import HashingEncoder

    return HashingEncoder()


async def process_new(
    config: Config,
    store: Store,
    summariser: SummariserLike,
    *,
    now: datetime | None = None,
    encoder: Encoder | None = None,
    batch: int = BATCH,
) -> int:
    """Summarise new articles and assign them to stories; return how many were placed."""
    now = now or utcnow()
    closed = await store.stories.close_quiet(before=now - config.stories.quiet_period)
    if closed:
        log.info("closed %d quiet stor%s", closed, "y" if closed == 1 else "ies")
    while ids := await store.summaries.missing(limit=batch):
        stored = [a for a in [await store.articles.get(i) for i in ids] if a is not None]
        articles = [to_article(a) for a in stored]
        summaries = await asyncio.to_thread(_summarise_batch, summariser, articles)
        for article, summary in zip(stored, summaries, strict=True):
            await store.summaries.put(article.id, summary, at=now)
    encoder = encoder or _default_encoder(config)
    # Another instance on the same database may be clustering: one at a time, or the
    # same event could start two stories. The other's articles wait for its next cycle.
    async with store.lock("stories:assign") as held:
        if not held:
            log.info("another instance is assigning stories; skipped this cycle")
            return 0
        return await _assign(config, store, encoder, now=now)


async def _unassigned(store: Store, config: Config, now: datetime) -> list[StoredArticle]:
    """Summarised articles without a story, fetched within the window, oldest first."""
    recent = await store.articles.recent(since=now - config.stories.window, limit=5000)
    loose = [a for a in recent if a.story_id is None]
    summarised = await store.summaries.many([a.id for a in loose])
    return sorted((a for a in loose if a.id in summarised), key=lambda a: (_when(a), a.id))


async def _assign(config: Config, store: Store, encoder: Encoder, *, now: datetime) -> int:
    articles = await _unassigned(store, config, now)
    if not articles:
        return 0
    summaries = await store.summaries.many([a.id for a in articles])
    options = ClusterOptions(window=config.stories.window)
    states = []
    for story in await store.stories.open_stories(since=now - config.stories.window):
        if story.centroid and isinstance(story.entities, dict):
            try:
                states.append(StoryState.from_parts(str(story.id), story.centroid, story.entities))
            except ValueError:
                log.warning("story %d: unreadable clustering state, left out", story.id)
    clusterer = Clusterer(options, states)
    clusterer.expire(now)
    plain = [to_article(a) for a in articles]
    texts = [embedding_text(a) for a in plain]
    vectors: Vector = np.asarray(await asyncio.to_thread(encoder.encode, texts), dtype=np.float32)
    touched: dict[str, datetime] = {}
    for stored, article, vector in zip(articles, plain, vectors, strict=True):
        summary = summaries[stored.id]
        speakers = [f.speaker for f in summary.facts if f.speaker]
        speakers += [a.speaker for a in summary.attributions]
        item = make_item(article, vector, extra_entities=speakers)
        when = min(_when(stored), now)
        found = clusterer.best(item)
        if found is None:
            story_id = str(await store.stories.create(title=stored.title, at=when))
        else:
            story_id = found[0]
        clusterer.join(item, story_id)
        await store.articles.set_story(stored.id, int(story_id))
        touched[story_id] = max(touched.get(story_id, when), when)
    for story_id, when in touched.items():
        state = clusterer.stories[story_id]
        record = await store.stories.get(int(story_id))
        values: dict[str, Any] = {
            "centroid": state.centroid_bytes(),
            "entities": state.to_json(max_entities=options.max_entities),
            "article_count": state.count,
        }
        if record is None or record.updated_at < when:
            values["updated_at"] = when
        if record is not None and not record.title:
            values["title"] = next((a.title for a in articles if a.title), None)
        await store.stories.update(int(story_id), **values)
    return len(articles)


def _with_outlet(summary: Summary, article: StoredArticle) -> Summary:
    return dataclasses.replace(
        summary,
        outlet=summary.outlet or article.outlet or article.feed,
        url=summary.url or article.url,
        title=summary.title or article.title,
    )


async def summaries_of(
    store: Store, articles: Sequence[StoredArticle]
) -> list[tuple[StoredArticle, Summary]]:
    """Articles with their summaries (those without one left out), oldest first."""
    found = await store.summaries.many([a.id for a in articles])
    ordered = sorted((a for a in articles if a.id in found), key=lambda a: (_when(a), a.id))
    return [(a, _with_outlet(found[a.id], a)) for a in ordered]


async def merge(config: Config, summaries: Sequence[Summary]) -> StorySummary:
    """Summaries merged into one story as digests and commands show it: with sentence
    embeddings where they are on (in a worker thread), so an outlet's paraphrase of a fact
    joins it rather than repeating it."""
    if not config.summariser.embeddings:
        return merge_summaries(summaries)
    from summariser.embeddings import shared_embedder

    return await asyncio.to_thread(merge_summaries, summaries, embed=shared_embedder().encode)


async def story_summary(config: Config, store: Store, story_id: int) -> StorySummary:
    """The merged summary of every summarised article in the story."""
    pairs = await summaries_of(store, await store.articles.in_story(story_id))
    summary = await merge(config, [s for _, s in pairs])
    record = await store.stories.get(story_id)
    if not pairs and record is not None and record.title:
        return dataclasses.replace(summary, headline=record.title)
    return summary


@dataclass(frozen=True, kw_only=True)
class StoryMatch:
    """A search hit: a story (``story_id`` set) or an article not in any story yet."""

    story_id: int | None
    headline: str
    article_count: int
    updated_at: datetime | None
    articles: tuple[StoredArticle, ...]  # the matching articles, newest first


async def find_stories(store: Store, query: str, limit: int = 10) -> list[StoryMatch]:
    """Stories whose articles match every word of ``query``, best (newest) first."""
    hits = await store.articles.search(query, limit=max(limit * 10, 50))
    groups: dict[int | str, list[StoredArticle]] = {}
    for article in hits:
        key: int | str = article.story_id if article.story_id is not None else f"a{article.id}"
        groups.setdefault(key, []).append(article)
    out: list[StoryMatch] = []
    for key, articles in groups.items():
        if len(out) >= limit:
            break
        if isinstance(key, int):
            record = await store.stories.get(key)
            title = (record.title if record else None) or articles[0].title or "Untitled story"
            out.append(
                StoryMatch(
                    story_id=key,
                    headline=title,
                    article_count=record.article_count if record else len(articles),
                    updated_at=record.updated_at if record else _when(articles[0]),
                    articles=tuple(articles),
                )
            )
        else:
            out.append(
                StoryMatch(
                    story_id=None,
                    headline=articles[0].title or articles[0].url,
                    article_count=1,
                    updated_at=_when(articles[0]),
                    articles=tuple(articles),
                )
            )
    return out
