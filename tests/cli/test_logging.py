from __future__ import annotations

import json
import logging

import pytest

from bot.cli.common import setup_logging


def test_json_log_lines(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("info", "json")
    logging.getLogger("bot.test").info("polled %d feeds", 3)
    logging.getLogger("bot.test").debug("hidden")
    line = capsys.readouterr().err.strip()
    record = json.loads(line)
    assert record["message"] == "polled 3 feeds"
    assert (record["level"], record["logger"]) == ("info", "bot.test")
    setup_logging("warning", "text")
    logging.getLogger("bot.test").warning("feed failed")
    assert "WARNING bot.test: feed failed" in capsys.readouterr().err
