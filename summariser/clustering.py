"""Incremental story clustering: each new article joins an open story or starts one.

Pure and synchronous: the caller computes embeddings (``summariser.embeddings``)
and persists :class:`StoryState` (``to_json`` / ``centroid_bytes``); nothing
here does I/O.

An article is scored against each candidate story by a weighted sum of

- embedding similarity: the mean of its cosine to the story's mean embedding and
  to the story's nearest recent member (so a story that drifts still links),
- overlap of named entities (capitalised names and figures) with the story's,
- overlap of title keywords ("held" vs "raised" differ here, not in embeddings),
- publish-time proximity to the story's latest article (exponential decay).

It joins the best story whose score reaches ``threshold`` (and whose cosine
reaches ``min_similarity``), else it starts a new one.

Cost per article is bounded: stories whose last article is older than
``window`` leave the index, at most ``max_open`` stories stay in it (least
recently updated leave first), the cosine against every open story is one
matrix-vector product, and only the ``candidates`` best by cosine get the
full (Python-level) score.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from summariser.types import Article

Vector = npt.NDArray[np.float32]

__all__ = [
    "Assignment",
    "ClusterItem",
    "ClusterOptions",
    "Clusterer",
    "HashingEncoder",
    "StoryState",
    "embedding_text",
    "extract_entities",
    "make_item",
    "title_keywords",
]


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    """Weights and limits. The defaults were tuned on one half of a public event
    set and checked on the other (see docs/stories.md)."""

    threshold: float = 0.5
    min_similarity: float = 0.3
    embedding_weight: float = 0.7
    entity_weight: float = 0.15
    keyword_weight: float = 0.1
    time_weight: float = 0.15
    time_scale: timedelta = timedelta(days=30)
    window: timedelta | None = timedelta(days=3)
    max_open: int = 2000
    candidates: int = 16
    max_entities: int = 60  # per story, most frequent kept when serialising
    members: int = 8  # latest member embeddings kept per story (nearest-member term)

    def __post_init__(self) -> None:
        if self.max_open < 1 or self.candidates < 1:
            raise ValueError("max_open and candidates must be >= 1")
        if self.time_scale <= timedelta(0):
            raise ValueError("time_scale must be positive")


# --- features ---------------------------------------------------------------

_STOP = frozenset(
    """a an the and or but if of in on at to for from by with without as is are was were be
    been being has have had do does did not no it its this that these those he she they we
    you i his her their our your my me him them us who whom whose which what when where
    why how after before over under about into than then there here also just more most
    some any all new says said say will would could should may might can after amid up
    down out off mr mrs ms dr one two three four five six seven eight nine ten monday
    tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow week
    year years day days news read watch video photo photos live update updates breaking
    report reports according""".split()  # noqa: SIM905
)
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of|de|la|al|von|van|the|and)?\s*[A-Z][\w'’.-]*)*")
_FIGURE = re.compile(r"\b\d[\d,.]*\b")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


def _norm_entity(text: str) -> str:
    text = text.strip(" .'’-").lower()
    return re.sub(r"['’]s$", "", text)


def extract_entities(text: str, *, limit: int = 4000) -> frozenset[str]:
    """Capitalised names (multi-word kept whole) and figures, lower-cased.

    A cheap stand-in for NER that needs no model: a single capitalised word
    at the start of a sentence is kept only when it is not a common word.
    """
    text = text[:limit]
    found: set[str] = set()
    for match in _NAME.finditer(text):
        name = match.group(0)
        words = name.split()
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        if at_start and words[0].lower() in _STOP:
            words = words[1:]
            if not words:
                continue
        if len(words) == 1 and words[0].lower() in _STOP:
            continue
        norm = _norm_entity(" ".join(words))
        if len(norm) > 1:
            found.add(norm)
            if len(words) > 1:
                # the last word alone ("Merkel" for "Angela Merkel") links later mentions
                last = _norm_entity(words[-1])
                if len(last) > 2 and last not in _STOP:
                    found.add(last)
    for match in _FIGURE.finditer(text):
        figure = match.group(0).rstrip(".,")
        if len(figure) >= 2 and not (len(figure) == 4 and figure[:2] in ("19", "20")):
            found.add(figure.replace(",", ""))
    return frozenset(found)


def title_keywords(title: str | None) -> frozenset[str]:
    """Content words of a title, lower-cased, with a crude plural strip."""
    if not title:
        return frozenset()
    words = (w.strip("'’-") for w in _WORD.findall(title.lower()))
    return frozenset(
        w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if len(w) > 2 and w not in _STOP
    )


def embedding_text(article: Article, *, chars: int = 1200) -> str:
    """What is embedded for an article: its title and lead."""
    head = article.text[:chars]
    return f"{article.title}. {head}" if article.title else head


@dataclass(frozen=True, kw_only=True)
class ClusterItem:
    """What clustering needs to know about one article."""

    id: str
    vector: Vector  # unit length
    entities: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    published: datetime | None = None


def make_item(
    article: Article, vector: Vector, *, extra_entities: Iterable[str] = ()
) -> ClusterItem:
    """Features of an article, given its embedding (of :func:`embedding_text`)."""
    text = f"{article.title or ''}\n{article.text}"
    entities = extract_entities(text) | {_norm_entity(e) for e in extra_entities if e.strip()}
    return ClusterItem(
        id=article.id,
        vector=np.asarray(vector, dtype=np.float32),
        entities=entities,
        keywords=title_keywords(article.title),
        published=_aware(article.published),
    )


def _aware(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class HashingEncoder:
    """A model-free stand-in for the sentence embedder (when embeddings are switched
    off): hashed word and word-pair counts, L2-normalised, same dimensions."""

    def __init__(self, dimensions: int = 384) -> None:
        self.dimensions = dimensions

    def encode(self, texts: Sequence[str]) -> Vector:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
            for gram in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
                out[row, zlib.crc32(gram.encode()) % self.dimensions] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


# --- story state ------------------------------------------------------------


@dataclass(kw_only=True)
class StoryState:
    """One story as clustering sees it; ``to_json``/``from_json`` and
    ``centroid_bytes``/``from_parts`` let the bot keep it in the stories table."""

    id: str
    vector_sum: Vector
    count: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    keywords: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    members: list[Vector] = field(default_factory=list)
    keep: int = 8
    _stacked: Vector | None = field(default=None, repr=False, compare=False)

    @property
    def centroid(self) -> Vector:
        norm = float(np.linalg.norm(self.vector_sum))
        if norm == 0.0:
            return self.vector_sum.astype(np.float32)
        return (self.vector_sum / norm).astype(np.float32)

    def add(self, item: ClusterItem) -> None:
        self.vector_sum = (self.vector_sum + item.vector).astype(np.float32)
        self.count += 1
        self.members = [*self.members, item.vector][-self.keep :]
        self._stacked = None
        self.entities.update(item.entities)
        self.keywords.update(item.keywords)
        if item.published is not None:
            if self.first is None or item.published < self.first:
                self.first = item.published
            if self.last is None or item.published > self.last:
                self.last = item.published

    def nearest_member(self, vector: Vector) -> float:
        if not self.members:
            return 0.0
        if self._stacked is None or self._stacked.shape[0] != len(self.members):
            self._stacked = np.vstack(self.members).astype(np.float32)
        return float(np.einsum("ij,j->i", self._stacked, vector).max())

    def centroid_bytes(self) -> bytes:
        """The stories table's ``centroid``: float32 rows, the mean embedding
        first, then the latest member embeddings."""
        mean = self.vector_sum / max(self.count, 1)
        rows = np.vstack([mean, *self.members]).astype("<f4")
        return bytes(rows.tobytes())

    def to_json(self, *, max_entities: int = 60) -> dict[str, Any]:
        return {
            "count": self.count,
            "entities": dict(self.entities.most_common(max_entities)),
            "keywords": dict(self.keywords.most_common(max_entities)),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }

    @classmethod
    def from_parts(
        cls, story_id: str, centroid: bytes, data: dict[str, Any], *, dimensions: int = 384
    ) -> StoryState:
        count = int(data.get("count", 1))
        rows = np.frombuffer(centroid, dtype="<f4").astype(np.float32).reshape(-1, dimensions)
        mean = rows[0]
        return cls(
            id=story_id,
            vector_sum=(mean * max(count, 1)).astype(np.float32),
            count=count,
            entities=Counter({str(k): int(v) for k, v in data.get("entities", {}).items()}),
            keywords=Counter({str(k): int(v) for k, v in data.get("keywords", {}).items()}),
            first=_parse_time(data.get("first")),
            last=_parse_time(data.get("last")),
            members=[r.copy() for r in rows[1:]],
        )


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    return _aware(datetime.fromisoformat(str(value)))


# --- the clusterer ----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Assignment:
    item: str
    story: str
    created: bool
    score: float


class Clusterer:
    """Open stories in an index; :meth:`assign` places one article at a time."""

    def __init__(
        self, options: ClusterOptions | None = None, stories: Iterable[StoryState] = ()
    ) -> None:
        self.options = options or ClusterOptions()
        self._stories: dict[str, StoryState] = {}
        self._rows: list[str] = []
        self._row_of: dict[str, int] = {}
        self._matrix: Vector = np.zeros((0, 0), dtype=np.float32)
        self._times: npt.NDArray[np.float64] = np.zeros(0, dtype=np.float64)  # story.last
        self._latest: datetime | None = None
        for story in stories:
            self._put(story)

    # index maintenance

    @property
    def stories(self) -> dict[str, StoryState]:
        """The open stories (read-only view by convention)."""
        return self._stories

    def __len__(self) -> int:
        return len(self._stories)

    def _put(self, story: StoryState) -> None:
        centroid = story.centroid
        if self._matrix.shape[1] == 0:
            self._matrix = np.zeros((0, centroid.shape[0]), dtype=np.float32)
        if story.id in self._row_of:
            self._matrix[self._row_of[story.id]] = centroid
        else:
            if len(self._rows) >= self._matrix.shape[0]:
                grown = np.zeros(
                    (max(16, 2 * self._matrix.shape[0]), centroid.shape[0]), dtype=np.float32
                )
                grown[: self._matrix.shape[0]] = self._matrix
                self._matrix = grown
                times = np.full(grown.shape[0], -np.inf)
                times[: self._times.shape[0]] = self._times
                self._times = times
            self._row_of[story.id] = len(self._rows)
            self._rows.append(story.id)
            self._matrix[self._row_of[story.id]] = centroid
        self._times[self._row_of[story.id]] = story.last.timestamp() if story.last else -np.inf
        self._stories[story.id] = story
        if story.last is not None and (self._latest is None or story.last > self._latest):
            self._latest = story.last

    def remove(self, story_id: str) -> StoryState | None:
        story = self._stories.pop(story_id, None)
        if story is None:
            return None
        row = self._row_of.pop(story_id)
        last = len(self._rows) - 1
        if row != last:
            moved = self._rows[last]
            self._rows[row] = moved
            self._row_of[moved] = row
            self._matrix[row] = self._matrix[last]
            self._times[row] = self._times[last]
        self._rows.pop()
        return story

    def expire(self, now: datetime | None = None) -> list[str]:
        """Drop stories outside the window (relative to ``now`` or the newest
        article seen) and the least recently updated beyond ``max_open``."""
        # vectorised over the index: no Python loop over open stories per article
        n = len(self._rows)
        times = self._times[:n]
        drop = np.zeros(n, dtype=bool)
        ref = _aware(now) or self._latest
        window = self.options.window
        if window is not None and ref is not None:
            drop |= times < (ref - window).timestamp()
            drop &= np.isfinite(times)
        excess = n - int(drop.sum()) - self.options.max_open
        if excess > 0:
            keep_times = np.where(drop, np.inf, times)
            oldest = np.argpartition(keep_times, excess - 1)[:excess] if excess < n else None
            drop[oldest if oldest is not None else slice(None)] = True
        gone = [self._rows[int(row)] for row in np.flatnonzero(drop)]
        for story_id in gone:
            self.remove(story_id)
        return gone

    # scoring

    def _entity_overlap(self, item: ClusterItem, story: StoryState) -> float:
        if not item.entities or not story.entities:
            return 0.0
        # an entity counts in proportion to how many of the story's articles carry it
        shared = sum(min(1.0, 2.0 * story.entities[e] / story.count) for e in item.entities)
        return min(1.0, shared / min(len(item.entities), len(story.entities), 12))

    def _keyword_overlap(self, item: ClusterItem, story: StoryState) -> float:
        if not item.keywords or not story.keywords:
            return 0.0
        shared = sum(1 for k in item.keywords if k in story.keywords)
        return shared / min(len(item.keywords), len(story.keywords))

    def _time_score(self, item: ClusterItem, story: StoryState) -> float:
        if item.published is None or story.last is None:
            return 0.5
        gap = abs((item.published - story.last).total_seconds())
        return math.exp(-gap / self.options.time_scale.total_seconds())

    def score(self, item: ClusterItem, story: StoryState, cosine: float) -> float:
        o = self.options
        similarity = 0.5 * (cosine + story.nearest_member(item.vector))
        return (
            o.embedding_weight * similarity
            + o.entity_weight * self._entity_overlap(item, story)
            + o.keyword_weight * self._keyword_overlap(item, story)
            + o.time_weight * self._time_score(item, story)
        )

    def ranked(self, item: ClusterItem) -> list[tuple[str, float, float]]:
        """The best candidate stories as ``(story, score, cosine)``, best first."""
        n = len(self._rows)
        if n == 0:
            return []
        # einsum, not BLAS: a threaded BLAS matvec this small costs more in thread
        # hand-offs than in arithmetic, badly so on a loaded machine
        cosines = np.einsum("ij,j->i", self._matrix[:n], item.vector)
        k = min(self.options.candidates, n)
        top = np.argpartition(-cosines, k - 1)[:k] if k < n else np.arange(n)
        out = []
        for row in top:
            story = self._stories[self._rows[int(row)]]
            cosine = float(cosines[int(row)])
            out.append((story.id, self.score(item, story, cosine), cosine))
        out.sort(key=lambda t: -t[1])
        return out

    def best(self, item: ClusterItem) -> tuple[str, float] | None:
        """The story the item should join, or None for a new story."""
        for story_id, total, cosine in self.ranked(item):
            if total >= self.options.threshold and cosine >= self.options.min_similarity:
                return story_id, total
            if total < self.options.threshold:
                break
        return None

    def assign(self, item: ClusterItem, new_id: Callable[[], str] | None = None) -> Assignment:
        """Place ``item``: join the best open story or start a new one (id from
        ``new_id``, default the item's id). Expires old stories first."""
        if item.published is not None and (self._latest is None or item.published > self._latest):
            self._latest = item.published
        self.expire()
        found = self.best(item)
        if found is not None:
            story_id, total = found
            self.join(item, story_id)
            return Assignment(item=item.id, story=story_id, created=False, score=total)
        story_id = new_id() if new_id is not None else item.id
        self.join(item, story_id)
        self.expire()  # keeps at most max_open, the new story included
        return Assignment(item=item.id, story=story_id, created=True, score=0.0)

    def join(self, item: ClusterItem, story_id: str) -> StoryState:
        """Add ``item`` to ``story_id`` (created when unknown) and re-index it."""
        story = self._stories.get(story_id)
        if story is None:
            story = StoryState(
                id=story_id, vector_sum=np.zeros_like(item.vector), keep=self.options.members
            )
        story.add(item)
        self._put(story)
        return story


def cluster_all(
    items: Sequence[ClusterItem], options: ClusterOptions | None = None
) -> list[Assignment]:
    """Cluster a stream in the given order (stories named after their first item)."""
    clusterer = Clusterer(options)
    return [clusterer.assign(item) for item in items]
