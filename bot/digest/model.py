"""The platform-neutral digest: what a route posts, before any platform renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from summariser.types import StorySummary


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
