"""Two FactorMate processes in webhook mode behind a (fake) balancer, sharing PostgreSQL and one fake Bot API.

500 updates from 50 officers are spread over both webhooks; 200 reminders fall due; the alert sweep runs on
both. Every message is answered exactly once, every reminder and alert is pushed exactly once, no errors.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.runtime import Runtime
from skills.store import OutboxMessage, unit_of_work
from tests.fixtures.databases import fresh_database, pg_available
from tests.fixtures.fake_bot_api_server import BalancedFakeBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent
OFFICERS = list(range(5001, 5051))
DEMO_OFFICER = 4242
MESSAGES = [
    "/help", "quote 1m 90d", "client says the rate is too high", "/alerts", "/reminders",
    "100万 60天 融资比例80%", "客户嫌手续费太高", "/tz Asia/Shanghai", "/quotes", "/lang en",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_listening(port: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(1200):
        if proc.returncode is not None:
            raise RuntimeError(f"instance exited early with {proc.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError(f"instance never listened on {port}")


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_webhook_instances_answer_and_push_exactly_once(tmp_path: Path) -> None:
    if reason := pg_available():
        pytest.skip(reason)
    async with fresh_database("postgres", tmp_path) as db_url:
        settings = Settings(_env_file=None, database_url=db_url, chroma_path=tmp_path / "chroma")  # type: ignore[call-arg]
        runtime = await Runtime.create(settings, retriever=False)
        from skills.portfolio.demo import load_demo
        from skills.reminders.service import create_reminder

        now = datetime.now(UTC)
        async with unit_of_work(runtime.services.sessionmaker) as session:
            from skills.store.models import Officer

            for officer in [*OFFICERS, DEMO_OFFICER]:
                if await session.get(Officer, officer) is None:
                    session.add(Officer(id=officer, name=f"O{officer}", role="officer", active=True, created_at=now))
            await session.flush()
            await load_demo(session, officer_ids=[DEMO_OFFICER], today=now.date(), now=now)
            for i in range(200):
                await create_reminder(session, officer_id=OFFICERS[i % 50], text=f"due task {i}",
                                      due_at=now - timedelta(seconds=1), now=now - timedelta(minutes=1))
        await runtime.close()

        ports = [_free_port(), _free_port()]
        fake = BalancedFakeBotAPI(balance=[f"http://127.0.0.1:{p}/telegram" for p in ports])
        await fake.start()
        procs: list[asyncio.subprocess.Process] = []
        logs = [tmp_path / f"instance{i}.log" for i in range(2)]
        try:
            for i, port in enumerate(ports):
                env = {
                    **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TELEGRAM_", "WEBHOOK_"))},
                    "TELEGRAM_BOT_TOKEN": fake.token,
                    "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
                    "TELEGRAM_API_BASE_FILE_URL": f"{fake.url}/file/bot",
                    "DATABASE_URL": db_url,
                    "CHROMA_PATH": str(tmp_path / f"chroma{i}"),
                    "LOAD_PLAYBOOK": "false",
                    "PORTFOLIO__DEMO_ON_EMPTY": "false",
                    "WEBHOOK_URL": f"http://127.0.0.1:{port}",
                    "WEBHOOK_SECRET": "scale-out-secret",
                    "WEBHOOK_LISTEN": "127.0.0.1",
                    "WEBHOOK_PORT": str(port),
                    "ALLOWED_USER_IDS": ",".join(str(o) for o in [*OFFICERS, DEMO_OFFICER]),
                    "INSTANCE_ID": f"instance-{i}",
                    "RATE_LIMIT_PER_MINUTE": "600",
                    # no morning brief: it is due from 08:30 in the officers' zone (Asia/Shanghai, 00:30 UTC) on
                    # working days, and would be one push more than this test counts when run in that window
                    "ALERTS__BRIEF_ENABLED": "false",
                }
                with logs[i].open("w") as handle:
                    procs.append(await asyncio.create_subprocess_exec(
                        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=handle, stderr=handle,
                    ))
            for port, proc in zip(ports, procs, strict=True):
                await _wait_listening(port, proc)
            await fake.wait_for_call("setWebhook", count=2, timeout=60)

            for round_ in range(len(MESSAGES)):
                for officer in OFFICERS:
                    fake.user_sends(officer, MESSAGES[round_])
                await fake.wait_for_webhook_deliveries(count=(round_ + 1) * len(OFFICERS), timeout=120)
            for officer in OFFICERS:
                expected = len(MESSAGES) + 4  # 10 answers + 4 due reminders each
                await fake.wait_for_sent(officer, count=expected, timeout=180)
            await asyncio.sleep(0)  # let both dispatchers finish their current round
        finally:
            for proc in procs:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                await asyncio.wait_for(proc.wait(), timeout=60)
            await fake.stop()

        statuses = Counter(status for _, status in fake.webhook_deliveries)
        assert statuses == {200: 500}, statuses
        for officer in OFFICERS:
            texts = [m.text for m in fake.messages_to(officer)]
            assert len(texts) == len(MESSAGES) + 4, (officer, texts)
            assert not any("Sorry, something went wrong" in t for t in texts)
            reminders = [t for t in texts if t.startswith("⏰") and "due task" in t]
            assert len(reminders) == len(set(reminders)) == 4
        alert_texts = [m.text for m in fake.messages_to(DEMO_OFFICER)]
        assert alert_texts, "the demo portfolio raises alerts"
        assert len(alert_texts) == len(set(alert_texts)), "each alert pushed once"
        settings2 = Settings(_env_file=None, database_url=db_url, chroma_path=tmp_path / "chroma")  # type: ignore[call-arg]
        check = await Runtime.create(settings2, retriever=False, migrate=False)
        async with check.services.sessionmaker() as session:
            rows = (await session.scalars(select(OutboxMessage))).all()
        await check.close()
        assert all(r.state == "sent" for r in rows), Counter(r.state for r in rows)
        # Which instance claims which push is a race; that only the two instances ever claim is not.
        assert {r.claimed_by for r in rows} <= {"instance-0", "instance-1"}
        for log in logs:
            errors = [ln for ln in log.read_text().splitlines() if " ERROR " in ln or "Traceback" in ln]
            assert errors == [], errors[:5]
