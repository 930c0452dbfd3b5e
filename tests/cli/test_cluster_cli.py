from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.search import search_text
from bot.config import Config
from bot.store import Store
from bot.stories import process_new
from summariser.embeddings import shared_embedder
from tests.stories.corpus import EVENT, STREAM, T0
from tests.stories.helpers import FakeSummariser, add


def _records() -> list[dict[str, object]]:
    return [
        {
            "id": a.id,
            "title": a.title,
            "text": a.text,
            "url": a.url,
            "outlet": a.outlet,
            "published": a.published.isoformat() if a.published else None,
        }
        for a in STREAM
    ]


def _same_partition(lines: list[dict[str, str]]) -> None:
    assert [line["id"] for line in lines] == [a.id for a in STREAM]
    stories: dict[str, set[str]] = {}
    events: dict[str, set[str]] = {}
    for line in lines:
        stories.setdefault(line["story"], set()).add(line["id"])
        events.setdefault(EVENT[line["id"]], set()).add(line["id"])
    assert sorted(map(sorted, stories.values())) == sorted(map(sorted, events.values()))


def test_cluster_jsonl_writes_one_story_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records()) + "\n", encoding="utf-8")
    assert main(["cluster", "--jsonl", str(path), "--window", "3"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    _same_partition(out)
    assert out[0]["story"] == out[0]["id"]  # a story is named after its first article


def test_cluster_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [{"id": 1, "text": "A ship hit the bridge."}, {"id": 2, "text": "Cup final won."}]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(r) for r in records)))
    assert main(["cluster", "--jsonl", "-", "--no-embeddings"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["1", "2"]


def test_cluster_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    assert main(["cluster", "--jsonl", str(path)]) == 1
    assert "line 2" in capsys.readouterr().err
    assert main(["cluster", "--jsonl", str(tmp_path / "missing.jsonl")]) == 1


async def test_search_prints_matching_stories(sqlite_url: str) -> None:
    config = Config(database=sqlite_url)
    store = await Store.open(sqlite_url)
    try:
        now = T0 + timedelta(hours=10)
        for article in STREAM[:6]:
            await add(store, article, fetched=now)
        await process_new(config, store, FakeSummariser(), now=now, encoder=shared_embedder())
    finally:
        await store.close()
    text = await search_text(config, "Kellan bridge", 5)
    assert text.startswith("[story ")
    assert "Kellan Post" in text and "Coastal Herald" in text
    assert "No stories match" in await search_text(config, "volcano", 5)
