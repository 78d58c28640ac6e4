"""Resolving and writing an imported credit-event list (``events.csv``: subject, kind, date, note).

It knows the parsed rows and the officer, not the import plan: :mod:`skills.portfolio.importer` calls it and
copies the counts into its plan (one direction only, no import cycle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.portfolio.flags import FlagError, resolve_subject
from skills.portfolio.ledger import EventRow, RowIssue
from skills.portfolio.models import CreditEvent

__all__ = ["EventCounts", "resolve_events"]


@dataclass(slots=True)
class EventCounts:
    """What an event list would add: new events, ones already recorded, and rows naming no known subject."""

    new: int = 0
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)


async def resolve_events(
    session: AsyncSession, officer: Officer, rows: Sequence[EventRow], *, write: bool
) -> EventCounts:
    """Count new/already-recorded events (writing the new ones if ``write``); identity is (client or debtor,
    kind, date)."""
    counts = EventCounts()
    existing = {
        (c, d, k, on)
        for c, d, k, on in (
            await session.execute(
                select(CreditEvent.client_id, CreditEvent.debtor_id, CreditEvent.kind, CreditEvent.on)
            )
        ).all()
    }
    cache: dict[str, tuple[int | None, int | None] | FlagError] = {}
    for row in rows:
        key = row.subject.strip().lower()
        if key not in cache:
            try:
                subject = await resolve_subject(session, officer, row.subject)
                cache[key] = (
                    subject.client.id if subject.client else None,
                    subject.debtor.id if subject.debtor else None,
                )
            except FlagError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, FlagError):
            counts.rejected.append(RowIssue(row.row, found.key, {"value": row.subject, "names": found.names}))
            continue
        ident = (*found, row.kind, row.on)
        if ident in existing:
            counts.unchanged += 1
            continue
        existing.add(ident)
        counts.new += 1
        if write:
            session.add(
                CreditEvent(
                    client_id=found[0],
                    debtor_id=found[1],
                    kind=row.kind,
                    on=row.on,
                    note=row.note,
                    created_by=officer.id,
                )
            )
    if write:
        await session.flush()
    return counts
