"""Character n-grams of a text's Cyrillic view and a linear model over them (TF-IDF logistic regression).

It complements the embedding MLP: a sentence embedding smooths spelling away, while n-grams keep it — an
obfuscated swear word, Kyrgyz typed without its special letters, a Latin-letter message (which
:attr:`tumar.analysis.doc.Doc.cyr` has already mapped to Cyrillic, so "seni oltyrom" and "сени өлтүрөм" share
n-grams). The model is fitted by ``training/ngram_fit.py``; here it only predicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

NGRAM_SIZES: tuple[int, ...] = (2, 3, 4, 5)
MAX_WORD = 40  # longer "words" (links, base64, keyboard mashing) contribute their first 40 characters
WORD_CACHE = 200_000  # words whose n-gram columns are remembered (about 60 MB at most)


def char_ngrams(text: str) -> Counter[str]:
    """Counts of the 2- to 5-character n-grams inside each space-padded word of ``text``."""
    counts: Counter[str] = Counter()
    for word in text.split():
        padded = f" {word[:MAX_WORD]} "
        length = len(padded)
        for n in NGRAM_SIZES:
            if n > length:
                break
            counts.update(padded[i : i + n] for i in range(length - n + 1))
    return counts


def smooth_idf(document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """Inverse document frequency, smoothed as if one extra document held every n-gram."""
    return (np.log((1.0 + documents) / (1.0 + document_frequency)) + 1.0).astype(np.float32)


@dataclass(frozen=True)
class NgramModel:
    """Vocabulary, IDF weights and one logistic-regression weight column per output."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray  # (V,)
    weights: np.ndarray  # (V, K)
    bias: np.ndarray  # (K,)

    @cached_property
    def index(self) -> dict[str, int]:
        return {gram: i for i, gram in enumerate(self.vocabulary)}

    @cached_property
    def _word_columns(self) -> dict[str, list[int]]:
        """Known n-gram columns of each word seen so far (words repeat a lot; bounded, see :meth:`columns`)."""
        return {}

    def columns(self, word: str) -> list[int]:
        """The vocabulary columns of the n-grams of one word (repeated as often as the n-gram occurs)."""
        cache = self._word_columns
        found = cache.get(word)
        if found is None:
            get = self.index.get
            found = [c for c in (get(g) for g in char_ngrams(word).elements()) if c is not None]
            if len(cache) >= WORD_CACHE:
                cache.clear()
            cache[word] = found
        return found

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's known n-grams as (columns, L2-normalised sublinear TF-IDF values)."""
        every: list[int] = []
        for word in text.split():
            every += self.columns(word)
        cols, counts = np.unique(np.array(every, dtype=np.int64), return_counts=True)
        vals = (1.0 + np.log(counts.astype(np.float32))) * self.idf[cols]
        norm = float(np.sqrt(vals @ vals))
        return cols, (vals / norm if norm else vals)

    def decision(self, texts: Iterable[str]) -> np.ndarray:
        rows = []
        for text in texts:
            cols, vals = self.vector(text)
            rows.append(vals @ self.weights[cols] + self.bias)
        return np.array(rows, dtype=np.float32).reshape(-1, len(self.bias))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (len(texts), K)."""
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    def arrays(self, prefix: str = "ngram_") -> dict[str, np.ndarray]:
        """The model as named arrays (for ``np.savez``); the vocabulary is one newline-joined string."""
        return {
            f"{prefix}vocabulary": np.array("\n".join(self.vocabulary)),
            f"{prefix}idf": self.idf.astype(np.float32),
            f"{prefix}weights": self.weights.astype(np.float16),
            f"{prefix}bias": self.bias.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, data: Mapping[str, Any], prefix: str = "ngram_") -> NgramModel:
        """The model from :meth:`arrays` (an ``NpzFile`` or a dict)."""
        vocabulary = str(data[f"{prefix}vocabulary"])
        return cls(
            vocabulary=tuple(vocabulary.split("\n")) if vocabulary else (),
            idf=data[f"{prefix}idf"].astype(np.float32),
            weights=data[f"{prefix}weights"].astype(np.float32),
            bias=data[f"{prefix}bias"].astype(np.float32),
        )
