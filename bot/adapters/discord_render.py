"""Digests and command replies as Discord embeds: pure code, no discord.py, no I/O.

A rendered digest is a list of ``DiscordMessage`` values, each a little text
(``content``) and up to ten embed dicts in the REST API's JSON shape. Every
message respects Discord's limits (``LIMITS``); stories are split across
embeds, and embeds across messages, in order, never reordered to pack tighter.

Facts are bullets ending in "— Speaker, role" (or the outlets, for their own
reporting); sources are markdown links in a field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote

from bot.commands.types import CommandReply
from bot.digest.model import Digest, DigestStory
from bot.digest.text import fact_line
from summariser.types import Source, StoryFact

Embed = dict[str, Any]


@dataclass(frozen=True)
class Limits:
    """Discord's documented limits for message content and embeds."""

    content: int = 2000
    title: int = 256
    description: int = 4096
    fields: int = 25
    field_name: int = 256
    field_value: int = 1024
    footer: int = 2048
    author: int = 256
    total: int = 6000  # across every embed of one message
    embeds: int = 10  # per message


LIMITS: Final = Limits()

COLOUR_NEW: Final = 0x2B6CB0
COLOUR_UPDATE: Final = 0xD69E2E
COLOUR_NOTE: Final = 0x718096

_CONT = " (cont.)"
_WEB_URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]])")


@dataclass(frozen=True, kw_only=True)
class DiscordMessage:
    """One message to create: text content and embed dicts, already within limits."""

    content: str | None = None
    embeds: tuple[Embed, ...] = field(default=())


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def escape(text: str) -> str:
    """Escape Discord markdown in text that is not meant as markup."""
    return _MARKDOWN.sub(r"\\\1", text)


