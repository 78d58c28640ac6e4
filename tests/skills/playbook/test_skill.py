"""The playbook skill through the real router (ConsoleHarness) with the REAL retriever (MiniLM + Chroma + BM25)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.outputs import ChatResult

from knowledge.service import Knowledge
from tests.conftest import make_settings
from tests.fixtures.harness import Clock, ConsoleHarness

pytestmark = pytest.mark.slow


@pytest_asyncio.fixture
async def pb(sqlite_url: str, tmp_path: Path, clock: Clock, real_knowledge: Knowledge) -> AsyncIterator[ConsoleHarness]:
    h = await ConsoleHarness.create(
        make_settings(sqlite_url, tmp_path, llm_timeout=0.2), clock=clock, retriever=real_knowledge.hybrid
    )
    try:
        yield h
    finally:
        await h.close()


async def test_how_do_i_question_gets_the_best_entry_with_key_points_source_and_buttons(pb: ConsoleHarness) -> None:
    outcome = await pb.send("how do I explain factoring to a sales manager who hates finance talk?")
    reply = pb.reply()
    assert outcome.skill == "playbook" and reply.intent == "answer"
    assert reply.data["source_ids"][0] == "comm.audience-adapt"
    assert reply.data["grounded_by"] == "extractive" and reply.data["lang"] == "en"
    assert "Adapt the explanation to who is listening" in reply.text
    assert "Source: playbook · comm.audience-adapt" in reply.text
    assert reply.text.count("\n• ") == 5  # five key points
    payloads = [b.payload for row in reply.buttons for b in row]
    assert payloads[0] == "playbook:more:comm.audience-adapt"
    assert 1 <= sum(p.startswith("playbook:show:") for p in payloads) <= 3
    assert reply.data["scores"]["comm.audience-adapt"] > 0


async def test_chinese_question_is_answered_in_chinese(pb: ConsoleHarness) -> None:
    outcome = await pb.send("客户座谈会怎么组织", lang="zh")
    assert outcome.skill == "playbook" and pb.reply().data["source_ids"] == ["longterm.feedback-loop"]
    assert "来源：业务手册 · longterm.feedback-loop" in pb.reply().text
    await pb.send("/playbook 客户不愿意交保证金怎么谈", lang="zh")
    reply = pb.reply()
    assert reply.data["source_ids"] == ["obj.deposit-margin"]
    assert reply.data["query_lang"] == "zh" and reply.data["lang"] == "zh"
    assert "来源：业务手册 · obj.deposit-margin" in reply.text
    assert "<b>认同</b>" in reply.text and "<b>下一步</b>" in reply.text  # the card's five sections, condensed


async def test_officer_reading_chinese_asking_in_english_gets_the_chinese_twin(pb: ConsoleHarness) -> None:
    await pb.send("how do I explain factoring to a sales manager who hates finance talk?", lang="zh")
    reply = pb.reply()
    assert reply.data["query_lang"] == "en" and reply.data["lang"] == "zh"
    assert reply.data["entry_id"] == "comm.audience-adapt"
    assert "看人说话" in reply.text and "完整内容" in reply.buttons[0][0].label


@pytest.mark.parametrize(
    ("text", "lang"),
    [("how do I get a visa for Paris", "en"), ("how do I bake bread", "en"), ("what is the best pizza in Rome", "en"),
     ("如何做红烧肉", "zh"), ("怎么学游泳", "zh")],
)
async def test_off_topic_how_to_is_not_in_the_playbook_and_offers_nearest_topics(
    pb: ConsoleHarness, text: str, lang: str
) -> None:
    outcome = await pb.send(text, lang=lang)
    reply = pb.reply()
    assert outcome.skill == "playbook" and reply.intent == "not_found"
    assert reply.data["source_ids"] == [] and reply.data["found"] is False
    assert ("I don't have that in the playbook" if lang == "en" else "业务手册里没有") in reply.text
    assert [row[0].payload for row in reply.buttons] == [f"playbook:show:{i}" for i in reply.data["nearest_ids"]]
    assert len(reply.buttons) == 3


async def test_more_button_shows_the_full_entry_and_show_button_the_short_answer(pb: ConsoleHarness) -> None:
    await pb.press("playbook:more:obj.rate-too-high", lang="zh")
    full = pb.reply()
    assert full.data["full"] is True and full.data["entry_id"] == "obj.rate-too-high"
    assert "<b>完整对话</b>" in full.text and "<b>可直接发给客户</b>" in full.text
    await pb.press("playbook:show:risk.warning-cards")
    short = pb.reply()
    assert short.intent == "answer" and short.data["source_ids"] == ["risk.warning-cards"]


async def test_unknown_entry_button_is_refused_politely(pb: ConsoleHarness) -> None:
    await pb.press("playbook:more:obj.no-such-thing")
    assert pb.reply().data["error"] is True
    assert "no longer exists" in pb.reply().text


async def test_playbook_command(pb: ConsoleHarness) -> None:
    await pb.send("/playbook 黄牌和红牌怎么区分", lang="zh")
    assert pb.reply().data["source_ids"] == ["risk.warning-cards"]
    await pb.send("/playbook")
    assert pb.reply().intent == "usage"


async def test_llm_answer_is_grounded_and_cites_entry_ids(pb: ConsoleHarness) -> None:
    pb.runtime.services.chat_model = FakeListChatModel(
        responses=["Ask who decides first, then give finance the terms and sales one round-number example "
                   "[comm.audience-adapt]."]
    )
    await pb.send("how do I explain factoring to a sales manager who hates finance talk?")
    reply = pb.reply()
    assert reply.data["grounded_by"] == "llm" and reply.data["source_ids"] == ["comm.audience-adapt"]
    assert "round-number example" in reply.text and "Source: playbook · comm.audience-adapt" in reply.text


@pytest.mark.parametrize(
    "answer",
    ["Just offer them a 50% discount.",  # cites nothing: ungrounded
     "Offer a discount [obj.made-up-entry].",  # cites an entry it was not given
     "NOT_IN_PLAYBOOK"],
)
async def test_ungrounded_llm_answer_falls_back_to_extractive(pb: ConsoleHarness, answer: str) -> None:
    pb.runtime.services.chat_model = FakeListChatModel(responses=[answer])
    await pb.send("how do I explain factoring to a sales manager who hates finance talk?")
    reply = pb.reply()
    assert reply.data["grounded_by"] == "extractive" and "50%" not in reply.text
    assert reply.data["source_ids"] == ["comm.audience-adapt"]


class RaisingChatModel(FakeListChatModel):
    async def _agenerate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        raise ConnectionError("LLM endpoint unreachable")


class HangingChatModel(FakeListChatModel):
    async def _agenerate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        await asyncio.Event().wait()  # never answers; the skill's llm_timeout must cut it off
        raise AssertionError("unreachable")


@pytest.mark.parametrize("model_cls", [RaisingChatModel, HangingChatModel])
async def test_llm_error_or_timeout_falls_back_to_extractive(pb: ConsoleHarness, model_cls: type) -> None:
    pb.runtime.services.chat_model = model_cls(responses=["unused"])
    await pb.send("/playbook 客户不愿意交保证金怎么谈", lang="zh")
    reply = pb.reply()
    assert reply.data["grounded_by"] == "extractive" and reply.data["source_ids"] == ["obj.deposit-margin"]


async def test_quoted_client_objection_is_left_to_the_objection_skill(pb: ConsoleHarness) -> None:
    outcome = await pb.send("client says the rate is too high")
    assert outcome.skill != "playbook"


async def test_without_retriever_the_playbook_is_unavailable_in_both_languages(harness: ConsoleHarness) -> None:
    await harness.send("/playbook how do I explain factoring?")
    assert harness.reply().data["available"] is False
    assert "playbook is not available" in harness.reply().text
    await harness.send("/playbook 怎么讲保理", lang="zh")
    assert "业务手册暂时不可用" in harness.reply().text
