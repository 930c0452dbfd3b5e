"""The seed-style article (our own, written like the seed) gives the facts issue 4 asks for."""

from __future__ import annotations

from typing import Any

import pytest

from summariser import Article, FactKind, Summariser

from .conftest import SEED


@pytest.fixture(scope="module")
def ceasefire(articles: list[dict[str, Any]]) -> dict[str, Any]:
    return next(a for a in articles if a["id"] == "ceasefire-talks")


def test_seed_style_facts(summariser: Summariser, ceasefire: dict[str, Any]) -> None:
    summary = summariser.summarise(Article(id="c", text=ceasefire["text"]), facts=8)
    facts = summary.facts
    text = " ".join(f.text for f in facts)
    # when and where the talks began; who leads each delegation
    assert "The talks opened at 9am on Monday" in text
    assert "Oren Baltic" in text
    # the aims, attributed to the president's office, never the outlet's own words
    aims = next(f for f in facts if "full withdrawal" in f.text)
    assert aims.kind is not FactKind.REPORT and "Ilya Marenko" in (aims.speaker or "")
    # both quotes of the general, attributed to him
    quotes = [f for f in facts if "We came here" in f.text or "facts on the ground" in f.text]
    assert quotes and all(f.speaker == "Oren Baltic" for f in quotes)
    assert "facts on the ground" in " ".join(f.text for f in quotes)
    # the president's figures are his claims ("He added that ..." included)
    figures = [f for f in facts if "1,200" in f.text or "31 civilians" in f.text]
    assert figures and all(
        f.kind is FactKind.CLAIM and f.speaker == "Ilya Marenko" for f in figures
    )
    # the researcher's estimate, with her organisation as role
    estimate = next(f for f in facts if "700" in f.text)
    assert estimate.kind is FactKind.CLAIM and estimate.speaker == "Lena Fischer"
    assert "Open Conflict Monitor" in (estimate.speaker_role or "")
    assert "READ MORE" not in text and "live coverage" not in text and "?" not in text


def test_seed_style_attributions(lexical: Summariser, ceasefire: dict[str, Any]) -> None:
    found = lexical.summarise(Article(id="c", text=ceasefire["text"])).attributions
    by_content = {a.content: a for a in found}
    added = next(a for c, a in by_content.items() if "90 more" in c)
    assert added.speaker == "Ilya Marenko" and added.cue == "added"
    assert all(a.speaker != "He" for a in found)


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not available")
def test_the_seed_article_itself(summariser: Summariser) -> None:
    summary = summariser.summarise(Article(id="seed", text=SEED.read_text()), facts=8)
    speakers = {a.speaker for a in summary.attributions}
    assert "Vladimir Medinsky" in speakers and "Ruslan Leviyev" in speakers
    assert any("Zelenskyy" in s for s in speakers)
    claims = [f for f in summary.facts if f.kind is FactKind.CLAIM]
    assert any("4,500" in f.text for f in claims)
    text = " ".join(f.text for f in summary.facts)
    assert "READ MORE" not in text and "latest from" not in text
