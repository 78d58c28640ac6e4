"""Strangers cost nothing: the allowlist is checked before any per-user structure (rate bucket, lock).

Driven through the fake Bot API with the rate limiter switched on, as in production. The bench
(``bench/bench_delivery.py --only memory``) sends 100,000 strangers through the same router path and
measures the memory; here a few thousand distinct senders show the rule (zero buckets, zero locks).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot

STRANGERS = 1_000


async def test_strangers_never_get_a_rate_bucket_and_officers_still_do(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    settings = make_settings(sqlite_url, tmp_path, rate_limit_per_minute=60, rate_limit_burst=3)
    async with running_bot(fake_bot_api, settings, clock) as bot:
        limiter = bot.runtime.router.limiter
        first = 5_000_000
        for user_id in range(first, first + STRANGERS):
            fake_bot_api.user_sends(user_id, "hello" if user_id % 2 else "你好")
        await fake_bot_api.wait_for_sent(count=STRANGERS, timeout=240)
        refused = {m.chat_id for m in fake_bot_api.sent}
        assert refused == set(range(first, first + STRANGERS))  # each stranger refused once, with their id
        assert all(str(m.chat_id) in (m.text or "") for m in fake_bot_api.sent)
        assert len(limiter._buckets) == 0  # no per-user structure for anyone outside the allowlist
        adapter_locks = [h.callback.__self__._locks for h in bot.app.handlers[0] if hasattr(h.callback, "__self__")]
        assert adapter_locks and all(len(locks) == 0 for locks in adapter_locks)

        # an allowlisted officer is still rate limited: a burst of 3, then "too many"
        for i in range(5):
            fake_bot_api.user_sends(OFFICER_ID, f"/help {i}")
        replies = await fake_bot_api.wait_for_sent(OFFICER_ID, count=5, timeout=30)
        assert list(limiter._buckets) == [OFFICER_ID]
        limited = [m for m in replies if "faster than I can answer" in (m.text or "")]
        assert len(limited) == 2, [m.text for m in replies]
