"""Raw ``/news`` text → ``CommandRequest``. Pure; never raises on user input."""

from __future__ import annotations

import shlex

from bot.commands.types import CommandRequest

MAX_TEXT = 2000
MAX_ARGS = 20
ALIASES = {
    "summarize": "summarise",
    "summary": "summarise",
    "find": "search",
    "feeds": "sources",
    "news": "latest",
    "?": "help",
}


def split_words(text: str) -> list[str]:
    """Shell-like words ("quoted phrases" stay together); unbalanced quotes fall back to spaces."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.replace('"', " ").replace("'", " ").split()


def parse_command(
    text: str,
    *,
    command: str = "/news",
    platform: str = "console",
    user: str | None = None,
    channel: str | None = None,
) -> CommandRequest:
    """``"/news latest ukraine 5"`` (or just ``"latest ukraine 5"``) → a request.

    An empty command is ``help``; an unknown subcommand is kept as typed, so the
    handler can say what it did not understand before showing the help.
    """
    cleaned = " ".join(text[:MAX_TEXT].replace("\x00", " ").split())
    words = [w for w in split_words(cleaned) if w]  # `/news ""` is an empty command too
    if words and words[0].lower() in (command.lower(), command.lstrip("/").lower()):
        words = words[1:]
    if not words:
        return CommandRequest(subcommand="help", platform=platform, user=user, channel=channel)
    head = words[0].lower()
    head = ALIASES.get(head, head)
    return CommandRequest(
        subcommand=head,
        args=tuple(words[1 : 1 + MAX_ARGS]),
        platform=platform,
        user=user,
        channel=channel,
    )
