"""Merging several articles' summaries into one story summary.

- A fact reported by several outlets appears once, listing every outlet: facts
  are the same when their normalised text matches, or when they share the
  speaker and nearly all their words (wire copy lightly edited by each outlet),
  or, given sentence embeddings, when they share the speaker and the figures and
  say the same thing in other words (each outlet's own lead on the event).
- Order: facts more outlets report first; then round by round, each article's
  first fact, then each one's second, and so on, so every outlet's lead shows.
- Quotes and claims keep their speaker; the outlet's own reporting lists outlets.
- ``StoryFact.key`` is a hash of the normalised text and speaker of the first
  sighting, so it is stable as more articles join (articles are merged oldest
  first, so the first sighting does not change).
- Disagreements: facts from different speakers or outlets that give different
  figures for the same thing ("12 killed" / "15 killed") are listed side by side.

Pure: no I/O; the embedding function, when there is one, is the caller's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from summariser.types import Disagreement, Fact, Source, StoryFact, StorySummary, Summary

__all__ = ["fact_key", "figures", "merge_summaries", "normalise"]

_PUNCT = re.compile(r"[^\w\s%]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9%]+")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|per cent))?")
_FILLER = frozenset(
    "a an the of at least about around more than some nearly almost over under up to".split()  # noqa: SIM905
)
_STOP = frozenset(
    """a an the and or but of in on at to for from by with as is are was were be been has have
    had it its this that he she they we said says say told according not no""".split()  # noqa: SIM905
)
_SAME_FACT = 0.8  # token Jaccard at which two facts from the same speaker are one
_SAME_MEANING = 0.8  # embedding cosine at which they are one (when the figures agree too)

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]  # unit-length rows, one per text
_SAME_THING = 0.25  # context Jaccard at which two figures are about the same thing


def normalise(text: str) -> str:
    """Lower-case, curly quotes and punctuation removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _PUNCT.sub(" ", text.replace("’", "'").replace("'", ""))
    return _SPACE.sub(" ", text).strip()


def fact_key(fact: Fact) -> str:
    """Stable key of a fact: its normalised text and speaker."""
    speaker = normalise(fact.speaker) if fact.speaker else ""
    digest = hashlib.sha256(f"{normalise(fact.text)}\x1f{speaker}".encode())
    return digest.hexdigest()[:32]


def _tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(normalise(text)) if w not in _STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def figures(text: str) -> list[tuple[float, str]]:
    """``(value, unit)`` for each figure in ``text``; the unit is the next content
    word ("people", "%"), so "12 people" and "15 people" are comparable. Years
    and figures glued to letters are skipped."""
    out: list[tuple[float, str]] = []
    for match in _NUMBER.finditer(text):
        raw, percent = match.group(1), match.group(2)
        value = float(raw.replace(",", ""))
        if not percent and "." not in raw and "," not in raw and 1900 <= value <= 2100:
            continue
        if percent:
            out.append((value, "%"))
            continue
        after = [w for w in _WORD.findall(text[match.end() : match.end() + 40].lower())]
        after = [w for w in after if w not in _FILLER]
        unit = after[0] if after else ""
        if unit in ("million", "billion", "thousand", "hundred") and len(after) > 1:
            value *= {"million": 1e6, "billion": 1e9, "thousand": 1e3, "hundred": 1e2}[unit]
            unit = after[1]
        if unit.endswith("s") and len(unit) > 3 and not unit.endswith("ss"):
            unit = unit[:-1]
        out.append((value, unit))
    return out


@dataclass
class _Group:
    fact: Fact
    key: str
    tokens: frozenset[str]
    vector: npt.NDArray[np.float32] | None  # the first sighting's embedding
    order: tuple[int, int]  # (rank in its article's summary, article index) of the first sighting
    outlets: list[str] = field(default_factory=list)
    voices: set[str] = field(default_factory=set)  # its speaker, or outlets for reports


def _label(summary: Summary, index: int) -> str:
    return summary.outlet or summary.url or f"article {index + 1}"


def _same(
    group: _Group,
    fact: Fact,
    key: str,
    tokens: frozenset[str],
    vector: npt.NDArray[np.float32] | None,
) -> bool:
    if group.key == key:
        return True
    if (group.fact.speaker or "").lower() != (fact.speaker or "").lower():
        return False
    if sorted(figures(group.fact.text)) != sorted(figures(fact.text)):
        return False  # "12 killed" and "15 killed" are a disagreement, never one fact
    if _jaccard(group.tokens, tokens) >= _SAME_FACT:
        return True
    return (
        vector is not None
        and group.vector is not None
        and float(group.vector @ vector) >= _SAME_MEANING
    )


