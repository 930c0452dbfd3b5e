"""Salience weights, tuned on one half of the ROUGE set and measured on the other.

    .venv/bin/python bench/salience_tuning.py \\
        --realsumm ../shared/data/summarisation/realsumm_100.jsonl [--no-embeddings]

The articles split in two by position (even, odd). For each half, every point
of a small grid over the weights that shape the ranking (direction, its
threshold and echo penalty, centrality, redundancy) is scored with the
summariser's own selection; the point whose worst margin over Lead-3 (R-1,
R-2, R-L) is best on that half is then scored on the other half, which it
has not seen. The current defaults are printed per half beside it. Candidates
and their embeddings are computed once, so each grid point costs only the
selection and ROUGE.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summariser import Article, Summariser, SummariserOptions
from summariser.evaluation import Rouge, lead3, rouge, sentence_lines
from summariser.salience import Candidate, Matrix, Weights, choose, lexical_vectors
from summariser.salience import score_candidates as rank
from summariser.salience import shortlist as best

FACTS = 3
GRID = {
    "leads": [0.2, 0.3, 0.4, 0.5],
    "lead_threshold": [0.3, 0.45, 0.6],
    "echoes": [-0.25, -0.5, -0.75],
    "centrality": [0.25, 0.5],
    "redundancy": [0.45, 0.6],
}


@dataclass
class Prepared:
    candidates: list[Candidate]
    lexical: Matrix
    embedded: Matrix | None  # every candidate's embedding, or None with embeddings off
    reference: str
    lead3: str


def prepare(records: Sequence[dict[str, str]], embeddings: bool) -> list[Prepared]:
    summariser = Summariser(SummariserOptions(embeddings=embeddings))
    articles = [Article(id=r["doc_id"], text=r["source_lowercased_tokenized"]) for r in records]
    result = []
    for record, candidates in zip(records, summariser.candidates(articles), strict=True):
        texts = [c.text for c in candidates]
        result.append(
            Prepared(
                candidates=candidates,
                lexical=lexical_vectors(texts),
                embedded=summariser.embed([texts])[0] if embeddings else None,
                reference=sentence_lines(record["reference"]),
                lead3=lead3(record["source_lowercased_tokenized"]),
            )
        )
    return result


def summary(p: Prepared, weights: Weights) -> str:
    scores = rank(p.candidates, p.lexical, weights)
    if p.embedded is None:
        keep = list(range(len(p.candidates)))
        embedded = None
    else:
        keep = best(scores, FACTS)
        embedded = p.embedded[keep]
    chosen = choose(p.candidates, scores, p.lexical, keep, embedded, FACTS, weights)
    return "\n".join(p.candidates[i].text for i in chosen)


def margin(ours: Rouge, baseline: Rouge) -> float:
    return min(a - b for a, b in zip(ours, baseline, strict=True))


def show(label: str, ours: Rouge, baseline: Rouge) -> str:
    r1, r2, rl = ours
    return f"{label:34} {r1:6.2f} {r2:6.2f} {rl:6.2f}   margin {margin(ours, baseline):+.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realsumm", type=Path, required=True)
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args()

    records = [json.loads(line) for line in args.realsumm.read_text().splitlines() if line]
    prepared = prepare(records, embeddings=not args.no_embeddings)
    halves = {"even": prepared[0::2], "odd": prepared[1::2]}
    baseline = {h: rouge([(p.reference, p.lead3) for p in ps]) for h, ps in halves.items()}
    points = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    results: dict[str, list[Rouge]] = {h: [] for h in halves}
    for point in points:
        weights = replace(Weights(), **point)
        for half, ps in halves.items():
            results[half].append(rouge([(p.reference, summary(p, weights)) for p in ps]))

    defaults = Weights()
    print(
        f"{len(records)} articles in halves of {len(halves['even'])}/{len(halves['odd'])}, "
        f"{len(points)} grid points, embeddings {'off' if args.no_embeddings else 'on'}"
    )
    print(f"{'':34} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for train, test in itertools.permutations(halves, 2):
        chosen = max(range(len(points)), key=lambda i: margin(results[train][i], baseline[train]))
        print(f"tuned on {train}: {points[chosen]}")
        print(show(f"  {train} (seen) Lead-3", baseline[train], baseline[train]))
        print(show(f"  {train} (seen) tuned", results[train][chosen], baseline[train]))
        print(show(f"  {test} (held out) Lead-3", baseline[test], baseline[test]))
        print(show(f"  {test} (held out) tuned", results[test][chosen], baseline[test]))
    for half, ps in halves.items():
        ours = rouge([(p.reference, summary(p, defaults)) for p in ps])
        print(show(f"defaults on {half}", ours, baseline[half]))


if __name__ == "__main__":
    main()
