"""``newsbot cluster --jsonl IN``: which story each article joins, for offline scoring.

Reads article records (``id``, ``title``, ``text``, ``url``?, ``outlet``?, ``published``?)
in time order from IN (``-`` for stdin) and writes one ``{"id", "story"}`` line per
record, in input order; a story is named after the id of its first article. Nothing is
read from or written to the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from bot.errors import NewsbotError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "cluster",
        help="assign articles (JSON lines, in time order) to stories",
        description="Read article records and write which story each one joined.",
    )
    parser.add_argument(
        "--jsonl", required=True, metavar="IN", help="JSON-lines input, - for stdin"
    )
    parser.add_argument(
        "--window",
        type=float,
        default=None,
        metavar="DAYS",
        help="stories with no article for this many days take no more (default: no limit)",
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="join score needed (default: built in)"
    )
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="use hashed word vectors instead of the sentence-embedding model",
    )
    parser.set_defaults(handler=handle)
    return parser


def _published(value: Any, line: int) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise NewsbotError(f"line {line}: 'published' is not an ISO date: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def read_records(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NewsbotError(f"line {number}: not JSON: {exc.msg}") from None
        if not isinstance(record, dict) or "id" not in record:
            raise NewsbotError(f"line {number}: a record needs an 'id'")
        yield number, record


def handle(args: argparse.Namespace) -> int:
    import dataclasses

    from summariser.clustering import (
        Clusterer,
        ClusterOptions,
        HashingEncoder,
        embedding_text,
        make_item,
    )
    from summariser.types import Article

    if args.jsonl == "-":
        records = list(read_records(sys.stdin))
    else:
        try:
            with open(args.jsonl, encoding="utf-8") as stream:
                records = list(read_records(stream))
        except OSError as exc:
            raise NewsbotError(f"cannot read {args.jsonl}: {exc.strerror}") from None
    articles = [
        Article(
            id=str(r["id"]),
            title=r.get("title"),
            text=str(r.get("text") or ""),
            url=r.get("url"),
            outlet=r.get("outlet"),
            published=_published(r.get("published"), n),
        )
        for n, r in records
    ]
    if args.no_embeddings:
        vectors = HashingEncoder().encode([embedding_text(a) for a in articles])
    else:
        from summariser.embeddings import shared_embedder

        vectors = shared_embedder().encode([embedding_text(a) for a in articles])
    options = ClusterOptions(window=timedelta(days=args.window) if args.window else None)
    if args.threshold is not None:
        options = dataclasses.replace(options, threshold=args.threshold)
    clusterer = Clusterer(options)
    out = sys.stdout
    for article, vector in zip(articles, vectors, strict=True):
        assignment = clusterer.assign(make_item(article, vector))
        out.write(json.dumps({"id": article.id, "story": assignment.story}) + "\n")
    out.flush()
    return 0
