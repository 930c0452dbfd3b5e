"""One adapter per platform that a route uses."""

from __future__ import annotations

from bot.adapters.base import Adapter
from bot.adapters.console import ConsoleAdapter
from bot.commands.types import CommandHandler
from bot.config import Config, Platform
from bot.store import Store


def make_adapter(
    platform: Platform, config: Config, *, handler: CommandHandler, store: Store
) -> Adapter:
    if platform is Platform.CONSOLE:
        return ConsoleAdapter()
    if platform is Platform.SLACK:
        from bot.adapters.slack import SlackAdapter

        return SlackAdapter(config, handler=handler, store=store)
    from bot.adapters.discord import DiscordAdapter

    return DiscordAdapter(config, handler=handler, store=store)
