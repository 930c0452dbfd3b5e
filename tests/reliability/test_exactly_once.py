"""Every digest reaches Slack exactly once, however often the poster is SIGKILLed.

A real ``newsbot digest`` process posts to the fake Slack Web API; the test
kills it at random moments (while starting, while building, between sending a
message and recording it), restarts it, and finally counts what the fake
received: each part of each digest once, none missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import NewArticle, Store
from summariser.types import Fact, FactKind, Summary
from tests.fakes.slack import FakeSlack, fake_slack

ROUNDS = 3
STORIES_PER_ROUND = 24
ROOT = Path(__file__).resolve().parents[2]


async def _add_stories(store: Store, round_no: int, now: datetime) -> None:
    for n in range(STORIES_PER_ROUND):
        ident = f"r{round_no}-s{n}"
        article_id, _ = await store.articles.add(
            NewArticle(
                url=f"https://wire.example.net/{ident}",
                canonical_url=f"https://wire.example.net/{ident}",
                content_hash=f"hash-{ident}",
                feed="Wire",
                title=f"Bridge {ident} reopens after repairs",
                text=f"The bridge {ident} reopened on Monday, the transport office said.",
                outlet="Example Wire",
                published=now - timedelta(minutes=n),
            ),
            at=now,
        )
        story = await store.stories.create(title=f"Bridge {ident}", at=now)
        await store.articles.set_story(article_id, story)
        facts = (
            Fact(
                text=f"The bridge {ident} reopened on Monday after eight weeks of repairs.",
                kind=FactKind.REPORT,
                speaker=None,
                speaker_role=None,
                cue=None,
                sentence=0,
            ),
            Fact(
                text=f'"Traffic on bridge {ident} is flowing again," said Ines Moreau.',
                kind=FactKind.QUOTE,
                speaker="Ines Moreau",
                speaker_role="transport director",
                cue="said",
                sentence=1,
            ),
        )
        await store.summaries.put(
            article_id,
            Summary(
                id=str(article_id),
                title=f"Bridge {ident} reopens",
                url=None,
                outlet="Example Wire",
                facts=facts,
            ),
            at=now,
        )


def write_config(tmp_path: Path, api_url: str, *, slack: str = "") -> Path:
    """A Slack route over one feed's stories; ``slack`` adds lines to the slack section."""
    cfg = tmp_path / "newsbot.yaml"
    cfg.write_text(
        f"""\
database: sqlite+aiosqlite:///{tmp_path / "bot.db"}
feeds:
  - name: Wire
    url: https://wire.example.net/feed
routes:
  - name: news
    platform: slack
    channel: C0NEWS
    feeds: [Wire]
    schedule: "0 3 1 1 *"
    max_stories: 30
    facts_per_story: 2
summariser:
  embeddings: false
slack:
  api_url: {api_url}
{slack}"""
    )
    return cfg


async def _digest(cfg: Path, env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "digest",
            "--route",
            "news",
            "--config",
            str(cfg),
            env=env,
            stdout=out,
            stderr=out,
            cwd=cfg.parent,
        )


async def _cut_short(
    proc: asyncio.subprocess.Process,
    attempt: int,
    rng: random.Random,
    fake: FakeSlack,
    sent_before: int,
) -> bool:
    """SIGKILL the poster at a random moment; return False if it finished first.

    Attempt 0 dies just after its first message reached Slack (between sending and
    recording it), so every round is interrupted at least once; attempts 1 and 2 die
    at a random time (often while starting or building, sometimes mid-post).
    """
    loop = asyncio.get_running_loop()
    if attempt == 0:
        deadline = loop.time() + 60
        while len(fake.calls("chat.postMessage")) == sent_before and loop.time() < deadline:
            if proc.returncode is not None:
                return False
            await asyncio.sleep(0.01)
        await asyncio.sleep(rng.uniform(0.0, 0.2))
    else:
        try:
            await asyncio.wait_for(proc.wait(), rng.uniform(0.3, 4.0))
            return False
        except TimeoutError:
            pass
    if proc.returncode is not None:
        return False
    proc.kill()
    await proc.wait()
    return True


async def test_digests_survive_sigkill_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("NEWSBOT_KILL_SEED", "20261125")))
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}
    log = tmp_path / "digest.log"
    kills = 0
    async with fake_slack() as fake:
        fake.api_delay = 0.15
        cfg = write_config(tmp_path, fake.api_url)
        store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        try:
            for round_no in range(ROUNDS):
                await _add_stories(store, round_no, datetime.now(UTC))
                for attempt in range(40):
                    sent_before = len(fake.calls("chat.postMessage"))
                    proc = await _digest(cfg, env, log)
                    if attempt < 3 and await _cut_short(proc, attempt, rng, fake, sent_before):
                        kills += 1
                        continue
                    code = await asyncio.wait_for(proc.wait(), 120)
                    assert code == 0, log.read_text()
                    break
                else:
                    raise AssertionError("the digest never completed")
            # A run after everything is done posts nothing.
            proc = await _digest(cfg, env, log)
            assert await proc.wait() == 0
        finally:
            await store.close()

        posted = fake.messages.get("C0NEWS", [])
        parts = Counter(
            (m["metadata"]["event_payload"]["key"], m["metadata"]["event_payload"]["part"])
            for m in posted
        )
    print(f"{kills} runs killed; {len(posted)} messages posted")
    assert kills >= ROUNDS
    assert parts and max(parts.values()) == 1, parts
    keys = {key for key, _ in parts}
    assert len(keys) == ROUNDS
    for key in keys:
        numbers = sorted(part for k, part in parts if k == key)
        assert numbers == list(range(len(numbers))) and len(numbers) >= 2
    shown = "\n".join(json.dumps(m["blocks"]) for m in posted)
    for round_no in range(ROUNDS):
        for n in range(STORIES_PER_ROUND):
            assert shown.count(f"The bridge r{round_no}-s{n} reopened on Monday") == 1, shown
