"""The sweep's last run lives in the database (``job_leases``), not in the process: a restart does not sweep
again before the interval, two instances sweep once, and a failed sweep is retried on the next tick."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from skills.alerts import service
from skills.alerts.service import SWEEP_LEASE, sweep_when_due
from skills.store.models import JobLease
from skills.store.session import unit_of_work
from tests.conftest import make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.skills.alerts.conftest import NO_HISTORY_GATE


async def _last_run(h: ConsoleHarness) -> object:
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        return await session.scalar(select(JobLease.last_run_at).where(JobLease.name == SWEEP_LEASE))


async def test_the_last_sweep_survives_a_restart(
    sqlite_url: str, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[object] = []

    async def counting_sweep(services: object, now: object) -> None:
        runs.append(now)

    monkeypatch.setattr(service, "sweep", counting_sweep)
    settings = make_settings(sqlite_url, tmp_path, alerts=NO_HISTORY_GATE)
    first = await ConsoleHarness.create(settings, clock=clock)
    try:
        start = clock()
        await sweep_when_due(first.runtime.services, start)
        assert runs == [start] and await _last_run(first) == start
    finally:
        await first.close()
    restarted = await ConsoleHarness.create(settings, clock=clock)  # a new process on the same database
    try:
        services = restarted.runtime.services
        interval = services.config.alerts.sweep_interval_seconds
        await sweep_when_due(services, start + timedelta(seconds=interval - 1))
        assert runs == [start]  # not due yet, although this process never swept
        later = start + timedelta(seconds=interval)
        await sweep_when_due(services, later)
        await sweep_when_due(services, later)  # a second instance at the same moment: nothing
        assert runs == [start, later] and await _last_run(restarted) == later
    finally:
        await restarted.close()


async def test_a_failed_sweep_is_retried_on_the_next_tick(
    harness: ConsoleHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    async def failing_once(services: object, now: object) -> None:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    monkeypatch.setattr(service, "sweep", failing_once)
    now = harness.clock()
    with pytest.raises(RuntimeError):
        await sweep_when_due(harness.runtime.services, now)
    assert await _last_run(harness) is None  # the claim was given back
    await sweep_when_due(harness.runtime.services, now + timedelta(minutes=1))
    assert len(calls) == 2


async def test_live_alerts_are_unique_by_key_through_the_migrations_partial_index(
    database_url: str, tmp_path: Path
) -> None:
    """The model does not declare the partial unique index (that would load the PostgreSQL dialect at every
    start); migration 0006 makes it, on both databases, unique only among alerts not resolved."""
    from bot.runtime import Runtime

    runtime = await Runtime.create(make_settings(database_url, tmp_path), retriever=False, warm_up="skip")
    try:
        async with runtime.engine.connect() as conn:
            if runtime.engine.dialect.name == "sqlite":
                query = "SELECT sql FROM sqlite_master WHERE name = 'uq_alerts_live_dedup_key'"
            else:
                query = "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_alerts_live_dedup_key'"
            definition = (await conn.execute(text(query))).scalar_one()
    finally:
        await runtime.close()
    assert "UNIQUE" in definition.upper() and "dedup_key" in definition
    assert "resolved" in definition and "WHERE" in definition.upper()
