"""Misdirected payments: invoices the ledger says were paid to the client rather than to the factor.

Counted over the 90 days ending on ``as_of`` by payment date (``paid_to = 'client'``), with the amount
received and the invoice numbers, latest payment first. The index ``ix_invoices_paid_to`` keeps this a
lookup rather than a scan: almost every row has ``paid_to`` NULL or ``factor``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import WINDOW_DAYS, ZERO, as_date, to_money
from skills.portfolio.types import Misdirected

__all__ = ["MISDIRECTED_DAYS", "misdirected_by_client"]

MISDIRECTED_DAYS = WINDOW_DAYS
_LISTED = 5


async def misdirected_by_client(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, Misdirected]:
    """Client id -> the payments it received itself in the window (clients with none are absent)."""
    stmt = (
        select(Invoice.client_id, Invoice.number, Invoice.paid_amount, Invoice.paid_date)
        .where(
            Invoice.paid_to == "client",
            Invoice.paid_date > as_of - timedelta(days=MISDIRECTED_DAYS),
            Invoice.paid_date <= as_of,
        )
        .order_by(Invoice.client_id, Invoice.paid_date.desc(), Invoice.number)
    )
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    rows: dict[int, list[tuple[str, object, object]]] = {}
    for client_id, number, paid, paid_date in (await session.execute(stmt)).all():
        rows.setdefault(client_id, []).append((number, paid, paid_date))
    out: dict[int, Misdirected] = {}
    for client_id, items in rows.items():
        amount = sum((to_money(p) for _, p, _ in items), ZERO)
        if amount <= 0:
            continue
        out[client_id] = Misdirected(
            days=MISDIRECTED_DAYS,
            count=len(items),
            amount=amount,
            numbers=[n for n, _, _ in items[:_LISTED]],
            last_paid=as_date(items[0][2]),
        )
    return out
