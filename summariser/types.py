"""Core types: an article in, a summary of attributed facts out.

Everything here is frozen and keyword-only; invariants are checked on
construction so a ``Fact`` can never exist without its attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class FactKind(StrEnum):
    QUOTE = "quote"  # a direct quotation, with its speaker
    CLAIM = "claim"  # reported speech or a contested figure, with its speaker
    REPORT = "report"  # the outlet's own reporting (speaker is None)


class AttributionKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


@dataclass(frozen=True, kw_only=True)
class Article:
    """Plain article text plus what is known about where it came from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Attribution:
    """One who-said-what found in an article."""

    speaker: str
    speaker_role: str | None
    cue: str
    content: str
    kind: AttributionKind
    sentence: int

    def __post_init__(self) -> None:
        if not self.speaker.strip():
            raise ValueError("an attribution needs a speaker")
        if self.sentence < 0:
            raise ValueError("sentence index must be >= 0")

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "cue": self.cue,
            "content": self.content,
            "kind": self.kind.value,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, kw_only=True)
class Fact:
    """A verbatim span of the article and who it is attributed to.

    ``speaker`` is None only for the outlet's own reporting.
    """

    text: str
    kind: FactKind
    speaker: str | None
    speaker_role: str | None
    cue: str | None
    sentence: int

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a fact needs text")
        if self.kind is FactKind.REPORT:
            if self.speaker is not None:
                raise ValueError("a report is the outlet's own: it has no speaker")
        elif not (self.speaker and self.speaker.strip()):
            raise ValueError(f"a {self.kind.value} must carry its speaker")
        if self.sentence < 0:
            raise ValueError("sentence index must be >= 0")

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "cue": self.cue,
            "sentence": self.sentence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        return cls(
            text=data["text"],
            kind=FactKind(data["kind"]),
            speaker=data.get("speaker"),
            speaker_role=data.get("speaker_role"),
            cue=data.get("cue"),
            sentence=int(data.get("sentence", 0)),
        )


@dataclass(frozen=True, kw_only=True)
class Summary:
    """The key facts of one article, plus every attribution found in it."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    facts: tuple[Fact, ...]
    attributions: tuple[Attribution, ...] = field(default=())
    gist: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "facts": [f.to_json() for f in self.facts],
            "attributions": [a.to_json() for a in self.attributions],
        }
        if self.gist is not None:
            data["gist"] = self.gist
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(
            id=str(data["id"]),
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            facts=tuple(Fact.from_json(f) for f in data.get("facts", [])),
            attributions=tuple(
                Attribution(
                    speaker=a["speaker"],
                    speaker_role=a.get("speaker_role"),
                    cue=a["cue"],
                    content=a["content"],
                    kind=AttributionKind(a["kind"]),
                    sentence=int(a["sentence"]),
                )
                for a in data.get("attributions", [])
            ),
            gist=data.get("gist"),
        )


@dataclass(frozen=True, kw_only=True)
class Source:
    """One outlet's article about a story."""

    outlet: str | None
    url: str | None
    title: str | None = None


@dataclass(frozen=True, kw_only=True)
class StoryFact:
    """A fact merged across a story's articles, with every outlet that reported it.

    ``key`` is stable for the same fact, so a route can remember what it posted.
    """

    fact: Fact
    outlets: tuple[str, ...]
    key: str

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a story fact needs a key")


@dataclass(frozen=True, kw_only=True)
class Disagreement:
    """Sources giving different figures for the same thing, shown side by side."""

    subject: str
    facts: tuple[StoryFact, ...]

    def __post_init__(self) -> None:
        if len(self.facts) < 2:
            raise ValueError("a disagreement needs at least two facts")


@dataclass(frozen=True, kw_only=True)
class StorySummary:
    """One event across outlets: a headline, merged facts, sources, disagreements."""

    headline: str
    facts: tuple[StoryFact, ...]
    sources: tuple[Source, ...]
    disagreements: tuple[Disagreement, ...] = ()
