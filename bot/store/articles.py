"""Articles: stored once, whichever feeds carry them.

An article is the same as one already stored when its GUID, canonical URL or
content hash matches; the second sighting only links the extra feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import schema
from bot.store.clock import utcnow
from bot.store.records import NewArticle, StoredArticle

_a = schema.articles
_f = schema.article_feeds


def _article(row: object, feeds: Sequence[str] = ()) -> StoredArticle:
    m = row._mapping  # type: ignore[attr-defined]
    return StoredArticle(
        id=m["id"],
        guid=m["guid"],
        url=m["url"],
        canonical_url=m["canonical_url"],
        content_hash=m["content_hash"],
        feed=m["feed"],
        title=m["title"],
        teaser=m["teaser"],
        text=m["text"],
        author=m["author"],
        outlet=m["outlet"],
        language=m["language"],
        published=m["published"],
        fetched_at=m["fetched_at"],
        story_id=m["story_id"],
        feeds=tuple(feeds),
    )


async def _find(conn: AsyncConnection, article: NewArticle) -> int | None:
    conditions = [
        _a.c.canonical_url == article.canonical_url,
        _a.c.content_hash == article.content_hash,
    ]
    if article.guid:
        conditions.append(_a.c.guid == article.guid)
    found = await conn.scalar(select(_a.c.id).where(or_(*conditions)).order_by(_a.c.id).limit(1))
    return int(found) if found is not None else None


async def _link(conn: AsyncConnection, article_id: int, feed: str) -> None:
    linked = await conn.scalar(
        select(_f.c.article_id).where(_f.c.article_id == article_id, _f.c.feed == feed)
    )
    if linked is None:
        try:
            async with conn.begin_nested():
                await conn.execute(_f.insert().values(article_id=article_id, feed=feed))
        except IntegrityError:
            pass


_Index = dict[tuple[str, str], int]


def _keys(article: NewArticle) -> list[tuple[str, str]]:
    keys = [("url", article.canonical_url), ("hash", article.content_hash)]
    if article.guid:
        keys.insert(0, ("guid", article.guid))
    return keys


def _lookup(index: _Index, article: NewArticle) -> int | None:
    found = [index[k] for k in _keys(article) if k in index]
    return min(found) if found else None


async def _index(conn: AsyncConnection, articles: Sequence[NewArticle]) -> _Index:
    """Ids of stored articles matching any GUID, canonical URL or hash of the batch."""
    guids = list({a.guid for a in articles if a.guid})
    urls = list({a.canonical_url for a in articles})
    hashes = list({a.content_hash for a in articles})
    index: _Index = {}
    # One query per column, so each uses its own index (an OR of three can scan the table).
    for column, values in (
        (_a.c.guid, guids),
        (_a.c.canonical_url, urls),
        (_a.c.content_hash, hashes),
    ):
        for start in range(0, len(values), 500):
            rows = await conn.execute(
                select(_a.c.id, _a.c.guid, _a.c.canonical_url, _a.c.content_hash).where(
                    column.in_(values[start : start + 500])
                )
            )
            for row_id, guid, url, content_hash in rows.all():
                for key in (("guid", guid), ("url", url), ("hash", content_hash)):
                    if key[1] is not None and (key not in index or index[key] > row_id):
                        index[key] = row_id
    return index


async def _add_many(
    conn: AsyncConnection, articles: Sequence[NewArticle], at: datetime
) -> list[tuple[int, bool]]:
    index = await _index(conn, articles)
    result: list[tuple[int, bool]] = []
    links: set[tuple[int, str]] = set()
    # First pass: which are new (the first of duplicates inside the batch wins).
    fresh: list[NewArticle] = []
    pending: dict[tuple[str, str], int] = {}
    plan: list[tuple[int | None, int | None]] = []  # (stored id, index into fresh)
    for article in articles:
        existing = _lookup(index, article)
        if existing is not None:
            plan.append((existing, None))
            continue
        twin = next((pending[k] for k in _keys(article) if k in pending), None)
        if twin is None:
            twin = len(fresh)
            fresh.append(article)
        for key in _keys(article):
            pending.setdefault(key, twin)
        plan.append((None, twin))
    ids: list[int] = []
    if fresh:
        rows = await conn.execute(
            _a.insert().returning(_a.c.id, sort_by_parameter_order=True),
            [{**asdict(a), "fetched_at": at} for a in fresh],
        )
        ids = [int(r[0]) for r in rows.all()]
    created: set[int] = set()
    for article, (existing, twin) in zip(articles, plan, strict=True):
        if existing is None:
            assert twin is not None
            existing = ids[twin]
            result.append((existing, twin not in created))
            created.add(twin)
        else:
            result.append((existing, False))
        links.add((existing, article.feed))
    linked = list({i for i, _ in links})
    present = set(
        (
            await conn.execute(
                select(_f.c.article_id, _f.c.feed).where(_f.c.article_id.in_(linked))
            )
        ).all()
    )
    missing = sorted(links - {(int(i), str(f)) for i, f in present})
    if missing:
        await conn.execute(_f.insert(), [{"article_id": i, "feed": f} for i, f in missing])
    return result


class Articles:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def find(self, article: NewArticle) -> int | None:
        """The id of a stored article with the same GUID, canonical URL or content hash."""
        async with self._engine.connect() as conn:
            return await _find(conn, article)

    async def add(self, article: NewArticle, *, at: datetime | None = None) -> tuple[int, bool]:
        """Store an article unless it is already known; return ``(id, created)``."""
        at = at or utcnow()
        for _attempt in range(3):
            try:
                async with self._engine.begin() as conn:
                    existing = await _find(conn, article)
                    if existing is not None:
                        await _link(conn, existing, article.feed)
                        return existing, False
                    new_id = await conn.scalar(
                        _a.insert().values(**asdict(article), fetched_at=at).returning(_a.c.id)
                    )
                    assert new_id is not None
                    await _link(conn, int(new_id), article.feed)
                    return int(new_id), True
            except IntegrityError:
                continue  # another writer stored it between our look-up and insert
        raise RuntimeError(f"could not store article {article.canonical_url}")

    async def add_many(
        self, articles: Sequence[NewArticle], *, at: datetime | None = None
    ) -> list[tuple[int, bool]]:
        """Store a batch in one transaction (each as :meth:`add` would); ``(id, created)`` each.

        Duplicates inside the batch resolve to the first one. Either the whole
        batch is stored or, when a concurrent writer interferes, each article
        is retried on its own.
        """
        if not articles:
            return []
        at = at or utcnow()
        try:
            async with self._engine.begin() as conn:
                return await _add_many(conn, articles, at)
        except IntegrityError:
            return [await self.add(a, at=at) for a in articles]

    async def known(self, articles: Sequence[NewArticle]) -> list[int | None]:
        """For each article, the id of a stored one with the same GUID, URL or hash."""
        async with self._engine.connect() as conn:
            index = await _index(conn, articles)
        return [_lookup(index, a) for a in articles]

    async def get(self, article_id: int) -> StoredArticle | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_a).where(_a.c.id == article_id))).first()
            if row is None:
                return None
            feeds = (
                await conn.scalars(select(_f.c.feed).where(_f.c.article_id == article_id))
            ).all()
        return _article(row, feeds)

    async def _many(self, query: Select[tuple[object, ...]]) -> list[StoredArticle]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            ids = [r._mapping["id"] for r in rows]
            links: dict[int, list[str]] = {}
            if ids:
                for article_id, feed in (
                    await conn.execute(
                        select(_f.c.article_id, _f.c.feed).where(_f.c.article_id.in_(ids))
                    )
                ).all():
                    links.setdefault(article_id, []).append(feed)
        return [_article(r, sorted(links.get(r._mapping["id"], []))) for r in rows]

    async def recent(
        self,
        *,
        since: datetime | None = None,
        feeds: Sequence[str] | None = None,
        limit: int = 100,
    ) -> list[StoredArticle]:
        """Newest first; restricted to articles carried by any of ``feeds`` when given."""
        query = select(_a)
        if since is not None:
            query = query.where(_a.c.fetched_at > since)
        if feeds is not None:
            query = query.where(
                _a.c.id.in_(select(_f.c.article_id).where(_f.c.feed.in_(list(feeds))))
            )
        when = func.coalesce(_a.c.published, _a.c.fetched_at)
        return await self._many(query.order_by(when.desc(), _a.c.id.desc()).limit(limit))

    async def search(self, query_text: str, *, limit: int = 20) -> list[StoredArticle]:
        """Articles whose title or text contain every word of the query, newest first."""
        words = [w for w in query_text.lower().split() if w]
        query = select(_a)
        for word in words:
            pattern = f"%{word}%"
            query = query.where(
                or_(func.lower(_a.c.title).like(pattern), func.lower(_a.c.text).like(pattern))
            )
        when = func.coalesce(_a.c.published, _a.c.fetched_at)
        return await self._many(query.order_by(when.desc(), _a.c.id.desc()).limit(limit))

    async def set_story(self, article_id: int, story_id: int | None) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(_a).where(_a.c.id == article_id).values(story_id=story_id))

    async def in_story(self, story_id: int) -> list[StoredArticle]:
        return await self._many(select(_a).where(_a.c.story_id == story_id).order_by(_a.c.id))

    async def count(self) -> int:
        async with self._engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(_a)) or 0)
