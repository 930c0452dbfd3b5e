"""Choosing the facts: which sentences matter, without repeating a point.

A sentence scores by position (news puts the point first), centrality (how
close it is to the article as a whole: cosine to the mean sentence embedding,
or to the article's word distribution when embeddings are off), named
entities and numbers, and being attributed. Selection is greedy with a
redundancy penalty (maximal marginal relevance); a near-duplicate of a chosen
fact is skipped, and when the duplicate is attributed and the chosen one is
not, the attributed one takes its place. Speakers already quoted twice are
penalised so the facts cover several voices.
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
NEAR_DUPLICATE_EMBEDDING = 0.8  # on the mean of embedding and lexical cosines
NEAR_DUPLICATE_LEXICAL = 0.6
LONG_WORDS = 30


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
    position: float = 1.5
    decay: float = 0.6  # position score = (1 + sentence index) ** -decay
    centrality: float = 0.5
    entities: float = 0.15
    numbers: float = 0.05
    attributed: float = 0.0  # attribution decides kind, not importance
    redundancy: float = 0.6
    long: float = 0.2  # per 30 words beyond LONG_WORDS: long facts read worse
    same_speaker: float = 0.35
    new_speaker: float = 0.08  # a voice not yet among the chosen facts


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


def _centrality(vectors: Matrix) -> npt.NDArray[np.float64]:
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return np.zeros(len(vectors))
    scores: npt.NDArray[np.float64] = (vectors @ (centroid / norm)).astype(np.float64)
    return scores


def score_candidates(
    candidates: Sequence[Candidate], vectors: Matrix, weights: Weights = Weights()
) -> list[float]:
    """Each candidate's importance on its own, before redundancy is considered."""
    centrality = _centrality(vectors)
    if len(centrality) and centrality.max() > centrality.min():
        centrality = (centrality - centrality.min()) / (centrality.max() - centrality.min())
    scores = []
    for i, c in enumerate(candidates):
        position = (1.0 + c.index) ** -weights.decay
        score = (
            weights.position * position
            + weights.centrality * float(centrality[i])
            + weights.entities * min(c.entities, 3) / 3
            + weights.numbers * (1.0 if _NUMBER.search(c.text) else 0.0)
            + weights.attributed * (1.0 if c.attributed else 0.0)
            - weights.long * max(0, len(c.text.split()) / c.sentences - LONG_WORDS) / 30
        )
        scores.append(score)
    return scores


def shortlist(
    candidates: Sequence[Candidate], vectors: Matrix, n: int, weights: Weights = Weights()
) -> list[int]:
    """The ``n`` best candidates by a cheap first pass (in article order): only these
    are embedded, which keeps the embedding cost per article flat."""
    scores = score_candidates(candidates, vectors, weights)
    best = sorted(range(len(candidates)), key=lambda i: scores[i], reverse=True)[:n]
    return sorted(best)


def select(
    candidates: Sequence[Candidate],
    vectors: Matrix,
    k: int,
    *,
    embedded: bool,
    weights: Weights = Weights(),
) -> list[int]:
    """Indices into ``candidates`` of the chosen facts, in article order."""
    if not candidates or k <= 0:
        return []
    scores = score_candidates(candidates, vectors, weights)
    similarity = vectors @ vectors.T
    threshold = NEAR_DUPLICATE_EMBEDDING if embedded else NEAR_DUPLICATE_LEXICAL
    chosen: list[int] = []
    speakers: Counter[str] = Counter()
    remaining = set(range(len(candidates)))
    while remaining and len(chosen) < k:
        best, best_value = -1, -math.inf
        for i in sorted(remaining):
            redundancy = max((float(similarity[i, j]) for j in chosen), default=0.0)
            speaker = candidates[i].speaker
            value = (
                scores[i]
                - weights.redundancy * redundancy
                - weights.same_speaker * (speakers[speaker] if speaker else 0)
                + (weights.new_speaker if speaker and not speakers[speaker] else 0.0)
            )
            if value > best_value:
                best, best_value = i, value
        remaining.discard(best)
        duplicate_of = next((j for j in chosen if similarity[best, j] >= threshold), None)
        if duplicate_of is not None:
            if candidates[best].attributed and not candidates[duplicate_of].attributed:
                chosen[chosen.index(duplicate_of)] = best
            continue
        chosen.append(best)
        speaker = candidates[best].speaker
        if speaker:
            speakers[speaker] += 1
    return sorted(chosen, key=lambda i: candidates[i].index)
