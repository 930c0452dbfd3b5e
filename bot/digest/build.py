"""Building a route's digest from the store: its stories since the last digest, new facts only.

A story the route has posted before comes back only when it has facts whose keys the
route has not seen (``store.stories.posted_fact_keys``), and then only with those, as an
update. Stories are ranked by how many outlets covered them, how recent they are and
how much they say; facts that sources disagree on are shown side by side (as a
``Disagreement``), not also as plain facts. Marking what was posted is the caller's
job (``bot.digest.deliver``), after the platform confirmed the post.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime

from bot.config import Config
from bot.config.models import Route
from bot.digest.model import Digest, DigestStory
from bot.ingest import passes
from bot.store import Store, StoredArticle
from bot.stories import merge, summaries_of
from summariser.types import StorySummary

__all__ = ["build_digest", "rank"]

RECENT_LIMIT = 1000
RECENCY_HALF_LIFE_HOURS = 12.0


def _when(article: StoredArticle) -> datetime:
    return article.published or article.fetched_at


def rank(summary: StorySummary, latest: datetime, *, now: datetime) -> float:
    """Outlets first, then recency, then salience (facts, corroborated facts, disputes)."""
    outlets = len({s.outlet or s.url for s in summary.sources})
    age_hours = max(0.0, (now - latest).total_seconds() / 3600)
    recency = math.exp(-age_hours * math.log(2) / RECENCY_HALF_LIFE_HOURS)
    corroborated = sum(1 for f in summary.facts if len(f.outlets) > 1)
    salience = (
        0.1 * min(len(summary.facts), 5) + 0.2 * corroborated + 0.3 * bool(summary.disagreements)
    )
    return outlets + recency + salience


def _trim(summary: StorySummary, posted: set[str], facts_per_story: int) -> StorySummary | None:
    """Only what the route has not seen, disputes kept whole, at most ``facts_per_story``."""
    disputes = tuple(d for d in summary.disagreements if any(f.key not in posted for f in d.facts))
    disputed = {f.key for d in disputes for f in d.facts}
    facts = tuple(f for f in summary.facts if f.key not in posted and f.key not in disputed)
    if not facts and not disputes:
        return None
    return dataclasses.replace(summary, facts=facts[:facts_per_story], disagreements=disputes)


async def build_digest(config: Config, store: Store, route: Route, *, now: datetime) -> Digest:
    feeds = {f.name for f in config.feeds_for(route)}
    since = await store.posts.last_digest(route.name)
    recent = (
        await store.articles.recent(since=since, feeds=sorted(feeds), limit=RECENT_LIMIT)
        if feeds
        else []
    )
    recent = [a for a in recent if passes(route, a.title, a.text)]

    def in_route(article: StoredArticle) -> bool:
        return bool(feeds.intersection(article.feeds)) and passes(
            route, article.title, article.text
        )

    candidates: list[tuple[float, DigestStory]] = []
    seen_stories: set[int] = set()
    for article in recent:
        if article.story_id is not None:
            if article.story_id in seen_stories:
                continue
            seen_stories.add(article.story_id)
            members = [a for a in await store.articles.in_story(article.story_id) if in_route(a)]
            posted = await store.stories.posted_fact_keys(route.name, article.story_id)
        else:
            members, posted = [article], set()
        pairs = await summaries_of(store, members)
        if not pairs:
            continue
        merged = await merge(config, [s for _, s in pairs])
        shown = _trim(merged, posted, route.facts_per_story)
        if shown is None:
            continue
        latest = max(_when(a) for a, _ in pairs)
        story = DigestStory(story_id=article.story_id, summary=shown, is_update=bool(posted))
        candidates.append((rank(merged, latest, now=now), story))
    candidates.sort(key=lambda c: -c[0])
    stories = tuple(story for _, story in candidates[: route.max_stories])
    return Digest(
        route=route.name,
        title=f"News digest: {route.name}",
        created_at=now,
        stories=stories,
        mention=route.mention,
        note=None if stories else route.nothing_new_message,
        tags=tuple(route.tags),
    )
