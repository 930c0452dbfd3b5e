from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest

from summariser.clustering import (
    Clusterer,
    ClusterOptions,
    HashingEncoder,
    StoryState,
    cluster_all,
    embedding_text,
    extract_entities,
    make_item,
    title_keywords,
)
from summariser.embeddings import Embedder
from tests.stories.corpus import EVENT, STREAM, T0


def _items(embedder: Embedder | HashingEncoder):  # type: ignore[no-untyped-def]
    vectors = embedder.encode([embedding_text(a) for a in STREAM])
    return [make_item(a, v) for a, v in zip(STREAM, vectors, strict=True)]


def _partition(labels: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return {frozenset(g) for g in groups.values()}


def test_stream_clusters_by_event(embedder: Embedder) -> None:
    assignments = cluster_all(_items(embedder))
    got = _partition({a.item: a.story for a in assignments})
    assert got == _partition(EVENT)


def test_same_day_stories_stay_apart_without_a_window(embedder: Embedder) -> None:
    items = [i for i in _items(embedder) if not i.id.startswith("rates-raised")]
    assignments = cluster_all(items, ClusterOptions(window=None))
    assert _partition({a.item: a.story for a in assignments}) == _partition(
        {i.id: EVENT[i.id] for i in items}
    )


def test_rates_held_and_raised_are_different_stories(embedder: Embedder) -> None:
    assignments = {a.item: a.story for a in cluster_all(_items(embedder))}
    assert assignments["rates-held-1"] == assignments["rates-held-2"]
    assert assignments["rates-raised-1"] != assignments["rates-held-1"]


def test_first_article_starts_story_and_later_ones_join(embedder: Embedder) -> None:
    clusterer = Clusterer()
    items = _items(embedder)
    first = clusterer.assign(items[0])
    assert first.created and first.story == items[0].id
    second = clusterer.assign(items[1], new_id=lambda: "fresh")
    assert not second.created and second.story == first.story


def test_state_round_trips_through_bytes_and_json(embedder: Embedder) -> None:
    items = _items(embedder)
    clusterer = Clusterer()
    for item in items[:4]:
        clusterer.assign(item)
    restored = [
        StoryState.from_parts(s.id, s.centroid_bytes(), s.to_json())
        for s in clusterer.stories.values()
    ]
    again = Clusterer(stories=restored)
    for story in restored:
        original = clusterer.stories[story.id]
        assert story.count == original.count
        assert story.last == original.last
        assert np.allclose(story.centroid, original.centroid, atol=1e-6)
        assert len(story.members) == len(original.members)
    for item in items[4:]:
        assert clusterer.assign(item).story == again.assign(item).story


def test_window_expires_stories(embedder: Embedder) -> None:
    items = _items(embedder)
    clusterer = Clusterer(ClusterOptions(window=timedelta(days=3)))
    for item in items:
        clusterer.assign(item)
    # the 45-day-later rate rise pushed every earlier story out of the window
    assert [s.id for s in clusterer.stories.values()] == ["rates-raised-1"]
    assert clusterer.expire(T0 + timedelta(days=200)) == ["rates-raised-1"]
    assert len(clusterer) == 0


def test_open_stories_are_capped() -> None:
    rng = np.random.default_rng(7)
    clusterer = Clusterer(ClusterOptions(window=None, max_open=5))
    for n in range(20):
        vector = rng.normal(size=384).astype(np.float32)
        vector /= np.linalg.norm(vector)
        clusterer.assign(
            dataclasses.replace(
                make_item(STREAM[0], vector),
                id=f"x{n}",
                entities=frozenset(),
                keywords=frozenset(),
                published=T0 + timedelta(hours=n),
            )
        )
        assert len(clusterer) <= 5
    assert set(clusterer.stories) == {f"x{n}" for n in range(15, 20)}


def test_removing_a_story_keeps_the_index_consistent(embedder: Embedder) -> None:
    items = _items(embedder)
    clusterer = Clusterer(ClusterOptions(window=None))
    stories = [clusterer.assign(i).story for i in items]
    clusterer.remove(stories[0])
    for item in items:
        for story_id, _, cosine in clusterer.ranked(item):
            expected = float(clusterer.stories[story_id].centroid @ item.vector)
            assert cosine == pytest.approx(expected, abs=1e-5)


def test_entities_and_keywords() -> None:
    found = extract_entities(
        "The Bank of Tarsia raised rates. Governor Mira Sallow said 40,000 jobs were at risk "
        "in 2026. He said more."
    )
    assert {"bank of tarsia", "sallow", "tarsia", "40000"} <= found
    assert "the" not in found and "he" not in found and "2026" not in found
    assert title_keywords("Bank raises rates") == {"bank", "raise", "rate"}


def test_hashing_encoder_is_unit_length_and_deterministic() -> None:
    vectors = HashingEncoder().encode(["a cargo ship hit the bridge", ""])
    assert vectors.shape == (2, 384)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0)
    assert not vectors[1].any()
    assert np.array_equal(vectors, HashingEncoder().encode(["a cargo ship hit the bridge", ""]))


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        ClusterOptions(max_open=0)
