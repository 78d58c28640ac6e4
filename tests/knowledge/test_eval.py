"""Retrieval quality on the labelled queries (held-out split), and the CLI that reports it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import knowledge.service
from bot.cli_knowledge import cmd_eval, cmd_index
from knowledge.evaluation import evaluate, load_queries
from knowledge.service import Knowledge
from skills.playbook.config import PlaybookConfig
from tests.knowledge.conftest import copy_playbook, knowledge_settings

pytestmark = pytest.mark.slow


def test_heldout_hybrid_hit_at_3_is_at_least_0_9_per_language(real_knowledge: Knowledge) -> None:
    scores = evaluate(real_knowledge.hybrid, load_queries(split="heldout"), threshold=PlaybookConfig().min_relevance)
    assert set(scores) == {"en", "zh"}
    for lang, s in scores.items():
        assert s.n >= 20, lang
        assert s.hit3 >= 0.9, (lang, s.as_dict())


def test_off_topic_questions_fall_below_the_relevance_threshold(real_knowledge: Knowledge) -> None:
    threshold = PlaybookConfig().min_relevance
    off_topic = [q for q in load_queries(split="all") if not q.expected]
    extra = [("what's the weather in Paris", "en"), ("how do I bake bread", "en"), ("谁赢了昨天的足球赛", "zh")]
    for text, lang in [(q.q, q.lang) for q in off_topic] + extra:
        hits = real_knowledge.hybrid.search(text, 1, lang=lang)
        assert not hits or float(hits[0].metadata["relevance"]) < threshold, (text, hits[0].metadata)


def test_hybrid_beats_or_matches_each_signal_on_dev(real_knowledge: Knowledge) -> None:
    queries = load_queries(split="dev")
    hybrid = evaluate(real_knowledge.hybrid, queries, threshold=0.5)
    dense = evaluate(real_knowledge.dense, queries, threshold=0.5)
    bm25 = evaluate(real_knowledge.bm25, queries, threshold=0.5)
    for lang in ("en", "zh"):
        assert hybrid[lang].mrr >= max(dense[lang].mrr, bm25[lang].mrr) - 0.01, lang


async def test_eval_cli_prints_json_figures_per_retriever_and_language(
    real_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(knowledge.service, "open_knowledge", lambda config, **_: real_knowledge)
    code = await cmd_eval(knowledge_settings(tmp_path), argparse.Namespace(split="heldout", json=True))
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["retrievers"]) == {"hybrid", "dense", "bm25"}
    assert out["retrievers"]["hybrid"]["zh"]["hit@3"] >= 0.9


async def test_index_cli_exits_1_naming_the_malformed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_playbook(tmp_path / "playbook")
    (root / "en" / "obj.paperwork.md").unlink()
    monkeypatch.setattr(knowledge.service, "PLAYBOOK_DIR", root)
    code = await cmd_index(knowledge_settings(tmp_path), argparse.Namespace())
    assert code == 1
    assert "obj.paperwork.md: id 'obj.paperwork' has no en twin" in capsys.readouterr().err
