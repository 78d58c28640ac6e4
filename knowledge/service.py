"""Open the playbook retriever: validate the playbook, sync the Chroma index if stale, build BM25, fuse.

``bot.runtime`` calls :func:`open_retriever` at start-up (in a thread); ``python -m bot index`` calls
:func:`build_index`. A malformed entry raises :class:`knowledge.content.PlaybookError` naming the file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from knowledge.bm25 import BM25Index
from knowledge.content import PLAYBOOK_DIR, Playbook, load_playbook
from knowledge.embeddings import MiniLMEmbeddings
from knowledge.hybrid import BM25Retriever, DenseRetriever, FusionWeights, HybridRetriever
from knowledge.index import SyncReport, open_store, sync_index

if TYPE_CHECKING:
    from langchain_chroma import Chroma

    from bot.config import Settings

__all__ = ["Knowledge", "build_index", "open_knowledge", "open_retriever"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Knowledge:
    """The loaded playbook with its three retrievers (hybrid for skills; dense and BM25 for evaluation)."""

    playbook: Playbook
    store: Chroma
    embeddings: Embeddings
    hybrid: HybridRetriever
    dense: DenseRetriever
    bm25: BM25Retriever
    report: SyncReport


def build_index(
    settings: Settings, *, root: Path | None = None, embeddings: Embeddings | None = None
) -> tuple[Playbook, Chroma, Embeddings, SyncReport]:
    """Validate the playbook and bring the Chroma index in line with it (only changed entries are embedded)."""
    playbook = load_playbook(root or PLAYBOOK_DIR)
    embeddings = embeddings or MiniLMEmbeddings()
    store = open_store(settings, embeddings)
    report = sync_index(store, playbook)
    return playbook, store, embeddings, report


def open_knowledge(
    settings: Settings,
    *,
    root: Path | None = None,
    embeddings: Embeddings | None = None,
    weights: FusionWeights | None = None,
) -> Knowledge:
    """Build (or sync) everything and return the retrievers; the model is warmed so the first answer is quick."""
    started = time.perf_counter()
    playbook, store, embeddings, report = build_index(settings, root=root, embeddings=embeddings)
    weights = weights or FusionWeights()
    dense = DenseRetriever(store, embeddings, playbook, weights)
    bm25 = BM25Retriever(BM25Index(playbook), playbook, weights)
    hybrid = HybridRetriever(dense, bm25, weights)
    hybrid.search("warm up", 1, lang="en")
    hybrid.search("预热", 1, lang="zh")
    log.info(
        "playbook ready: %d entries, index %s, %.1fs",
        len(playbook),
        report.summary() if report.changed else "up to date",
        time.perf_counter() - started,
    )
    return Knowledge(playbook, store, embeddings, hybrid, dense, bm25, report)


def open_retriever(settings: Settings) -> HybridRetriever:
    """The hybrid retriever the skills use (``services.retriever``)."""
    return open_knowledge(settings).hybrid
