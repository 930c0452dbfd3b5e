from __future__ import annotations

import numpy as np

from summariser.salience import (
    NEAR_DUPLICATE_LEXICAL,
    Candidate,
    Weights,
    choose,
    lexical_vectors,
    score_candidates,
    select,
    shortlist,
)


def cand(index: int, text: str, speaker: str | None = None) -> Candidate:
    return Candidate(
        index=index, text=text, entities=1, speaker=speaker, attributed=speaker is not None
    )


def pick(candidates: list[Candidate], k: int, weights: Weights | None = None) -> list[int]:
    weights = weights or Weights()
    vectors = lexical_vectors([c.text for c in candidates])
    scores = score_candidates(candidates, vectors, weights)
    similarity = vectors @ vectors.T
    return select(candidates, scores, similarity, similarity >= NEAR_DUPLICATE_LEXICAL, k, weights)


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
    chosen = pick(candidates, 2)
    assert chosen == [1, 2]


def test_selection_is_in_article_order_and_bounded() -> None:
    texts = [f"Sentence number {i} talks about topic {i} and outcome {i}." for i in range(10)]
    candidates = [cand(i, t) for i, t in enumerate(texts)]
    chosen = pick(candidates, 3)
    assert len(chosen) == 3 and chosen == sorted(chosen)
    assert pick([], 3) == []


def test_speaker_diversity() -> None:
    texts = [
        "Smith said the plan would cut costs by a third.",
        "Smith said the plan would also create jobs in the north.",
        "Smith said the plan had support from unions.",
        "Jones said the plan would not cut costs and would cost jobs in the north.",
    ]
    speakers = ["Smith", "Smith", "Smith", "Jones"]
    candidates = [cand(i, t, s) for i, (t, s) in enumerate(zip(texts, speakers, strict=True))]
    chosen = pick(candidates, 3)
    assert {candidates[i].speaker for i in chosen} == {"Smith", "Jones"}


def test_a_lead_the_story_elaborates_outranks_a_late_aside() -> None:
    texts = [
        "Floods closed the coastal railway between Arden and Pellow on Friday.",
        "Engineers said the railway could stay closed for a week after the floods.",
        "The floods washed away ballast near Pellow, the rail operator said.",
        "Buses will replace trains between Arden and Pellow while the railway is shut.",
        "A local bakery celebrated its centenary with free cakes for children.",
    ]
    candidates = [cand(i, t) for i, t in enumerate(texts)]
    scores = score_candidates(candidates, lexical_vectors(texts))
    assert scores[0] == max(scores) and scores[4] == min(scores)


def test_voices_are_preferred_after_the_lead_facts() -> None:
    texts = [
        "The council approved a new harbour budget of 12 million on Monday.",
        "Work on the harbour wall will begin in April and take two years.",
        "The budget also pays for dredging the harbour entrance.",
        "Fishing crews have waited years for the harbour entrance to be dredged.",
        "Ruth Ames, who runs a cafe on the quay, said she was delighted.",
        "The council meets again in May.",
    ]
    candidates = [cand(i, t, "Ruth Ames" if i == 4 else None) for i, t in enumerate(texts)]
    assert pick(candidates, 3) == [0, 1, 2]  # what happened comes first
    assert pick(candidates, 4) == [0, 1, 2, 4]
    assert pick(candidates, 4, Weights(voices=0.0)) == [0, 1, 2, 3]


def test_shortlist_is_the_best_in_article_order_and_grows_with_the_facts_asked() -> None:
    scores = [float((7 * i) % 20) for i in range(20)]
    few = shortlist(scores, 1)
    assert len(few) == 8 and few == sorted(few)
    assert {scores[i] for i in few} == set(sorted(scores)[-8:])
    assert len(shortlist(scores, 6)) == 12


def test_embeddings_see_a_paraphrase_that_shares_few_words() -> None:
    from summariser.embeddings import shared_embedder

    texts = [
        "The ferry company began running night crossings in 2009, two years after the bridge "
        "closed for repairs.",
        "Night crossings were first offered by the ferry company in 2009, after the bridge was "
        "shut for repair work in 2007.",
        "Ticket prices on the ferry will rise by 4 per cent in January.",
    ]
    candidates = [cand(i, t) for i, t in enumerate(texts)]
    lexical = lexical_vectors(texts)
    scores = score_candidates(candidates, lexical)
    embedded = shared_embedder().encode(texts)
    assert choose(candidates, scores, lexical, [0, 1, 2], embedded, 2) == [0, 2]
    assert choose(candidates, scores, lexical, [0, 1, 2], None, 2) == [0, 1]  # words alone miss it
