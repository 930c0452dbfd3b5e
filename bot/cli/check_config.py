"""``newsbot check-config [PATH]``: validate a configuration file, exit 0 or 2."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import EXIT_OK, default_config_path
from bot.config import load_config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "check-config",
        help="validate a configuration file",
        description="Validate a configuration file. Prints one line per problem "
        "(FILE:LINE: key: what is wrong) and exits 2 when there are any.",
    )
    parser.add_argument("path", nargs="?", type=Path, help="file to check (default: --config)")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    path = args.path or args.config or default_config_path()
    config = load_config(path)
    print(
        f"{path}: ok ({len(config.feeds)} feeds, {len(config.routes)} routes, "
        f"database {config.database.split(':', 1)[0]})"
    )
    return EXIT_OK
