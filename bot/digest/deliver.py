"""Delivering one route's digest exactly once: build, reserve, post, confirm.

The post is recorded in the store (pending, keyed by an idempotency key made
of the route and the digest's content) *before* the adapter sends it, and
confirmed after. So:

* a digest whose key is already ``sent`` is never sent again (a second run right
  after the first posts nothing);
* a crash or an outage between the two leaves the post unconfirmed; the next run
  resends it *as stored* (the whole digest is kept with the post) before building
  anything new, and the platform skips what it already has — Slack by the key in
  message metadata, Discord by ``nonce``;
* the confirmation and the route's bookkeeping (facts posted per story, the time
  of the last digest) are one transaction: a crash cannot leave a sent digest
  with some of its facts unrecorded, to be shown again under a new key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.adapters.base import Adapter
from bot.config import Config, Route
from bot.digest.model import Digest, DigestStory, digest_from_json, digest_to_json
from bot.digest.text import render_text
from bot.errors import DeliveryError, NewsbotError
from bot.store import Store
from bot.store.posts import SENT

log = logging.getLogger(__name__)

Builder = Callable[..., Awaitable[Digest]]

POSTED = "posted"  # sent now
ALREADY_SENT = "already_sent"  # this exact digest was sent before: nothing posted
EMPTY = "empty"  # nothing new and no "nothing new" line configured: nothing posted
DRY_RUN = "dry_run"  # rendered only; nothing recorded
MAX_ATTEMPTS = 10  # a post that failed this often is left for a person to look at
BUSY = "busy"  # another process is delivering this route right now: nothing posted


@dataclass(frozen=True, kw_only=True)
class DeliveryResult:
    route: str
    status: str
    key: str | None = None
    message_ids: tuple[str, ...] = ()
    stories: int = 0
    facts: int = 0
    text: str = ""  # the plain-text rendering (always set for a dry run)

    @property
    def posted(self) -> bool:
        return self.status == POSTED


def _story_json(story: DigestStory) -> dict[str, Any]:
    summary = story.summary
    return {
        "story_id": story.story_id,
        "headline": summary.headline,
        "update": story.is_update,
        "facts": [item.key for item in summary.facts],
        "disagreements": [[i.key for i in d.facts] for d in summary.disagreements],
        "sources": [s.url for s in summary.sources],
    }


def digest_payload(digest: Digest) -> dict[str, Any]:
    """What identifies a digest's content (its creation time deliberately left out)."""
    return {
        "route": digest.route,
        "title": digest.title,
        "note": digest.note,
        "stories": [_story_json(s) for s in digest.stories],
    }


def idempotency_key(route: Route, digest: Digest, *, now: datetime) -> str:
    """``digest:ROUTE:HASH`` — the same route and content always give the same key.

    A "nothing new" post has no content, so its key is the route's local date:
    at most one such line per route and day.
    """
    if digest.empty:
        day = now.astimezone(ZoneInfo(route.timezone)).date().isoformat()
        basis: Any = {"route": route.name, "channel": route.channel, "nothing_new": day}
    else:
        basis = {"channel": route.channel, **digest_payload(digest)}
    raw = json.dumps(basis, sort_keys=True, ensure_ascii=False, default=str)
    digest_hash = hashlib.sha256(raw.encode()).hexdigest()[:32]
    name = route.name[:120]
    return f"digest:{name}:{digest_hash}"


async def _default_builder(config: Config, store: Store, route: Route, *, now: datetime) -> Digest:
    from bot.digest.build import build_digest  # imported late: build imports the stories engine

    return await build_digest(config, store, route, now=now)


async def _confirm(
    store: Store, route: Route, digest: Digest, key: str, *, external_id: str | None, now: datetime
) -> None:
    shown: dict[int, list[str]] = {}
    for story in digest.stories:
        if story.story_id is None:
            continue
        keys = [item.key for item in story.summary.facts]
        keys += [item.key for d in story.summary.disagreements for item in d.facts]
        shown.setdefault(story.story_id, []).extend(keys)
    await store.posts.confirm(key, route=route.name, external_id=external_id, shown=shown, at=now)


