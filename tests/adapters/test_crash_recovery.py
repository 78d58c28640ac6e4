"""The bot process is killed with SIGKILL in the middle of a dispatch batch and restarted.

Every push is delivered at least once; duplicates are bounded by the sends in flight at the moment of
the kill (8 concurrent sends plus up to 7 sent but not yet marked: 15). A real `python -m bot run` process talks to the fake Bot API.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import Runtime
from skills.store import unit_of_work
from skills.store.outbox import enqueue
from tests.conftest import OFFICER_ID
from tests.fixtures.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent
N = 80


async def _start_bot(fake: FakeBotAPI, db_url: str, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
        "TELEGRAM_API_BASE_FILE_URL": f"{fake.url}/file/bot",
        "DATABASE_URL": db_url,
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "LOAD_PLAYBOOK": "false",
        "PORTFOLIO__DEMO_ON_EMPTY": "false",
        "DISPATCH_INTERVAL": "0.2",
        "DISPATCH_LEASE_SECONDS": "2",
        "DISPATCH_CHAT_RATE_PER_SECOND": "0",  # 80 pushes to one chat: not paced here (bench_delivery is)
        "ALLOWED_USER_IDS": str(OFFICER_ID),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )


@pytest.mark.slow
async def test_sigkill_mid_batch_then_restart_delivers_everything(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path
) -> None:
    settings = Settings(_env_file=None, database_url=sqlite_url, chroma_path=tmp_path / "chroma")  # type: ignore[call-arg]
    runtime = await Runtime.create(settings, retriever=False)
    async with unit_of_work(runtime.services.sessionmaker) as session:
        for i in range(N):
            await enqueue(session, chat_id=OFFICER_ID, kind="test", text=f"push #{i}",
                          due_at=datetime.now(UTC), idempotency_key=f"crash:{i}")
    await runtime.close()

    fake_bot_api.fail_with_delay("sendMessage", seconds=0.05, times=N * 2)  # slow sends: a batch takes a while
    first = await _start_bot(fake_bot_api, sqlite_url, tmp_path)
    try:
        await fake_bot_api.wait_for_sent(OFFICER_ID, count=10, timeout=120)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    delivered_before = len(fake_bot_api.messages_to(OFFICER_ID))
    assert delivered_before < N, "the kill must land mid-way"

    second = await _start_bot(fake_bot_api, sqlite_url, tmp_path)
    try:
        async def all_there() -> None:
            while len({m.text for m in fake_bot_api.messages_to(OFFICER_ID)}) < N:
                await fake_bot_api.wait_for_sent(OFFICER_ID, count=len(fake_bot_api.messages_to(OFFICER_ID)) + 1, timeout=60)

        await asyncio.wait_for(all_there(), timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=30)
    counts = Counter(m.text for m in fake_bot_api.messages_to(OFFICER_ID))
    assert set(counts) == {f"push #{i}" for i in range(N)}
    duplicates = sum(c - 1 for c in counts.values())
    assert duplicates <= 15, counts.most_common(10)
    assert second.returncode == 0, "SIGTERM shuts down gracefully"