def embed_size(embed: Embed) -> int:
    """Characters Discord counts towards the 6,000 per message."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    size += len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", ()):
        size += len(item["name"]) + len(item["value"])
    return size


def limit_problems(message: DiscordMessage, limits: Limits = LIMITS) -> list[str]:
    """Every way ``message`` breaks a limit (empty when it is fine)."""
    problems: list[str] = []
    if message.content is not None and len(message.content) > limits.content:
        problems.append(f"content has {len(message.content)} > {limits.content} chars")
    if not message.content and not message.embeds:
        problems.append("message is empty")
    if len(message.embeds) > limits.embeds:
        problems.append(f"{len(message.embeds)} > {limits.embeds} embeds")
    total = sum(embed_size(e) for e in message.embeds)
    if total > limits.total:
        problems.append(f"embeds total {total} > {limits.total} chars")
    for i, embed in enumerate(message.embeds):
        checks = [
            ("title", len(embed.get("title", "")), limits.title),
            ("description", len(embed.get("description", "")), limits.description),
            ("fields", len(embed.get("fields", ())), limits.fields),
            ("footer", len(embed.get("footer", {}).get("text", "")), limits.footer),
        ]
        for item in embed.get("fields", ()):
            checks.append(("field name", len(item["name"]), limits.field_name))
            checks.append(("field value", len(item["value"]), limits.field_value))
            if not item["name"].strip() or not item["value"].strip():
                problems.append(f"embed {i}: empty field name or value")
        problems += [f"embed {i}: {what} {n} > {most}" for what, n, most in checks if n > most]
        if embed_size(embed) == 0:
            problems.append(f"embed {i} is empty")
    return problems


class _EmbedWriter:
    """Fills embeds for one story, starting a continuation embed when one is full."""

    def __init__(self, title: str | None, *, url: str | None, colour: int, limits: Limits) -> None:
        self._limits = limits
        self._title = clip(title, limits.title) if title else None
        self._cont_title = clip(title, limits.title - len(_CONT)) + _CONT if title else None
        self._url = url
        self._colour = colour
        self.embeds: list[Embed] = []
        self._new(first=True)

    def _new(self, *, first: bool = False) -> None:
        embed: Embed = {"color": self._colour}
        title = self._title if first else self._cont_title
        if title:
            embed["title"] = title
        if first and self._url:
            embed["url"] = self._url
        self.embeds.append(embed)

    @property
    def _current(self) -> Embed:
        return self.embeds[-1]

    def _room(self) -> int:
        return self._limits.total - embed_size(self._current)

    def line(self, text: str) -> None:
        text = clip(text, min(self._limits.description, self._limits.total - self._limits.title))
        embed = self._current
        joined = f"{embed['description']}\n{text}" if "description" in embed else text
        fits = len(joined) <= self._limits.description and (
            len(joined) - len(embed.get("description", "")) <= self._room()
        )
        if not fits or embed.get("fields"):  # a description never follows fields
            self._new()
            joined = text
        self._current["description"] = joined

    def field(self, name: str, value: str) -> None:
        name = clip(name, self._limits.field_name)
        value = clip(value, self._limits.field_value)
        embed = self._current
        fields = embed.get("fields", [])
        if len(fields) >= self._limits.fields or len(name) + len(value) > self._room():
            self._new()
        self._current.setdefault("fields", []).append(
            {"name": name, "value": value, "inline": False}
        )

    def lines_field(self, name: str, lines: Iterable[str]) -> None:
        """A field holding ``lines``, split over several fields of the same name if long."""
        chunk: list[str] = []
        size = 0
        for line in (clip(item, self._limits.field_value) for item in lines):
            if chunk and size + 1 + len(line) > self._limits.field_value:
                self.field(name, "\n".join(chunk))
                name = clip(name, self._limits.field_name - len(_CONT)) + _CONT
                chunk, size = [], 0
            chunk.append(line)
            size += len(line) + (1 if size else 0)
        if chunk:
            self.field(name, "\n".join(chunk))


def _bullet(item: StoryFact, mark: str = "•") -> str:
    return f"{mark} {escape(fact_line(item))}"


def _web_url(url: str | None) -> str | None:
    """``url`` if Discord would accept it as a link (http(s), no spaces, not too long)."""
    if not url or len(url) > 2048 or not _WEB_URL.match(url):
        return None
    return url


def _link(source: Source) -> str | None:
    url = _web_url(source.url)
    label = escape(" ".join((source.outlet or source.title or "source").split()) or "source")
    if url is None:
        return label if source.outlet else None
    url = quote(url, safe=":/?#@!$&'*+,;=%~-._")  # keep "(" ")" from ending the link
    return f"[{label}]({url})"


def story_embeds(story: DigestStory, limits: Limits = LIMITS) -> list[Embed]:
    """One story as one embed, or several when it does not fit in one."""
    summary = story.summary
    headline = ("Update: " if story.is_update else "") + (summary.headline or "Untitled story")
    first_url = next((u for u in (_web_url(s.url) for s in summary.sources) if u), None)
    writer = _EmbedWriter(
        headline,
        url=first_url,
        colour=COLOUR_UPDATE if story.is_update else COLOUR_NEW,
        limits=limits,
    )
    for item in summary.facts:
        writer.line(_bullet(item))
    if not summary.facts:
        writer.line("No new facts.")
    for disagreement in summary.disagreements:
        writer.lines_field(
            f"⚖ Sources differ: {disagreement.subject}",
            [_bullet(item, "–") for item in disagreement.facts],
        )
    links = [link for link in map(_link, summary.sources) if link]
    if links:
        writer.lines_field("Sources", links)
    return writer.embeds


def pack(
    embeds: Sequence[Embed], *, first_content: str | None = None, limits: Limits = LIMITS
) -> list[DiscordMessage]:
    """Embeds into as few messages as the limits allow, in order."""
    messages: list[DiscordMessage] = []
    batch: list[Embed] = []
    total = 0
    content = first_content
    for embed in embeds:
        size = embed_size(embed)
        if batch and (len(batch) >= limits.embeds or total + size > limits.total):
            messages.append(DiscordMessage(content=content, embeds=tuple(batch)))
            content, batch, total = None, [], 0
        batch.append(embed)
        total += size
    if batch or content:
        messages.append(DiscordMessage(content=content, embeds=tuple(batch)))
    return messages


def digest_heading(digest: Digest) -> str:
    count = len(digest.stories)
    noun = "story" if count == 1 else "stories"
    heading = f"**{escape(digest.title)}**"
    if count:
        heading += f" · {count} {noun}"
    return heading


def render_digest(digest: Digest, limits: Limits = LIMITS) -> list[DiscordMessage]:
    """A digest as messages: a heading, then one or more embeds per story."""
    heading = clip(digest_heading(digest), limits.content - 200)  # room for a mention
    if digest.empty:
        note = digest.note or "Nothing new."
        embed: Embed = {"description": clip(escape(note), limits.description)}
        embed["color"] = COLOUR_NOTE
        return [DiscordMessage(content=heading, embeds=(embed,))]
    embeds = [e for story in digest.stories for e in story_embeds(story, limits)]
    if digest.note:
        embeds.append(
            {"description": clip(escape(digest.note), limits.description), "color": COLOUR_NOTE}
        )
    return pack(embeds, first_content=heading, limits=limits)


def render_reply(reply: CommandReply, limits: Limits = LIMITS) -> list[DiscordMessage]:
    """A /news reply: its text as content (or an embed when too long), stories as embeds."""
    text = reply.text.strip()
    embeds: list[Embed] = []
    content: str | None = text or None
    if len(text) > limits.content:
        content = None
        writer = _EmbedWriter(None, url=None, colour=COLOUR_NOTE, limits=limits)
        for paragraph in text.split("\n"):
            if paragraph.strip():
                writer.line(paragraph)
        embeds += writer.embeds
    embeds += [e for story in reply.stories for e in story_embeds(story, limits)]
    messages = pack(embeds, first_content=content, limits=limits)
    return messages or [DiscordMessage(content="(no results)")]
