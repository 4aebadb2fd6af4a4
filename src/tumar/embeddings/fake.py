"""A deterministic fake embedder: hashed character trigrams. Fast, offline, good enough for unit tests."""

from __future__ import annotations

import hashlib

import numpy as np


class FakeEmbedder:
    name = "fake-trigram"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                h = int.from_bytes(
                    hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little"
                )
                out[row, h % self.dim] += 1.0 if h & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out
