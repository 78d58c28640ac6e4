"""The reminders skill's public API for other skills (read-only views; callers never touch its tables).

Only what the morning brief needs: pending reminders due in a window and fired follow-ups still unanswered,
for many officers at once (one statement per 500 officers), as plain frozen views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.reminders.models import ACTIVE, FIRED, Reminder

__all__ = ["ReminderDue", "due_between", "overdue_followups"]

_BATCH = 500


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """A reminder as other skills see it (``due_at`` in UTC)."""

    id: int
    officer_id: int
    client_id: int | None
    text: str
    due_at: datetime


def _view(r: Reminder) -> ReminderDue:
    return ReminderDue(r.id, r.officer_id, r.client_id, r.text, r.due_at)


async def _by_officer(
    session: AsyncSession, officer_ids: Sequence[int], *conditions: object
) -> dict[int, list[ReminderDue]]:
    out: dict[int, list[ReminderDue]] = {}
    ids = sorted(set(officer_ids))
    for start in range(0, len(ids), _BATCH):
        stmt = (
            select(Reminder)
            .where(Reminder.officer_id.in_(ids[start : start + _BATCH]), *conditions)  # type: ignore[arg-type]
            .order_by(Reminder.due_at, Reminder.id)
        )
        for r in (await session.scalars(stmt)).all():
            out.setdefault(r.officer_id, []).append(_view(r))
    return out


async def due_between(
    session: AsyncSession, officer_ids: Sequence[int], start_utc: datetime | None, end_utc: datetime
) -> dict[int, list[ReminderDue]]:
    """Pending (not yet fired) reminders due in ``[start_utc, end_utc)`` per officer, soonest first.

    ``start_utc`` None: no lower bound (a pending reminder whose time has passed but has not fired yet)."""
    conditions: list[object] = [Reminder.state == ACTIVE, Reminder.due_at < end_utc]
    if start_utc is not None:
        conditions.append(Reminder.due_at >= start_utc)
    return await _by_officer(session, officer_ids, *conditions)


async def overdue_followups(
    session: AsyncSession, officer_ids: Sequence[int], before_utc: datetime
) -> dict[int, list[ReminderDue]]:
    """Reminders that fired before ``before_utc`` and were neither done nor snoozed, per officer, oldest first."""
    return await _by_officer(session, officer_ids, Reminder.state == FIRED, Reminder.due_at < before_utc)
