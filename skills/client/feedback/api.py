"""Public API of client feedback for other skills (the morning brief, the manager's /portfolio view).

``recent_feedback(session, officer_ids, since)`` returns what clients said since a time, newest first, each
with the client's satisfaction trend, so a brief can list it and flag the falling ones (🟡).
``satisfaction(session, client_id)`` returns one client's trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from skills.client.feedback import repository as repo
from skills.client.feedback.parse import trend

__all__ = ["FeedbackItem", "Satisfaction", "recent_feedback", "satisfaction"]


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """A client's scores oldest → newest, the mean of the last three, the mean before, and whether it falls."""

    client_id: int
    scores: tuple[int, ...]
    recent: float | None
    previous: float | None
    falling: bool

    def as_dict(self) -> dict[str, object]:
        return {"client_id": self.client_id, "scores": list(self.scores), "recent": self.recent,
                "previous": self.previous, "falling": self.falling}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    """One piece of client feedback, for a brief or a manager's view."""

    feedback_id: int
    client_id: int
    client_name: str
    officer_id: int  # the client's officer
    recorded_by: int
    score: int | None
    remarks: str
    created_at: datetime  # UTC
    satisfaction: Satisfaction

    def as_dict(self) -> dict[str, object]:
        return {"feedback_id": self.feedback_id, "client_id": self.client_id, "client": self.client_name,
                "officer_id": self.officer_id, "recorded_by": self.recorded_by, "score": self.score,
                "remarks": self.remarks, "created_at": self.created_at.isoformat(),
                "satisfaction": self.satisfaction.as_dict()}  # fmt: skip


async def satisfaction(session: AsyncSession, client_id: int) -> Satisfaction:
    """The client's satisfaction trend from their latest scored feedback."""
    scores = tuple(f.score for f in await repo.history(session, client_id) if f.score is not None)
    recent, previous, falling = trend(list(scores))
    return Satisfaction(client_id, scores, recent, previous, falling)


async def recent_feedback(
    session: AsyncSession, officer_ids: Sequence[int] | None, since: datetime, *, limit: int = 50
) -> list[FeedbackItem]:
    """Feedback on the clients of ``officer_ids`` (``None``: all, for admins) since ``since``, newest first.

    Pass ``officer.visible_officer_ids()`` to respect who may see what.
    """
    rows = await repo.since(session, officer_ids, since, limit=limit)
    trends: dict[int, Satisfaction] = {}
    items = []
    for fb, client in rows:
        if client.id not in trends:
            trends[client.id] = await satisfaction(session, client.id)
        items.append(FeedbackItem(fb.id, client.id, client.name, client.officer_id, fb.officer_id, fb.score,
                                  fb.remarks, fb.created_at, trends[client.id]))  # fmt: skip
    return items
