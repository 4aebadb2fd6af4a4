"""The embedder protocol the analyzer depends on."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of ``dim`` floats."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """A float32 array of shape (len(texts), dim)."""
        ...
