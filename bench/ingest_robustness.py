"""Robustness: every file under a folder of feeds through the feed layer.

    .venv/bin/python bench/ingest_robustness.py /work/shared/data/feeds

Each file is parsed (``bot.ingest.parse.parse_feed``) and every entry turned into the
article the poller would store (canonical URL, content hash, GUID). A crash is any
exception other than ``FeedError``; the target is zero. Reports how many ill-formed
documents (in an ``illformed`` folder, or flagged by the parser) still yield entries.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Feed
from bot.errors import FeedError
from bot.ingest.parse import ParsedFeed, parse_feed
from bot.ingest.poll import _article

SKIP_SUFFIXES = {".md", ".txt", ".rst", ".py", ".cfg", ".toml", ".ini"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="a folder of feed documents (searched recursively)")
    parser.add_argument("--show", type=int, default=5, help="crashes to print in full")
    args = parser.parse_args()
    files = sorted(
        p
        for p in args.data.rglob("*")
        if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES and p.name != "LICENSE"
    )
    feed = Feed(name="bench", url="https://bench.example/feed")
    counts: Counter[str] = Counter()
    crashes: list[tuple[Path, str]] = []
    entries = 0
    start = time.perf_counter()
    for path in files:
        illformed = "illformed" in path.parts
        counts["illformed files"] += illformed
        try:
            parsed: ParsedFeed = parse_feed(path.read_bytes(), url=feed.url)
            for entry in parsed.entries:
                _article(feed, feed.url, parsed, entry)
        except FeedError:
            counts["FeedError (clear per-feed error)"] += 1
            counts["illformed files with a FeedError"] += illformed
            continue
        except Exception:
            crashes.append((path, traceback.format_exc()))
            continue
        entries += len(parsed.entries)
        counts["parsed"] += 1
        if parsed.entries:
            counts["parsed with entries"] += 1
        if parsed.error:
            counts["flagged ill-formed by the parser"] += 1
            counts["flagged ill-formed, still with entries"] += bool(parsed.entries)
        counts["illformed files still with entries"] += illformed and bool(parsed.entries)
    elapsed = time.perf_counter() - start
    print(f"{len(files)} files in {elapsed:.1f} s, {entries} entries\n")
    print("| outcome | files |")
    print("| --- | ---: |")
    print(f"| crashes | {len(crashes)} |")
    for key in sorted(counts):
        print(f"| {key} | {counts[key]} |")
    for path, trace in crashes[: args.show]:
        print(f"\n{path}\n{trace}")


if __name__ == "__main__":
    main()
