"""Re-dated invoices: open invoices whose issue or due date moved between imports.

The importer keeps the dates an invoice first arrived with (``original_issue_date`` / ``original_due_date``,
set on the first change, never overwritten). Here the open ones are read with both pairs of dates; whether
the move crossed the eligibility cut-off is the rule's call (``skills.alerts``), as the cut-off is a setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import as_date, is_open, to_money
from skills.portfolio.types import Redated

__all__ = ["redated_by_client"]

_EPOCH = date(1900, 1, 1)  # "not NULL" written as a range, which SQLite answers from the index


async def redated_by_client(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[Redated]]:
    """Client id -> its open re-dated invoices, by invoice number."""
    stmt = (
        select(
            Invoice.client_id,
            Invoice.number,
            Invoice.original_issue_date,
            Invoice.issue_date,
            Invoice.original_due_date,
            Invoice.due_date,
            Invoice.amount,
        )
        .where(Invoice.original_issue_date >= _EPOCH, is_open(as_of))  # a range: ix_invoices_original_issue
        .order_by(Invoice.client_id, Invoice.number)
    )
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    out: dict[int, list[Redated]] = {}
    for cid, number, o_issue, issue, o_due, due, amount in (await session.execute(stmt)).all():
        out.setdefault(cid, []).append(
            Redated(
                number,
                as_date(o_issue),
                as_date(issue),
                as_date(o_due) if o_due is not None else as_date(due),
                as_date(due),
                to_money(amount),
            )
        )
    return out
