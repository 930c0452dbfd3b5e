"""The console adapter: digests as plain text on stdout, stderr or a file.

It needs no tokens, so the default configuration runs anywhere.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.config import Route
from bot.digest.model import Digest
from bot.digest.text import render_text
from bot.errors import DeliveryError


class ConsoleAdapter:
    platform = "console"

    async def start(self) -> None:
        return None

    async def post_digest(self, route: Route, digest: Digest, *, key: str) -> list[str]:
        text = render_text(digest)
        channel = route.channel
        try:
            if channel in ("stdout", "-", ""):
                sys.stdout.write(text + "\n")
                sys.stdout.flush()
            elif channel == "stderr":
                sys.stderr.write(text + "\n")
            else:
                await asyncio.to_thread(_append, Path(channel), text)
        except OSError as exc:
            raise DeliveryError(f"route {route.name}: cannot write to {channel}: {exc}") from exc
        return [key]

    async def close(self) -> None:
        return None


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
