"""Fetching feeds and pages politely.

One shared ``httpx.AsyncClient`` (from :func:`make_client`) and a
:class:`Fetcher` that adds what a polite poller needs on top of it:
conditional GET, a global and a per-host concurrency limit, a bounded number
of redirects, a maximum body size enforced while streaming (and while
decompressing, so a gzip bomb never inflates past it), a total deadline per
fetch (a server dripping one byte a second defeats any read timeout), and
``Retry-After`` on 429/503.

Every URL and every redirect hop is checked against private addresses here
for a clear early error, and again where the connection is made
(:mod:`bot.ingest.guard`): the address checked is the address connected to.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import brotli
import httpx

from bot.config import Ingest
from bot.errors import BlockedURLError, FetchError
from bot.ingest.guard import (
    AddressPolicy,
    GuardedTransport,
    Resolver,
    checked_addresses,
    normal_host,
    system_resolver,
)

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_INFLATE = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

# A decoder takes one raw chunk and how much output there is still room for,
# and yields output pieces no larger than that room (asked again before each piece).
Decoder = Callable[[bytes, Callable[[], int]], Iterator[bytes]]


def _inflater(coding: str) -> Decoder:
    wbits = _INFLATE[coding]
    state: dict[str, Any] = {"d": None}

    def decode(raw: bytes, room: Callable[[], int]) -> Iterator[bytes]:
        if state["d"] is None:
            if not raw:
                return
            state["d"] = zlib.decompressobj(wbits)
            if coding == "deflate":  # meant to be zlib-wrapped; some servers send it raw
                try:
                    zlib.decompressobj(wbits).decompress(raw[:64])
                except zlib.error:
                    state["d"] = zlib.decompressobj(-zlib.MAX_WBITS)
        inflater = state["d"]
        data = raw
        while data and not inflater.eof:
            yield inflater.decompress(data, room())
            data = inflater.unconsumed_tail

    return decode


def _brotli_bounded() -> bool:
    try:
        brotli.Decompressor().process(b"", output_buffer_limit=1)
    except TypeError:  # brotli < 1.2 cannot bound its output
        return False
    return True


_BROTLI = _brotli_bounded()
_BrotliError: type[Exception] = getattr(brotli, "error", ValueError)


def _unbrotli() -> Decoder:
    decompressor = brotli.Decompressor()

    def decode(raw: bytes, room: Callable[[], int]) -> Iterator[bytes]:
        yield decompressor.process(raw, output_buffer_limit=room())
        while not decompressor.can_accept_more_data():
            yield decompressor.process(b"", output_buffer_limit=room())

    return decode


def _decoder(coding: str) -> Decoder | None:
    if coding in _INFLATE:
        return _inflater(coding)
    if coding == "br" and _BROTLI:
        return _unbrotli()
    return None


ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI else "gzip, deflate"


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int, *, retry_after: timedelta | None = None) -> None:
        self.url = url
        self.status = status
        self.retry_after = retry_after
        text = f"HTTP {status} from {url}"
        if retry_after is not None:
            text += f" (retry after {int(retry_after.total_seconds())}s)"
        super().__init__(text)


@dataclass(frozen=True, kw_only=True)
class Response:
    url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(ingest: Ingest, *, resolver: Resolver = system_resolver) -> httpx.AsyncClient:
    """The one client every fetch shares; redirects are followed by :class:`Fetcher`.

    Its transport connects only to addresses ``ingest.allow_hosts`` permits
    (``resolver`` is for tests that need a host name to resolve somewhere).
    """
    timeout = httpx.Timeout(
        connect=ingest.connect_timeout.total_seconds(),
        read=ingest.read_timeout.total_seconds(),
        write=ingest.read_timeout.total_seconds(),
        pool=None,
    )
    limits = httpx.Limits(
        max_connections=ingest.concurrency,
        max_keepalive_connections=ingest.concurrency,
        keepalive_expiry=30,
    )
    return httpx.AsyncClient(
        # Only encodings whose output we can bound while inflating (see Fetcher._decoded).
        headers={"User-Agent": ingest.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=timeout,
        transport=GuardedTransport(
            AddressPolicy.from_allow(ingest.allow_hosts), resolver=resolver, limits=limits
        ),
        follow_redirects=False,
        trust_env=False,
    )


def parse_retry_after(value: str | None, now: datetime | None = None) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = when - (now or datetime.now(UTC))
    return max(delta, timedelta(0))


class Fetcher:
    """Polite GETs over a shared client; one per poll (it owns the semaphores)."""

    def __init__(
        self, client: httpx.AsyncClient, ingest: Ingest, *, resolver: Resolver = system_resolver
    ) -> None:
        self.client = client
        self.ingest = ingest
        self.resolver = resolver
        self._global = asyncio.Semaphore(ingest.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._policy = AddressPolicy.from_allow(ingest.allow_hosts)
        self._checked: set[str] = set()

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.ingest.per_host)
        return sem

    async def check(self, url: str) -> None:
        """Refuse non-http(s) URLs and hosts that resolve to addresses not allowed.

        An early, clear error; the transport checks again at connect time, which
        is what actually stops DNS rebinding.
        """
        parts = urlsplit(url)
        try:
            host = normal_host(parts.hostname or "")
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise BlockedURLError(f"not a valid URL: {url}") from None
        if parts.scheme not in ("http", "https") or not host:
            raise BlockedURLError(f"not an http(s) URL: {url}")
        if host in self._checked:
            return
        await checked_addresses(self._policy, self.resolver, host, port)
        self._checked.add(host)

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> Response:
        """GET ``url``; a 304 comes back as a response, every other failure raises FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        # The deadline counts time spent on the network, not time queued for a slot.
        total = budget = self.ingest.total_timeout.total_seconds()
        loop = asyncio.get_running_loop()
        for _hop in range(self.ingest.max_redirects + 1):
            await self.check(current)
            host = (urlsplit(current).hostname or "").lower()
            async with self._global, self._host_limit(host):
                started = loop.time()
                try:
                    async with asyncio.timeout(max(budget, 0.001)):
                        result = await self._once(current, headers)
                except TimeoutError:
                    raise FetchError(
                        f"gave up on {url} after {total:g}s (ingest.total_timeout)"
                    ) from None
                budget -= loop.time() - started
            if isinstance(result, Response):
                return result
            current = result
        raise FetchError(f"more than {self.ingest.max_redirects} redirects from {url}")

    async def _once(self, url: str, headers: dict[str, str]) -> Response | str:
        try:
            async with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code in _REDIRECTS:
                    location = resp.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {resp.status_code} without Location from {url}")
                    try:
                        return str(urljoin(url, location.strip()))
                    except ValueError:
                        raise FetchError(f"bad redirect Location from {url}") from None
                if resp.status_code == 304:
                    return self._response(url, resp, b"")
                if resp.status_code != 200:
                    retry = None
                    if resp.status_code in (429, 503):
                        retry = parse_retry_after(resp.headers.get("Retry-After"))
                    raise HTTPStatusError(url, resp.status_code, retry_after=retry)
                body = await self._read(url, resp)
                return self._response(str(resp.url), resp, body)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out fetching {url} ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from None

    async def _read(self, url: str, resp: httpx.Response) -> bytes:
        limit = self.ingest.max_body
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url} is too large ({declared} bytes, limit {limit})")
        chunks: list[bytes] = []
        size = 0
        async for chunk in self._decoded(url, resp, limit):
            size += len(chunk)
            if size > limit:
                raise FetchError(f"{url} is larger than the {limit}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    async def _decoded(url: str, resp: httpx.Response, limit: int) -> AsyncIterator[bytes]:
        """The body, decompressed at most ``limit + 1`` bytes ahead (a bomb stops at the limit)."""
        coding = resp.headers.get("Content-Encoding", "").strip().lower()
        if coding in ("", "identity"):
            async for chunk in resp.aiter_raw():
                yield chunk
            return
        decoder = _decoder(coding)
        if decoder is None:
            # Stacked ("gzip, gzip") or unknown codings: httpx would inflate each chunk
            # without bound before any limit applied, so they are refused outright.
            raise FetchError(f"{url}: unsupported Content-Encoding {coding!r}")
        size = 0

        def room() -> int:
            return limit - size + 1

        try:
            async for raw in resp.aiter_raw():
                for out in decoder(raw, room):
                    size += len(out)
                    yield out
                    if size > limit:
                        return
        except (zlib.error, _BrotliError) as exc:
            raise FetchError(f"{url}: invalid {coding} data ({exc})") from None

    @staticmethod
    def _response(url: str, resp: httpx.Response, body: bytes) -> Response:
        return Response(
            url=url,
            status=resp.status_code,
            body=body,
            content_type=resp.headers.get("Content-Type"),
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
        )
