"""Fit the language identifier's naive Bayes model on the corpus's train split (``python training/langid_fit.py``;
``training/train.py`` runs it first, since the language picks the lexicons the classifier's features come from).

Each message counts its hashed character n-grams (``tumar.analysis.langid.ngram_hashes``) towards the language
its writer gave; the counts, smoothed by ``ALPHA``, become log-probabilities per language. Writes
``src/tumar/analysis/data/langid.npz`` (about 0.5 MB).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from trainset import ROOT, load_corpus

from tumar.analysis.langid import BUCKET_BITS, MODEL_PATH, NB_LANGUAGES, NaiveBayes, ngram_hashes

OUTPUT = ROOT / "src" / "tumar" / "analysis" / MODEL_PATH
ALPHA = 0.01  # chosen on the dev split: 0.01 / 0.02 / 0.05 / 0.1 gave 0.973 / 0.972 / 0.971 / 0.967


def fit(records: list[dict], alpha: float = ALPHA) -> NaiveBayes:
    counts = np.zeros((1 << BUCKET_BITS, len(NB_LANGUAGES)))
    for rec in records:
        buckets = ngram_hashes(rec["text"])
        np.add.at(counts[:, NB_LANGUAGES.index(rec["lang"])], buckets.astype(np.intp), 1)
    smoothed = counts + alpha
    return NaiveBayes(np.log(smoothed / smoothed.sum(0)).astype(np.float16))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    corpus = load_corpus()
    model = fit([r for r in corpus if r["split"] == "train"])
    dev = [r for r in corpus if r["split"] == "dev"]
    right = sum(model.classify(r["text"]) == r["lang"] for r in dev)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output)
    print(f"language identifier: dev accuracy {right / len(dev):.3f}; wrote {args.output}")


if __name__ == "__main__":
    main()
