"""``newsbot run`` as a real process: polls a loopback feed, posts a console digest,
refuses a bad reload, accepts a good one, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _feed() -> bytes:
    now = datetime.now(UTC)
    items = []
    paragraphs = [
        "The Vale river burst its banks on Sunday night, flooding 300 homes in Millbrook.",
        '"We have never seen water this high," said Clara Jensen, the mayor of Millbrook.',
        "Emergency crews evacuated two care homes before dawn, the county council said.",
        "Forecasters warned that more rain would arrive on Tuesday.",
    ]
    for n in range(3):
        body = " ".join(paragraphs) + f" Update number {n} was issued at noon."
        items.append(
            f"<item><title>Vale river floods Millbrook, report {n}</title>"
            f"<link>http://127.0.0.1/story/{n}</link><guid>millbrook-{n}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(minutes=n))}</pubDate>"
            f"<description>{body}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Millbrook Courier</title>'
        "<link>http://127.0.0.1/</link><description>Local news</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = _feed()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def _config(tmp_path: Path, feed_url: str, out: Path, extra: str = "") -> str:
    return f"""\
database: sqlite+aiosqlite:///{tmp_path / "bot.db"}
feeds:
  - name: Millbrook Courier
    url: {feed_url}
    interval: 5m
    full_text: never
routes:
  - name: local
    platform: console
    channel: {out}
    schedule: "0 6 * * *"
summariser:
  embeddings: false
ingest:
  allow_hosts: ["127.0.0.1"]
{extra}"""


def _wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_run_polls_posts_reloads_and_stops(tmp_path: Path, feed_url: str) -> None:
    out = tmp_path / "digest.txt"
    log = tmp_path / "log.txt"
    cfg = tmp_path / "newsbot.yaml"
    cfg.write_text(_config(tmp_path, feed_url, out))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--digest-now", "--config", str(cfg)],
            cwd=tmp_path,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            assert _wait_for(lambda: "newsbot running" in log.read_text(), 240), log.read_text()
            text = out.read_text()
            assert "Millbrook" in text
            assert "Clara Jensen" in text

            cfg.write_text(_config(tmp_path, feed_url, out).replace("0 6 * * *", "nope"))
            proc.send_signal(signal.SIGHUP)
            assert _wait_for(lambda: "reload refused" in log.read_text(), 30), log.read_text()
            assert "routes.0.schedule" in log.read_text()

            cfg.write_text(_config(tmp_path, feed_url, out).replace("0 6 * * *", "30 7 * * *"))
            proc.send_signal(signal.SIGHUP)
            assert _wait_for(lambda: "configuration reloaded" in log.read_text(), 30)

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "stopped" in log.read_text()
    assert "Traceback" not in log.read_text()
    with sqlite3.connect(tmp_path / "bot.db") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert db.execute("SELECT count(*) FROM posts WHERE status='sent'").fetchone()[0] == 1


def test_run_with_a_bad_config_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("feeds:\n  - name: x\n    url: nope\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(cfg)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"{cfg}:3: feeds.0.url: not an http(s) URL: 'nope'"
