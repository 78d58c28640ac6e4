"""Client feedback queries. Repositories add and flush; the router's unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.client.feedback.models import ClientFeedback
from skills.store.models import Client

__all__ = ["add_feedback", "history", "since"]


async def add_feedback(
    session: AsyncSession, *, client_id: int, officer_id: int, score: int | None, remarks: str, lang: str, now: datetime
) -> ClientFeedback:
    """Store one piece of feedback (score may be None until the officer picks it)."""
    row = ClientFeedback(
        client_id=client_id, officer_id=officer_id, score=score, remarks=remarks[:2000], lang=lang, created_at=now
    )
    session.add(row)
    await session.flush()
    return row


async def history(session: AsyncSession, client_id: int, *, limit: int = 12) -> list[ClientFeedback]:
    """The client's latest ``limit`` pieces of feedback, oldest first."""
    stmt = (
        select(ClientFeedback)
        .where(ClientFeedback.client_id == client_id)
        .order_by(ClientFeedback.created_at.desc(), ClientFeedback.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.scalars(stmt)).all()))


async def since(
    session: AsyncSession, officer_ids: Sequence[int] | None, start: datetime, *, limit: int = 200
) -> list[tuple[ClientFeedback, Client]]:
    """Feedback on the clients of ``officer_ids`` (None: everyone) given at or after ``start``, newest first."""
    stmt = select(ClientFeedback, Client).join(Client, Client.id == ClientFeedback.client_id)
    stmt = stmt.where(ClientFeedback.created_at >= start)
    if officer_ids is not None:
        stmt = stmt.where(Client.officer_id.in_(list(officer_ids)))
    stmt = stmt.order_by(ClientFeedback.created_at.desc(), ClientFeedback.id.desc()).limit(limit)
    return [(f, c) for f, c in (await session.execute(stmt)).all()]
