"""Objection log queries: record a card shown, mark it logged, count logged objections.

Repositories add and flush; the router's unit of work commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.objection.cards import CATEGORY
from skills.objection.models import ObjectionLog

__all__ = [
    "add_shown",
    "count_by_category",
    "count_by_objection",
    "get_for_officer",
    "mark_logged",
    "month_bounds",
    "top_for_officer",
]


async def add_shown(
    session: AsyncSession,
    *,
    officer_id: int,
    client_id: int | None,
    objection_id: str,
    text: str,
    lang: str,
    alternatives: list[Any],
    now: datetime,
) -> ObjectionLog:
    """Record a card shown to an officer (not yet logged) and return it with its id."""
    row = ObjectionLog(
        officer_id=officer_id,
        client_id=client_id,
        objection_id=objection_id,
        category=CATEGORY.get(objection_id, "other"),
        text=text[:2000],
        lang=lang,
        alternatives=alternatives,
        created_at=now,
        logged_at=None,
    )
    session.add(row)
    await session.flush()
    return row


async def get_for_officer(session: AsyncSession, row_id: int, officer_id: int) -> ObjectionLog | None:
    """The card row if it was shown to this officer (buttons are personal), else None."""
    row = await session.get(ObjectionLog, row_id)
    return row if row is not None and row.officer_id == officer_id else None


async def mark_logged(session: AsyncSession, row: ObjectionLog, objection_id: str, now: datetime) -> ObjectionLog | None:
    """Log ``objection_id`` from the message behind ``row``; None if that objection is already logged.

    The first log marks the row itself; logging a second objection named in the same message adds a row.
    """
    if row.logged_at is None:
        row.objection_id, row.category, row.logged_at = objection_id, CATEGORY.get(objection_id, "other"), now
        await session.flush()
        return row
    same = await session.scalar(
        select(func.count()).where(
            ObjectionLog.officer_id == row.officer_id,
            ObjectionLog.created_at == row.created_at,
            ObjectionLog.text == row.text,
            ObjectionLog.objection_id == objection_id,
            ObjectionLog.logged_at.is_not(None),
        )
    )
    if same:
        return None
    extra = ObjectionLog(
        officer_id=row.officer_id, client_id=row.client_id, objection_id=objection_id,
        category=CATEGORY.get(objection_id, "other"), text=row.text, lang=row.lang,
        alternatives=list(row.alternatives or []), created_at=row.created_at, logged_at=now,
    )  # fmt: skip
    session.add(extra)
    await session.flush()
    return extra


async def count_by_category(session: AsyncSession, client_id: int) -> dict[str, int]:
    """Logged objections of one client, per category (``{"pricing": 3, "security": 1}``)."""
    stmt = (
        select(ObjectionLog.category, func.count())
        .where(ObjectionLog.client_id == client_id, ObjectionLog.logged_at.is_not(None))
        .group_by(ObjectionLog.category)
    )
    return {category: int(n) for category, n in (await session.execute(stmt)).all()}


async def count_by_objection(session: AsyncSession, client_id: int) -> dict[str, int]:
    """Logged objections of one client, per card id."""
    stmt = (
        select(ObjectionLog.objection_id, func.count())
        .where(ObjectionLog.client_id == client_id, ObjectionLog.logged_at.is_not(None))
        .group_by(ObjectionLog.objection_id)
    )
    return {oid: int(n) for oid, n in (await session.execute(stmt)).all()}


def month_bounds(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """The officer-local calendar month containing ``now``, as UTC [start, end).

    >>> s, e = month_bounds(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai")  # 1 Dec 01:00 local
    >>> s.isoformat(), e.isoformat()
    ('2026-11-30T16:00:00+00:00', '2026-12-31T16:00:00+00:00')
    """
    local = now.astimezone(ZoneInfo(tz))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start.astimezone(UTC), end.astimezone(UTC)


async def top_for_officer(
    session: AsyncSession, officer_id: int, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """The officer's logged objections in [start, end), most frequent first."""
    n = func.count().label("n")
    stmt = (
        select(ObjectionLog.objection_id, n)
        .where(
            ObjectionLog.officer_id == officer_id,
            ObjectionLog.logged_at.is_not(None),
            ObjectionLog.logged_at >= start,
            ObjectionLog.logged_at < end,
        )
        .group_by(ObjectionLog.objection_id)
        .order_by(n.desc(), ObjectionLog.objection_id)
    )
    return [(oid, int(count)) for oid, count in (await session.execute(stmt)).all()]
