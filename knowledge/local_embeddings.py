"""The base the embedding backends share: a local sentence encoder with a query cache, and its error.

:mod:`knowledge.embeddings` picks a backend (:mod:`knowledge.onnx_minilm` or :mod:`knowledge.torch_minilm`);
both subclass :class:`LocalEmbeddings` from here, so the import graph has no cycle.

:class:`LocalEmbeddings` implements LangChain's ``Embeddings`` interface (``embed_documents``,
``embed_query`` and their async twins) and is registered as a virtual subclass of
``langchain_core.embeddings.Embeddings`` by :func:`langchain_embeddings`, which everything handing it to
LangChain (Chroma through ``langchain_chroma``) calls first. It does not inherit from it at import time:
``langchain_core.embeddings`` imports LangChain's runnables and callbacks (about 0.3 s of start-up), and a
start with the index up to date never touches LangChain at all (see :mod:`knowledge.vectors`).
"""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from typing import TYPE_CHECKING

from knowledge.threads import in_thread

if TYPE_CHECKING:
    from concurrent.futures import Future

    from langchain_core.embeddings import Embeddings

__all__ = ["DIMENSION", "MODEL_NAME", "EmbeddingModelError", "LocalEmbeddings", "langchain_embeddings"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
_QUERY_CACHE = 512


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be loaded (missing package, wrong checksum); the message says what to do."""


class LocalEmbeddings(ABC):
    """A local sentence encoder with a small query cache; subclasses implement :meth:`_encode`.

    LangChain's ``Embeddings`` interface, registered as its virtual subclass by :func:`langchain_embeddings`."""

    model_id: str = ""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: Future[None] | None = None
        self._loading_lock = threading.Lock()

    @abstractmethod
    def load(self) -> None:
        """Load the model now (otherwise it loads on the first call)."""

    def load_in_background(self) -> Future[None]:
        """:meth:`load` on a thread of its own, started by the first call; every call returns the same future
        (which holds the load's error if it failed). The model spends most of its load in native code (hashing
        its file, onnxruntime building the session), so it loads beside the Python work of the caller."""
        with self._loading_lock:
            if self._loading is None:
                self._loading = in_thread(self.load, name="model-load")
            return self._loading

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

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents on a worker thread (as LangChain's default does)."""
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        """Embed one query on a worker thread (as LangChain's default does)."""
        return await asyncio.to_thread(self.embed_query, text)


def langchain_embeddings() -> type[Embeddings]:
    """LangChain's ``Embeddings`` base, with :class:`LocalEmbeddings` registered as its virtual subclass (so
    ``isinstance(backend, Embeddings)`` holds wherever LangChain is in play). Imports ``langchain_core``."""
    from langchain_core.embeddings import Embeddings

    if not issubclass(LocalEmbeddings, Embeddings):
        Embeddings.register(LocalEmbeddings)
    return Embeddings
