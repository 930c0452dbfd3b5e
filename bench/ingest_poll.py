"""Poll speed: 1,000 generated feeds × 20 items from a loopback server, in one run.

    .venv/bin/python bench/ingest_poll.py [--feeds 1000] [--items 20] [--concurrency 20] [--runs 3]

(a) first poll (all new, no full text, stored in a fresh SQLite file) against a plain httpx
GET loop over the same URLs; (b) second poll (every feed answers 304) against a plain loop
sending the same If-None-Match; both sides use the same client limits and concurrency.
Also the median parse time of a 50-item RSS feed. The server runs in its own process.
Prints medians over ``--runs`` rounds as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bot.config import Config
from bot.ingest import make_client, poll
from bot.ingest.parse import parse_feed
from bot.store import Store
from tests.fakes.feeds import FeedServer, Item, rss

NOW = datetime.now(UTC)


def feed_items(feed: int, n: int) -> list[Item]:
    return [
        Item(
            title=f"Feed {feed} reports development number {i} in the long-running story",
            link=f"https://outlet{feed % 50}.example/news/{feed}/{i}?utm_source=rss",
            guid=f"f{feed}-i{i}",
            summary=f"A teaser of two sentences for item {i} of feed {feed}. "
            "It says what happened, where and who said so.",
            published=NOW - timedelta(minutes=10 * i + 1),
            author="Staff reporter",
        )
        for i in range(n)
    ]


def serve(feeds: int, items: int, conn: mp.connection.Connection) -> None:
    server = FeedServer()
    for f in range(feeds):
        server.add(f"/feed/{f}", rss(f"Outlet {f}", feed_items(f, items)), etag=f'"e{f}"')
    server.start()
    conn.send(server.port)
    conn.recv()  # wait until told to stop
    server.stop()


async def plain_loop(urls: list[str], concurrency: int, conditional: bool) -> float:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(i: int, url: str) -> None:
            headers = {"If-None-Match": f'"e{i}"'} if conditional else {}
            async with sem:
                resp = await client.get(url, headers=headers)
                assert resp.status_code in (200, 304), resp.status_code

        start = time.perf_counter()
        await asyncio.gather(*(one(i, u) for i, u in enumerate(urls)))
        return time.perf_counter() - start


async def newsbot_round(config: Config, db: Path) -> tuple[float, float, int]:
    store = await Store.open(f"sqlite:///{db}")
    try:
        async with make_client(config.ingest) as client:
            start = time.perf_counter()
            first = await poll(config, store, client, due_only=False)
            t_first = time.perf_counter() - start
            assert first.failed == 0, [r.error for r in first.results if r.error][:3]
            start = time.perf_counter()
            second = await poll(config, store, client, due_only=False)
            t_second = time.perf_counter() - start
            assert second.not_modified == second.polled
        return t_first, t_second, first.new
    finally:
        await store.close()


def parse_median(repeat: int = 200) -> float:
    doc = rss("Parse bench", feed_items(1, 50)).encode()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_feed(doc, url="https://bench.example/feed")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def main_async(args: argparse.Namespace, port: int) -> None:
    urls = [f"http://127.0.0.1:{port}/feed/{f}" for f in range(args.feeds)]
    config = Config.model_validate(
        {
            "feeds": [
                {"name": f"feed-{f}", "url": u, "full_text": "never"} for f, u in enumerate(urls)
            ],
            "ingest": {
                "allow_hosts": ["127.0.0.1"],
                "concurrency": args.concurrency,
                "per_host": args.concurrency,
                "first_poll_max_age": "30d",
            },
        }
    )
    await plain_loop(urls, args.concurrency, False)  # warm-up
    rows: dict[str, list[float]] = {k: [] for k in ("plain", "first", "plain304", "second")}
    new = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            rows["plain"].append(await plain_loop(urls, args.concurrency, False))
            first, second, new = await newsbot_round(config, Path(tmp) / f"run{run}.db")
            rows["first"].append(first)
            rows["plain304"].append(await plain_loop(urls, args.concurrency, True))
            rows["second"].append(second)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(
        f"{args.feeds} feeds × {args.items} items, concurrency {args.concurrency}, "
        f"median of {args.runs} runs; {new} articles stored per first poll\n"
    )
    print("| measure | newsbot | plain httpx loop | ratio | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(
        f"| (a) first poll, all new | {med['first']:.2f} s | {med['plain']:.2f} s | "
        f"{med['first'] / med['plain']:.2f}× | ≤ 3× |"
    )
    print(
        f"| (b) second poll, all 304 | {med['second']:.2f} s | {med['plain304']:.2f} s | "
        f"{med['second'] / med['plain304']:.2f}× | ≤ 1.5× |"
    )
    print(f"| parse a 50-item RSS feed (median) | {parse_median() * 1000:.2f} ms | | | ≤ 5 ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    parent, child = mp.Pipe()
    proc = mp.Process(target=serve, args=(args.feeds, args.items, child), daemon=True)
    proc.start()
    port = parent.recv()
    try:
        asyncio.run(main_async(args, port))
    finally:
        parent.send("stop")
        proc.join(5)


if __name__ == "__main__":
    main()
