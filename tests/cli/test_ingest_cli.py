from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.cli.poll import ProgressBar
from bot.config import Config
from tests.fakes.feeds import FeedServer, Item, rss

NOW = datetime.now(UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def write_config(tmp_path: Path, server: FeedServer, paths: dict[str, str]) -> Path:
    config = {
        "database": f"sqlite:///{tmp_path / 'news.db'}",
        "ingest": {"allow_hosts": ["127.0.0.1"], "read_timeout": "2s"},
        "feeds": [
            {"name": name, "url": server.url(path), "full_text": "never"}
            for name, path in paths.items()
        ],
    }
    path = tmp_path / "newsbot.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def entries(prefix: str, n: int) -> list[Item]:
    return [
        Item(
            title=f"{prefix} {i}",
            link=f"https://news.example.org/{prefix}/{i}",
            summary=f"About {prefix} {i}.",
            published=NOW - timedelta(minutes=i + 1),
        )
        for i in range(n)
    ]


def test_poll_then_feeds(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add("/ok", rss("Okay News", entries("ok", 3)), etag='"1"')
    server.add("/bad", "down", status=500)
    config = write_config(tmp_path, server, {"okay": "/ok", "broken": "/bad"})
    assert main(["poll", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "polled 2 feed(s): 3 new article(s), 0 not modified, 1 failed" in out
    assert "broken: HTTP 500" in err
    assert main(["poll", "--config", str(config)]) == 0
    assert "0 new article(s), 1 not modified" in capsys.readouterr().out

    assert main(["feeds", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "ok" in lines["okay"].split() and "failing" in lines["broken"].split()
    assert "HTTP 500" in lines["broken"] and " 2 " in lines["broken"]

    assert main(["feeds", "--config", str(config), "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["name"] == "okay" and rows[0]["status"] == "ok" and rows[0]["last_success"]
    assert rows[1]["failures"] == 2 and rows[1]["last_status"] == 500


def test_poll_exit_codes(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add("/bad", "down", status=500)
    config = write_config(tmp_path, server, {"broken": "/bad", "gone": "/missing"})
    assert main(["poll", "--config", str(config)]) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - name: x\n    url: ftp://nope\n")
    assert main(["poll", "--config", str(bad)]) == 2
    assert main(["feeds", "--config", str(bad)]) == 2
    assert "bad.yaml:3" in capsys.readouterr().err


def test_progress_bar() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(0, 4)
    bar(4, 4)
    assert stream.getvalue().endswith("\r[##########] 4/4 feeds\n")


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="World News">
    <outline type="rss" text="Harbour Times" title="Harbour Times" xmlUrl="https://harbour.example/rss"/>
    <outline type="rss" text="Valley Post" xmlUrl="https://valley.example/atom.xml"/>
  </outline>
  <outline type="rss" text="Harbour Times" xmlUrl="https://harbour.example/other"/>
  <outline type="rss" text="Dupe" xmlUrl="https://valley.example/atom.xml"/>
  <outline type="rss" text="Local file" xmlUrl="file:///tmp/feed.xml"/>
  <outline type="rss" xmlUrl="https://untitled.example/feed"/>
</body></opml>
"""


def test_import_opml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "subs.opml"
    path.write_text(OPML)
    assert main(["import-opml", str(path)]) == 0
    out, err = capsys.readouterr()
    feeds = yaml.safe_load(out)["feeds"]
    assert feeds == [
        {"name": "Harbour Times", "url": "https://harbour.example/rss", "tags": ["world-news"]},
        {"name": "Valley Post", "url": "https://valley.example/atom.xml", "tags": ["world-news"]},
        {"name": "Harbour Times (2)", "url": "https://harbour.example/other"},
        {"name": "untitled.example", "url": "https://untitled.example/feed"},
    ]
    assert "Local file" in err and "4 feed(s)" in err
    Config.model_validate({"feeds": feeds})  # pastes into a valid configuration


def test_import_opml_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-opml", str(tmp_path / "missing.opml")]) == 1
    junk = tmp_path / "junk.opml"
    junk.write_text("just text")
    assert main(["import-opml", str(junk)]) == 1
    assert "not an OPML file" in capsys.readouterr().err
