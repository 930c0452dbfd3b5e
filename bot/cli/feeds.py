"""``newsbot feeds``: every configured feed's health from the store."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime
from typing import Any

from bot.cli.common import EXIT_OK, load
from bot.config import Config
from bot.store import FeedState, Store
from bot.store.clock import utcnow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "feeds",
        help="list the configured feeds and their health",
        description="List every configured feed: last success, consecutive failures, "
        "next poll and last error.",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(handler=handle)
    return parser


def _when(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "-"
    seconds = int((value - now).total_seconds())
    span = abs(seconds)
    if span < 60:
        text = f"{span}s"
    elif span < 3600:
        text = f"{span // 60}m"
    elif span < 86400:
        text = f"{span // 3600}h{span % 3600 // 60:02d}m"
    else:
        text = f"{span // 86400}d{span % 86400 // 3600}h"
    return "now" if span < 1 else (f"in {text}" if seconds > 0 else f"{text} ago")


def health(config: Config, states: dict[str, FeedState]) -> list[dict[str, Any]]:
    rows = []
    for feed in config.feeds:
        state = states.get(feed.url) or FeedState(url=feed.url)
        if not feed.enabled:
            status = "disabled"
        elif state.last_attempt is None:
            status = "new"
        elif state.failures:
            status = "failing"
        else:
            status = "ok"
        rows.append(
            {
                "name": feed.name,
                "url": feed.url,
                "status": status,
                "last_success": state.last_success,
                "failures": state.failures,
                "next_poll": state.next_poll,
                "last_status": state.last_status,
                "last_error": state.last_error,
            }
        )
    return rows


async def _states(config: Config) -> dict[str, FeedState]:
    store = await Store.open(config.database)
    try:
        return {s.url: s for s in await store.feeds.all()}
    finally:
        await store.close()


def handle(args: argparse.Namespace) -> int:
    config = load(args)
    rows = health(config, asyncio.run(_states(config)))
    if args.format == "json":
        for row in rows:
            print(json.dumps(row, default=lambda v: v.isoformat(), ensure_ascii=False))
        return EXIT_OK
    now = utcnow()
    table = [("FEED", "STATUS", "LAST SUCCESS", "FAILURES", "NEXT POLL", "LAST ERROR")]
    for row in rows:
        error = " ".join((row["last_error"] or "").split())
        table.append(
            (
                row["name"],
                row["status"],
                _when(row["last_success"], now),
                str(row["failures"]),
                _when(row["next_poll"], now),
                error[:100] + ("…" if len(error) > 100 else ""),
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r[:5], widths, strict=True)) + "  " + r[5])
    return EXIT_OK
