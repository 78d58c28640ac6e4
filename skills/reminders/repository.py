"""Reminder queries: an officer's own reminders, upcoming lists, and atomic claims of due ones.

Repositories ``add``/``flush`` but never commit; the caller owns the unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from skills.reminders.models import ACTIVE, FIRED, Reminder
from skills.store.base import is_row_id
from skills.store.models import Officer as OfficerRow
from skills.store.session import is_postgres

__all__ = ["Claimed", "active_child", "claim_due", "count_upcoming", "get_own", "list_upcoming"]


async def get_own(session: AsyncSession, officer_id: int, reminder_id: int) -> Reminder | None:
    """The reminder if it belongs to ``officer_id``; None otherwise (never reveals another officer's)."""
    if not is_row_id(reminder_id):
        return None
    row = await session.get(Reminder, reminder_id)
    return row if row is not None and row.officer_id == officer_id else None


async def active_child(session: AsyncSession, parent_id: int) -> Reminder | None:
    """The pending snooze of reminder ``parent_id``, if one exists."""
    stmt = select(Reminder).where(Reminder.parent_id == parent_id, Reminder.state == ACTIVE).limit(1)
    return (await session.scalars(stmt)).first()


async def list_upcoming(
    session: AsyncSession, officer_id: int, *, until: datetime | None = None, limit: int = 15
) -> Sequence[Reminder]:
    """The officer's pending reminders, soonest first (``until`` bounds the due time)."""
    stmt = select(Reminder).where(Reminder.officer_id == officer_id, Reminder.state == ACTIVE)
    if until is not None:
        stmt = stmt.where(Reminder.due_at < until)
    return (await session.scalars(stmt.order_by(Reminder.due_at, Reminder.id).limit(limit))).all()


async def count_upcoming(session: AsyncSession, officer_id: int, *, until: datetime | None = None) -> int:
    stmt = select(func.count()).select_from(Reminder).where(Reminder.officer_id == officer_id, Reminder.state == ACTIVE)
    if until is not None:
        stmt = stmt.where(Reminder.due_at < until)
    return int(await session.scalar(stmt) or 0)


@dataclass(frozen=True, slots=True)
class Claimed:
    """One due occurrence this instance now owns: the reminder, its officer, the occurrence's due time."""

    reminder: Reminder
    officer: OfficerRow
    due: datetime


async def claim_due(
    session: AsyncSession,
    now: datetime,
    limit: int,
    next_due: Callable[[Reminder, datetime], datetime],
) -> list[Claimed]:
    """Claim up to ``limit`` due reminders atomically; the caller enqueues their pushes in the same transaction.

    PostgreSQL: candidates are locked with ``FOR UPDATE SKIP LOCKED`` (other instances skip them).
    Everywhere: the state change is a conditional UPDATE (``state='active' AND due_at=<seen>``), so a row
    another instance claimed first is simply not returned. One-offs become ``fired``; a series moves
    ``due_at`` to the occurrence computed by ``next_due(reminder, now)``.
    """
    stmt = (
        select(Reminder, OfficerRow)
        .join(OfficerRow, OfficerRow.id == Reminder.officer_id)
        .where(Reminder.state == ACTIVE, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True, of=Reminder)
    rows = (await session.execute(stmt)).all()
    if not rows:
        return []
    claimed: list[Claimed] = []
    one_offs = {r.id: (r, o) for r, o in rows if not r.recurrence}
    if one_offs:
        won = (
            await session.scalars(
                update(Reminder)
                .where(Reminder.id.in_(list(one_offs)), Reminder.state == ACTIVE, Reminder.due_at <= now)
                .values(state=FIRED, last_fired_at=now, last_due_at=Reminder.due_at, fired_count=Reminder.fired_count + 1)
                .returning(Reminder.id)
                .execution_options(synchronize_session=False)
            )
        ).all()
        claimed.extend(Claimed(one_offs[i][0], one_offs[i][1], one_offs[i][0].due_at) for i in won)
    for reminder, officer in rows:
        if not reminder.recurrence:
            continue
        try:
            following: datetime = next_due(reminder, now)
        except ValueError:  # the series has ended ("until …" / "for N times"): this was its last occurrence
            won_id = await session.scalar(
                update(Reminder)
                .where(Reminder.id == reminder.id, Reminder.state == ACTIVE, Reminder.due_at == reminder.due_at)
                .values(state=FIRED, last_fired_at=now, last_due_at=reminder.due_at, fired_count=Reminder.fired_count + 1)
                .returning(Reminder.id)
                .execution_options(synchronize_session=False)
            )
            if won_id is not None:
                claimed.append(Claimed(reminder, officer, reminder.due_at))
            continue
        won_id = await session.scalar(
            update(Reminder)
            .where(Reminder.id == reminder.id, Reminder.state == ACTIVE, Reminder.due_at == reminder.due_at)
            .values(due_at=following, last_fired_at=now, last_due_at=reminder.due_at,
                    fired_count=Reminder.fired_count + 1)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        )
        if won_id is not None:
            claimed.append(Claimed(reminder, officer, reminder.due_at))
    claimed.sort(key=lambda c: (c.due, c.reminder.id))
    return claimed
