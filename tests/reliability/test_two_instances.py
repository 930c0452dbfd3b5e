"""Two ``newsbot run`` processes on one PostgreSQL database: every feed is fetched once
per cycle and the digest is posted once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.feeds import FeedServer, Item, rss

FEEDS = 12


def _items(n: int) -> list[Item]:
    now = datetime.now(UTC)
    return [
        Item(
            title=f"Dam inspection {n}-{k} finds cracks in spillway",
            link=f"https://valley.example.net/{n}/{k}",
            guid=f"dam-{n}-{k}",
            summary=(
                f"Engineers found cracks in spillway {n}-{k} during Monday's inspection. "
                f'"The structure is safe for now," said Tomas Berg, the chief engineer. '
                "The regional authority said repairs would start next month."
            ),
            published=now - timedelta(minutes=k),
        )
        for k in range(2)
    ]


def test_two_instances_share_the_work(postgres_url: str, tmp_path: Path) -> None:
    out = tmp_path / "digest.txt"
    with FeedServer() as server:
        feeds = []
        for n in range(FEEDS):
            server.add(f"/feed/{n}.xml", rss(f"Valley Post {n}", _items(n)), delay=0.2)
            feeds.append(
                f"  - name: Valley {n}\n    url: {server.url(f'/feed/{n}.xml')}\n"
                "    full_text: never\n"
            )
        cfg = tmp_path / "newsbot.yaml"
        cfg.write_text(
            f"database: {postgres_url}\nfeeds:\n{''.join(feeds)}"
            f"routes:\n  - name: valley\n    platform: console\n    channel: {out}\n"
            "    schedule: '0 5 * * *'\n    max_stories: 50\n"
            "summariser:\n  embeddings: false\n"
            "ingest:\n  allow_hosts: ['127.0.0.1']\n"
        )
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        procs = []
        for log in logs:
            with log.open("w") as handle:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bot", "run", "--digest-now", "--config", str(cfg)],
                        cwd=tmp_path,
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                        env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    )
                )
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and not all(
                "newsbot running" in log.read_text() for log in logs
            ):
                time.sleep(0.3)
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc, log in zip(procs, logs, strict=True):
                assert proc.wait(timeout=60) == 0, log.read_text()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        fetched = {n: len(server.hits(f"/feed/{n}.xml")) for n in range(FEEDS)}
    assert set(fetched.values()) == {1}, fetched
    text = out.read_text()
    assert text.count("News digest: valley") == 1, text
    for n in range(FEEDS):
        assert f"https://valley.example.net/{n}/" in text
