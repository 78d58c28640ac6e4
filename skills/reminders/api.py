"""What other skills may use of the reminders skill: create reminders, read the due ones, mark one done, and
the working-day calendar and time parser the reminders skill owns.

Everything here is a thin function over the skill's own modules; other skills import only this module
(``tests/test_architecture.py`` enforces it), so the skill can change its tables and internals freely.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.reminders.models import ACTIVE, DONE, FIRED, Reminder
from skills.reminders.service import create_reminder, next_reminder
from skills.reminders.timeparse import Parsed, has_time_expression, parse_reminder
from skills.reminders.workdays import add_working_days, is_working_day

__all__ = [
    "DueReminder",
    "Parsed",
    "add_working_days",
    "complete",
    "create_reminder",
    "due_between",
    "has_time_expression",
    "is_working_day",
    "next_reminder",
    "overdue_followups",
    "parse_reminder",
]

_CHUNK = 500  # officer ids per IN (...) list: well under SQLite's and asyncpg's parameter limits


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder as other skills see it (read-only): whose, about which client, what, due when (UTC)."""

    id: int
    officer_id: int
    client_id: int | None
    text: str
    due_at: datetime


def _ids(officer_ids: int | Iterable[int]) -> list[int]:
    return [officer_ids] if isinstance(officer_ids, int) else list(dict.fromkeys(officer_ids))


async def _select(session: AsyncSession, officer_ids: int | Iterable[int], *where: object) -> list[DueReminder]:
    ids = _ids(officer_ids)
    rows: list[Reminder] = []
    for start in range(0, len(ids), _CHUNK):
        stmt = select(Reminder).where(Reminder.officer_id.in_(ids[start : start + _CHUNK]), *where)  # type: ignore[arg-type]
        rows.extend((await session.scalars(stmt)).all())
    rows.sort(key=lambda r: (r.due_at, r.id))
    return [DueReminder(r.id, r.officer_id, r.client_id, r.text, r.due_at) for r in rows]


async def due_between(
    session: AsyncSession, officer_ids: int | Iterable[int], start_utc: datetime | None, end_utc: datetime
) -> Sequence[DueReminder]:
    """Pending reminders of one officer (or several: one query per 500) due in ``[start_utc, end_utc)``,
    soonest first; ``start_utc=None`` includes every pending one due before ``end_utc``."""
    where = [Reminder.state == ACTIVE, Reminder.due_at < end_utc]
    if start_utc is not None:
        where.append(Reminder.due_at >= start_utc)
    return await _select(session, officer_ids, *where)


async def overdue_followups(
    session: AsyncSession, officer_ids: int | Iterable[int], before_utc: datetime
) -> Sequence[DueReminder]:
    """Reminders that fired before ``before_utc`` and were never marked done (follow-ups still owed), oldest first."""
    return await _select(session, officer_ids, Reminder.state == FIRED, Reminder.due_at < before_utc)


async def complete(session: AsyncSession, reminder_id: int) -> bool:
    """Mark a pending or fired reminder done (the work happened); False if it is gone or already closed."""
    row = await session.get(Reminder, reminder_id)
    if row is None or row.state not in (ACTIVE, FIRED):
        return False
    row.state = DONE
    return True
