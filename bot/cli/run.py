"""``newsbot run``: the bot — polling, summarising, clustering and scheduled digests."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import EXIT_OK, config_path, load


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "run",
        help="run the bot: poll feeds and post scheduled digests",
        description="Run the bot: poll every feed at its interval, summarise and cluster new "
        "articles, and post each route's digest on its schedule. Console routes print to the "
        "terminal; Slack and Discord routes need their tokens in the environment. SIGHUP "
        "reloads the configuration; SIGINT or SIGTERM stops cleanly.",
    )
    parser.add_argument(
        "--digest-now",
        action="store_true",
        help="poll once and post every route's digest right away, then keep running",
    )
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    from bot.app import Bot

    config = load(args)
    asyncio.run(Bot(config_path(args), config).run(digest_now=args.digest_now))
    return EXIT_OK
