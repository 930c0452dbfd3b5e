"""``/news latest`` and ``/news search`` over 50,000 articles, through the real HTTP path.

A signed slash command goes to the Slack adapter's bolt app (HTTP mode) on
127.0.0.1; the answer comes back in the acknowledgement or, when slower than
the inline budget, through ``response_url`` to the fake Slack. We time both.

    .venv/bin/python bench/slack_commands.py --articles 50000 --requests 200

The articles are synthetic (a fixed vocabulary, seeded), so no data path is needed;
``--database`` reuses a store between runs (it is filled only when empty).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.adapters.slack import WORKING, SlackAdapter
from bot.commands.handler import NewsCommands
from bot.config import Config
from bot.config.models import Slack
from bot.store import Store, schema
from tests.fakes.slack import FakeSlack

SECRET = "bench-secret"
WORDS = [
    "council",
    "budget",
    "vote",
    "minister",
    "election",
    "storm",
    "flood",
    "court",
    "ruling",
    "bank",
    "rates",
    "inflation",
    "strike",
    "union",
    "hospital",
    "school",
    "police",
    "energy",
    "prices",
    "climate",
    "summit",
    "ceasefire",
    "talks",
    "ukraine",
    "russia",
    "china",
    "trade",
    "tariffs",
    "market",
    "shares",
    "company",
    "profits",
    "layoffs",
    "rail",
    "airport",
    "housing",
    "rent",
    "mayor",
    "governor",
    "senate",
    "parliament",
    "protest",
    "fire",
    "wildfire",
    "drought",
    "harvest",
    "football",
    "final",
    "league",
    "transfer",
    "coach",
    "olympics",
    "vaccine",
    "outbreak",
    "research",
    "university",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


async def fill(store: Store, count: int, seed: int = 7) -> None:
    if await store.articles.count() >= count:
        return
    rng = random.Random(seed)
    now = datetime.now(UTC)
    batch: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    async with store.engine.begin() as conn:
        for n in range(count):
            title = " ".join(rng.choices(WORDS, k=6)).capitalize()
            text = ". ".join(" ".join(rng.choices(WORDS, k=14)) for _ in range(12)) + "."
            url = f"https://outlet{n % 40}.example/a/{n}"
            batch.append(
                {
                    "id": n + 1,
                    "url": url,
                    "canonical_url": url,
                    "content_hash": f"{n:064x}",
                    "feed": f"feed{n % 40}",
                    "title": title,
                    "text": text,
                    "outlet": f"Outlet {n % 40}",
                    "published": now - timedelta(minutes=n),
                    "fetched_at": now - timedelta(minutes=n),
                }
            )
            links.append({"article_id": n + 1, "feed": f"feed{n % 40}"})
            if len(batch) == 2000:
                await conn.execute(schema.articles.insert(), batch)
                await conn.execute(schema.article_feeds.insert(), links)
                batch, links = [], []
        if batch:
            await conn.execute(schema.articles.insert(), batch)
            await conn.execute(schema.article_feeds.insert(), links)


async def run(args: argparse.Namespace) -> int:
    database = args.database or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    store = await Store.open(database)
    started = time.perf_counter()
    await fill(store, args.articles)
    print(f"store: {await store.articles.count()} articles ({time.perf_counter() - started:.1f}s)")
    fake = FakeSlack()
    await fake.start()
    config = Config(
        database=database,
        slack=Slack(
            mode="http",  # type: ignore[arg-type]
            api_url=fake.api_url,
            host="127.0.0.1",
            port=0,
            bot_token="xoxb-bench",
            signing_secret=SECRET,
        ),
    )
    adapter = SlackAdapter(
        config, handler=NewsCommands(config, store), inline_budget=args.inline_budget
    )
    await adapter.start()
    url = f"http://127.0.0.1:{adapter.port}/slack/events"
    verifier = SignatureVerifier(SECRET)
    rng = random.Random(11)
    results: dict[str, tuple[list[float], list[float]]] = {}
    try:
        async with aiohttp.ClientSession() as session:
            for i in range(args.requests):
                kind = ("latest", "latest topic", "search", "search miss")[i % 4]
                if kind == "latest":
                    text = "latest 5"
                elif kind == "latest topic":
                    text = f"latest {rng.choice(WORDS)} 5"
                elif kind == "search":
                    text = "search " + " ".join(rng.sample(WORDS, 2))
                else:  # no article matches: the whole table is scanned
                    text = f"search {rng.choice(WORDS)} zzyzx{i}"
                body = urlencode(
                    {
                        "command": "/news",
                        "text": text,
                        "channel_id": "C1",
                        "user_id": "U1",
                        "team_id": "T0FAKE",
                        "response_url": fake.response_url(i),
                    }
                )
                ts = str(int(time.time()))
                headers = {
                    "X-Slack-Request-Timestamp": ts,
                    "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body),
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                before = len(fake.responses)
                t0 = time.perf_counter()
                async with session.post(url, data=body.encode(), headers=headers) as resp:
                    payload = await resp.json()
                    assert resp.status == 200, resp.status
                ack = time.perf_counter() - t0
                answer = ack
                if payload.get("text") == WORKING:
                    while len(fake.responses) == before:
                        await asyncio.sleep(0.002)
                    answer = time.perf_counter() - t0
                acks, answers = results.setdefault(kind, ([], []))
                acks.append(ack)
                answers.append(answer)
    finally:
        await adapter.close()
        await fake.stop()
        await store.close()
    print(
        f"{args.requests} commands, inline budget {args.inline_budget}s, {database.split(':')[0]}"
    )
    print(
        f"{'command':<14}{'n':>5}{'ack p50':>10}{'ack p99':>10}{'answer p50':>12}{'answer p99':>12}"
    )
    for kind, (acks, answers) in results.items():
        print(
            f"{kind:<14}{len(acks):>5}"
            f"{statistics.median(acks):>9.3f}s{percentile(acks, 99):>9.3f}s"
            f"{statistics.median(answers):>11.3f}s{percentile(answers, 99):>11.3f}s"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--inline-budget", type=float, default=2.0)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
