"""Fit the character n-gram model (:class:`tumar.recognizers.ngrams.NgramModel`) with SciPy.

TF-IDF over :func:`tumar.recognizers.ngrams.char_ngrams` (n-grams seen in at least ``min_df`` training texts),
then one L2-regularised logistic regression per output with class-balanced weights, all fitted together by
L-BFGS. SciPy is a training dependency only: the analyzer predicts with NumPy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import optimize, sparse

from tumar.recognizers.ngrams import NgramModel, char_ngrams, smooth_idf


def tfidf_matrix(model: NgramModel, views: Sequence[str]) -> sparse.csr_matrix:
    """The rows :meth:`NgramModel.vector` gives the analyzer, stacked (training sees exactly what prediction
    will)."""
    indptr, indices, data = [0], [], []
    for view in views:
        cols, vals = model.vector(view)
        indices.extend(cols.tolist())
        data.extend(vals.tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (data, indices, indptr), shape=(len(views), len(model.vocabulary)), dtype=np.float32
    )


def fit_logistic(
    x: sparse.csr_matrix, y: np.ndarray, sample_weight: np.ndarray, c: float, max_iter: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × outputs) and biases minimising C·Σ weighted log-loss + ½‖W‖² per output.

    ``sample_weight`` is (n,) or (n, outputs); zeros mask labels a row's source does not give."""
    d = x.shape[1]
    k = y.shape[1]
    sw = np.broadcast_to(sample_weight.reshape(len(y), -1), y.shape).astype(np.float64)
    pos = np.clip((sw * y).sum(0), 1e-6, None)
    neg = np.clip((sw * (1 - y)).sum(0), 1e-6, None)
    total = sw.sum(0)
    coef = sw * (y * (total / (2 * pos)) + (1 - y) * (total / (2 * neg)))  # class-balanced, as in sklearn
    xt = x.T.tocsr()

    def loss_and_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = x @ w + b
        loss = c * float((coef * (np.logaddexp(0.0, z) - y * z)).sum()) + 0.5 * float((w * w).sum())
        g = c * coef * (1.0 / (1.0 + np.exp(-z)) - y)
        grad_w = xt @ g + w
        return loss, np.concatenate([grad_w.ravel(), g.sum(0)])

    result = optimize.minimize(
        loss_and_grad,
        np.zeros(d * k + k),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter},
    )
    theta = result.x
    return theta[: d * k].reshape(d, k).astype(np.float32), theta[d * k :].astype(np.float32)


def fit_ngram_model(
    views: Sequence[str],
    y: np.ndarray,
    sample_weight: np.ndarray,
    *,
    min_df: int = 2,
    c: float = 20.0,
    max_iter: int = 400,
) -> NgramModel:
    """The n-gram model for texts' Cyrillic views (``Doc.cyr``) and their 0/1 label rows."""
    grams = [char_ngrams(v) for v in views]
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    vocabulary = tuple(sorted(g for g, n in df.items() if n >= min_df))
    idf = smooth_idf(np.array([df[g] for g in vocabulary], dtype=np.float64), len(views))
    unfitted = NgramModel(vocabulary=vocabulary, idf=idf, weights=np.zeros((0, 0)), bias=np.zeros(0))
    weights, bias = fit_logistic(tfidf_matrix(unfitted, views), y, sample_weight, c, max_iter)
    return NgramModel(vocabulary=vocabulary, idf=idf, weights=weights, bias=bias)
