"""Upgrades keep stored data; a database newer than the code is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.errors import StoreError
from bot.store import Store
from bot.store.migrations import MIGRATIONS, Migration
from tests.store.test_store import article


def _add_column(connection: sa.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE articles ADD COLUMN reading_minutes INTEGER"))


async def test_upgrade_keeps_rows_and_stamps_new_version(database_url: str) -> None:
    store = await Store.open(database_url)
    article_id, _ = await store.articles.add(article(1))
    await store.close()

    step = Migration(version=2, description="reading time", apply=_add_column)
    upgraded = await Store.open(database_url, migrations=[*MIGRATIONS, step])
    try:
        kept = await upgraded.articles.get(article_id)
        assert kept is not None and kept.title == article(1).title
        async with upgraded.engine.connect() as conn:
            version = await conn.scalar(
                sa.text("SELECT value FROM meta WHERE key='schema_version'")
            )
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns("articles")}
            )
        assert version == "2"
        assert "reading_minutes" in columns
    finally:
        await upgraded.close()

    # Opening again with the same steps is a no-op; an older newsbot refuses the newer schema.
    again = await Store.open(database_url, migrations=[*MIGRATIONS, step])
    await again.close()
    with pytest.raises(StoreError, match="newer than this newsbot"):
        await Store.open(database_url)


async def test_foreign_tables_are_not_touched(sqlite_url: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(sqlite_url)
    async with engine.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE accounts (id INTEGER)"))
    await engine.dispose()
    with pytest.raises(StoreError, match="no newsbot schema version"):
        await Store.open(sqlite_url)


async def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        await Store.open("this is not a url")
