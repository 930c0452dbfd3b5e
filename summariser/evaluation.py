"""Scoring attributions against hand labels: precision, recall and role accuracy;
and ROUGE of chosen facts against reference summaries, beside Lead-3.

A label is ``{"speaker", "content", "kind"?, "role"?}``: ``speaker`` may list
alternatives separated by ``|``; ``content`` is a distinctive snippet that the
predicted content must contain. A prediction matches a label when the speakers
agree (same name, or one's last word is in the other) and the snippet is in
the predicted content; each label matches at most one prediction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.types import Attribution


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", _norm(text))


def speaker_matches(predicted: str, gold: str) -> bool:
    pred = _words(predicted)
    if not pred:
        return False
    for alternative in gold.split("|"):
        want = [w for w in _words(alternative) if w != "the"]
        have = [w for w in pred if w != "the"]
        if not want or not have:
            continue
        if want == have or want[-1] in have or have[-1] in want:
            return True
    return False


@dataclass(frozen=True, kw_only=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int
    roles_right: int
    roles_labelled: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            true_positives=self.true_positives + other.true_positives,
            false_positives=self.false_positives + other.false_positives,
            false_negatives=self.false_negatives + other.false_negatives,
            roles_right=self.roles_right + other.roles_right,
            roles_labelled=self.roles_labelled + other.roles_labelled,
        )


EMPTY = Score(
    true_positives=0, false_positives=0, false_negatives=0, roles_right=0, roles_labelled=0
)


def score(
    predicted: Sequence[Attribution], gold: Sequence[Mapping[str, Any]]
) -> tuple[Score, list[Mapping[str, Any]], list[Attribution]]:
    """The score, the labels missed and the predictions that matched no label."""
    unmatched = list(gold)
    spurious: list[Attribution] = []
    tp = roles_right = roles_labelled = 0
    for attribution in predicted:
        content = _norm(attribution.content)
        match = next(
            (
                g
                for g in unmatched
                if _norm(g["content"]) in content
                and speaker_matches(attribution.speaker, g["speaker"])
            ),
            None,
        )
        if match is None:
            spurious.append(attribution)
            continue
        unmatched.remove(match)
        tp += 1
        if match.get("role"):
            roles_labelled += 1
            if attribution.speaker_role and _norm(match["role"]) in _norm(attribution.speaker_role):
                roles_right += 1
    result = Score(
        true_positives=tp,
        false_positives=len(spurious),
        false_negatives=len(unmatched),
        roles_right=roles_right,
        roles_labelled=roles_labelled,
    )
    return result, unmatched, spurious


def load_fixtures(path: str | Path) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = data["articles"]
    return articles


def total(scores: Iterable[Score]) -> Score:
    result = EMPTY
    for s in scores:
        result = result + s
    return result


Rouge = tuple[float, float, float]  # mean F1 x 100 of ROUGE-1, ROUGE-2, ROUGE-Lsum
ROUGE_METRICS = ("rouge1", "rouge2", "rougeLsum")


def lead3(text: str) -> str:
    """The first three sentences, as the summariser cleans and splits them, one a line."""
    from summariser.cleaning import clean
    from summariser.sentences import split_sentences

    return "\n".join(s.text for s in split_sentences(clean(text).paragraphs)[:3])


def sentence_lines(text: str) -> str:
    """A reference summary one sentence a line, as summary-level ROUGE-L expects."""
    from summariser.sentences import split_sentences

    return "\n".join(s.text for s in split_sentences([text]))


def rouge(pairs: Iterable[tuple[str, str]]) -> Rouge:
    """Macro-averaged ROUGE F1 (Porter stemming) of (reference, summary) pairs.
    Needs the ``rouge-score`` package (the dev extra)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_METRICS), use_stemmer=True)
    values: dict[str, list[float]] = {m: [] for m in ROUGE_METRICS}
    for reference, summary in pairs:
        for metric, value in scorer.score(reference, summary).items():
            values[metric].append(value.fmeasure)
    r1, r2, rl = (100 * sum(v) / max(1, len(v)) for v in values.values())
    return r1, r2, rl
