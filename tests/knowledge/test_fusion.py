"""Weighted reciprocal rank fusion and the relevance estimate (pure, with fake rankings)."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.content import Playbook, load_playbook
from knowledge.hybrid import FusionWeights, HybridRetriever, relevance
from knowledge.retrieval import Passage


@pytest.fixture(scope="module")
def book() -> Playbook:
    return load_playbook()


class FakeRanking:
    """A retriever returning a fixed ranking with fixed signals."""

    def __init__(self, book: Playbook, ranking: list[tuple[str, dict[str, float]]]) -> None:
        self.playbook = book
        self.ranking = ranking
        self.calls: list[tuple[str, str | None]] = []

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        self.calls.append((query, lang))
        return [Passage(i, lang or "en", "technique", i, "", 1.0, dict(meta)) for i, meta in self.ranking][:k]


def _hybrid(book: Playbook, dense_ranking: list[Any], sparse_ranking: list[Any], **weights: Any) -> HybridRetriever:
    return HybridRetriever(
        FakeRanking(book, dense_ranking),
        FakeRanking(book, sparse_ranking),
        FusionWeights(**weights),  # type: ignore[arg-type]
    )  # type: ignore[arg-type]


def test_rrf_prefers_the_entry_both_signals_rank_high(book: Playbook) -> None:
    dense = [("obj.paperwork", {"dense": 0.7}), ("obj.recourse", {"dense": 0.6}), ("risk.contingency", {"dense": 0.5})]
    sparse = [("risk.contingency", {"bm25": 9.0, "coverage": 0.5}), ("obj.recourse", {"bm25": 8.0, "coverage": 0.4})]
    hits = _hybrid(book, dense, sparse, dense={"en": 1.0}, bm25={"en": 1.0}, rrf_k=5.0).search("q", 3, lang="en")
    # risk.contingency 1/8 + 1/6 = 0.292 > obj.recourse 1/7 + 1/7 = 0.286 > obj.paperwork 1/6 (dense only)
    assert [h.id for h in hits] == ["risk.contingency", "obj.recourse", "obj.paperwork"]
    assert hits[0].score == pytest.approx((1 / 8 + 1 / 6) / (2 / 6), abs=1e-4)
    assert hits[0].metadata["dense_rank"] == 3 and hits[0].metadata["bm25_rank"] == 1


def test_entry_first_in_both_rankings_scores_one(book: Playbook) -> None:
    ranking = [("obj.paperwork", {"dense": 0.8, "bm25": 12.0, "coverage": 0.9})]
    hits = _hybrid(book, ranking, ranking).search("q", 1, lang="en")
    assert hits[0].score == 1.0


def test_chinese_weights_let_bm25_decide(book: Playbook) -> None:
    dense = [("obj.paperwork", {"dense": 0.95}), ("obj.recourse", {"dense": 0.90})]
    sparse = [("obj.recourse", {"bm25": 15.0, "coverage": 0.5}), ("obj.paperwork", {"bm25": 3.0, "coverage": 0.1})]
    hits = _hybrid(book, dense, sparse).search("客户对回购条款有意见", 2, lang="zh")
    assert hits[0].id == "obj.recourse" and hits[0].lang == "zh"


def test_language_defaults_to_the_script_of_the_query(book: Playbook) -> None:
    fake = FakeRanking(book, [("obj.paperwork", {"bm25": 5.0, "coverage": 0.5})])
    retriever = HybridRetriever(fake, fake)  # type: ignore[arg-type]
    retriever.search("材料太多", 1)
    retriever.search("too much paperwork", 1)
    assert [lang for _, lang in fake.calls] == ["zh", "zh", "en", "en"]


@pytest.mark.parametrize(
    ("lang", "cosine", "coverage", "bm25", "expected"),
    [
        ("en", 0.55, None, None, 1.0),
        ("en", 0.35, 0.0, 0.0, 0.5),
        ("en", 0.15, 1.0, 30.0, 0.0),  # English is judged by meaning, not by shared words
        ("zh", 0.99, 0.0, 0.0, 0.0),  # MiniLM's cosine means nothing for Chinese
        ("zh", None, 0.45, 20.0, 1.0),
        ("zh", None, 0.225, 10.0, 0.5),
        ("en", None, 0.45, 20.0, 1.0),  # only BM25 found it: judged lexically
    ],
)
def test_relevance_oracle(
    lang: str, cosine: float | None, coverage: float | None, bm25: float | None, expected: float
) -> None:
    assert relevance(lang, cosine, coverage, bm25, FusionWeights()) == pytest.approx(expected)
