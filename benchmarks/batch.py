"""Batch speed: Spark in local mode (local[2]) against the plain one-process `tumar analyze --jsonl`, on the same
generated input — --fast on N messages, the full model on a smaller sample. Prints numbers; asserts nothing.

The messages are the project's own fictional corpus texts (training/corpus/*.jsonl) with new ids; past the
corpus size each text gets a varied ending, so that repeats are not served from the analyzer's cache.
Usage: python benchmarks/batch.py [--n 100000] [--n-full 1000] [--master local[2]]"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENDINGS = ["", " !!", " ...", " ?", " ))", " 🙂", " (2)", " ok", " пж", " тез"]


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "training" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return list(dict.fromkeys(t for t in texts if t.strip()))


def generate(path: Path, n: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            base = texts[i % len(texts)]
            text = (
                base + ENDINGS[(i // len(texts)) % len(ENDINGS)] + (f" #{i}" if i >= 10 * len(texts) else "")
            )
            f.write(json.dumps({"id": f"b{i:07d}", "text": text}, ensure_ascii=False) + "\n")


def plain(path: Path, fast: bool) -> float:
    """`tumar analyze --jsonl FILE` in one process, output thrown away; wall time including start-up."""
    command = [sys.executable, "-m", "tumar", "analyze", "--jsonl", str(path), *(["--fast"] if fast else [])]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100000, help="messages for the --fast runs")
    parser.add_argument("--n-full", type=int, default=1000, help="messages for the full-model runs")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    from tumar.batch import BatchOptions, SparkRunner

    texts = corpus_texts()
    with tempfile.TemporaryDirectory(prefix="tumar-bench-") as tmp:
        folder = Path(tmp)
        generate(folder / "fast.jsonl", args.n, texts)
        generate(folder / "full.jsonl", args.n_full, texts[::-1])
        size = (folder / "fast.jsonl").stat().st_size / 1e6
        print(
            f"== Tumar batch speed: {args.n} messages for --fast ({size:.1f} MB), {args.n_full} for the full model"
        )
        print(f"   from {len(texts)} distinct corpus texts, varied; Spark master {args.master}")

        started = time.perf_counter()
        with SparkRunner(args.master) as spark:
            print(f"Spark session start:                      {time.perf_counter() - started:6.1f} s")
            for name, n, fast in (("fast", args.n, True), ("full", args.n_full, False)):
                report = spark.run(
                    [str(folder / f"{name}.jsonl")], str(folder / f"out-{name}"), BatchOptions(fast=fast)
                )
                if report.summary.analysed != n:
                    print(f"  (only {report.summary.analysed} of {n} analysed: {report.errors[:3]})")
                label = f"Spark {args.master} {'--fast' if fast else 'full model'}:"
                print(f"{label:<42}{n / report.seconds:8.1f} msg/s  ({report.seconds:.1f} s)")
                seconds = plain(folder / f"{name}.jsonl", fast)
                label = f"tumar analyze --jsonl {'--fast' if fast else '(full model)'}:"
                print(
                    f"{label:<42}{n / seconds:8.1f} msg/s  ({seconds:.1f} s incl. start-up)"
                    f"  → Spark {seconds / report.seconds:.2f}×"
                )


if __name__ == "__main__":
    main()
