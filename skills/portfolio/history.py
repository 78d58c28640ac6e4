"""How much track record the ledger holds per client: first issue date, invoices issued, invoices collected.

One GROUP BY over the covering index ``ix_invoices_client_history`` (client, issue date, paid date): SQLite
answers it from the index alone, in client order, without touching the table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import as_date, sum_of
from skills.portfolio.types import History

__all__ = ["histories"]


async def histories(session: AsyncSession, as_of: date, client_ids: Sequence[int] | None) -> dict[int, History]:
    stmt = (
        select(
            Invoice.client_id,
            func.min(Invoice.issue_date),
            func.count(Invoice.id),
            sum_of(case((and_(Invoice.paid_date.is_not(None), Invoice.paid_date <= as_of), 1), else_=0), "paid"),
        )
        .where(Invoice.issue_date <= as_of)
        .group_by(Invoice.client_id)
    )
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    out: dict[int, History] = {}
    for cid, first, count, paid in (await session.execute(stmt)).all():
        out[cid] = History(as_date(first) if first else None, int(count or 0), int(paid or 0), as_of)
    return out
