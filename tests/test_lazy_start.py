"""Start-up never waits for the embedding model: commands answer while it loads, questions wait for it.

The playbook retriever is a LazyRetriever whose load the test holds back with an event, so "before the
model is ready" is a state the test controls, not a race.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.access import Caller
from bot.router import Incoming
from bot.runtime import Runtime
from knowledge.lazy import LazyRetriever
from knowledge.service import Knowledge
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot

pytestmark = pytest.mark.slow


def _held_back(knowledge: Knowledge) -> tuple[LazyRetriever, threading.Event]:
    release = threading.Event()

    def load(_progress: object) -> object:
        assert release.wait(60), "the test never released the model"
        return knowledge.hybrid

    return LazyRetriever(load), release  # type: ignore[arg-type]


async def test_commands_answer_on_telegram_while_the_model_loads_and_a_question_waits_for_it(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock, real_knowledge: Knowledge
) -> None:
    lazy, release = _held_back(real_knowledge)
    lazy.start()
    fake = fake_bot_api
    async with running_bot(fake, make_settings(sqlite_url, tmp_path), clock, retriever=lazy) as bot:
        early = [
            "/help",
            "quote 1m 90d",
            "remind me tomorrow 10am to call Acme",
            "client says 1.2% a month is too expensive",
        ]
        for n, text in enumerate(early, start=1):
            fake.user_sends(OFFICER_ID, text)
            await fake.wait_for_sent(OFFICER_ID, count=n, timeout=60)
        assert not lazy.ready and not bot.runtime.retriever_ready
        assert "783,000.00" in fake.messages_to(OFFICER_ID)[1].text
        assert fake.messages_to(OFFICER_ID)[3].buttons  # the objection card came from the classifier alone
        fake.user_sends(OFFICER_ID, "how do I explain factoring to a sales manager?")
        with pytest.raises((TimeoutError, asyncio.TimeoutError)):
            await fake.wait_for_sent(OFFICER_ID, count=5, timeout=0.5)  # waiting for the model, not failing
        release.set()
        answer = (await fake.wait_for_sent(OFFICER_ID, count=5, timeout=60))[-1]
        assert "comm.audience-adapt" in answer.text
        assert bot.runtime.retriever_ready


async def test_the_cli_loads_the_model_only_for_a_question_that_needs_it(sqlite_url: str, tmp_path: Path) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    runtime = await Runtime.create(settings, retriever=True, preload=False)
    try:
        lazy = runtime.services.retriever
        assert isinstance(lazy, LazyRetriever)
        caller = Caller(user_id=settings.console_officer_id, console=True, name="Console")
        for text in ("/help", "quote 500000 60d"):
            outcome = await runtime.router.handle(Incoming(caller=caller, chat_id=caller.user_id, text=text))
            assert outcome.replies and outcome.skill in ("help", "quote")
        assert not lazy.started  # /help and a quote never touch the model
    finally:
        await runtime.close()


async def test_a_question_waiting_for_the_model_loads_it_unwarmed_and_is_answered(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_knowledge: Knowledge
) -> None:
    """The CLI loads on first need; the question itself is the first search, so the load skips the warm-up
    searches (an English question never pays for Chinese segmentation)."""
    warmed: list[bool] = []

    def load(config: object, progress: object = None, *, warm: bool = True) -> object:
        warmed.append(warm)
        return real_knowledge.hybrid

    monkeypatch.setattr("bot.runtime.open_retriever", load)
    settings = make_settings(sqlite_url, tmp_path)
    runtime = await Runtime.create(settings, retriever=True, preload=False, warm_up="skip")
    try:
        lazy = runtime.services.retriever
        assert isinstance(lazy, LazyRetriever) and not lazy.started
        caller = Caller(user_id=settings.console_officer_id, console=True, name="Console")
        text = "how do I explain factoring to a sales manager?"
        outcome = await runtime.router.handle(Incoming(caller=caller, chat_id=caller.user_id, text=text))
        assert outcome.skill == "playbook" and "comm.audience-adapt" in outcome.replies[0].text
        assert lazy.ready and lazy.demanded and warmed == [False]
    finally:
        await runtime.close()


async def test_a_how_to_question_starts_the_load_before_routing_weighs_it(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_knowledge: Knowledge
) -> None:
    """In the CLI the model's load overlaps the routing of a how-to question (the playbook skill anticipates
    it); a message that is not one never starts it."""
    monkeypatch.setattr("bot.runtime.open_retriever", lambda config, progress=None, *, warm=True: real_knowledge.hybrid)
    settings = make_settings(sqlite_url, tmp_path)
    runtime = await Runtime.create(settings, retriever=True, preload=False, warm_up="skip")
    try:
        lazy = runtime.services.retriever
        assert isinstance(lazy, LazyRetriever)
        seen: list[bool] = []
        decide = runtime.router.decide

        async def watched(request: object) -> object:
            seen.append(lazy.started)
            return await decide(request)  # type: ignore[arg-type]

        monkeypatch.setattr(runtime.router, "decide", watched)
        caller = Caller(user_id=settings.console_officer_id, console=True, name="Console")
        for text in ("remind me tomorrow 10am to call Acme", "保证金怎么跟客户解释"):
            await runtime.router.handle(Incoming(caller=caller, chat_id=caller.user_id, text=text))
        assert seen == [False, True]
        assert lazy.demanded  # the question searches at once: no warm-up searches
    finally:
        await runtime.close()


def test_a_load_started_ahead_of_need_is_not_demanded(real_knowledge: Knowledge) -> None:
    lazy = LazyRetriever(lambda _progress: real_knowledge.hybrid)
    lazy.start()
    assert lazy.get(60) is real_knowledge.hybrid
    assert not lazy.demanded  # a search after the start does not change how the load began


async def test_the_bot_starts_loading_the_model_at_once_and_close_waits_for_it(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_knowledge: Knowledge
) -> None:
    release = threading.Event()
    configs: list[object] = []
    warmed: list[bool] = []

    def load(config: object, progress: object = None, *, warm: bool = True) -> object:
        configs.append(config)
        warmed.append(warm)
        release.wait(60)
        return real_knowledge.hybrid

    monkeypatch.setattr("bot.runtime.open_retriever", load)
    settings = make_settings(sqlite_url, tmp_path, embeddings="onnx")
    runtime = await Runtime.create(settings, retriever=True)
    lazy = runtime.services.retriever
    assert isinstance(lazy, LazyRetriever) and lazy.started and not lazy.ready
    release.set()
    await runtime.close()  # waits for the load: never exits while native code is loading
    assert lazy.ready
    assert configs == [settings.knowledge]  # the knowledge layer gets its own config, built from the settings
    assert warmed == [True]  # loaded ahead of need: warmed, so the first question is as quick as the next
