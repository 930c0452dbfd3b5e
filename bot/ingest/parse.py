"""Feed documents to entries: RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed here.

Ill-formed documents never raise anything but :class:`FeedError`: whatever
entries can be recovered are returned with ``ParsedFeed.error`` describing
the problem; a document with nothing usable raises ``FeedError``.
"""

from __future__ import annotations

import calendar
import html
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.errors import FeedError
from bot.ingest.fastxml import parse_fast

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Entry:
    guid: str | None
    url: str | None
    title: str | None
    summary: str | None  # the teaser, as plain text
    content: str | None  # full text carried by the feed (content:encoded, Atom content)
    author: str | None
    published: datetime | None


@dataclass(frozen=True, kw_only=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: tuple[Entry, ...]
    error: str | None = None  # set when the document was ill-formed but still yielded entries


_TAGS = re.compile(r"<[^>]*>")
_BLOCKS = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr|section|article)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def html_to_text(value: str | None) -> str | None:
    """Markup to plain text, paragraphs kept as lines; None for empty input."""
    if not value:
        return None
    if "<" in value:
        value = _DROP.sub(" ", value)
        value = _BLOCKS.sub("\n", value)
        value = _TAGS.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
    value = _SPACES.sub(" ", value)
    value = _NEWLINES.sub("\n", value).strip()
    return value or None


def join_url(base: str, link: str | None) -> str | None:
    """``link`` resolved against ``base``; a URL too broken to resolve is kept as it is."""
    if not link or not base:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _looks_json(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    head = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def parse_feed(body: bytes, *, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document; raise FeedError when nothing usable is in it."""
    if not body.strip():
        raise FeedError("empty document")
    if _looks_json(body, content_type):
        try:
            return parse_json_feed(body, url=url)
        except FeedError:
            if content_type and "json" in content_type.lower():
                raise
    try:
        fast = parse_fast(body, url)
    except Exception:  # the fast path only ever falls back; feedparser gets its turn
        log.debug("fast feed parser failed on %s", url, exc_info=True)
        fast = None
    if fast is not None:
        return fast
    return _parse_xml(body, url=url, content_type=content_type)


# --- RSS / Atom ----------------------------------------------------------------------------


def _date(entry: Any, *keys: str) -> datetime | None:
    for key in keys:
        # dict.get: feedparser's own get() maps updated_parsed to published_parsed
        # with a DeprecationWarning; we ask for each key ourselves.
        parsed = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, TypeError, OSError):
                continue
    return None


def _content(entry: Any) -> str | None:
    best: str | None = None
    for part in entry.get("content") or ():
        value = part.get("value") if isinstance(part, dict) else None
        if isinstance(value, str) and (best is None or len(value) > len(best)):
            best = value
    return best


def _parse_xml(body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        result = feedparser.parse(
            body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser's own bugs on hostile input must not escape
        raise FeedError(f"cannot parse feed: {type(exc).__name__}: {exc}") from None
    problem = None
    if result.get("bozo"):
        bozo = result.get("bozo_exception")
        # A mismatched charset or content type is harmless; broken markup is not.
        harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
        if not isinstance(bozo, harmless):
            problem = f"ill-formed feed: {type(bozo).__name__}: {bozo}".strip()
    entries = []
    for raw in result.get("entries") or ():
        link = join_url(url, _clean(raw.get("link")))
        summary = raw.get("summary")
        content = _content(raw)
        entry = Entry(
            guid=_clean(raw.get("id")),
            url=link,
            title=html_to_text(raw.get("title")),
            summary=html_to_text(summary) if summary != content else None,
            content=html_to_text(content),
            author=_clean(raw.get("author")),
            published=_date(raw, "published_parsed", "updated_parsed", "created_parsed"),
        )
        if entry.url or entry.guid or entry.title:
            entries.append(entry)
    feed = result.get("feed") or {}
    version = result.get("version") or ""
    if not entries and (problem or not version):
        raise FeedError(problem or "not a feed (no RSS, Atom or JSON Feed document found)")
    link = _clean(feed.get("link"))
    return ParsedFeed(
        title=html_to_text(feed.get("title")),
        link=join_url(url, link),
        entries=tuple(entries),
        error=problem,
    )


# --- JSON Feed -----------------------------------------------------------------------------


def _json_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _json_author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for source in (item, feed):
        authors = source.get("authors")
        if isinstance(authors, list):
            names = [a.get("name") for a in authors if isinstance(a, dict)]
            joined = ", ".join(n for n in names if isinstance(n, str) and n.strip())
            if joined:
                return joined
        author = source.get("author")
        if isinstance(author, dict) and _clean(author.get("name")):
            return _clean(author.get("name"))
    return None


def parse_json_feed(body: bytes, *, url: str = "") -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise FeedError(f"ill-formed JSON feed: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("not a JSON Feed: no 'items' list")
    problem = None
    version = data.get("version")
    if not (isinstance(version, str) and "jsonfeed.org" in version):
        problem = "JSON Feed without a jsonfeed.org version"
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            problem = "JSON Feed item that is not an object"
            continue
        link = join_url(url, _clean(item.get("url")) or _clean(item.get("external_url")))
        item_id = item.get("id")
        guid = _clean(str(item_id)) if isinstance(item_id, str | int) else None
        content_html = item.get("content_html")
        content_text = item.get("content_text")
        content = html_to_text(content_html) if isinstance(content_html, str) else None
        if not content and isinstance(content_text, str):
            content = content_text.strip() or None
        summary = item.get("summary")
        entry = Entry(
            guid=guid,
            url=link,
            title=html_to_text(item.get("title")) if isinstance(item.get("title"), str) else None,
            summary=html_to_text(summary) if isinstance(summary, str) else None,
            content=content,
            author=_json_author(item, data),
            published=_json_date(item.get("date_published"))
            or _json_date(item.get("date_modified")),
        )
        if entry.url or entry.guid or entry.title:
            entries.append(entry)
    home = _clean(data.get("home_page_url"))
    title = data.get("title")
    return ParsedFeed(
        title=_clean(title) if isinstance(title, str) else None,
        link=home,
        entries=tuple(entries),
        error=problem,
    )
