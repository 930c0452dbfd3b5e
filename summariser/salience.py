"""Choosing the facts: which sentences matter, without repeating a point.

A sentence scores by position (news puts the point first), centrality (how
close it is to the article's word distribution), direction (whether the
sentences after it elaborate on it, as the rest of a story elaborates its
lead), named entities and numbers. These are lexical, so they cover the whole
article at little cost. Selection is greedy with a redundancy penalty
(maximal marginal relevance) measured on sentence embeddings where they are
on; a near-duplicate of a chosen fact is skipped, and when the duplicate is
attributed and the chosen one is not, the attributed one takes its place.
The first facts say what happened; after them attributed facts are preferred,
a new voice earns a bonus and a speaker already chosen a penalty.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
BoolMatrix = npt.NDArray[np.bool_]
Vector = npt.NDArray[np.float64]  # scores, or similarities in double precision

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NUMBER = re.compile(r"\d")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "not",
        "no",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "also",
        "than",
        "then",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "said",
        "says",
        "after",
        "before",
        "over",
        "into",
        "about",
        "up",
        "out",
        "more",
        "most",
        "some",
        "any",
        "all",
    ]
)
NEAR_DUPLICATE_EMBEDDING = 0.85  # embedding cosine: a paraphrase of the same fact
NEAR_DUPLICATE_LEXICAL = 0.6
LONG_WORDS = 30
SHORTLIST = 8  # candidates embedded per article, at least ...
SHORTLIST_PER_FACT = 2  # ... and this many per fact asked for
LEAD_FACTS = 3  # the facts that say what happened; after them, voices are preferred


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One possible fact: a run of sentences with what is known about it."""

    index: int  # first sentence
    text: str
    entities: int
    speaker: str | None  # None for the outlet's own reporting
    attributed: bool
    sentences: int = 1


@dataclass(frozen=True, kw_only=True)
class Weights:
    """Tuned with bench/salience_tuning.py (two-fold over the public ROUGE set)."""

    position: float = 1.5
    decay: float = 0.6  # position score = (1 + sentence index) ** -decay
    centrality: float = 0.5
    leads: float = 0.3  # directed centrality: the sentences after this one follow from it
    lead_threshold: float = 0.3  # share of the similarity range below which links are ignored
    echoes: float = -0.75  # ... and how much it repeating earlier sentences counts against it
    entities: float = 0.15
    numbers: float = 0.05
    redundancy: float = 0.45
    long: float = 0.2  # per 30 words beyond LONG_WORDS: long facts read worse
    same_speaker: float = 0.35
    new_speaker: float = 0.08  # a voice not yet among the chosen facts
    voices: float = 0.3  # an attributed fact, once the first LEAD_FACTS facts are chosen


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def lexical_vectors(texts: Sequence[str]) -> Matrix:
    """TF-IDF rows (unit length) over the texts' own vocabulary: the no-embeddings fallback."""
    bags = [Counter(_stem(w) for w in words(t)) for t in texts]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
        for w in bag:
            vocab.setdefault(w, len(vocab))
    matrix = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    n = len(texts)
    for row, bag in enumerate(bags):
        for w, count in bag.items():
            matrix[row, vocab[w]] = (1 + math.log(count)) * math.log(1 + n / df[w])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = (matrix / norms).astype(np.float32)
    return result


def _scaled(values: Vector) -> Vector:
    """Min-max to [0, 1]; all zeros when the values do not vary."""
    if len(values) == 0 or values.max() <= values.min():
        return np.zeros(len(values))
    scaled: Vector = (values - values.min()) / (values.max() - values.min())
    return scaled


def _centrality(similarity: Vector) -> Vector:
    """How close each sentence is to the article as a whole (cosine to the mean row)."""
    n = len(similarity)
    return np.asarray(similarity.sum(axis=1), dtype=np.float64) / max(1, n)


def _direction(similarity: Vector, threshold: float, echoes: float) -> Vector:
    """Directed centrality: links to later sentences, plus ``echoes`` times links to earlier
    ones. A lead sentence is one the rest of the story elaborates; links weaker than
    ``threshold`` of the way from the weakest to the strongest are ignored."""
    n = len(similarity)
    if n < 2:
        return np.zeros(n)
    off = similarity[~np.eye(n, dtype=bool)]
    floor = float(off.min()) + threshold * float(off.max() - off.min())
    links = np.where(similarity > floor, similarity - floor, 0.0)
    later = np.triu(links, 1).sum(axis=1)
    earlier = np.tril(links, -1).sum(axis=1)
    return np.asarray(later + echoes * earlier, dtype=np.float64)


