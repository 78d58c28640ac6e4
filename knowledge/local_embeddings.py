"""The base the embedding backends share: a local sentence encoder with a query cache, and its error.

:mod:`knowledge.embeddings` picks a backend (:mod:`knowledge.onnx_minilm` or :mod:`knowledge.torch_minilm`);
both subclass :class:`LocalEmbeddings` from here, so the import graph has no cycle.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

__all__ = ["DIMENSION", "MODEL_NAME", "EmbeddingModelError", "LocalEmbeddings"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
_QUERY_CACHE = 512


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be loaded (missing package, wrong checksum); the message says what to do."""


class LocalEmbeddings(Embeddings, ABC):
    """A local sentence encoder with a small query cache; subclasses implement :meth:`_encode`."""

    model_id: str = ""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @abstractmethod
    def load(self) -> None:
        """Load the model now (otherwise it loads on the first call)."""

    @abstractmethod
    def _encode(self, texts: list[str]) -> list[list[float]]:
        """L2-normalised vectors, one per text."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents for the index."""
        if not texts:
            return []
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (small LRU cache: officers repeat questions)."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self._encode([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > _QUERY_CACHE:
                self._cache.popitem(last=False)
        return vector
