"""The package, the CLI surface and the container recipe agree with each other."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["run", "summarise", "poll", "digest", "search", "cluster", "check-config"]


def test_every_documented_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    for command in COMMANDS:
        with pytest.raises(SystemExit) as exited:
            parser.parse_args([command, "--help"])
        assert exited.value.code == 0
        out = capsys.readouterr().out
        assert "--config PATH" in out, command


def test_console_script_and_module_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"newsbot": "bot.cli:main"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(ROOT / "config/newsbot.yaml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "ok (" in done.stdout


def test_torch_is_pinned_to_the_cpu_build_version() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "torch==2.13.0" in deps


def test_dockerfile_copies_what_exists_and_runs_the_bot() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    assert json.loads(cmd.group(1)) == ["newsbot", "run"]
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "torch==2.13.0" in dockerfile and "/whl/cpu" in dockerfile
    assert 'VOLUME ["/app/config", "/app/data"]' in dockerfile
    env = re.search(r"NEWSBOT_CONFIG=(\S+)", dockerfile)
    assert env is not None and env.group(1) == "/app/config/newsbot.yaml"
