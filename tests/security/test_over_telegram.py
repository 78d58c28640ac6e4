"""Bad input and forged buttons over the real Telegram adapter (fake Bot API): every update is answered with
HTML Telegram accepts, nothing reaches the error handler (no apology, no ERROR log), nothing leaks."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.messages import MESSAGES
from skills.portfolio.config import PortfolioConfig
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, STRANGER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI, SentMessage
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import RunningBot, running_bot
from tests.security.checks import telegram_html_problems
from tests.security.test_bad_input import EVIL, _zip_bomb
from tests.skills.alerts.data import Scenario, seed

pytestmark = pytest.mark.slow

APOLOGIES = {MESSAGES["apology"]["en"], MESSAGES["apology"]["zh"]}
UPLOAD_LIMIT = 50_000


@pytest_asyncio.fixture
async def bot(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> AsyncIterator[tuple[RunningBot, Scenario]]:
    settings = make_settings(sqlite_url, tmp_path, portfolio=PortfolioConfig(max_upload_bytes=UPLOAD_LIMIT))
    async with running_bot(fake_bot_api, settings, clock) as running:
        scenario = await seed(running, OFFICER_ID, OTHER_OFFICER_ID)  # type: ignore[arg-type]
        await running.dispatcher.tick(clock.now)
        yield running, scenario


def _check_sent(fake: FakeBotAPI, caplog: pytest.LogCaptureFixture) -> None:
    for message in fake.sent + fake.edits:
        assert message.text not in APOLOGIES, "an exception reached the adapter's error handler"
        if message.parse_mode == "HTML" and message.text:
            assert not telegram_html_problems(message.text), message.text[:300]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    rejected = [r for r in caplog.records if "HTML rejected" in r.getMessage()]
    assert not rejected, [r.getMessage() for r in rejected]


async def _say(fake: FakeBotAPI, text: str, *, user: int = OFFICER_ID) -> SentMessage:
    before = len(fake.messages_to(user))
    fake.user_sends(user, text)
    return (await fake.wait_for_sent(user, count=before + 1, timeout=60))[-1]


async def _press(fake: FakeBotAPI, on: SentMessage, data: str, *, user: int = OFFICER_ID) -> SentMessage:
    before_sent, before_edits = len(fake.messages_to(user)), len(fake.edits)
    answers = len(fake.callback_answers)
    fake.user_presses(user, on, data)
    await fake.wait_for_call("answerCallbackQuery", count=answers + 1, timeout=60)
    await fake._signal.wait_until(lambda: len(fake.messages_to(user)) > before_sent or len(fake.edits) > before_edits, 60)
    return fake.messages_to(user)[-1] if len(fake.messages_to(user)) > before_sent else fake.edits[-1]


async def test_hostile_text_over_telegram(bot: tuple[RunningBot, Scenario], caplog: pytest.LogCaptureFixture) -> None:
    running, _ = bot
    fake = running.fake
    caplog.set_level(logging.WARNING)
    for text in (EVIL, "x" * 100_000, "quote\x00 1e308 \u202e90d", "/flag", "/grant 1", "quote 99999999999999999999 90d",
                 "remind me in 9999 years to call", "😀" * 3000, "/client <b>Acme"):  # fmt: skip
        reply = await _say(fake, text)
        assert reply.text
    _check_sent(fake, caplog)


async def test_forged_and_malformed_buttons_over_telegram(
    bot: tuple[RunningBot, Scenario], caplog: pytest.LogCaptureFixture
) -> None:
    running, sc = bot
    fake = running.fake
    caplog.set_level(logging.WARNING)
    anchor = await _say(fake, "/help")
    for data in ("", "::::", "quote:saveto:1:²", "client:show:99999999999999999999999", "reminders:at:100000000000000000",
                 f"client:show:{sc.zenith}", f"alerts:list:{sc.zenith}", "alerts:ack:1;DROP TABLE", "x" * 64):  # fmt: skip
        answer = await _press(fake, anchor, data)
        assert "Zenith" not in (answer.text or ""), data
    _check_sent(fake, caplog)


async def test_bad_uploads_over_telegram(bot: tuple[RunningBot, Scenario], caplog: pytest.LogCaptureFixture) -> None:
    running, _ = bot
    fake = running.fake
    caplog.set_level(logging.WARNING)
    for name, content in (("big.csv", b"a,b\n" * UPLOAD_LIMIT), ("bomb.xlsx", _zip_bomb()), ("l.xlsx", b"not a zip"),
                          ("l.csv", bytes(range(256)) * 10), ("<b>x</b>.csv", b"client,amount\n")):  # fmt: skip
        before = len(fake.messages_to(OFFICER_ID))
        fake.user_uploads(OFFICER_ID, name, content)
        reply = (await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60))[-1]
        assert reply.text and not reply.buttons, (name, reply.text)
    _check_sent(fake, caplog)


async def test_strangers_are_refused_everywhere_over_telegram(
    bot: tuple[RunningBot, Scenario], caplog: pytest.LogCaptureFixture
) -> None:
    running, sc = bot
    fake = running.fake
    caplog.set_level(logging.WARNING)
    refused = await _say(fake, "/clients", user=STRANGER_ID)
    assert str(STRANGER_ID) in refused.text and "Acme" not in refused.text
    answer = await _press(fake, refused, f"client:show:{sc.acme}", user=STRANGER_ID)
    assert "Acme" not in answer.text
    fake.user_inline_query(STRANGER_ID, "rate too high")
    await fake.wait_for_call("answerInlineQuery", count=1, timeout=60)
    assert fake.inline_answers[-1]["results"] == []
    _check_sent(fake, caplog)
