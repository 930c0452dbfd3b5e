"""Summariser quality: ROUGE and SCU coverage against Lead-3, attribution P/R on our fixtures.

    .venv/bin/python bench/summarise_quality.py \\
        --realsumm ../shared/data/summarisation/realsumm_100.jsonl \\
        --fixtures tests/summariser/fixtures/articles.json [--facts 3] [--no-embeddings] \\
        [--news ../shared/data/clusters/news_cluster_dev.jsonl]

ROUGE-1/2/L F1 (rouge-score, Porter stemming; L is the summary-level rougeLsum
over newline-separated sentences, as the published Lead-3 figure uses) of the
first ``--facts`` facts against each reference, macro-averaged, side by side with Lead-3 (the first
three sentences by the same splitter) in the same run. The realsumm sources
are lowercased and tokenised ("`` quote , '' said x ."): both systems see
exactly that text.

SCU coverage: an SCU (gold atomic fact) counts as covered when at least half
of its content tokens (rouge-score tokenizer, stemmed, stop words removed;
set recall) occur in the summary; the share is covered SCUs / all SCUs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from rouge_score import rouge_scorer, tokenize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summariser import Article, Summariser, SummariserOptions
from summariser.evaluation import lead3, load_fixtures, rouge, score, sentence_lines, total

STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "who",
        "which",
        "will",
        "would",
        "not",
    ]
)


def tokenize_stemmer() -> object:
    """The Porter stemmer rouge-score uses, so SCU tokens match ROUGE's."""
    return rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer._stemmer


def content_tokens(text: str, stemmer: object) -> set[str]:
    tokens = tokenize.tokenize(text, stemmer)
    return {t for t in tokens if t not in STOP}


def scu_coverage(summary: str, scus: list[str], stemmer: object) -> tuple[int, int]:
    have = content_tokens(summary, stemmer)
    covered = 0
    for scu in scus:
        want = content_tokens(scu, stemmer)
        if want and len(want & have) / len(want) >= 0.5:
            covered += 1
    return covered, len(scus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realsumm", type=Path, required=True)
    parser.add_argument("--fixtures", type=Path, required=True)
    parser.add_argument("--facts", type=int, default=3)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument(
        "--news",
        type=Path,
        help="JSON lines of real articles ({text, title}): the kinds of fact chosen at the "
        "default fact count, as a digest shows them",
    )
    args = parser.parse_args()

    records = [json.loads(line) for line in args.realsumm.read_text().splitlines() if line]
    summariser = Summariser(SummariserOptions(embeddings=not args.no_embeddings))
    stemmer = tokenize_stemmer()

    started = time.perf_counter()
    articles = [Article(id=r["doc_id"], text=r["source_lowercased_tokenized"]) for r in records]
    summaries = list(summariser.summarise_many(articles, facts=args.facts))
    elapsed = time.perf_counter() - started

    references = [sentence_lines(r["reference"]) for r in records]
    outputs = {
        "lead3": [lead3(r["source_lowercased_tokenized"]) for r in records],
        "newsbot": ["\n".join(f.text for f in s.facts) for s in summaries],
    }
    total_facts = sum(len(s.facts) for s in summaries)
    attributed_facts = sum(1 for s in summaries for f in s.facts if f.speaker)

    print(
        f"realsumm: {len(records)} articles, {args.facts} facts, "
        f"embeddings {'off' if args.no_embeddings else 'on'}, {elapsed:.1f}s summarising"
    )
    print(f"{'system':10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'SCU cov':>8}")
    for system, texts in outputs.items():
        r1, r2, rl = rouge(zip(references, texts, strict=True))
        covered = wanted = 0
        for record, text in zip(records, texts, strict=True):
            c, n = scu_coverage(text, record["reference_scus"], stemmer)
            covered, wanted = covered + c, wanted + n
        cov = 100 * covered / max(1, wanted)
        print(f"{system:10} {r1:6.2f} {r2:6.2f} {rl:6.2f} {cov:7.1f}%")
    print(f"facts carrying a speaker: {attributed_facts}/{total_facts}")

    if args.news:
        news = [json.loads(line) for line in args.news.read_text().splitlines() if line]
        kinds: Counter[str] = Counter()
        for summary in summariser.summarise_many(
            Article(id=str(i), text=r["text"], title=r.get("title")) for i, r in enumerate(news)
        ):
            kinds.update(f.kind.value for f in summary.facts)
        shown = sum(kinds.values())
        print(
            f"news: {len(news)} articles, {shown} facts at the default count: "
            + ", ".join(f"{k} {n} ({100 * n / max(1, shown):.0f}%)" for k, n in kinds.most_common())
        )

    fixtures = load_fixtures(args.fixtures)
    fixture_summaries = summariser.summarise_many(
        Article(id=a["id"], text=a["text"], title=a["title"]) for a in fixtures
    )
    overall = total(
        score(s.attributions, a["attributions"])[0]
        for a, s in zip(fixtures, fixture_summaries, strict=True)
    )
    labelled = sum(len(a["attributions"]) for a in fixtures)
    print(
        f"attribution on {len(fixtures)} fixtures ({labelled} labels): "
        f"P {overall.precision:.3f}  R {overall.recall:.3f}  F1 {overall.f1:.3f}  "
        f"roles {overall.roles_right}/{overall.roles_labelled}"
    )


if __name__ == "__main__":
    main()
