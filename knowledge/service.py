"""Open the playbook retriever: validate the playbook, sync the Chroma index if stale, build BM25, fuse.

When the Chroma index is local and up to date, its vectors are read from the snapshot written beside it at
the last sync (:mod:`knowledge.vectors`), so the bot neither imports chromadb nor opens the collection.

``bot.runtime`` wraps :func:`open_retriever` in a :class:`knowledge.lazy.LazyRetriever` (loaded on a
background thread at start-up, or on first need in the CLI); ``python -m bot index`` calls
:func:`build_index`. A malformed entry raises :class:`knowledge.content.PlaybookError` naming the file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.bm25 import BM25Index, entry_tokens, in_index_order
from knowledge.config import KnowledgeConfig
from knowledge.content import PLAYBOOK_DIR, Playbook, load_playbook
from knowledge.embeddings import LocalEmbeddings, embeddings_for
from knowledge.heap import release_free_memory
from knowledge.hybrid import BM25Retriever, DenseRetriever, FusionWeights, HybridRetriever
from knowledge.index import INDEX_VERSION, SyncReport, model_id_of, open_store, sync_index
from knowledge.vectors import SNAPSHOT_NAME, VectorSnapshot, export_snapshot, load_snapshot, snapshot_key

if TYPE_CHECKING:
    from concurrent.futures import Future

    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

__all__ = ["Knowledge", "build_index", "open_knowledge", "open_retriever"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Knowledge:
    """The loaded playbook with its three retrievers (hybrid for skills; dense and BM25 for evaluation)."""

    playbook: Playbook
    store: Chroma | VectorSnapshot  # the snapshot when the local index was up to date at start
    embeddings: Embeddings
    hybrid: HybridRetriever
    dense: DenseRetriever
    bm25: BM25Retriever
    report: SyncReport


def build_index(
    config: KnowledgeConfig,
    *,
    root: Path | None = None,
    playbook: Playbook | None = None,
    embeddings: Embeddings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Playbook, Chroma, Embeddings, SyncReport]:
    """Validate the playbook (unless given, already loaded) and bring the Chroma index in line with it (only
    changed entries are embedded), then its vectors snapshot.

    ``progress(done, total)`` follows the embedding of new documents (see :func:`sync_index`).
    """
    if playbook is None:
        playbook = load_playbook(root or PLAYBOOK_DIR)
    embeddings = embeddings or embeddings_for(config)
    store = open_store(config, embeddings)
    model_id = model_id_of(embeddings)
    report = sync_index(store, playbook, model_id=model_id, progress=progress)
    path = _snapshot_path(config)
    if path is not None:
        key = snapshot_key(playbook, model_id, INDEX_VERSION)
        if report.changed or load_snapshot(path, key) is None:
            try:
                export_snapshot(store, path, key)
            except OSError as exc:  # the index itself is fine; the next start reads Chroma
                log.warning("playbook vectors snapshot not written to %s: %s", path, exc)
    entry_tokens(in_index_order(playbook), config.model_cache)  # so the next start reads BM25's tokens too
    return playbook, store, embeddings, report


def _snapshot_path(config: KnowledgeConfig) -> Path | None:
    """Where the local index's snapshot lives (inside the Chroma directory); None for a Chroma server."""
    return None if config.chroma_host else Path(config.chroma_path) / SNAPSHOT_NAME


def _current_snapshot(config: KnowledgeConfig, playbook: Playbook, embeddings: Embeddings) -> VectorSnapshot | None:
    """The snapshot of the playbook's up-to-date index, or None when the index must be opened and synced."""
    path = _snapshot_path(config)
    if path is None or not path.is_file():
        return None
    return load_snapshot(path, snapshot_key(playbook, model_id_of(embeddings), INDEX_VERSION))


def _vectors(
    config: KnowledgeConfig, playbook: Playbook, embeddings: Embeddings, progress: Callable[[int, int], None] | None
) -> tuple[Chroma | VectorSnapshot, SyncReport]:
    """The playbook's vectors: the snapshot when the index is up to date, else the index synced with the
    playbook."""
    current = _current_snapshot(config, playbook, embeddings)
    if current is not None:
        return current, SyncReport(unchanged=len(playbook))
    _same, store, _embeddings, report = build_index(config, playbook=playbook, embeddings=embeddings, progress=progress)
    return store, report


def open_knowledge(
    config: KnowledgeConfig,
    *,
    root: Path | None = None,
    embeddings: Embeddings | None = None,
    weights: FusionWeights | None = None,
    progress: Callable[[int, int], None] | None = None,
    warm: bool = True,
) -> Knowledge:
    """Build (or sync) everything and return the retrievers; with ``warm``, one search per language is run so
    the first answer is quick (a caller about to search anyway passes False)."""
    started = time.perf_counter()
    embeddings = embeddings or embeddings_for(config)
    model: Future[None] | None = None
    if isinstance(embeddings, LocalEmbeddings):
        # The model loads on its own thread (started here unless the caller started it: start_embeddings) while
        # the playbook, its vectors and BM25 are read here: onnxruntime builds the session (and the files are
        # hashed) mostly outside the GIL, so on two cores the two overlap.
        # (The lean graph's load scratch is ~50 MB; the packaged graph's ~115 MB, on a process still small.)
        model = embeddings.load_in_background()
    try:
        playbook = load_playbook(root or PLAYBOOK_DIR)
        weights = weights or FusionWeights()
        bm25 = BM25Retriever(BM25Index(playbook, cache=config.model_cache), playbook, weights)
        # The vectors last: finding the up-to-date snapshot needs the model's id, known once its files are checked
        store, report = _vectors(config, playbook, embeddings, progress)
        model_id = model_id_of(embeddings)
        if warm:  # Chinese segmentation (jieba's dictionary) warms while the model may still be loading
            bm25.search("预热", 1, lang="zh")
        if model is not None:
            model.result()  # raises what the load raised (a file that fails its sha256 check, say)
            if model_id_of(embeddings) != model_id:  # the lean graph would not run: the packaged one's vectors
                store, report = _vectors(config, playbook, embeddings, progress)
    except BaseException:
        if model is not None:
            futures.wait([model])  # never leave the model's load running behind a failure
        raise
    dense = DenseRetriever(store, embeddings, playbook, weights)
    hybrid = HybridRetriever(dense, bm25, weights)
    if warm:  # the first query through the model (onnxruntime's first run) and the fusion
        hybrid.search("warm up", 1, lang="en")
    release_free_memory()  # the model's load and the index sync free far more than they keep
    from_snapshot = isinstance(store, VectorSnapshot)
    log.info(
        "playbook ready: %d entries, %s, index %s, %.1fs",
        len(playbook),
        model_id_of(embeddings),
        report.summary() if report.changed else "up to date" + (" (vectors snapshot)" if from_snapshot else ""),
        time.perf_counter() - started,
    )
    return Knowledge(playbook, store, embeddings, hybrid, dense, bm25, report)


def open_retriever(
    config: KnowledgeConfig,
    progress: Callable[[int, int], None] | None = None,
    *,
    warm: bool = True,
    embeddings: Embeddings | None = None,
) -> HybridRetriever:
    """The hybrid retriever the skills use (``services.retriever``); ``progress`` as for :func:`build_index`,
    ``warm`` and ``embeddings`` as for :func:`open_knowledge`."""
    return open_knowledge(config, embeddings=embeddings, progress=progress, warm=warm).hybrid
