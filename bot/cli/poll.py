"""``newsbot poll``: one ingest pass over every enabled feed, now."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import TextIO

from bot.cli.common import EXIT_ERROR, EXIT_OK, load
from bot.ingest import PollReport, Status, make_client, poll
from bot.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "poll",
        help="poll every feed once, now",
        description="Fetch every enabled feed once (due or not), store new articles and each "
        "feed's health. Exits 1 when every feed failed.",
    )
    parser.add_argument(
        "--due", action="store_true", help="only the feeds whose next poll time has come"
    )
    parser.set_defaults(handler=handle)
    return parser


class ProgressBar:
    """``[#####.....] 12/40 feeds`` redrawn in place; redraws at most 20 times a second."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.05:
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} feeds")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def summary(report: PollReport) -> list[str]:
    lines = [
        f"polled {report.polled} feed(s): {report.new} new article(s), "
        f"{report.not_modified} not modified, {report.failed} failed"
    ]
    for result in report.results:
        if result.status is Status.FAILED:
            lines.append(f"  failed  {result.feed}: {result.error}")
        elif result.warning:
            lines.append(f"  warning {result.feed}: {result.warning}")
    return lines


async def _run(args: argparse.Namespace) -> PollReport:
    config = load(args)
    store = await Store.open(config.database)
    try:
        async with make_client(config.ingest) as client:
            progress = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
            return await poll(config, store, client, due_only=args.due, progress=progress)
    finally:
        await store.close()


def handle(args: argparse.Namespace) -> int:
    report = asyncio.run(_run(args))
    lines = summary(report)
    print(lines[0])
    for line in lines[1:]:
        print(line, file=sys.stderr)
    return EXIT_ERROR if report.all_failed else EXIT_OK
