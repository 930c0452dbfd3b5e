"""An optional one-line abstractive gist, guarded against invention.

Any transformers seq2seq checkpoint on disk works (``local_files_only``: never
downloads). The guard is the point: a gist whose numbers or names do not all
occur in the article is dropped, because a made-up figure or person is the
failure readers of generated summaries hate most.
"""

from __future__ import annotations

import re
import threading
from typing import Any

_NUMBER = re.compile(r"\d[\d,.]*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_WORD = re.compile(r"[\w'’-]+")


def _norm_number(text: str) -> str:
    return text.rstrip(".,").replace(",", "")


def is_faithful(gist: str, article: str) -> bool:
    """True when every number and capitalised name in ``gist`` occurs in ``article``."""
    numbers = {_norm_number(n) for n in _NUMBER.findall(article)}
    for n in _NUMBER.findall(gist):
        if _norm_number(n) not in numbers:
            return False
    words = {w.lower() for w in _WORD.findall(article)}
    sentences = re.split(r"(?<=[.!?])\s+", gist.strip())
    for sentence in sentences:
        for i, match in enumerate(_NAME.finditer(sentence)):
            word = match.group(0).strip("'’-").lower()
            if i == 0 and match.start() == 0 and word in _COMMON_STARTERS:
                continue  # a sentence-initial capital is no evidence of a name
            if word and word not in words:
                return False
    return True


_COMMON_STARTERS = frozenset(
    ["the", "a", "an", "this", "that", "it", "he", "she", "they", "we", "there", "in", "on", "at"]
)


class Gister:
    """Writes a gist with a seq2seq model loaded (lazily) from ``model_path``."""

    def __init__(
        self, model_path: str, *, max_input_tokens: int = 512, max_new_tokens: int = 48
    ) -> None:
        self._path = model_path
        self._max_input = max_input_tokens
        self._max_new = max_new_tokens
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(self._path, local_files_only=True)
            model = AutoModelForSeq2SeqLM.from_pretrained(self._path, local_files_only=True)
            model.eval()
            self._model = model

    def generate(self, text: str) -> str:
        """The model's raw one-line output for ``text`` (unguarded)."""
        self._load()
        import torch

        encoded = self._tokenizer(
            text, truncation=True, max_length=self._max_input, return_tensors="pt"
        )
        encoded.pop("token_type_ids", None)
        with torch.inference_mode():
            output = self._model.generate(
                **encoded, num_beams=2, max_new_tokens=self._max_new, early_stopping=True
            )
        decoded: str = self._tokenizer.decode(output[0], skip_special_tokens=True)
        return " ".join(decoded.split())

    def gist(self, text: str) -> str | None:
        """A one-line gist of ``text``, or None when it would state anything not in it."""
        candidate = self.generate(text)
        first = re.split(r"(?<=[.!?])\s+", candidate, maxsplit=1)[0].strip()
        if not first or not is_faithful(first, text):
            return None
        return first
