"""Which addresses ingestion may connect to (the SSRF guard).

A feed URL, an article link, a redirect or ``/news summarise <url>`` can point
the bot at a service it should never reach: the loopback interface, the
private network it runs in, a cloud metadata endpoint. Every address a host
name resolves to must be public unless ``ingest.allow_hosts`` lists the host
name, the address or a network containing it.

The check runs where the connection is made: :class:`GuardedBackend` is the
network backend of the shared client. It resolves the host once, checks every
address, then opens the TCP connection to a checked address itself. TLS still
uses the host name (SNI and certificate), and the ``Host`` header is
unchanged, so nothing else notices; but a DNS answer that changes between a
check and the connect (rebinding) can no longer reach a blocked address,
because there is only one answer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from bot.errors import BlockedURLError, FetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[Address]]]

METADATA = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack …
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # an IPv4 address behind a translator


def _embedded(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def blocked_reason(address: Address) -> str | None:
    """Why ``address`` is not a public unicast address, or None when it is."""
    inner = _embedded(address)
    if inner is not None:
        why = blocked_reason(inner)
        return f"{why} (IPv4 inside an IPv6 address)" if why else None
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a non-public address"
    return None


def parse_address(text: str) -> Address | None:
    """``text`` as an IP address (brackets and an IPv6 zone allowed), else None."""
    text = text.strip().strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """``ingest.allow_hosts`` read once: host names, addresses and networks allowed."""

    names: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def from_allow(cls, allow: Iterable[str]) -> AddressPolicy:
        names: set[str] = set()
        nets: list[Network] = []
        for raw in allow:
            entry = raw.strip()
            try:
                net = ipaddress.ip_network(entry.strip("[]"), strict=False)
            except ValueError:
                names.add(normal_host(entry))
                continue
            if isinstance(net, ipaddress.IPv6Network) and net.subnet_of(_MAPPED):
                # ::ffff:a.b.c.d/n is the IPv4 network a.b.c.d/(n - 96)
                low = int(net.network_address) & 0xFFFFFFFF
                net = ipaddress.IPv4Network((low, net.prefixlen - 96))
            nets.append(net)
        return cls(frozenset(names), tuple(nets))

    def allows_name(self, host: str) -> bool:
        return normal_host(host) in self.names

    def check(self, host: str, address: Address) -> None:
        """Raise :class:`BlockedURLError` unless ``address`` (of ``host``) may be reached."""
        if self.allows_name(host):
            return
        why = blocked_reason(address)
        if why is None:
            return
        forms = [address]
        inner = _embedded(address)
        if inner is not None:
            forms.append(inner)
        if any(
            form in net for form in forms for net in self.networks if form.version == net.version
        ):
            return
        shown = host if host == str(address) else f"{host} ({address})"
        raise BlockedURLError(
            f"refusing to fetch from {shown}: {why} (allow it with ingest.allow_hosts)"
        )


def normal_host(host: str) -> str:
    return host.strip().strip("[]").lower().rstrip(".")


async def system_resolver(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to, in the resolver's order."""
    literal = parse_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    found: list[Address] = []
    for info in infos:
        address = parse_address(str(info[4][0]))
        if address is not None and address not in found:
            found.append(address)
    if not found:
        raise FetchError(f"cannot resolve {host}: no addresses")
    return found


async def checked_addresses(
    policy: AddressPolicy, resolver: Resolver, host: str, port: int
) -> list[Address]:
    """Resolve ``host`` and refuse it when any of its addresses is blocked."""
    addresses = await resolver(normal_host(host), port)
    for address in addresses:
        policy.check(normal_host(host), address)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, then connects to the checked address (never a second lookup)."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await checked_addresses(self.policy, self.resolver, host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None  # checked_addresses never returns an empty list
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURLError(f"refusing to connect to the unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, with :class:`GuardedBackend` making every connection."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        resolver: Resolver = system_resolver,
        limits: httpx.Limits,
    ) -> None:
        super().__init__(limits=limits, trust_env=False)
        self.policy = policy
        self.resolver = resolver
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(policy, resolver),
        )
