"""Dilution: credit notes (贷项通知单 / 红字发票) as a share of invoicing, now and in the window before.

dilution = credit notes issued in the 90 days ending on ``as_of`` ÷ invoices issued in the same days; the
previous window is the 90 days before those. Invoicing comes from the receivables aggregate (no second scan
of the invoices); the credit notes are one small GROUP BY over ``credit_notes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import CreditNote
from skills.portfolio.sql_terms import WINDOW_DAYS, sum_of, to_money

__all__ = ["DILUTION_DAYS", "credit_notes_by_client"]

DILUTION_DAYS = WINDOW_DAYS


async def credit_notes_by_client(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, tuple[Decimal, Decimal]]:
    """Client id -> (credit notes in the 90 days ending on ``as_of``, in the 90 days before those)."""
    start, mid = as_of - timedelta(days=2 * DILUTION_DAYS), as_of - timedelta(days=DILUTION_DAYS)
    stmt = (
        select(
            CreditNote.client_id,
            sum_of(case((CreditNote.issue_date > mid, CreditNote.amount), else_=0), "now"),
            sum_of(case((CreditNote.issue_date <= mid, CreditNote.amount), else_=0), "before"),
        )
        .where(and_(CreditNote.issue_date > start, CreditNote.issue_date <= as_of))
        .group_by(CreditNote.client_id)
    )
    if client_ids is not None:
        stmt = stmt.where(CreditNote.client_id.in_(list(client_ids)))
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for client_id, now, before in (await session.execute(stmt)).all():
        out[client_id] = (to_money(now), to_money(before))
    return out