async def _send(
    store: Store, route: Route, adapter: Adapter, digest: Digest, key: str, *, now: datetime
) -> tuple[str, ...]:
    """Post through the adapter and confirm; a failure is recorded on the post, then raised."""
    try:
        ids = await adapter.post_digest(route, digest, key=key)
    except NewsbotError as exc:
        await store.posts.mark_attempt(key, error=str(exc)[:2000], failed=True)
        raise DeliveryError(f"route {route.name}: {exc}") from exc
    except Exception as exc:
        await store.posts.mark_attempt(key, error=repr(exc)[:2000], failed=True)
        raise DeliveryError(f"route {route.name}: posting failed: {exc!r}") from exc
    external_id = ",".join(ids)[:200] or None
    await _confirm(store, route, digest, key, external_id=external_id, now=now)
    return tuple(ids)


async def _finish_unconfirmed(
    store: Store, route: Route, adapter: Adapter, *, now: datetime
) -> dict[str, tuple[str, ...]]:
    """Resend, as stored, every post of the route a crash or an outage left unconfirmed,
    before building anything new: rebuilding would give new content under a new key, and
    the parts already in the channel would show again."""
    resent: dict[str, tuple[str, ...]] = {}
    for post in await store.posts.unconfirmed(route.name, max_attempts=MAX_ATTEMPTS):
        try:
            digest = digest_from_json(post.payload)
        except (KeyError, TypeError, ValueError) as exc:
            await store.posts.mark_attempt(
                post.idempotency_key, error=f"unreadable stored digest: {exc}", failed=True
            )
            continue
        log.info("route %s: resending unconfirmed digest %s", route.name, post.idempotency_key)
        resent[post.idempotency_key] = await _send(
            store, route, adapter, digest, post.idempotency_key, now=now
        )
    return resent


async def deliver(
    config: Config,
    store: Store,
    route: Route,
    adapter: Adapter,
    *,
    now: datetime,
    dry_run: bool = False,
    build: Builder | None = None,
) -> DeliveryResult:
    """Build the route's digest and post it through ``adapter`` at most once.

    ``build`` defaults to ``bot.digest.build.build_digest``. Only one process at a
    time delivers a route (a lock that dies with its holder). Raises
    ``DeliveryError`` when the adapter fails (the post stays recorded, to be
    retried by the next run).
    """
    if dry_run:
        return await _deliver(config, store, route, adapter, now=now, dry_run=True, build=build)
    async with store.lock(f"digest:{route.name}") as held:
        if not held:
            log.info("route %s: another instance is posting this digest; skipped", route.name)
            return DeliveryResult(route=route.name, status=BUSY)
        return await _deliver(config, store, route, adapter, now=now, dry_run=False, build=build)


async def _deliver(
    config: Config,
    store: Store,
    route: Route,
    adapter: Adapter,
    *,
    now: datetime,
    dry_run: bool,
    build: Builder | None,
) -> DeliveryResult:
    resent = {} if dry_run else await _finish_unconfirmed(store, route, adapter, now=now)
    builder = build or _default_builder
    digest = await builder(config, store, route, now=now)
    if digest.empty and route.nothing_new_message and not digest.note:
        digest = replace(digest, note=route.nothing_new_message)
    if digest.mention is None and route.mention:
        digest = replace(digest, mention=route.mention)
    text = render_text(digest)
    facts = sum(len(s.summary.facts) for s in digest.stories)

    def result(status: str, key: str | None = None, ids: tuple[str, ...] = ()) -> DeliveryResult:
        return DeliveryResult(
            route=route.name,
            status=status,
            key=key,
            message_ids=ids,
            stories=len(digest.stories),
            facts=facts,
            text=text,
        )

    if digest.empty and not route.nothing_new_message:
        return result(EMPTY)
    key = idempotency_key(route, digest, now=now)
    if dry_run:
        return result(DRY_RUN, key)

    post, created = await store.posts.reserve(
        key,
        route=route.name,
        platform=route.platform.value,
        channel=route.channel,
        payload=digest_to_json(digest),
        story_ids=[s.story_id for s in digest.stories if s.story_id is not None],
        at=now,
    )
    if key in resent:  # this very digest was the one left unconfirmed: sent just now
        return result(POSTED, key, resent[key])
    if not created and post.status == SENT:
        await _confirm(store, route, digest, key, external_id=post.external_id, now=now)
        ids = tuple((post.external_id or "").split(",")) if post.external_id else ()
        log.info("route %s: digest %s was already sent", route.name, key)
        return result(ALREADY_SENT, key, ids)
    if not created:
        log.info("route %s: retrying digest %s (%s before)", route.name, key, post.status)

    ids = await _send(store, route, adapter, digest, key, now=now)
    log.info(
        "route %s: posted %d stories in %d messages", route.name, len(digest.stories), len(ids)
    )
    return result(POSTED, key, ids)
