"""Guards for the discord.py internals ``bot.adapters.discord_api`` sets.

If one of these fails after a discord.py upgrade, the library moved where it
keeps its API or gateway URL: fix ``discord_api.point_at`` before anything else,
or the bot would talk to the real Discord from tests and from ``api_url`` set-ups.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from importlib.metadata import version

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters import discord_api


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    before = discord_api.current()
    yield
    discord_api.restore(before)


def test_discord_py_is_the_pinned_minor_version() -> None:
    major, minor = version("discord.py").split(".")[:2]
    assert (major, minor) == ("2", "7"), (
        "discord.py moved off 2.7: re-check Route.BASE and DiscordWebSocket.DEFAULT_GATEWAY"
    )


def test_rest_urls_come_from_route_base() -> None:
    assert isinstance(Route.__dict__.get("BASE"), str), "discord.http.Route.BASE is gone"
    assert "self.BASE + self.path" in inspect.getsource(Route.__init__), (
        "discord.http.Route no longer builds URLs from BASE"
    )
    assert Route.BASE == discord_api.DEFAULT_API_URL


def test_the_gateway_url_comes_from_default_gateway() -> None:
    assert isinstance(DiscordWebSocket.__dict__.get("DEFAULT_GATEWAY"), yarl.URL), (
        "discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY is gone"
    )
    source = inspect.getsource(DiscordWebSocket.from_client)
    assert "cls.DEFAULT_GATEWAY" in source, "DiscordWebSocket.from_client stopped using it"
    # a plain Client connects straight to DEFAULT_GATEWAY (it does not ask /gateway/bot)
    assert "DiscordWebSocket.from_client" in inspect.getsource(discord.Client.connect)


def test_point_at_moves_both_and_restore_puts_them_back() -> None:
    before = discord_api.point_at("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9/gateway")
    assert before.api_url == "https://discord.com/api/v10"
    assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/gateway"
    discord_api.point_at(before.api_url, "wss://gateway.example")
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.example/"
    discord_api.restore(before)
    assert discord_api.current() == before
    assert Route("GET", "/gateway").url == "https://discord.com/api/v10/gateway"
