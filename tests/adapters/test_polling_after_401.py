"""A refused token (401) while polling does not end polling: the bot backs off, retries, and receives and
answers again as soon as Telegram accepts the token (a revoked token replaced at @BotFather, a proxy
briefly answering 401), without a restart. Pushes resume too (tests/adapters/test_fault_matrix.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from skills.store import unit_of_work
from skills.store.outbox import enqueue
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot


def _get_updates_calls(fake: FakeBotAPI) -> int:
    return sum(1 for name, _ in fake.calls if name == "getUpdates")


async def test_polling_survives_401_and_resumes_when_the_token_works_again(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_bot_api
    async with running_bot(fake, make_settings(sqlite_url, tmp_path), clock) as bot:
        fake.user_sends(OFFICER_ID, "/help")
        await fake.wait_for_sent(OFFICER_ID, count=1)
        with caplog.at_level(logging.INFO):
            fake.token_revoked = True
            refused_from = _get_updates_calls(fake)
            # refused twice, backing off (a long poll already under way when the token went is answered first)
            await fake.wait_for_call("getUpdates", count=refused_from + 3, timeout=20)
            fake.user_sends(OFFICER_ID, "/help")  # waits at Telegram while the token is refused
            await fake.wait_for_call("getUpdates", count=refused_from + 4, timeout=20)
            assert len(fake.messages_to(OFFICER_ID)) == 1
            async with unit_of_work(bot.runtime.services.sessionmaker) as session:
                await enqueue(
                    session,
                    chat_id=OFFICER_ID,
                    kind="test",
                    text="push while refused",
                    due_at=clock.now,
                    idempotency_key="refused:1",
                )
            await bot.dispatcher.tick(clock.now)  # the send is refused too: sending pauses, the push waits

            fake.token_revoked = False  # the token works again
            sent = await fake.wait_for_sent(OFFICER_ID, count=2, timeout=30)  # polling resumed by itself
            assert "/help" in (sent[1].text or "") or "FactorMate" in (sent[1].text or "")
            await bot.dispatcher.tick(clock.advance(seconds=bot.dispatcher.auth_probe_seconds + 1))
            pushes = [m for m in fake.messages_to(OFFICER_ID) if m.text == "push while refused"]
            assert len(pushes) == 1
            fake.user_sends(OFFICER_ID, "/help")
            await fake.wait_for_sent(OFFICER_ID, count=4, timeout=30)
        assert bot.app.updater is not None and bot.app.updater.running
    refused = [r for r in caplog.records if "refused the bot token while polling" in r.getMessage()]
    assert len(refused) == 1, "one clear line, not one per retry"
    assert any("receiving updates" in r.getMessage() for r in caplog.records)
    assert not [
        r for r in caplog.records if r.levelno >= logging.ERROR and r not in refused and "401" not in r.getMessage()
    ]
