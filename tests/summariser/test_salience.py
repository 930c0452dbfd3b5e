from __future__ import annotations

import numpy as np

from summariser.salience import Candidate, lexical_vectors, select


def cand(index: int, text: str, speaker: str | None = None) -> Candidate:
    return Candidate(
        index=index, text=text, entities=1, speaker=speaker, attributed=speaker is not None
    )


def test_lexical_vectors_are_unit_rows() -> None:
    vectors = lexical_vectors(["The river flooded the town.", "Floods hit the town again.", ""])
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[:2], 1.0) and norms[2] == 0.0


def test_near_duplicate_keeps_the_attributed_version() -> None:
    candidates = [
        cand(0, "The bridge will reopen in May after repairs costing 4 million."),
        cand(
            1,
            "The bridge will reopen in May after repairs costing 4 million, Mayor Bell said.",
            "Ann Bell",
        ),
        cand(2, "Heavy snow closed schools across the region on Tuesday."),
    ]
    chosen = select(candidates, lexical_vectors([c.text for c in candidates]), 2, embedded=False)
    assert chosen == [1, 2]


def test_selection_is_in_article_order_and_bounded() -> None:
    texts = [f"Sentence number {i} talks about topic {i} and outcome {i}." for i in range(10)]
    candidates = [cand(i, t) for i, t in enumerate(texts)]
    chosen = select(candidates, lexical_vectors(texts), 3, embedded=False)
    assert len(chosen) == 3 and chosen == sorted(chosen)
    assert select([], lexical_vectors([]), 3, embedded=False) == []


def test_speaker_diversity() -> None:
    texts = [
        "Smith said the plan would cut costs by a third.",
        "Smith said the plan would also create jobs in the north.",
        "Smith said the plan had support from unions.",
        "Jones said the plan would not cut costs and would cost jobs in the north.",
    ]
    speakers = ["Smith", "Smith", "Smith", "Jones"]
    candidates = [cand(i, t, s) for i, (t, s) in enumerate(zip(texts, speakers, strict=True))]
    chosen = select(candidates, lexical_vectors(texts), 2, embedded=False)
    assert {candidates[i].speaker for i in chosen} == {"Smith", "Jones"}
