"""The adapter protocol every platform implements.

An adapter renders a ``Digest`` to its platform's format (pure code, kept in
its own module) and posts it; ``post_digest`` returns the platform's ids of
the messages it created. Slash commands reach the platform-neutral handler
injected at construction.
"""

from __future__ import annotations

from typing import Protocol

from bot.config import Route
from bot.digest.model import Digest


class Adapter(Protocol):
    platform: str

    async def start(self) -> None:
        """Connect (and start answering commands, where the platform has them)."""

    async def post_digest(self, route: Route, digest: Digest, *, key: str) -> list[str]:
        """Post a digest to the route's channel; ``key`` identifies it for exactly-once
        delivery. Return the ids of the messages created."""
        ...

    async def close(self) -> None:
        """Disconnect and release every resource."""
