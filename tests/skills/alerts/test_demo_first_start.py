"""A fresh start on the demo book, through the real Telegram app and the fake Bot API: what reaches the phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from skills.alerts.config import AlertsConfig
from skills.alerts.models import Alert
from skills.portfolio.demo import ensure_demo
from tests.conftest import ADMIN_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot


@pytest.mark.parametrize("seeded_by", ["portfolio", "runtime"])
async def test_demo_first_start_sends_each_officer_one_digest_and_the_brief(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock, seeded_by: str
) -> None:
    """Whether the demo is loaded by the portfolio alone or by the runtime (which sweeps it at once, so that
    ``/alerts`` is right from the first message), the phone gets the same two messages."""
    settings = make_settings(sqlite_url, tmp_path, alerts=AlertsConfig())  # the defaults: the brief is on
    async with running_bot(fake_bot_api, settings, clock) as bot:
        seeded = await (ensure_demo(bot.runtime) if seeded_by == "portfolio" else bot.runtime.seed_demo())
        assert seeded is True
        if seeded_by == "runtime":  # swept already: /alerts shows the demo's alerts before any dispatcher tick
            async with bot.runtime.services.sessionmaker() as session:
                assert await session.scalar(select(func.count()).select_from(Alert).where(Alert.severity == "red"))
        for _ in range(8):  # the first two hours: sweeps every 15 minutes
            await bot.dispatcher.tick(clock.now)
            clock.advance(minutes=16)
    officers = [settings.console_officer_id, ADMIN_ID]
    per_officer = {chat: fake_bot_api.messages_to(chat) for chat in officers}
    assert {m.chat_id for m in fake_bot_api.sent} == set(officers)  # nobody else hears about the demo
    for messages in per_officer.values():
        # Monday 09:00 in Shanghai: one digest of the demo's alerts, then the 08:30 morning brief. Nothing else.
        assert len(messages) == 2
        digest, brief = messages
        assert brief.text.startswith("☀️ <b>Morning brief</b> — Mon 30 Nov")
        assert digest.text.startswith("📋 <b>Risk digest</b>:")
        assert "🟥" in digest.text
        labels = [label for row in digest.buttons for label, _ in row]
        assert {"📋 All alerts", "👥 By client", "✅ Acknowledge all"} <= set(labels)
