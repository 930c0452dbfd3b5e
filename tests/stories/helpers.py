"""Putting test articles into a store, and a summariser fake that needs no models."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime

from bot.config import Config
from bot.config.models import Feed, Platform, Route
from bot.store import NewArticle, Store
from summariser.types import Article, Fact, FactKind, Summary

FEEDS = {
    "Kellan Post": "post",
    "Coastal Herald": "herald",
    "Wire Service": "wire",
    "Money Daily": "money",
    "Sports Desk": "sports",
}


def config(**route: object) -> Config:
    return Config(
        feeds=[Feed(name=name, url=f"https://{name}.example/rss") for name in FEEDS.values()],
        routes=[Route(name="main", platform=Platform.CONSOLE, **route)],  # type: ignore[arg-type]
    )


async def add(store: Store, article: Article, *, fetched: datetime) -> int:
    assert article.url and article.outlet
    new = NewArticle(
        url=article.url,
        canonical_url=article.url,
        content_hash=hashlib.sha256(article.url.encode()).hexdigest(),
        feed=FEEDS[article.outlet],
        title=article.title,
        text=article.text,
        outlet=article.outlet,
        published=article.published,
    )
    article_id, created = await store.articles.add(new, at=fetched)
    assert created
    return article_id


def first_sentences(article: Article) -> Summary:
    """Each of the first two sentences as the outlet's own reporting."""
    sentences = [s.strip() + "." for s in article.text.split(". ") if s.strip()][:2]
    facts = tuple(
        Fact(
            text=s.rstrip(".") + ".",
            kind=FactKind.REPORT,
            speaker=None,
            speaker_role=None,
            cue=None,
            sentence=i,
        )
        for i, s in enumerate(sentences)
    )
    return Summary(
        id=article.id, title=article.title, url=article.url, outlet=article.outlet, facts=facts
    )


class FakeSummariser:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def summarise_many(self, articles: Iterable[Article]) -> Iterator[Summary]:
        for article in articles:
            self.seen.append(article.id)
            yield first_sentences(article)
