"""Periodic-job leases and shared dispatcher flags, kept in the database so every instance sees them.

A periodic job runs at most once per interval across all instances: an instance claims the job's lease
row (on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so a busy row is skipped, not waited on) and moves
``last_run_at`` forward only if the interval has passed. Restarting an instance does not reset it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from skills.store.models import DispatcherState, JobLease
from skills.store.session import dialect_insert, is_postgres

__all__ = ["AUTH_PAUSED", "claim_run", "clear_flag", "get_flag", "last_runs", "looks_due", "release_run", "set_flag"]

AUTH_PAUSED = "auth_paused"


async def claim_run(session: AsyncSession, name: str, *, now: datetime, interval: float, holder: str) -> bool:
    """True if this instance may run job ``name`` now (and records that it does); caller commits."""
    since = now - timedelta(seconds=interval)
    last = await session.scalar(select(JobLease.last_run_at).where(JobLease.name == name))
    if last is not None and last > since:  # the common case, read-only: not due yet
        return False
    insert_ = dialect_insert(session)
    await session.execute(insert_(JobLease).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    query = select(JobLease).where(JobLease.name == name).execution_options(populate_existing=True)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    lease = await session.scalar(query)
    if lease is None:  # another instance holds the row right now: it is claiming the job
        return False
    if lease.last_run_at is not None and lease.last_run_at > since:
        return False
    lease.last_run_at = now
    lease.holder = holder
    await session.flush()
    return True


async def last_runs(session: AsyncSession) -> dict[str, datetime | None]:
    """When each job last ran, in one read: a tick claims (a write) only the jobs that look due."""
    return {name: at for name, at in (await session.execute(select(JobLease.name, JobLease.last_run_at))).all()}


def looks_due(last_run_at: datetime | None, *, now: datetime, interval: float) -> bool:
    """Whether a job that last ran at ``last_run_at`` is due (:func:`claim_run` decides, atomically)."""
    return last_run_at is None or last_run_at <= now - timedelta(seconds=interval)


async def release_run(session: AsyncSession, name: str, *, holder: str) -> None:
    """Give back a claim whose job failed (a database outage mid-sweep, say): the next tick of any instance
    runs it again instead of waiting a whole interval. Caller commits."""
    await session.execute(
        update(JobLease).where(JobLease.name == name, JobLease.holder == holder).values(last_run_at=None)
    )


async def set_flag(session: AsyncSession, name: str, *, now: datetime, detail: str) -> bool:
    """Raise flag ``name``; True if it was not raised before (the caller logs the change once)."""
    insert_ = dialect_insert(session)
    await session.execute(insert_(DispatcherState).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    row = await session.get(DispatcherState, name, with_for_update=is_postgres(session), populate_existing=True)
    assert row is not None
    was_down = row.since is None
    if was_down:
        row.since = now
    row.detail, row.updated_at = detail, now
    await session.flush()
    return was_down


async def clear_flag(session: AsyncSession, name: str, *, now: datetime) -> bool:
    """Lower flag ``name``; True if it was raised."""
    row = await session.get(DispatcherState, name, with_for_update=is_postgres(session))
    if row is None or row.since is None:
        return False
    row.since, row.updated_at = None, now
    await session.flush()
    return True


async def get_flag(session: AsyncSession, name: str) -> DispatcherState | None:
    """The flag's row if it is raised, else None."""
    row = await session.get(DispatcherState, name)
    return row if row is not None and row.since is not None else None
