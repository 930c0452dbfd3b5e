"""Versioned schema upgrades.

A new database is created from ``schema.metadata`` and stamped with
``LATEST``. An existing one is upgraded step by step from its stamped version,
inside one transaction, so a failed upgrade leaves the old data untouched.
Every change to ``schema.py`` appends a step here; steps are never edited
once released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, select, text

from bot.errors import StoreError
from bot.store import schema


@dataclass(frozen=True, kw_only=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _initial(connection: Connection) -> None:
    schema.metadata.create_all(connection)


MIGRATIONS: list[Migration] = [
    Migration(version=1, description="initial schema", apply=_initial),
]


def latest(migrations: list[Migration]) -> int:
    return max(m.version for m in migrations)


def current_version(connection: Connection) -> int | None:
    """The stamped version, or None for an empty database."""
    if not inspect(connection).has_table("meta"):
        if inspect(connection).get_table_names():
            raise StoreError(
                "the database holds tables but no newsbot schema version; "
                "point 'database' at an empty database or a newsbot one"
            )
        return None
    row = connection.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).first()
    return int(row[0]) if row else None


def _stamp(connection: Connection, version: int) -> None:
    connection.execute(schema.meta.delete().where(schema.meta.c.key == "schema_version"))
    connection.execute(schema.meta.insert().values(key="schema_version", value=str(version)))


def upgrade(connection: Connection, migrations: list[Migration] | None = None) -> int:
    """Bring the database to the latest version; return that version."""
    steps = sorted(migrations or MIGRATIONS, key=lambda m: m.version)
    target = latest(steps)
    if connection.dialect.name == "postgresql":
        # Two processes starting together must not both upgrade.
        connection.execute(text("SELECT pg_advisory_xact_lock(727001)"))
    version = current_version(connection)
    if version is None:
        schema.metadata.create_all(connection)
        _stamp(connection, target)
        return target
    if version > target:
        raise StoreError(
            f"the database is at schema version {version}, newer than this newsbot "
            f"understands ({target}); upgrade newsbot"
        )
    for step in steps:
        if step.version > version:
            step.apply(connection)
            _stamp(connection, step.version)
    return target
