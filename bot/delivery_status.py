"""What operators need to know about push delivery, for ``doctor`` and ``/healthz``: paused on a refused
token (401), dead letters in the last hour, the oldest push still waiting, officers Telegram cannot reach,
pushes whose ``ok: true`` answer could not be read (delivered, not re-sent)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.store import outbox
from skills.store.leases import AUTH_PAUSED, get_flag
from skills.store.models import Officer

__all__ = ["DeliveryStatus", "delivery_status"]

LATE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """A snapshot of the dispatcher's shared state."""

    paused_since: datetime | None
    pause_reason: str | None
    dead_letters_last_hour: int
    oldest_pending_seconds: float | None
    unreachable_officers: int
    # pushes Telegram accepted (``ok: true``) but answered unreadably: marked sent, never re-sent (at most
    # once by design); a steady count means a proxy or an API change is mangling Telegram's answers
    unreadable_answers_last_day: int = 0

    @property
    def late(self) -> bool:
        """Pushes are waiting longer than they should (no instance sending?)."""
        return self.oldest_pending_seconds is not None and self.oldest_pending_seconds > LATE_AFTER.total_seconds()

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["paused_since"] = self.paused_since.isoformat() if self.paused_since else None
        data["paused"] = self.paused_since is not None
        return data


async def delivery_status(session: AsyncSession, now: datetime) -> DeliveryStatus:
    """Read the delivery state shared by every instance."""
    flag = await get_flag(session, AUTH_PAUSED)
    oldest = await outbox.oldest_pending(session)
    due_for = (now - oldest).total_seconds() if oldest is not None and oldest <= now else None
    unreachable = await session.scalar(
        select(func.count()).select_from(Officer).where(Officer.unreachable_since.is_not(None))
    )
    return DeliveryStatus(
        paused_since=flag.since if flag else None,
        pause_reason=flag.detail if flag else None,
        dead_letters_last_hour=await outbox.dead_letters_since(session, now - timedelta(hours=1)),
        oldest_pending_seconds=round(due_for, 1) if due_for is not None else None,
        unreachable_officers=int(unreachable or 0),
        unreadable_answers_last_day=await outbox.unreadable_answers_since(session, now - timedelta(days=1)),
    )
