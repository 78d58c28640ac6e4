"""Retrieval evaluation over the labelled query set: hit@1, hit@3, MRR per language and rejection rate.

``knowledge/eval/playbook_queries.yaml`` holds ``{q, lang, expected: [ids], split: dev|heldout}``; an empty
``expected`` marks an off-topic question that must be rejected (relevance below the threshold).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.retrieval import Retriever

__all__ = ["EVAL_FILE", "Query", "Scores", "evaluate", "load_queries", "top_relevance"]

EVAL_FILE = Path(__file__).resolve().parent / "eval" / "playbook_queries.yaml"


@dataclass(frozen=True, slots=True)
class Query:
    """One labelled question."""

    q: str
    lang: str
    expected: tuple[str, ...]
    split: str


@dataclass(slots=True)
class Scores:
    """Figures for one retriever on one language (``n`` answerable questions, ``n_off`` off-topic ones)."""

    n: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    n_off: int = 0
    rejected: float = 0.0  # share of off-topic questions below the threshold
    accepted: float = 0.0  # share of answerable questions above the threshold

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "hit@1": round(self.hit1, 3),
            "hit@3": round(self.hit3, 3),
            "mrr": round(self.mrr, 3),
            "n_offtopic": self.n_off,
            "rejection": round(self.rejected, 3),
            "acceptance": round(self.accepted, 3),
        }


def load_queries(path: Path = EVAL_FILE, *, split: str = "all") -> list[Query]:
    """The labelled questions of ``split`` (dev, heldout or all)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for item in raw:
        query = Query(str(item["q"]), str(item["lang"]), tuple(item.get("expected") or ()), str(item["split"]))
        if split in ("all", query.split):
            out.append(query)
    return out


def top_relevance(retriever: Retriever, query: str, lang: str) -> float:
    """The relevance estimate of the best passage (0 when nothing is found)."""
    hits = retriever.search(query, 1, lang=lang)
    if not hits:
        return 0.0
    value = hits[0].metadata.get("relevance", 0.0)
    return float(value) if isinstance(value, (int, float)) else 0.0


def evaluate(retriever: Retriever, queries: Iterable[Query], *, threshold: float) -> dict[str, Scores]:
    """Scores per language for ``retriever``; a query counts as a hit@n if any expected id is in the top n."""
    results: dict[str, Scores] = {}
    for query in queries:
        s = results.setdefault(query.lang, Scores())
        hits = retriever.search(query.q, 5, lang=query.lang)
        rel = hits[0].metadata.get("relevance", 0.0) if hits else 0.0
        above = isinstance(rel, (int, float)) and float(rel) >= threshold
        if not query.expected:
            s.n_off += 1
            s.rejected += 0.0 if above else 1.0
            continue
        s.n += 1
        s.accepted += 1.0 if above else 0.0
        ids = [h.id for h in hits]
        rank = next((i for i, entry_id in enumerate(ids, start=1) if entry_id in query.expected), None)
        if rank is not None:
            s.hit1 += rank == 1
            s.hit3 += rank <= 3
            s.mrr += 1.0 / rank
    for s in results.values():
        if s.n:
            s.hit1, s.hit3, s.mrr, s.accepted = s.hit1 / s.n, s.hit3 / s.n, s.mrr / s.n, s.accepted / s.n
        if s.n_off:
            s.rejected /= s.n_off
    return results
