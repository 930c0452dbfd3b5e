"""What a digest reader sees of a multi-outlet story: the first facts after merging.

    .venv/bin/python bench/story_merge.py \\
        --clusters ../shared/data/clusters/news_cluster_dev.jsonl [--events 30] [--shown 5]

For each event with at least three articles (up to five, in file order), every
article is summarised (default options) and the summaries merged twice: with
words alone and with sentence embeddings. Of the first ``--shown`` facts it
counts the outlets that contribute, and the pairs of shown facts whose
embedding cosine is at least 0.8 or 0.7 (the closer, the more a reader sees the
same thing twice); and, over all facts, those carried by more than one outlet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summariser import Article, Summariser
from summariser.embeddings import shared_embedder
from summariser.stories import merge_summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--events", type=int, default=30)
    parser.add_argument("--shown", type=int, default=5)
    args = parser.parse_args()

    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in args.clusters.read_text().splitlines():
        if line:
            record = json.loads(line)
            events[record["event_id"]].append(record)
    chosen = [group[:5] for group in events.values() if len(group) >= 3][: args.events]

    summariser = Summariser()
    embedder = shared_embedder()
    counts = {
        name: {"outlets": 0, "close": 0, "near": 0, "shared": 0} for name in ("words", "embeddings")
    }
    for group in chosen:
        articles = [
            Article(
                id=str(r["dId"]),
                text=r["text"],
                title=r["title"],
                outlet=r["source_domain"],
                url=r["url"],
            )
            for r in group
        ]
        summaries = list(summariser.summarise_many(articles))
        for name, embed in (("words", None), ("embeddings", embedder.encode)):
            story = merge_summaries(summaries, embed=embed)
            shown = story.facts[: args.shown]
            vectors = embedder.encode([f.fact.text for f in shown])
            similarity = vectors @ vectors.T
            pairs = [(i, j) for i in range(len(shown)) for j in range(i)]
            c = counts[name]
            c["outlets"] += len({o for f in shown for o in f.outlets})
            c["close"] += sum(1 for i, j in pairs if similarity[i, j] >= 0.8)
            c["near"] += sum(1 for i, j in pairs if similarity[i, j] >= 0.7)
            c["shared"] += sum(1 for f in story.facts if len(f.outlets) > 1)

    print(f"{len(chosen)} events, first {args.shown} facts of each merged story")
    print(
        f"{'merge':12} {'outlets shown':>14} {'pairs >= 0.8':>13} {'pairs >= 0.7':>13}"
        f" {'multi-outlet facts':>19}"
    )
    for name, c in counts.items():
        print(f"{name:12} {c['outlets']:14} {c['close']:13} {c['near']:13} {c['shared']:19}")


if __name__ == "__main__":
    main()
