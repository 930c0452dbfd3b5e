"""``newsbot feeds``."""

from __future__ import annotations

import argparse

from bot.errors import NewsbotError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser("feeds", help="not available yet")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    raise NewsbotError("'feeds' is not available yet")
