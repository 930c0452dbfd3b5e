"""Clustering throughput over generated articles, and cost per article vs open stories.

    .venv/bin/python bench/cluster_speed.py --articles 10000 [--cache /tmp/vectors.npy]

Articles are generated (fictional names and words, seeded), ~3 per event, events spread
over 30 days. Reports:
- embedding throughput (all-MiniLM-L6-v2 on this machine's CPU),
- clustering throughput with precomputed vectors (excluding embedding), and including it,
- mean cost per article bucketed by how many stories were open, for several caps
  (``max_open``) without a time window, and with the default 3-day window.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summariser.clustering import (
    Clusterer,
    ClusterItem,
    ClusterOptions,
    embedding_text,
    make_item,
)
from summariser.types import Article

SYLLABLES = "ka lo mi ra ven tor sul bar den fi go ha is ju ne pa qu ro sa te".split()  # noqa: SIM905
WORDS = """bridge council election storm factory strike court hospital budget tariff port flood
merger airline school festival virus drought protest satellite bank railway mine market reactor
treaty museum ferry pipeline stadium wildfire earthquake harvest vaccine pension refinery border
union teacher nurse farmer pilot miner judge senator mayor minister governor police army navy
river valley island coast mountain forest desert glacier canyon harbour tunnel highway airport
station library prison embassy cathedral palace castle temple garden park zoo circus theatre
cinema orchestra choir gallery auction lottery casino brewery vineyard orchard dairy bakery
bitcoin software chip robot rocket telescope battery turbine solar wind coal oil gas copper gold
silver lithium steel cement timber cotton wheat rice coffee cocoa sugar salmon tuna whale eagle
wolf bear tiger elephant panda coral reef plague fever cancer diabetes asthma surgery transplant
scandal bribe fraud leak hack ransom kidnap riot siege ceasefire coup referendum recall veto
pardon verdict appeal lawsuit patent boycott bankruptcy layoff bonus subsidy""".split()  # noqa: SIM905
VERBS = "closes opens approves rejects delays announces halts expands cuts raises".split()  # noqa: SIM905


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generate(n: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    events = []
    for _ in range(max(1, n // 3)):  # ~3 articles per event
        events.append(
            {
                "place": _name(rng),
                "person": f"{_name(rng)} {_name(rng)}",
                "noun": rng.choice(WORDS),
                "words": rng.sample(WORDS, 6),
                "verb": rng.choice(VERBS),
                "figure": rng.randint(2, 900),
                "when": start + timedelta(minutes=rng.randint(0, 30 * 24 * 60)),
            }
        )
    articles = []
    for i in range(n):
        e = rng.choice(events)
        when = e["when"] + timedelta(minutes=rng.randint(0, 36 * 60))
        title = f"{e['place']} {e['noun']}: {e['person']} {e['verb']} plan"
        w = e["words"]
        text = (
            f"{e['person']} said the {e['place']} {e['noun']} {e['verb']} after {e['figure']} "
            f"{w[0]} and {w[1]} reports. Officials in {e['place']} linked the {w[2]} to the "
            f"{w[3]}. The {w[4]} and the {w[5]} have been debated for {rng.randint(2, 9)} weeks."
        )
        articles.append(
            Article(id=f"g{i}", title=title, text=text, outlet=f"outlet{i % 7}", published=when)
        )
    articles.sort(key=lambda a: (a.published, a.id))
    return articles


def run(items: list[ClusterItem], options: ClusterOptions) -> tuple[float, dict[int, list[float]]]:
    clusterer = Clusterer(options)
    buckets: dict[int, list[float]] = {}
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        clusterer.assign(item)
        spent = time.perf_counter() - t0
        bucket = 1 << max(0, len(clusterer).bit_length() - 1)  # powers of two
        buckets.setdefault(bucket, []).append(spent)
    return time.perf_counter() - started, buckets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--cache", type=Path, help="reuse/store the embeddings here (.npy)")
    parser.add_argument(
        "--encoder",
        choices=["minilm", "hashing"],
        default="minilm",
        help="minilm: the real sentence embedder; hashing: fast model-free vectors",
    )
    args = parser.parse_args()
    articles = generate(args.articles)
    texts = [embedding_text(a) for a in articles]
    if args.cache and args.cache.exists():
        vectors = np.load(args.cache)
        embed_seconds = float("nan")
        print(f"embeddings: loaded from {args.cache} (embedding time not measured this run)")
    else:
        from summariser.clustering import HashingEncoder
        from summariser.embeddings import shared_embedder

        embedder = shared_embedder() if args.encoder == "minilm" else HashingEncoder()
        embedder.encode(["warm up"])
        t0 = time.perf_counter()
        vectors = embedder.encode(texts)
        embed_seconds = time.perf_counter() - t0
        print(
            f"embedding ({args.encoder}) {len(texts)} articles: {embed_seconds:.1f}s "
            f"({len(texts) / embed_seconds:.0f} articles/s)"
        )
        if args.cache:
            np.save(args.cache, vectors)
    t0 = time.perf_counter()
    items = [make_item(a, v) for a, v in zip(articles, vectors, strict=True)]
    feature_seconds = time.perf_counter() - t0
    print(f"features (entities, keywords): {feature_seconds:.2f}s")

    print("\nclustering, excluding embedding (features included):")
    for label, options in [
        ("window 3 days (default)", ClusterOptions()),
        ("no window, max_open 2000 (default cap)", ClusterOptions(window=None)),
    ]:
        seconds, _ = run(items, options)
        total = seconds + feature_seconds
        line = f"  {label:<40} {len(items) / total:8.0f} articles/s"
        if embed_seconds == embed_seconds:  # not NaN
            line += f";  including embedding {len(items) / (total + embed_seconds):6.0f} articles/s"
        print(line)

    print("\nmean cost per article (µs) by number of open stories when it was placed:")
    configs = [("window 3d", ClusterOptions())] + [
        (f"cap {cap}", ClusterOptions(window=None, max_open=cap)) for cap in (250, 1000, 4000)
    ]
    results = {label: run(items, options)[1] for label, options in configs}
    buckets = sorted({b for r in results.values() for b in r})
    print("  open stories  " + "".join(f"{label:>12}" for label, _ in configs))
    for b in buckets:
        row = "".join(
            f"{1e6 * float(np.mean(results[label][b])):12.0f}"
            if b in results[label]
            else f"{'':>12}"
            for label, _ in configs
        )
        print(f"  {b:>5}-{2 * b - 1:<6} {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
