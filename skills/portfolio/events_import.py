"""Resolving and writing an imported credit-event list (``events.csv``: subject, kind, date, note)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.flags import FlagError, resolve_subject
from skills.portfolio.ledger import RowIssue
from skills.portfolio.models import CreditEvent

if TYPE_CHECKING:
    from skills.portfolio.importer import ImportPlan

__all__ = ["resolve_events"]


async def resolve_events(session: AsyncSession, plan: ImportPlan, *, write: bool) -> None:
    """Count new/already-recorded events; identity is (client or debtor, kind, date)."""
    existing = {
        (c, d, k, on)
        for c, d, k, on in (
            await session.execute(
                select(CreditEvent.client_id, CreditEvent.debtor_id, CreditEvent.kind, CreditEvent.on)
            )
        ).all()
    }
    cache: dict[str, tuple[int | None, int | None] | FlagError] = {}
    for row in plan.event_rows:
        key = row.subject.strip().lower()
        if key not in cache:
            try:
                subject = await resolve_subject(session, plan.officer, row.subject)
                cache[key] = (
                    subject.client.id if subject.client else None,
                    subject.debtor.id if subject.debtor else None,
                )
            except FlagError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, FlagError):
            plan.rejected.append(RowIssue(row.row, found.key, {"value": row.subject, "names": found.names}))
            continue
        ident = (*found, row.kind, row.on)
        if ident in existing:
            plan.events_unchanged += 1
            continue
        existing.add(ident)
        plan.events_new += 1
        if write:
            session.add(
                CreditEvent(
                    client_id=found[0],
                    debtor_id=found[1],
                    kind=row.kind,
                    on=row.on,
                    note=row.note,
                    created_by=plan.officer.id,
                )
            )
    if write:
        await session.flush()
