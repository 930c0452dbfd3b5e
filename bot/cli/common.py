"""What every subcommand shares: ``--config``, logging options and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Config, load_config

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CONFIG = 2

DEFAULT_CONFIG = Path("config/newsbot.yaml")


def default_config_path() -> Path:
    return Path(os.environ.get("NEWSBOT_CONFIG") or DEFAULT_CONFIG)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="PATH",
        help="configuration file (default: $NEWSBOT_CONFIG, else config/newsbot.yaml)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="logging threshold (default: info)",
    )
    parser.add_argument(
        "--log-format",
        default="auto",
        choices=["auto", "text", "json"],
        help="log lines as text or JSON (default: text on a terminal, else text)",
    )


def config_path(args: argparse.Namespace) -> Path:
    return args.config if args.config is not None else default_config_path()


def load(args: argparse.Namespace) -> Config:
    return load_config(config_path(args))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def setup_logging(level: str, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "apscheduler", "asyncio", "aiosqlite", "discord"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