def score_candidates(
    candidates: Sequence[Candidate], vectors: Matrix, weights: Weights = Weights()
) -> list[float]:
    """Each candidate's importance on its own, before redundancy is considered. ``vectors``
    cover every candidate of the article (the lexical ones: cheap at any length)."""
    similarity = (vectors @ vectors.T).astype(np.float64)
    central = _scaled(_centrality(similarity))
    leads = _scaled(_direction(similarity, weights.lead_threshold, weights.echoes))
    scores = []
    for i, c in enumerate(candidates):
        position = (1.0 + c.index) ** -weights.decay
        score = (
            weights.position * position
            + weights.centrality * float(central[i])
            + weights.leads * float(leads[i])
            + weights.entities * min(c.entities, 3) / 3
            + weights.numbers * (1.0 if _NUMBER.search(c.text) else 0.0)
            - weights.long * max(0, len(c.text.split()) / c.sentences - LONG_WORDS) / 30
        )
        scores.append(score)
    return scores


def shortlist(scores: Sequence[float], k: int) -> list[int]:
    """The candidates worth embedding when ``k`` facts are wanted: the best by score, in
    article order. Embedding only these keeps the cost per article flat."""
    n = max(SHORTLIST, SHORTLIST_PER_FACT * k)
    best = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:n]
    return sorted(best)


def select(
    candidates: Sequence[Candidate],
    scores: Sequence[float],
    similarity: Matrix,
    duplicates: BoolMatrix,
    k: int,
    weights: Weights = Weights(),
) -> list[int]:
    """Indices into ``candidates`` of the chosen facts, in article order: greedy, each step
    taking the best score less its ``similarity`` to what is chosen. A candidate marked in
    ``duplicates`` against a chosen one is never a second fact; when it is attributed and
    the chosen one is not, it takes the chosen one's place."""
    if not candidates or k <= 0:
        return []
    chosen: list[int] = []
    speakers: Counter[str] = Counter()
    remaining = set(range(len(candidates)))
    while remaining and len(chosen) < k:
        voices = weights.voices if len(chosen) >= LEAD_FACTS else 0.0
        best, best_value = -1, -math.inf
        for i in sorted(remaining):
            redundancy = max((float(similarity[i, j]) for j in chosen), default=0.0)
            speaker = candidates[i].speaker
            value = (
                scores[i]
                - weights.redundancy * redundancy
                - weights.same_speaker * (speakers[speaker] if speaker else 0)
                + (weights.new_speaker if speaker and not speakers[speaker] else 0.0)
                + (voices if candidates[i].attributed else 0.0)
            )
            if value > best_value:
                best, best_value = i, value
        remaining.discard(best)
        duplicate_of = next((j for j in chosen if duplicates[best, j]), None)
        if duplicate_of is not None:
            if candidates[best].attributed and not candidates[duplicate_of].attributed:
                chosen[chosen.index(duplicate_of)] = best
            continue
        chosen.append(best)
        speaker = candidates[best].speaker
        if speaker:
            speakers[speaker] += 1
    return sorted(chosen, key=lambda i: candidates[i].index)


def choose(
    candidates: Sequence[Candidate],
    scores: Sequence[float],
    lexical: Matrix,
    keep: Sequence[int],
    embedded: Matrix | None,
    k: int,
    weights: Weights = Weights(),
) -> list[int]:
    """Indices into ``candidates`` of the chosen facts, among those in ``keep``.
    ``embedded`` holds the sentence embeddings of the kept candidates (row for row), or
    is None when embeddings are off. Redundancy is the mean of the embedding and lexical
    cosines (lexical alone without embeddings); near-duplicates are judged on the
    embeddings alone, which see a paraphrase that shares few words."""
    rows = list(keep)
    lex = lexical[rows] @ lexical[rows].T
    if embedded is None:
        similarity, duplicates = lex, lex >= NEAR_DUPLICATE_LEXICAL
    else:
        semantic = embedded @ embedded.T
        similarity, duplicates = (semantic + lex) / 2, semantic >= NEAR_DUPLICATE_EMBEDDING
    chosen = select(
        [candidates[i] for i in rows],
        [scores[i] for i in rows],
        similarity,
        duplicates,
        k,
        weights,
    )
    return [rows[i] for i in chosen]
