"""``newsbot import-opml FILE``: a feed reader's OPML export as a YAML ``feeds:`` list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from lxml import etree

from bot.cli.common import EXIT_OK
from bot.errors import NewsbotError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "import-opml",
        help="print an OPML export as a YAML feeds: list",
        description="Read a feed reader's OPML export and print the YAML `feeds:` list to "
        "paste into the configuration. Folders become tags.",
    )
    parser.add_argument("file", type=Path, help="the OPML file ('-' for stdin)")
    parser.set_defaults(handler=handle)
    return parser


def _tag(text: str) -> str:
    return "-".join(text.lower().split())


def feeds_from_opml(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The feeds (name, url, tags) and one warning per outline that was skipped."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise NewsbotError(f"not an OPML file: {exc}") from None
    if root is None or root.find(".//body") is None:
        raise NewsbotError("not an OPML file: no <body>")
    feeds: list[dict[str, Any]] = []
    warnings: list[str] = []
    urls: set[str] = set()
    names: set[str] = set()

    def walk(element: Any, folders: list[str]) -> None:
        for outline in element.iterfind("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            label = " ".join((outline.get("title") or outline.get("text") or "").split())
            if not url:
                walk(outline, [*folders, label] if label else folders)
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                warnings.append(f"skipped {label or url!r}: not an http(s) URL: {url}")
                continue
            if url in urls:
                continue
            urls.add(url)
            name = label or parts.hostname
            base, n = name, 2
            while name in names:
                name, n = f"{base} ({n})", n + 1
            names.add(name)
            entry: dict[str, Any] = {"name": name, "url": url}
            tags = [_tag(f) for f in folders if f.strip()]
            if tags:
                entry["tags"] = tags
            feeds.append(entry)
            walk(outline, folders)

    walk(root.find(".//body"), [])
    return feeds, warnings


def handle(args: argparse.Namespace) -> int:
    try:
        data = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
    except OSError as exc:
        raise NewsbotError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    feeds, warnings = feeds_from_opml(data)
    for warning in warnings:
        print(warning, file=sys.stderr)
    sys.stdout.write(
        yaml.safe_dump({"feeds": feeds}, sort_keys=False, allow_unicode=True, width=1000)
    )
    print(f"{len(feeds)} feed(s)", file=sys.stderr)
    return EXIT_OK
