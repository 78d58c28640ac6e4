"""Officers Telegram cannot reach (they blocked the bot, their chat is gone): marked, then cleared when
they write to the bot again. Their pushes are held meanwhile (``skills.store.outbox.hold_chat``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from skills.store import outbox
from skills.store.models import Officer

__all__ = ["mark_reachable", "mark_unreachable", "unreachable_among"]


async def mark_unreachable(session: AsyncSession, officer_id: int, *, reason: str, now: datetime) -> bool:
    """Mark the officer unreachable; True if they were reachable until now."""
    result = await session.execute(
        update(Officer)
        .where(Officer.id == officer_id, Officer.unreachable_since.is_(None))
        .values(unreachable_since=now, unreachable_reason=reason[:200])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_reachable(session: AsyncSession, officer: Officer, *, now: datetime) -> int:
    """The officer wrote to the bot: reachable again, their held pushes due now; returns how many."""
    if officer.unreachable_since is None:
        return 0
    officer.unreachable_since = None
    officer.unreachable_reason = None
    return await outbox.unhold_chat(session, officer.id, now=now)


async def unreachable_among(session: AsyncSession, chat_ids: Iterable[int]) -> dict[int, str]:
    """Which of ``chat_ids`` belong to unreachable officers, with the reason."""
    ids = list(chat_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Officer.id, Officer.unreachable_reason).where(
            Officer.id.in_(ids), Officer.unreachable_since.is_not(None)
        )
    )
    return {officer_id: reason or "unreachable" for officer_id, reason in rows.all()}
