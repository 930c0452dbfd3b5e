from __future__ import annotations

import pytest

from summariser.embeddings import Embedder, shared_embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real sentence embedder, loaded once for the whole session."""
    shared = shared_embedder()
    shared.encode(["warm up"])
    return shared
