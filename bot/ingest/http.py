"""Fetching feeds and pages politely.

One shared ``httpx.AsyncClient`` (from :func:`make_client`) and a
:class:`Fetcher` that adds what a polite poller needs on top of it:
conditional GET, a global and a per-host concurrency limit, a bounded number
of redirects (each hop checked against private addresses), a maximum body
size enforced while streaming, and ``Retry-After`` on 429/503.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.config import Ingest
from bot.errors import BlockedURLError, FetchError

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def make_client(ingest: Ingest) -> httpx.AsyncClient:
    """The one client every fetch shares; redirects are followed by :class:`Fetcher`."""
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
        headers={"User-Agent": ingest.user_agent, "Accept-Encoding": "gzip, deflate, br"},
        timeout=timeout,
        limits=limits,
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


def _networks(allow: Iterable[str]) -> tuple[set[str], list[Network]]:
    names: set[str] = set()
    nets: list[Network] = []
    for entry in allow:
        try:
            nets.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            names.add(entry.strip().lower().rstrip("."))
    return names, nets


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


class Fetcher:
    """Polite GETs over a shared client; one per poll (it owns the semaphores)."""

    def __init__(self, client: httpx.AsyncClient, ingest: Ingest) -> None:
        self.client = client
        self.ingest = ingest
        self._global = asyncio.Semaphore(ingest.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._allow_names, self._allow_nets = _networks(ingest.allow_hosts)
        self._checked: dict[str, bool] = {}

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.ingest.per_host)
        return sem

    def _allowed(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return _public(address) or any(address in net for net in self._allow_nets)

    async def check(self, url: str) -> None:
        """Refuse non-http(s) URLs and hosts that resolve to private addresses."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme not in ("http", "https") or not host:
            raise BlockedURLError(f"not an http(s) URL: {url}")
        if host in self._allow_names:
            return
        cached = self._checked.get(host)
        if cached is None:
            try:
                addresses = [ipaddress.ip_address(host)]
            except ValueError:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(
                        host, None, type=socket.SOCK_STREAM
                    )
                except OSError as exc:
                    raise FetchError(f"cannot resolve {host}: {exc}") from None
                addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
            cached = self._checked[host] = bool(addresses) and all(
                self._allowed(a) for a in addresses
            )
        if not cached:
            raise BlockedURLError(
                f"{host} is a private or loopback address (allow it with ingest.allow_hosts)"
            )

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
        for _hop in range(self.ingest.max_redirects + 1):
            await self.check(current)
            host = (urlsplit(current).hostname or "").lower()
            async with self._global, self._host_limit(host):
                result = await self._once(current, headers)
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
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(f"{url} is larger than the {limit}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

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
