"""When each feed is polled next.

Every URL gets a stable offset inside its interval (a hash of the URL), so a
thousand feeds with the same interval are spread over it instead of firing
together, plus a little random jitter. A failing feed backs off
exponentially — 5 minutes × 2^(failures-1), capped at one day — and a
``Retry-After`` from the server is honoured when it asks for longer.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_CAP = timedelta(days=1)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def offset(url: str, interval: timedelta) -> timedelta:
    """A stable position for ``url`` inside ``interval``, the same on every run and host."""
    seconds = max(1, int(interval.total_seconds()))
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return timedelta(seconds=int.from_bytes(digest[:8], "big") % seconds)


def jitter(interval: timedelta, rng: random.Random | None = None) -> timedelta:
    """Up to 2% of the interval (at most a minute) of randomness."""
    spread = min(interval.total_seconds() * 0.02, 60.0)
    return timedelta(seconds=(rng or random).uniform(0, spread))


def next_poll(
    url: str, interval: timedelta, now: datetime, *, rng: random.Random | None = None
) -> datetime:
    """The next slot of ``url`` strictly after ``now``: epoch + offset + k × interval."""
    step = interval.total_seconds()
    start = _EPOCH + offset(url, interval)
    elapsed = (now - start).total_seconds()
    k = int(elapsed // step) + 1
    return start + timedelta(seconds=k * step) + jitter(interval, rng)


def backoff(failures: int) -> timedelta:
    """5 min × 2^(failures-1), capped at a day (``failures`` counts this failure too)."""
    n = max(0, failures - 1)
    if n >= 20:
        return BACKOFF_CAP
    return min(BACKOFF_BASE * int(2**n), BACKOFF_CAP)


def retry_at(
    failures: int,
    now: datetime,
    *,
    retry_after: timedelta | None = None,
    rng: random.Random | None = None,
) -> datetime:
    delay = backoff(failures)
    if retry_after is not None and retry_after > delay:
        delay = min(retry_after, BACKOFF_CAP)
    return now + delay + jitter(delay, rng)


def is_due(next_at: datetime | None, now: datetime) -> bool:
    return next_at is None or next_at <= now
