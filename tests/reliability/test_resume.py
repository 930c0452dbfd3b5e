"""A digest cut off by a crash mid-post is finished when ``newsbot run`` starts again,
without waiting for the route's next scheduled time, and without repeating a part."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Store
from tests.fakes.slack import fake_slack
from tests.reliability.test_exactly_once import _add_stories, write_config


async def _wait(predicate: object, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def test_interrupted_digest_is_finished_at_start(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "run.log"
    async with fake_slack() as fake:
        fake.api_delay = 0.3
        cfg = write_config(
            tmp_path, fake.api_url, slack="  mode: http\n  host: 127.0.0.1\n  port: 0\n"
        )
        store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        await _add_stories(store, 0, datetime.now(UTC))
        await store.close()

        async def start(*extra: str) -> asyncio.subprocess.Process:
            with log.open("ab") as out:
                return await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    "--config",
                    str(cfg),
                    *extra,
                    env=env,
                    stdout=out,
                    stderr=out,
                    cwd=tmp_path,
                )

        first = await start("--digest-now")
        await _wait(lambda: len(fake.messages.get("C0NEWS", [])) >= 1, 60)
        first.kill()
        await first.wait()
        before = len(fake.messages["C0NEWS"])

        second = await start()
        await _wait(lambda: "newsbot running" in log.read_text(), 120)
        second.terminate()
        assert await second.wait() == 0, log.read_text()

    posted = fake.messages["C0NEWS"]
    parts = Counter(m["metadata"]["event_payload"]["part"] for m in posted)
    assert "finishing a digest interrupted by a restart" in log.read_text()
    assert len(posted) > before
    assert max(parts.values()) == 1 and sorted(parts) == list(range(len(parts)))
