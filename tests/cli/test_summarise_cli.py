"""``newsbot summarise`` end to end through ``bot.cli.main``."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "summariser" / "fixtures" / "articles.json"


@pytest.fixture(scope="module")
def article() -> dict[str, Any]:
    articles: list[dict[str, Any]] = json.loads(FIXTURES.read_text())["articles"]
    return next(a for a in articles if a["id"] == "ceasefire-talks")


@pytest.fixture(autouse=True)
def no_default_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_CONFIG", str(tmp_path / "absent.yaml"))


def html_page(article: dict[str, Any]) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in article["text"].splitlines())
    return (
        "<!DOCTYPE html><html><head><title>Ceasefire talks open in Geneva</title>"
        '<meta property="og:site_name" content="World Desk"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Ceasefire talks open in Geneva</h1>{paragraphs}</article>"
        "<footer>Copyright 2026</footer></body></html>"
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["summarise", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_output_reads_like_an_editor_wrote_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], article: dict[str, Any]
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(article["text"])
    code, out, _ = run(capsys, str(path), "--facts", "6")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("AFTER three weeks of shelling")
    bullets = [line for line in lines if line.startswith("• ")]
    # the lead is the headline here: not repeated as a bullet, and --facts still holds
    assert len(bullets) == 6 and not any("AFTER three weeks" in b for b in bullets)
    assert any(b.endswith("— Ilya Marenko, President") for b in bullets)
    assert any("— Lena Fischer, a co-founder of the Open Conflict Monitor" in b for b in bullets)


def test_markdown_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], article: dict[str, Any]
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(article["text"])
    code, out, _ = run(capsys, str(path), "--format", "markdown", "--no-embeddings")
    assert code == 0
    assert out.startswith("## ")
    assert "— **Ilya Marenko**" in out
    assert sum(1 for line in out.splitlines() if line.startswith("- ")) == 5


def test_json_output_and_config_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], article: dict[str, Any]
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(article["text"])
    config = tmp_path / "newsbot.yaml"
    config.write_text("summariser:\n  facts: 2\n  embeddings: false\n")
    code, out, err = run(capsys, str(path), "--format", "json", "--config", str(config))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"id", "title", "url", "outlet", "facts", "attributions"}
    assert len(data["facts"]) == 2
    assert {a["speaker"] for a in data["attributions"]} >= {"Oren Baltic", "Lena Fischer"}


def test_html_file_and_stdin(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    article: dict[str, Any],
) -> None:
    page = tmp_path / "page.html"
    page.write_text(html_page(article))
    monkeypatch.setattr("sys.stdin", io.StringIO(article["text"]))
    code, out, err = run(capsys, str(page), "-", "--format", "json", "--no-embeddings")
    assert code == 0, err
    from_html, from_stdin = json.loads(out)
    assert from_html["title"] == "Ceasefire talks open in Geneva"
    assert "Home" not in json.dumps(from_html["facts"])
    assert from_html["facts"] and from_stdin["facts"]
    assert from_stdin["id"] == "2"


def test_jsonl_keeps_ids_order_and_reports_bad_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], article: dict[str, Any]
) -> None:
    records = [
        json.dumps({"id": "a1", "text": article["text"], "outlet": "World Desk"}),
        "{broken",
        json.dumps({"id": 7, "text": ""}),
        json.dumps(
            {
                "id": "a2",
                "text": "Officials said the airport would reopen on Monday.",
                "published": "2026-03-01T10:00:00Z",
                "url": "https://example.com/a2",
            }
        ),
        json.dumps({"id": "a3", "text": "Short text.", "published": "yesterday"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(records) + "\n")
    code, out, _ = run(capsys, "--jsonl", str(path), "--no-embeddings", "--facts", "3")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("id") for line in lines] == ["a1", None, "7", "a2", "a3"]
    assert lines[0]["outlet"] == "World Desk" and len(lines[0]["facts"]) == 3
    assert "error" in lines[1] and "error" in lines[2] and "error" in lines[4]
    assert lines[3]["url"] == "https://example.com/a2"


def test_jsonl_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(json.dumps({"id": "s", "text": "The mayor said the bridge was safe."})),
    )
    code, out, _ = run(capsys, "--jsonl", "-", "--no-embeddings")
    assert code == 0
    assert json.loads(out)["facts"][0]["speaker"] == "The mayor"


class _Handler(BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        if self.path == "/article":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.page)))
            self.end_headers()
            self.wfile.write(self.page)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def http_server(
    article: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    # URL sources go through the SSRF guard: loopback must be allowed explicitly.
    config = tmp_path / "loopback.yaml"
    config.write_text("ingest:\n  allow_hosts: ['127.0.0.1']\n")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(config))
    _Handler.page = html_page(article).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_url_source(http_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, f"{http_server}/article", "--format", "json", "--no-embeddings")
    assert code == 0, err
    data = json.loads(out)
    assert data["url"] == f"{http_server}/article"
    assert data["title"] == "Ceasefire talks open in Geneva"
    assert any(f["speaker"] == "Oren Baltic" for f in data["facts"] + data["attributions"])


def test_url_errors_are_one_line(http_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, f"{http_server}/missing")
    assert code == 1
    assert err.strip().splitlines() == [f"newsbot: {http_server}/missing: HTTP 404"]


def test_missing_file_and_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.txt"))
    assert code == 1 and "cannot read" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys)
    assert code == 1 and "SOURCE" in err


def test_explicit_missing_config_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], article: dict[str, Any]
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(article["text"])
    code, _, _ = run(capsys, str(path), "--config", str(tmp_path / "missing.yaml"))
    assert code == 2
