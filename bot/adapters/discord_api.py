"""The one place that points discord.py at an API and a gateway.

discord.py has no public setting for either: REST URLs are built from the
class attribute ``discord.http.Route.BASE`` and a client opens the gateway at
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (then resumes at the
``resume_gateway_url`` the gateway sends in READY). Both are process-wide, so
one process talks to one Discord; ``point_at`` returns what it replaced so
tests can put it back. ``tests/adapters/test_discord_api.py`` fails loudly if
an upgrade of discord.py moves these internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"


@dataclass(frozen=True, kw_only=True)
class Endpoints:
    api_url: str
    gateway_url: str


def current() -> Endpoints:
    """Where discord.py is pointed now."""
    return Endpoints(api_url=Route.BASE, gateway_url=str(DiscordWebSocket.DEFAULT_GATEWAY))


def point_at(api_url: str, gateway_url: str) -> Endpoints:
    """Point discord.py's REST calls at ``api_url`` and its gateway at ``gateway_url``.

    Returns the endpoints it replaced (pass them back in to restore).
    """
    previous = current()
    Route.BASE = api_url.rstrip("/")
    if not urlsplit(gateway_url).path:
        gateway_url += "/"  # as discord.py's own default has it
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    return previous


def restore(endpoints: Endpoints) -> None:
    point_at(endpoints.api_url, endpoints.gateway_url)
