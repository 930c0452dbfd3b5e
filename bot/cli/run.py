"""``newsbot run``."""

from __future__ import annotations

import argparse

from bot.errors import NewsbotError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser("run", help="not available yet")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    raise NewsbotError("'run' is not available yet")