def _headline(summaries: Sequence[Summary], facts: Sequence[StoryFact]) -> str:
    titles = [s.title.strip() for s in summaries if s.title and s.title.strip()]
    if titles:
        # the title sharing most words with the other titles: the story's centre
        tokens = [_tokens(t) for t in titles]
        common: Counter[str] = Counter(w for ts in tokens for w in ts)
        scores = [sum(common[w] - 1 for w in ts) / (len(ts) or 1) ** 0.5 for ts in tokens]
        best = max(range(len(titles)), key=lambda i: (scores[i], -i))
        return titles[best]
    for summary in summaries:
        if summary.gist:
            return summary.gist
    if facts:
        text = facts[0].fact.text
        return text if len(text) <= 120 else text[:117].rstrip() + "…"
    return "Untitled story"


def _disagreements(groups: Sequence[_Group], items: dict[str, StoryFact]) -> list[Disagreement]:
    found: list[Disagreement] = []
    used: set[frozenset[str]] = set()
    with_figures = [(g, figures(g.fact.text)) for g in groups]
    with_figures = [(g, f) for g, f in with_figures if f]
    for i, (a, fa) in enumerate(with_figures):
        for b, fb in with_figures[i + 1 :]:
            if a.voices & b.voices:
                continue  # the same voice; a changed figure is an update, not a dispute
            context = _jaccard(
                frozenset(t for t in a.tokens if not t[0].isdigit()),
                frozenset(t for t in b.tokens if not t[0].isdigit()),
            )
            if context < _SAME_THING:
                continue
            units_a = {u: v for v, u in fa if u}
            for value_b, unit in fb:
                if unit in units_a and units_a[unit] != value_b:
                    pair = frozenset((a.key, b.key))
                    if pair in used:
                        break
                    used.add(pair)
                    subject = unit if unit != "%" else "percentage"
                    found.append(Disagreement(subject=subject, facts=(items[a.key], items[b.key])))
                    break
    return _merge_disagreements(found)


def _merge_disagreements(found: list[Disagreement]) -> list[Disagreement]:
    """Pairs on the same subject sharing a fact become one side-by-side list."""
    merged: list[Disagreement] = []
    for d in found:
        for i, m in enumerate(merged):
            keys = {f.key for f in m.facts}
            if m.subject == d.subject and keys & {f.key for f in d.facts}:
                extra = tuple(f for f in d.facts if f.key not in keys)
                merged[i] = Disagreement(subject=m.subject, facts=m.facts + extra)
                break
        else:
            merged.append(d)
    return merged


def merge_summaries(summaries: Sequence[Summary], *, embed: Embed | None = None) -> StorySummary:
    """One story from its articles' summaries, given oldest first. With ``embed``, facts
    that say the same thing in other words are one."""
    texts = [f.text for s in summaries for f in s.facts]
    vectors = iter(embed(texts) if embed is not None and texts else [None] * len(texts))
    groups: list[_Group] = []
    sources: list[Source] = []
    seen_sources: set[tuple[str | None, str | None]] = set()
    for index, summary in enumerate(summaries):
        label = _label(summary, index)
        ident = (summary.outlet, summary.url)
        if ident not in seen_sources:
            seen_sources.add(ident)
            sources.append(Source(outlet=summary.outlet, url=summary.url, title=summary.title))
        for rank, fact in enumerate(summary.facts):
            key = fact_key(fact)
            tokens = _tokens(fact.text)
            vector = next(vectors)
            group = next((g for g in groups if _same(g, fact, key, tokens, vector)), None)
            if group is None:
                group = _Group(
                    fact=fact, key=key, tokens=tokens, vector=vector, order=(rank, index)
                )
                groups.append(group)
            if label not in group.outlets:
                group.outlets.append(label)
            if fact.speaker:
                group.voices.add(f"speaker:{normalise(fact.speaker)}")
            else:
                group.voices.add(f"outlet:{label.lower()}")
    # reported by more outlets first, then each article's first fact, then its second, ...
    groups.sort(key=lambda g: (-len(g.outlets), g.order))
    items = {g.key: StoryFact(fact=g.fact, outlets=tuple(g.outlets), key=g.key) for g in groups}
    facts = tuple(items[g.key] for g in groups)
    return StorySummary(
        headline=_headline(summaries, facts),
        facts=facts,
        sources=tuple(sources),
        disagreements=tuple(_disagreements(groups, items)),
    )
