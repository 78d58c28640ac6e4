"""Two dispatchers on one PostgreSQL database: 1,000 due reminders are delivered exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dispatcher import Dispatcher
from bot.runtime import Runtime
from skills.reminders.service import create_reminder
from skills.store.models import Officer as OfficerRow
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.databases import fresh_database, pg_available
from tests.fixtures.harness import RecordingTransport

pytestmark = pytest.mark.postgres

N = 1000


@pytest.fixture
def pg_only() -> None:
    reason = pg_available()
    if reason:
        pytest.skip(reason)


@pytest.mark.usefixtures("pg_only")
async def test_two_instances_deliver_each_reminder_once(tmp_path: Path) -> None:
    now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    async with fresh_database("postgres", tmp_path) as url:
        settings = make_settings(url, tmp_path)
        first = await Runtime.create(settings, clock=lambda: now, retriever=False)
        second = await Runtime.create(settings, clock=lambda: now, retriever=False, migrate=False)
        try:
            async with first.services.sessionmaker() as session:
                session.add(OfficerRow(id=OFFICER_ID, name="Li", role="officer", active=True, created_at=now))
                await session.flush()
                for i in range(N):
                    recurrence = "FREQ=DAILY" if i % 10 == 0 else None  # series take the per-row claim path
                    await create_reminder(session, officer_id=OFFICER_ID, text=f"task {i}",
                                          due_at=now - timedelta(seconds=i % 50), recurrence=recurrence)
                await session.commit()
            transports = [RecordingTransport(), RecordingTransport()]
            dispatchers = [
                Dispatcher(rt.services, tr, rt.skills, instance_id=name, batch=50)
                for rt, tr, name in zip((first, second), transports, ("a", "b"), strict=True)
            ]
            for step in range(4):
                at = now + timedelta(seconds=2 * step)
                await asyncio.gather(*(d.tick(at) for d in dispatchers))
            texts = [p[1].splitlines()[0] for tr in transports for p in tr.pushes]
            counts = Counter(texts)
            assert len(texts) == N
            assert max(counts.values()) == 1
            # Which instance sends is a race (the pickup job runs on one instance per interval, under a lease).
        finally:
            await first.close()
            await second.close()
