"""Hybrid retrieval: dense (MiniLM in Chroma) and BM25 rankings fused by weighted reciprocal rank fusion.

Each retriever here implements :class:`knowledge.retrieval.Retriever`. The fused score of an entry is
``Σ w_s / (k + rank_s)`` over the signals that ranked it, divided by its best possible value, so the top
score is 1.0 when both signals agree. Weights are per language: MiniLM does not read Chinese, so for
Chinese questions the dense ranking counts little and BM25 over jieba tokens decides.

Rank fusion always puts *something* first, so relevance is judged separately: every passage carries
``metadata["relevance"]`` (0…1) built from the dense cosine (English) and the share of the question's
tokens the entry contains (``coverage``); the playbook skill compares that with a calibrated threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from knowledge.bm25 import BM25Index, script_lang
from knowledge.content import Playbook
from knowledge.index import dense_search, main_text
from knowledge.retrieval import Passage

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from knowledge.vectors import VectorSnapshot

__all__ = ["BM25Retriever", "DenseRetriever", "FusionWeights", "HybridRetriever", "relevance"]


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """RRF weights per language and the RRF constant (tuned on the dev split), and the relevance scales."""

    dense: dict[str, float] = field(default_factory=lambda: {"en": 0.6, "zh": 0.05})
    bm25: dict[str, float] = field(default_factory=lambda: {"en": 1.0, "zh": 1.0})
    rrf_k: float = 5.0
    # English relevance: the dense cosine rescaled so that cos_floor → 0 and cos_floor + cos_span → 1.
    cos_floor: float = 0.15
    cos_span: float = 0.4
    # Chinese relevance: mean of coverage / coverage_full and BM25 score / bm25_full (each capped at 1).
    coverage_full: float = 0.45
    bm25_full: float = 20.0


def relevance(
    lang: str, cosine: float | None, coverage: float | None, bm25: float | None, weights: FusionWeights
) -> float:
    """How relevant an entry is to the question (0…1; the skill's threshold is 0.5 by default).

    English questions are judged by MiniLM's cosine; Chinese ones (which MiniLM cannot read) by how much
    of the question the entry covers, IDF-weighted, and by the BM25 score.

    >>> w = FusionWeights()
    >>> relevance("en", 0.55, None, None, w), relevance("en", 0.2, 0.9, 30.0, w)
    (1.0, 0.125)
    >>> relevance("zh", 0.99, 0.45, 10.0, w)
    0.75
    """
    if lang == "zh" or cosine is None:
        cov = min(1.0, (coverage or 0.0) / weights.coverage_full)
        score = min(1.0, (bm25 or 0.0) / weights.bm25_full)
        return round(0.5 * cov + 0.5 * score, 4)
    return round(min(1.0, max(0.0, (cosine - weights.cos_floor) / weights.cos_span)), 4)


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _lang_of(query: str, lang: str | None) -> str:
    return lang or script_lang(query)


def _passage(playbook: Playbook, entry_id: str, lang: str, score: float, meta: dict[str, object]) -> Passage | None:
    entry = playbook.entries.get((entry_id, lang))
    if entry is None:
        return None
    return Passage(
        entry.id, entry.lang, entry.kind, entry.title, main_text(entry), score, {"digest": entry.digest, **meta}
    )


class DenseRetriever:
    """MiniLM cosine similarity only (for evaluation side by side)."""

    def __init__(
        self,
        store: Chroma | VectorSnapshot,
        embeddings: Embeddings,
        playbook: Playbook,
        weights: FusionWeights | None = None,
    ) -> None:
        self.store, self.embeddings, self.playbook = store, embeddings, playbook
        self.weights = weights or FusionWeights()

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        """Entries by their best cosine similarity to the query."""
        lang = _lang_of(query, lang)
        vector = self.embeddings.embed_query(query)
        out = []
        for hit in dense_search(self.store, vector, k, lang=lang, kind=kind):
            rel = relevance(lang, hit.score, None, None, self.weights)
            p = _passage(
                self.playbook,
                hit.id,
                hit.lang,
                hit.score,
                {"dense": round(hit.score, 4), "relevance": rel, "matched": hit.text},
            )
            if p:
                out.append(p)
        return out


class BM25Retriever:
    """BM25 only (for evaluation side by side)."""

    def __init__(self, index: BM25Index, playbook: Playbook, weights: FusionWeights | None = None) -> None:
        self.index, self.playbook = index, playbook
        self.weights = weights or FusionWeights()

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        """Entries by BM25 score over their title, triggers and summary."""
        lang = _lang_of(query, lang)
        out = []
        for hit in self.index.search(query, k, lang=lang, kind=kind):
            rel = relevance("zh", None, hit.coverage, hit.score, self.weights)
            p = _passage(
                self.playbook,
                hit.id,
                hit.lang,
                hit.score,
                {"bm25": round(hit.score, 4), "coverage": round(hit.coverage, 4), "relevance": rel},
            )
            if p:
                out.append(p)
        return out


class HybridRetriever:
    """Dense and BM25 fused by weighted reciprocal rank fusion, with a relevance estimate per passage."""

    def __init__(self, dense: DenseRetriever, bm25: BM25Retriever, weights: FusionWeights | None = None) -> None:
        self.dense, self.bm25 = dense, bm25
        self.weights = weights or FusionWeights()
        self.playbook = dense.playbook

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        """The ``k`` best entries; ``score`` is the normalised fused score (1.0 = first for both signals)."""
        lang = _lang_of(query, lang)
        w = self.weights
        wd, wb = w.dense.get(lang, 1.0), w.bm25.get(lang, 1.0)
        depth = max(k * 3, 15)
        dense = self.dense.search(query, depth, lang=lang, kind=kind) if wd > 0 else []
        sparse = self.bm25.search(query, depth, lang=lang, kind=kind) if wb > 0 else []
        fused: dict[str, float] = {}
        signals: dict[str, dict[str, object]] = {}
        for weight, ranked, name in ((wd, dense, "dense"), (wb, sparse, "bm25")):
            for rank, p in enumerate(ranked, start=1):
                fused[p.id] = fused.get(p.id, 0.0) + weight / (w.rrf_k + rank)
                sig = signals.setdefault(p.id, {})
                sig.update({key: val for key, val in p.metadata.items() if key in ("dense", "bm25", "coverage")})
                sig[f"{name}_rank"] = rank
        best_possible = (wd + wb) / (w.rrf_k + 1)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        out = []
        for entry_id in order:
            sig = signals[entry_id]
            rel = relevance(lang, _num(sig.get("dense")), _num(sig.get("coverage")), _num(sig.get("bm25")), w)
            meta: dict[str, object] = {**sig, "relevance": rel, "fused": round(fused[entry_id], 6)}
            p = _passage(self.playbook, entry_id, lang, round(fused[entry_id] / best_possible, 4), meta)
            if p:
                out.append(p)
        return out
