"""Full article text from a page, with trafilatura, off the event loop.

Returns the main text plus the title, author, publish time, site name and
language trafilatura finds. Lines that are paywall, cookie-consent or
"subscribe" prompts are not article text: they are dropped, and a page left
with nothing but such prompts raises :class:`ExtractionError`.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

from bot.errors import ExtractionError

MIN_WORDS = 40

_PROMPTS = re.compile(
    r"subscribe (?:now|today|to (?:continue|read|keep|unlock|get))"
    r"|(?:already a |become a )?subscriber\?? (?:log|sign) ?in"
    r"|to continue reading"
    r"|continue reading (?:with|for|by)"
    r"|this (?:article|content|story) is (?:for|only available to|reserved for) (?:paid |premium )?"
    r"(?:subscribers|members)"
    r"|(?:create an account|sign up|register|log ?in|sign in) (?:to|for) (?:continue|read|keep)"
    r"|you(?:'ve| have) (?:reached|used) (?:your|all)[^.]{0,40}(?:free |limit)"
    r"|free articles? (?:left|remaining|this month)"
    r"|unlimited (?:digital )?access"
    r"|(?:we|this (?:site|website)) uses? cookies"
    r"|accept (?:all )?cookies|cookie (?:policy|settings|preferences|consent)"
    r"|(?:please )?(?:enable|turn on) javascript"
    r"|disable your ad ?blocker"
    r"|sign up for (?:our|the) (?:free )?newsletter",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    site_name: str | None = None
    language: str | None = None


def is_prompt(line: str) -> bool:
    """A short line that asks the reader to subscribe, log in or accept cookies."""
    return len(line) < 300 and _PROMPTS.search(line) is not None


def strip_prompts(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not is_prompt(line))


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def extract_sync(page: str | bytes, url: str | None = None) -> Extracted:
    """Extract the article (CPU-bound; call :func:`extract` from async code)."""
    try:
        result = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False
        )
    except Exception as exc:  # trafilatura/lxml failures on hostile pages
        raise ExtractionError(f"cannot extract {url or 'page'}: {exc}") from None
    doc = result.as_dict() if result is not None and not isinstance(result, dict) else result
    if not isinstance(doc, dict) or not doc.get("text"):
        raise ExtractionError(f"no article text found in {url or 'page'}")
    text = strip_prompts(str(doc["text"])).strip()
    if len(text.split()) < MIN_WORDS and text != str(doc["text"]).strip():
        raise ExtractionError(f"only paywall or consent text in {url or 'page'}")
    if not text:
        raise ExtractionError(f"no article text found in {url or 'page'}")
    return Extracted(
        text=text,
        title=_str(doc.get("title")),
        author=_str(doc.get("author")),
        published=_date(doc.get("date")),
        site_name=_str(doc.get("sitename")),
        language=_str(doc.get("language")),
    )


async def extract(page: str | bytes, url: str | None = None) -> Extracted:
    return await asyncio.to_thread(extract_sync, page, url)
