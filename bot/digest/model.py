"""The platform-neutral digest: what a route posts, before any platform renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from summariser.types import Disagreement, Fact, Source, StoryFact, StorySummary


@dataclass(frozen=True, kw_only=True)
class DigestStory:
    """A story as a route shows it. ``is_update``: the route has posted this story
    before, and ``summary.facts`` holds only what is new since then."""

    story_id: int | None
    summary: StorySummary
    is_update: bool = False


@dataclass(frozen=True, kw_only=True)
class Digest:
    route: str
    title: str
    created_at: datetime
    stories: tuple[DigestStory, ...]
    mention: str | None = None
    note: str | None = None  # e.g. the route's "nothing new" line when there are no stories
    tags: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.stories


def digest_to_json(digest: Digest) -> dict[str, Any]:
    """The whole digest as JSON, kept with its post so an interrupted post can be resent."""
    return {
        "route": digest.route,
        "title": digest.title,
        "created_at": digest.created_at.isoformat(),
        "mention": digest.mention,
        "note": digest.note,
        "tags": list(digest.tags),
        "stories": [
            {
                "story_id": story.story_id,
                "is_update": story.is_update,
                "summary": _summary_json(story.summary),
            }
            for story in digest.stories
        ],
    }


def digest_from_json(data: dict[str, Any]) -> Digest:
    return Digest(
        route=data["route"],
        title=data["title"],
        created_at=datetime.fromisoformat(data["created_at"]),
        mention=data.get("mention"),
        note=data.get("note"),
        tags=tuple(data.get("tags") or ()),
        stories=tuple(
            DigestStory(
                story_id=story.get("story_id"),
                is_update=bool(story.get("is_update")),
                summary=_summary_from_json(story["summary"]),
            )
            for story in data["stories"]
        ),
    )


def _fact_json(item: StoryFact) -> dict[str, Any]:
    return {"fact": item.fact.to_json(), "outlets": list(item.outlets), "key": item.key}


def _fact_from_json(data: dict[str, Any]) -> StoryFact:
    return StoryFact(
        fact=Fact.from_json(data["fact"]), outlets=tuple(data["outlets"]), key=data["key"]
    )


def _summary_json(summary: StorySummary) -> dict[str, Any]:
    return {
        "headline": summary.headline,
        "facts": [_fact_json(item) for item in summary.facts],
        "sources": [{"outlet": s.outlet, "url": s.url, "title": s.title} for s in summary.sources],
        "disagreements": [
            {"subject": d.subject, "facts": [_fact_json(item) for item in d.facts]}
            for d in summary.disagreements
        ],
    }


def _summary_from_json(data: dict[str, Any]) -> StorySummary:
    return StorySummary(
        headline=data["headline"],
        facts=tuple(_fact_from_json(item) for item in data["facts"]),
        sources=tuple(Source(**source) for source in data["sources"]),
        disagreements=tuple(
            Disagreement(subject=d["subject"], facts=tuple(_fact_from_json(f) for f in d["facts"]))
            for d in data["disagreements"]
        ),
    )
