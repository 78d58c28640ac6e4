"""The retrieval seam: skills depend on this Protocol, not on Chroma or BM25 directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Passage", "Retriever"]


@dataclass(frozen=True, slots=True)
class Passage:
    """One playbook entry (or part of one) returned by a search, with its fused score."""

    id: str  # stable entry id, e.g. "obj.rate-too-high"
    lang: str
    kind: str  # objection | technique | product
    title: str
    text: str
    score: float
    metadata: dict[str, object] = field(default_factory=dict)


class Retriever(Protocol):
    """Search the playbook; filters narrow by language and kind."""

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]: ...
