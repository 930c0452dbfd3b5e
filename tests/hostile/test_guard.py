"""The SSRF guard: every way in (feed, page, redirect, CLI, ``/news summarise``) is checked,
after DNS resolution, at the moment of connecting."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from bot.commands.handler import NewsCommands
from bot.commands.types import CommandRequest
from bot.errors import BlockedURLError, FetchError
from bot.ingest import make_client
from bot.ingest.guard import Address, AddressPolicy, blocked_reason
from bot.ingest.http import Fetcher
from bot.store import Store
from tests.fakes.hostile import HostileServer
from tests.hostile.conftest import hostile_config

LOOPBACK = ipaddress.ip_address("127.0.0.1")
PUBLIC = ipaddress.ip_address("93.184.216.34")

BLOCKED = [
    ("127.0.0.1", "a loopback address"),
    ("127.8.9.10", "a loopback address"),
    ("[::1]", "a loopback address"),
    ("10.1.2.3", "a private address"),
    ("172.16.5.4", "a private address"),
    ("192.168.1.1", "a private address"),
    ("[fc00::1]", "a private address"),
    ("169.254.10.20", "a link-local address"),
    ("[fe80::1]", "a link-local address"),
    ("224.0.0.1", "a multicast address"),
    ("[ff02::1]", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("0.0.0.0", "the unspecified address"),
    ("[::]", "the unspecified address"),
    ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("169.254.169.254", "a cloud metadata address"),
    ("[fd00:ec2::254]", "a cloud metadata address"),
    ("[::ffff:127.0.0.1]", "a loopback address (IPv4 inside an IPv6 address)"),
    ("[::ffff:169.254.169.254]", "a cloud metadata address (IPv4 inside an IPv6 address)"),
    ("[64:ff9b::a00:1]", "a private address (IPv4 inside an IPv6 address)"),
    ("198.18.0.1", "a private address"),  # benchmarking range
]


class Resolver:
    """A DNS stand-in: names to addresses, optionally a different answer the second time."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[Address]:
        self.calls.append(host)
        literal = host.strip("[]")
        try:
            return [ipaddress.ip_address(literal)]
        except ValueError:
            pass
        sequence = self.answers.get(host)
        if not sequence:
            raise FetchError(f"cannot resolve {host}: unknown in this test")
        answer = sequence.pop(0) if len(sequence) > 1 else sequence[0]
        return [ipaddress.ip_address(a) for a in answer]


@pytest.mark.parametrize(("host", "reason"), BLOCKED)
async def test_each_blocked_class_is_refused_with_a_clear_message(host: str, reason: str) -> None:
    config = hostile_config(allow_hosts=[])
    async with make_client(config.ingest) as client:
        with pytest.raises(BlockedURLError) as caught:
            await Fetcher(client, config.ingest).get(f"http://{host}/feed.xml")
    message = str(caught.value)
    assert f"refusing to fetch from {host.strip('[]')}" in message
    assert reason in message and "ingest.allow_hosts" in message


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "1.1.1.1"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None
    AddressPolicy.from_allow([]).check("example.org", ipaddress.ip_address(address))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://a/", "x"])
async def test_only_http_urls(url: str) -> None:
    config = hostile_config()
    async with make_client(config.ingest) as client:
        with pytest.raises(BlockedURLError, match="not an http"):
            await Fetcher(client, config.ingest).get(url)


async def test_a_name_resolving_to_a_private_address_is_refused(hostile: HostileServer) -> None:
    resolver = Resolver(
        {"intranet.example": [["10.0.0.7"]], "both.example": [["8.8.8.8", "127.0.0.1"]]}
    )
    config = hostile_config(allow_hosts=[])
    async with make_client(config.ingest, resolver=resolver) as client:
        fetcher = Fetcher(client, config.ingest, resolver=resolver)
        with pytest.raises(BlockedURLError, match=r"intranet\.example \(10\.0\.0\.7\): a private"):
            await fetcher.get("http://intranet.example/feed.xml")
        # one bad address among good ones is enough to refuse
        with pytest.raises(BlockedURLError, match=r"both\.example \(127\.0\.0\.1\): a loopback"):
            await fetcher.get("http://both.example/feed.xml")


