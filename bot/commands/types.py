"""What a platform adapter hands to the /news handler, and what it gets back.

Adapters parse their platform's payload into a ``CommandRequest`` and render
the ``CommandReply`` (its stories with the same renderer as digests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.digest.model import DigestStory

SUBCOMMANDS = ("latest", "story", "search", "summarise", "digest", "sources", "help")


@dataclass(frozen=True, kw_only=True)
class CommandRequest:
    subcommand: str  # one of SUBCOMMANDS; anything else gets the help text
    args: tuple[str, ...] = ()
    platform: str = "console"
    user: str | None = None
    channel: str | None = None


@dataclass(frozen=True, kw_only=True)
class CommandReply:
    text: str
    stories: tuple[DigestStory, ...] = field(default=())
    ephemeral: bool = False  # only the caller sees it (errors, help)


class CommandHandler(Protocol):
    async def handle(self, request: CommandRequest) -> CommandReply: ...
