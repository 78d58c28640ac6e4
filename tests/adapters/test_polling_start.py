"""How a polling bot starts: the playbook loads while the bot shakes hands with Telegram (network waits), the
skills' warm-up only once polling has begun, and a start Telegram refuses closes everything it opened."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr

import bot.runtime
from bot.config import ConfigError
from bot.telegram_app import run_telegram
from knowledge.service import Knowledge
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.slow


def _settings(fake: FakeBotAPI, sqlite_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token=SecretStr(fake.token),
        telegram_api_base_url=f"{fake.url}/bot",
        telegram_api_base_file_url=f"{fake.url}/file/bot",
        dispatch_interval=3600.0,
        embeddings="onnx",
    )


async def test_the_playbook_loads_during_the_handshake_and_the_warm_up_waits_for_polling(
    fake_bot_api: FakeBotAPI,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    real_knowledge: Knowledge,
) -> None:
    fake = fake_bot_api
    loading, release = threading.Event(), threading.Event()
    warm_ups: list[list[str]] = []

    def load(config: object, progress: object = None, *, warm: bool = True) -> object:
        loading.set()
        assert release.wait(60), "the test never released the playbook"
        return real_knowledge.hybrid

    monkeypatch.setattr(bot.runtime, "open_retriever", load)
    monkeypatch.setattr(bot.runtime, "_warm_up", lambda *_a: warm_ups.append([c for c, _p in fake.calls]))
    fake.fail_with_delay("getMe", 2.0)  # Telegram far away: the hello takes a while
    stop = asyncio.Event()
    task = asyncio.create_task(run_telegram(_settings(fake, sqlite_url, tmp_path), stop=stop, retriever=True))
    try:
        assert await asyncio.to_thread(loading.wait, 30), "the playbook did not start loading"
        assert [c for c, _p in fake.calls if c in ("getMe", "getUpdates")] in ([], ["getMe"])  # still saying hello
        fake.user_sends(OFFICER_ID, "/help")
        await fake.wait_for_sent(OFFICER_ID, timeout=30)  # answered while the playbook is still loading
        assert not warm_ups  # the warm-up waits for the playbook, which the test still holds
        release.set()
        for _ in range(200):
            if warm_ups:
                break
            await asyncio.sleep(0.05)
        assert len(warm_ups) == 1 and "getUpdates" in warm_ups[0]  # once, after polling began
    finally:
        release.set()
        stop.set()
        assert await asyncio.wait_for(task, timeout=60) == 0


async def test_a_token_refused_at_start_says_so_in_one_line_and_closes_what_it_opened(
    fake_bot_api: FakeBotAPI,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    real_knowledge: Knowledge,
) -> None:
    finished = threading.Event()
    closed: list[bool] = []
    real_close = bot.runtime.Runtime.close

    def load(config: object, progress: object = None, *, warm: bool = True) -> object:
        finished.set()
        return real_knowledge.hybrid

    async def close(self: bot.runtime.Runtime) -> None:
        await real_close(self)
        closed.append(True)

    monkeypatch.setattr(bot.runtime, "open_retriever", load)
    monkeypatch.setattr(bot.runtime.Runtime, "close", close)
    fake_bot_api.token_revoked = True
    with pytest.raises(ConfigError) as refused:
        await asyncio.wait_for(run_telegram(_settings(fake_bot_api, sqlite_url, tmp_path), retriever=True), 60)
    message = str(refused.value)
    assert message.startswith("TELEGRAM_BOT_TOKEN: Telegram refused this token") and "\n" not in message
    assert fake_bot_api.token not in message and fake_bot_api.token.split(":")[1] not in message
    assert closed == [True]  # the runtime was closed: the load waited for, the database disposed
    assert finished.is_set()
    # (an HTTP client left open would fail this test as an unraisable ResourceWarning)
