"""Digest → Slack Block Kit messages. Pure: no I/O, no slack_sdk.

A digest becomes a list of messages (``{"text": ..., "blocks": [...]}``), each
within Slack's limits: at most 50 blocks, 3,000 characters per section text,
150 per header, and a combined text well under Slack's ~12k ceiling. Stories
are never split across messages unless one story alone is too big.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.commands.types import CommandReply
from bot.digest.model import Digest, DigestStory
from bot.digest.text import attribution, render_text, story_lines
from summariser.types import FactKind, StoryFact

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_MESSAGE_CHARS = 8000  # the sum of every block's text; Slack's ceiling is ~12k
MAX_FALLBACK = 3000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Block = dict[str, Any]
Message = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters mrkdwn gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str, label: str) -> str:
    safe_url = url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    safe_label = escape(label).replace("|", "¦")
    return f"<{safe_url}|{safe_label}>"


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": _truncate(text or "News", MAX_HEADER),
            "emoji": True,
        },
    }


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _truncate(text, MAX_SECTION)}}


def fact_bullet(item: StoryFact) -> str:
    """``• text — Speaker, role (Outlet, Outlet)``, escaped for mrkdwn."""
    fact = item.fact
    who = attribution(fact, item.outlets)
    line = f"• {escape(fact.text)}"
    if who:
        line += f" — _{escape(who)}_"
    if item.outlets and fact.kind is not FactKind.REPORT and fact.speaker:
        line += f" ({escape(', '.join(item.outlets))})"
    return line


def _sections(lines: list[str]) -> list[Block]:
    """Pack lines into as few sections as fit, each ≤ MAX_SECTION characters."""
    blocks: list[Block] = []
    current = ""
    for raw in lines:
        line = _truncate(raw, MAX_SECTION)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > MAX_SECTION:
            blocks.append(section(current))
            current = line
        else:
            current = candidate
    if current:
        blocks.append(section(current))
    return blocks


def story_blocks(story: DigestStory) -> list[Block]:
    """A story: its headline and fact bullets (as sections), then a context of source links."""
    summary = story.summary
    prefix = "Update: " if story.is_update else ""
    lines = [f"*{prefix}{escape(summary.headline)}*"]
    lines += [fact_bullet(item) for item in summary.facts]
    for disagreement in summary.disagreements:
        lines.append(f"⚖ _Sources differ on {escape(disagreement.subject)}:_")
        lines += ["    " + fact_bullet(item) for item in disagreement.facts]
    blocks = _sections(lines)
    links = [link(s.url, s.outlet or s.title or "source") for s in summary.sources if s.url]
    if links:
        elements: list[Block] = []
        current = ""
        for item in links:
            candidate = f"{current} · {item}" if current else item
            if len(candidate) > MAX_SECTION and current:
                elements.append({"type": "mrkdwn", "text": current})
                current = item
            else:
                current = candidate
        elements.append({"type": "mrkdwn", "text": _truncate(current, MAX_SECTION)})
        blocks.append({"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]})
    return blocks


def block_chars(block: Block) -> int:
    """How much text a block carries (what counts toward Slack's combined ceiling)."""
    total = 0
    text = block.get("text")
    if isinstance(text, dict):
        total += len(str(text.get("text", "")))
    for element in block.get("elements", ()):
        total += len(str(element.get("text", "")))
    return total


def _fallback(lines: list[str]) -> str:
    return _truncate("\n".join(lines), MAX_FALLBACK)


def render_digest(digest: Digest) -> list[Message]:
    """The digest as Slack messages, split only where Slack's limits require it."""
    if digest.empty:
        lines = [digest.mention] if digest.mention else []
        lines.append(digest.note or "Nothing new.")
        only = [header(digest.title), section(escape("\n".join(lines)))]
        return [{"text": _truncate(render_text(digest), MAX_FALLBACK), "blocks": only}]

    groups: list[tuple[list[Block], list[str]]] = []
    for story in digest.stories:
        groups.append((story_blocks(story), story_lines(story)))

    messages: list[Message] = []
    blocks: list[Block] = []
    text_lines: list[str] = []
    chars = 0

    def start(index: int) -> None:
        nonlocal blocks, text_lines, chars
        title = digest.title if index == 0 else f"{digest.title} (continued)"
        blocks = [header(title)]
        text_lines = [title]
        if index == 0 and digest.mention:
            blocks.append(section(escape(digest.mention)))
            text_lines.insert(0, digest.mention)
        chars = sum(block_chars(b) for b in blocks)

    def flush() -> None:
        messages.append({"text": _fallback(text_lines), "blocks": blocks})

    start(0)
    has_story = False
    for story_group, lines in groups:
        group = [*([{"type": "divider"}] if has_story else []), *story_group]
        size = sum(block_chars(b) for b in group)
        if has_story and (
            len(blocks) + len(group) > MAX_BLOCKS or chars + size > MAX_MESSAGE_CHARS
        ):
            flush()
            start(len(messages))
            group = story_group
            size = sum(block_chars(b) for b in group)
        text_lines.extend(lines)
        for block in group:
            size = block_chars(block)
            if len(blocks) + 1 > MAX_BLOCKS or chars + size > MAX_MESSAGE_CHARS:
                # One story too big for a message on its own: it continues in the next.
                flush()
                start(len(messages))
            blocks.append(block)
            chars += size
        has_story = True
    flush()
    return messages


def render_reply(reply: CommandReply) -> list[Message]:
    """A /news reply: its text, then its stories (as in digests), in one or more messages."""
    text_blocks = _sections([escape(line) for line in reply.text.splitlines() or [""]])
    if not reply.stories:
        return [{"text": _truncate(reply.text, MAX_FALLBACK), "blocks": text_blocks[:MAX_BLOCKS]}]
    digest_like = Digest(
        route="reply",
        title=reply.text.splitlines()[0] if reply.text else "News",
        created_at=_EPOCH,
        stories=reply.stories,
    )
    messages = render_digest(digest_like)
    first = messages[0]
    # The first line is the header already; keep any further lines of text as a section.
    rest = reply.text.splitlines()[1:]
    if rest:
        first["blocks"].insert(1, section(escape("\n".join(rest))))
        if len(first["blocks"]) > MAX_BLOCKS:
            first["blocks"] = first["blocks"][:MAX_BLOCKS]
    return messages
