"""Include/exclude filters on an article's title and text, for feeds and routes alike.

Keywords match whole words, case-insensitively (``"ai"`` does not match
``"said"``); regexes are searched case-insensitively, with ``^``/``$`` at
line ends (the title is the first line). An article passes when it matches
at least one include (if any are given) and no exclude.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.config import Filters


@lru_cache(maxsize=1024)
def _keywords(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w.strip() for w in words if w.strip())
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _regexes(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns)


def _matches(words: list[str], patterns: list[str], haystack: str) -> bool:
    keyword = _keywords(tuple(words))
    if keyword is not None and keyword.search(haystack):
        return True
    return any(p.search(haystack) for p in _regexes(tuple(patterns)))


def passes(filters: Filters, title: str | None, text: str | None) -> bool:
    """Whether an article with this title and text gets through ``filters``."""
    haystack = f"{title or ''}\n{text or ''}"
    if (filters.include or filters.include_regex) and not _matches(
        filters.include, filters.include_regex, haystack
    ):
        return False
    return not _matches(filters.exclude, filters.exclude_regex, haystack)
