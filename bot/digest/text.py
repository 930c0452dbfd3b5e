"""Plain-text rendering of a digest (console output, and Slack's ``text`` fallback)."""

from __future__ import annotations

from bot.digest.model import Digest, DigestStory
from summariser.types import Fact, FactKind, StoryFact


def attribution(fact: Fact, outlets: tuple[str, ...] = ()) -> str:
    """ "Speaker, role" for quotes and claims, the outlets for the outlet's own reporting."""
    if fact.kind is FactKind.REPORT or not fact.speaker:
        return ", ".join(outlets)
    who = fact.speaker[:1].upper() + fact.speaker[1:]  # "the council said" → "The council"
    return f"{who}, {fact.speaker_role}" if fact.speaker_role else who


def fact_line(item: StoryFact) -> str:
    fact = item.fact
    who = attribution(fact, item.outlets)
    text = fact.text
    if fact.kind is FactKind.CLAIM and fact.speaker and not who:
        who = fact.speaker
    return f"{text} — {who}" if who else text


def story_lines(story: DigestStory) -> list[str]:
    summary = story.summary
    prefix = "Update: " if story.is_update else ""
    lines = [f"{prefix}{summary.headline}"]
    lines += [f"  • {fact_line(item)}" for item in summary.facts]
    for disagreement in summary.disagreements:
        lines.append(f"  ⚖ {disagreement.subject}:")
        lines += [f"      – {fact_line(item)}" for item in disagreement.facts]
    sources = [s for s in summary.sources if s.url]
    if sources:
        lines.append(
            "  Sources: " + "; ".join(f"{s.outlet or 'source'} <{s.url}>" for s in sources)
        )
    return lines


def render_text(digest: Digest) -> str:
    lines = [digest.title, "=" * min(len(digest.title), 72)]
    if digest.mention:
        lines.insert(0, digest.mention)
    if digest.empty:
        lines.append(digest.note or "Nothing new.")
    for index, story in enumerate(digest.stories):
        if index:
            lines.append("")
        lines += story_lines(story)
    return "\n".join(lines) + "\n"
