"""``newsbot search QUERY``: stories (and not yet clustered articles) matching a query."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import EXIT_OK, load
from bot.config import Config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "search",
        help="find stories in the store",
        description="Print the stories whose articles contain every word of QUERY.",
    )
    parser.add_argument("query", nargs="+", metavar="QUERY")
    parser.add_argument("--limit", type=int, default=10, help="at most this many stories")
    parser.set_defaults(handler=handle)
    return parser


async def search_text(config: Config, query: str, limit: int) -> str:
    from bot.store import Store
    from bot.stories import find_stories

    store = await Store.open(config.database)
    try:
        matches = await find_stories(store, query, limit)
    finally:
        await store.close()
    if not matches:
        return f"No stories match {query!r}.\n"
    lines: list[str] = []
    for match in matches:
        when = match.updated_at.strftime("%Y-%m-%d %H:%M") if match.updated_at else "?"
        label = f"story {match.story_id}" if match.story_id is not None else "article"
        count = f"{match.article_count} article{'s' if match.article_count != 1 else ''}"
        lines.append(f"[{label}] {match.headline} ({count}, {when})")
        for article in match.articles[:3]:
            outlet = article.outlet or article.feed
            lines.append(f"    {outlet}: {article.title or '(untitled)'} <{article.url}>")
    return "\n".join(lines) + "\n"


def handle(args: argparse.Namespace) -> int:
    config = load(args)
    print(asyncio.run(search_text(config, " ".join(args.query), args.limit)), end="")
    return EXIT_OK
