"""Models load once per session: spaCy and the embedder are the slow part of these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summariser import Summariser, SummariserOptions
from summariser.evaluation import load_fixtures

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seed" / "seed-article.txt"
REALSUMM = SHARED / "data" / "summarisation" / "realsumm_100.jsonl"


@pytest.fixture(scope="session")
def articles() -> list[dict[str, Any]]:
    return load_fixtures(FIXTURES / "articles.json")


@pytest.fixture(scope="session")
def heldout_articles() -> list[dict[str, Any]]:
    """Articles labelled separately from the attribution rules: a check on overfitting."""
    return load_fixtures(FIXTURES / "heldout.json")


@pytest.fixture(scope="session")
def nlp() -> Any:
    from summariser.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def summariser() -> Summariser:
    return Summariser(SummariserOptions(embeddings=True))


@pytest.fixture(scope="session")
def lexical() -> Summariser:
    return Summariser(SummariserOptions(embeddings=False))
