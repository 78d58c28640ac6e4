"""Acceptance checks through the whole router (the path `python -m bot ask --json` takes), with the real
playbook retriever: held-out objection phrasings and playbook questions, in English and Chinese."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import yaml

from knowledge.service import Knowledge
from tests.conftest import make_settings
from tests.fixtures.harness import Clock, ConsoleHarness

pytestmark = pytest.mark.slow
EVAL = Path(__file__).resolve().parent.parent / "knowledge" / "eval"


@pytest_asyncio.fixture
async def full(sqlite_url: str, tmp_path: Path, clock: Clock, real_knowledge: Knowledge) -> AsyncIterator[ConsoleHarness]:
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path), clock=clock, retriever=real_knowledge.hybrid)
    try:
        yield h
    finally:
        await h.close()


async def test_held_out_objections_get_the_right_card_and_others_get_none(full: ConsoleHarness) -> None:
    items = yaml.safe_load((EVAL / "objection_queries.yaml").read_text(encoding="utf-8"))
    right: dict[str, list[bool]] = defaultdict(list)
    carded_non_objections = []
    for item in items:
        await full.send("/cancel")  # each message stands alone
        outcome = await full.send(item["q"])
        card = outcome.replies[0].data.get("objection_id") if outcome.skill == "objection" else None
        if item["expected"] is None:
            if card:
                carded_non_objections.append((item["q"], card))
        else:
            right[item["lang"]].append(card == item["expected"])
    accuracy = {lang: sum(v) / len(v) for lang, v in right.items()}
    print(f"held-out objections through the router: {accuracy}")
    assert carded_non_objections == []
    assert accuracy["en"] >= 0.9 and accuracy["zh"] >= 0.9, accuracy


async def test_held_out_playbook_questions_are_answered_from_the_playbook(full: ConsoleHarness) -> None:
    items = [i for i in yaml.safe_load((EVAL / "playbook_queries.yaml").read_text(encoding="utf-8"))
             if i.get("split") == "heldout"]
    routed: dict[str, list[bool]] = defaultdict(list)
    top3: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        await full.send("/cancel")
        outcome = await full.send(item["q"])
        data = outcome.replies[0].data
        if not item["expected"]:
            assert not (outcome.skill == "playbook" and data.get("source_ids") and data.get("found", True) and
                        outcome.replies[0].intent == "answer"), item["q"]
            continue
        expected = set(item["expected"])
        # an objection phrased as a question may rightly get its objection card instead
        answered = outcome.skill == "playbook" or (outcome.skill == "objection" and data.get("objection_id") in expected)
        routed[item["lang"]].append(answered)
        ids = data.get("source_ids") or ([data["objection_id"]] if data.get("objection_id") else [])
        top3[item["lang"]].append(bool(expected & set(ids[:3])))
    rates = {lang: sum(v) / len(v) for lang, v in routed.items()}
    hits = {lang: sum(v) / len(v) for lang, v in top3.items()}
    print(f"held-out playbook questions: answered from the playbook {rates}, right entry in the top 3 {hits}")
    # Measured 2026-11-29: answered 0.90 en / 0.83 zh; right entry in the top 3: 0.87 en / 0.80 zh (the
    # retriever alone reaches hit@3 0.935 / 0.933 — tests/knowledge/test_eval.py). The misses are mostly
    # objection-shaped questions answered with an objection card. Guard against regressions:
    assert min(rates.values()) >= 0.8, rates
    assert min(hits.values()) >= 0.75, hits
