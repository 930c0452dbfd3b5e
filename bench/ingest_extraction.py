"""Article extraction quality and speed on the article-extraction-benchmark pages.

    .venv/bin/python bench/ingest_extraction.py /work/shared/data/extraction

Scores newsbot's extractor (trafilatura + paywall/cookie-line removal) and trafilatura
alone, side by side, with the benchmark's scorer: tokens ``\\w+``, 4-gram shingles as
multisets, per-page precision and recall, macro-averaged; F1 from the mean P and R.
A page where an extractor finds nothing scores P = R = 0. Pages/s is sequential, one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from bot.errors import ExtractionError
from bot.ingest.extract import extract_sync

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1)))


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    pred, true = shingles(predicted), shingles(truth)
    if not pred and not true:
        return 1.0, 1.0
    if not pred or not true:
        return 0.0, 0.0
    common = sum((pred & true).values())
    return common / sum(pred.values()), common / sum(true.values())


def newsbot(html: bytes, url: str) -> str:
    try:
        return extract_sync(html, url).text
    except ExtractionError:
        return ""


def plain(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the extraction folder (ground-truth.json, html/)")
    args = parser.parse_args()
    truth = json.loads((args.data / "ground-truth.json").read_text())
    pages = {
        key: gzip.decompress((args.data / "html" / f"{key}.html.gz").read_bytes())
        for key in sorted(truth)
    }
    print(f"{len(pages)} pages\n")
    print("| extractor | F1 | precision | recall | pages/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, fn in (("newsbot (bot.ingest.extract)", newsbot), ("trafilatura alone", plain)):
        ps, rs = [], []
        start = time.perf_counter()
        outputs = {key: fn(html, truth[key].get("url") or "") for key, html in pages.items()}
        elapsed = time.perf_counter() - start
        for key, text in outputs.items():
            p, r = precision_recall(text, truth[key]["articleBody"])
            ps.append(p)
            rs.append(r)
        mp, mr = sum(ps) / len(ps), sum(rs) / len(rs)
        f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
        print(f"| {name} | {f1:.3f} | {mp:.3f} | {mr:.3f} | {len(pages) / elapsed:.1f} |")


if __name__ == "__main__":
    main()