async def test_dns_rebinding_cannot_reach_a_checked_host(hostile: HostileServer) -> None:
    """Public when checked, loopback when connecting: the connection is never made."""
    resolver = Resolver({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    config = hostile_config(allow_hosts=[])
    before = len(hostile.hits)
    async with make_client(config.ingest, resolver=resolver) as client:
        fetcher = Fetcher(client, config.ingest, resolver=resolver)
        with pytest.raises(BlockedURLError, match=r"rebind\.example \(127\.0\.0\.1\): a loopback"):
            await fetcher.get(f"http://rebind.example:{hostile.port}/ok")
    assert resolver.calls == ["rebind.example", "rebind.example"]  # checked, then connected
    assert hostile.hits[before:] == []


async def test_the_transport_alone_refuses(hostile: HostileServer) -> None:
    """Even a request that bypasses Fetcher (plain client.get) cannot reach loopback."""
    config = hostile_config(allow_hosts=[])
    async with make_client(config.ingest) as client:
        with pytest.raises(BlockedURLError, match=r"127\.0\.0\.1: a loopback address"):
            await client.get(hostile.url("/ok"))


async def test_connects_to_the_checked_address_keeping_the_host_name(
    hostile: HostileServer,
) -> None:
    resolver = Resolver({"news.example": [["127.0.0.1"]]})
    config = hostile_config(allow_hosts=["news.example"])
    before = len(hostile.hits)
    async with make_client(config.ingest, resolver=resolver) as client:
        response = await Fetcher(client, config.ingest, resolver=resolver).get(
            f"http://news.example:{hostile.port}/ok"
        )
    assert response.status == 200 and b"<rss" in response.body
    assert [(h.path, h.host) for h in hostile.hits[before:]] == [
        ("/ok", f"news.example:{hostile.port}")
    ]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "http://intranet.example/",
    ],
)
async def test_a_redirect_from_an_allowed_host_to_a_blocked_one_is_refused(
    hostile: HostileServer, target: str
) -> None:
    # news.example is allowed by name (it resolves to loopback here); its redirect
    # to 127.0.0.1 / 10.0.0.7 must be checked on its own, and 127.0.0.1 is not allowed.
    resolver = Resolver({"news.example": [["127.0.0.1"]], "intranet.example": [["10.0.0.7"]]})
    config = hostile_config(allow_hosts=["news.example"])
    before = len(hostile.hits)
    location = target.format(port=hostile.port)
    async with make_client(config.ingest, resolver=resolver) as client:
        with pytest.raises(BlockedURLError, match="refusing to fetch from"):
            await Fetcher(client, config.ingest, resolver=resolver).get(
                f"http://news.example:{hostile.port}/redirect?to={location}"
            )
    assert [h.path for h in hostile.hits[before:]] == [f"/redirect?to={location}"]


@pytest.mark.parametrize("allow", ["127.0.0.1", "127.0.0.0/8", "localhost", "::ffff:127.0.0.0/104"])
async def test_allowed_when_configured(hostile: HostileServer, allow: str) -> None:
    config = hostile_config(allow_hosts=[allow])
    url = hostile.url("/ok").replace(
        "127.0.0.1", "localhost" if allow == "localhost" else "127.0.0.1"
    )
    async with make_client(config.ingest) as client:
        response = await Fetcher(client, config.ingest).get(url)
    assert response.status == 200


def test_policy_forms() -> None:
    policy = AddressPolicy.from_allow(["Intranet.Example.", "10.0.0.0/8", "fd00::1"])
    policy.check("intranet.example", LOOPBACK)  # a name allows whatever it resolves to
    policy.check("x.example", ipaddress.ip_address("10.9.9.9"))
    policy.check("x.example", ipaddress.ip_address("::ffff:10.9.9.9"))
    policy.check("x.example", ipaddress.ip_address("fd00::1"))
    with pytest.raises(BlockedURLError, match=r"x\.example \(fd00::2\): a private address"):
        policy.check("x.example", ipaddress.ip_address("fd00::2"))
    with pytest.raises(BlockedURLError, match=r"x\.example \(127\.0\.0\.1\)"):
        policy.check("x.example", LOOPBACK)
    assert blocked_reason(PUBLIC) is None


# ------------------------------------------------------------------ the other ways in


@pytest.fixture
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NEWSBOT_CONFIG", str(tmp_path / "absent.yaml"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path
    # the CLI points the root logger at this test's (captured, soon closed) stderr
    root.handlers[:], root.level = handlers, level


def test_cli_summarise_refuses_loopback(
    hostile: HostileServer, no_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(hostile.hits)
    code = main(["summarise", hostile.url("/ok"), "--no-embeddings"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (
        "newsbot: refusing to fetch from 127.0.0.1: a loopback address "
        "(allow it with ingest.allow_hosts)"
    )
    assert hostile.hits[before:] == []


def test_cli_summarise_bounds_hostile_pages(
    hostile: HostileServer, no_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = no_config / "newsbot.yaml"
    config.write_text("ingest:\n  allow_hosts: [127.0.0.1]\n  total_timeout: 2s\n")
    for path, message in [("/bomb", "byte limit"), ("/drip", "total_timeout")]:
        code = main(["summarise", "--config", str(config), hostile.url(path), "--no-embeddings"])
        assert code == 1 and message in capsys.readouterr().err


async def test_news_summarise_refuses_private_addresses(
    store: Store, hostile: HostileServer
) -> None:
    config = hostile_config(allow_hosts=[])
    before = len(hostile.hits)
    async with make_client(config.ingest) as client:
        news = NewsCommands(config, store, client=client)
        for url in (hostile.url("/ok"), "http://169.254.169.254/latest/meta-data/"):
            reply = await news.handle(CommandRequest(subcommand="summarise", args=(url,)))
            assert "refusing to fetch from" in reply.text and reply.ephemeral, reply
    assert hostile.hits[before:] == []


def test_httpx_is_not_called_bare() -> None:
    """Outbound fetches of user-supplied URLs all go through bot.ingest (one guard)."""
    root = Path(__file__).resolve().parents[2] / "bot"
    for path in (root / "cli" / "summarise.py", root / "commands" / "handler.py"):
        text = path.read_text()
        assert "httpx.Client(" not in text and "httpx.AsyncClient(" not in text, path
        assert "httpx.get(" not in text and "urlopen(" not in text, path
    assert isinstance(httpx.AsyncClient, type)
