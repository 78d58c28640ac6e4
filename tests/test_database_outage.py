"""The database goes away in the middle of an alert sweep (PostgreSQL connections killed, as a restart
does): the sweep rolls back whole, the next tick sweeps again, and every alert is pushed exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select

import skills.alerts.service as alert_service
from bot.runtime import Runtime
from skills.portfolio.demo import load_demo
from skills.store import OutboxMessage, unit_of_work
from skills.store.models import Officer
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.databases import PG_ADMIN_DSN, fresh_database, pg_available
from tests.fixtures.harness import Clock, RecordingTransport


@pytest.mark.postgres
async def test_sweep_survives_the_database_dropping_all_connections(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reason := pg_available():
        pytest.skip(reason)
    async with fresh_database("postgres", tmp_path) as url:
        runtime = await Runtime.create(make_settings(url, tmp_path), clock=clock, retriever=False)
        try:
            async with unit_of_work(runtime.services.sessionmaker) as session:
                session.add(Officer(id=OFFICER_ID, name="o", role="officer", active=True, created_at=clock.now))
                await session.flush()
                await load_demo(session, officer_ids=[OFFICER_ID], today=clock.now.date(), now=clock.now)

            database = url.rsplit("/", 1)[1]
            original = alert_service.load_metrics
            outages = {"left": 1}

            async def metrics_then_outage(*args, **kwargs):  # type: ignore[no-untyped-def]
                result = await original(*args, **kwargs)
                if outages["left"]:
                    outages["left"] -= 1
                    admin = await asyncpg.connect(PG_ADMIN_DSN)
                    try:  # what a PostgreSQL restart does to every open connection
                        await admin.execute(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = $1 AND pid <> pg_backend_pid()", database,
                        )
                    finally:
                        await admin.close()
                return result

            monkeypatch.setattr(alert_service, "load_metrics", metrics_then_outage)
            transport = RecordingTransport()
            dispatcher = runtime.dispatcher(transport, clock=clock)
            first = await dispatcher.tick(clock.now)
            assert "alerts.sweep" not in first.periodic_runs, "the sweep failed mid-way"
            async with runtime.services.sessionmaker() as session:
                assert (await session.scalars(select(OutboxMessage))).all() == [], "nothing half-written"
            for _ in range(3):
                await dispatcher.tick(clock.advance(seconds=61))
            async with runtime.services.sessionmaker() as session:
                rows = (
                    await session.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(("alert", "digest"))))
                ).all()
        finally:
            await runtime.close()
    assert rows, "the sweep resumed and raised the demo's alerts"
    assert all(r.state == "sent" for r in rows)
    # the demo's first sweep is one digest per officer (issue 14), plus any red that is new: each pushed once
    texts = Counter(p[1] for p in transport.pushes if p[1].startswith(("🟥", "🟨", "🚨", "⚠")) or "digest" in p[1].lower())
    assert texts and max(texts.values()) == 1, texts.most_common(3)
