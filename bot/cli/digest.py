"""``newsbot digest --route NAME [--dry-run]``: one route's digest, now.

Without ``--dry-run`` it posts through the route's adapter; the post is
recorded per route, so a second run right after posts nothing and still
exits 0. ``--dry-run`` prints the digest as text and records nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.adapters.base import Adapter
from bot.cli.common import EXIT_OK, load
from bot.config import Config, Route
from bot.digest.deliver import ALREADY_SENT, BUSY, EMPTY, DeliveryResult, deliver
from bot.errors import ConfigError
from bot.store import Store
from bot.store.clock import utcnow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser("digest", help="build one route's digest now and post it")
    parser.add_argument("--route", required=True, metavar="NAME", help="the route to post")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the digest as text; post and record nothing"
    )
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    config = load(args)
    try:
        route = config.route(args.route)
    except KeyError:
        names = ", ".join(r.name for r in config.routes) or "none"
        raise ConfigError([f"no route named {args.route!r} (routes: {names})"]) from None
    result = asyncio.run(run_digest(config, route, dry_run=args.dry_run))
    if args.dry_run:
        sys.stdout.write(result.text)
    elif result.status == ALREADY_SENT:
        print(f"route {route.name}: already posted; nothing sent", file=sys.stderr)
    elif result.status == EMPTY:
        print(f"route {route.name}: nothing new", file=sys.stderr)
    elif result.status == BUSY:
        print(f"route {route.name}: another newsbot is posting it right now", file=sys.stderr)
    else:
        print(
            f"route {route.name}: posted {result.stories} stories "
            f"in {len(result.message_ids)} message(s)",
            file=sys.stderr,
        )
    return EXIT_OK


async def make_poster(config: Config, route: Route, store: Store) -> Adapter:
    """An adapter that can post. Every adapter posts without ``start()``: no slash-command
    listener or gateway connection is needed for a one-shot digest."""
    from bot.adapters.factory import make_adapter
    from bot.commands.handler import NewsCommands

    return make_adapter(route.platform, config, handler=NewsCommands(config, store), store=store)


async def run_digest(config: Config, route: Route, *, dry_run: bool = False) -> DeliveryResult:
    from bot.app import make_summariser
    from bot.stories import process_new

    store = await Store.open(config.database)
    try:
        # Articles polled since the last run are summarised and clustered first, or the
        # digest would skip them and then leave them behind its cut-off for good.
        await process_new(config, store, make_summariser(config))
        if dry_run:
            from bot.adapters.console import ConsoleAdapter

            return await deliver(config, store, route, ConsoleAdapter(), now=utcnow(), dry_run=True)
        adapter = await make_poster(config, route, store)
        try:
            return await deliver(config, store, route, adapter, now=utcnow())
        finally:
            await adapter.close()
    finally:
        await store.close()
