"""The open invoices at a date, read once per sweep and shared by the concentration and double-financing checks.

A sweep over many clients reads every open invoice (client, debtor, number, amount, open amount, issue date)
in one statement — about a sixth of a mature ledger — and the per-debtor sums and the clash search run over
those rows in Python, instead of three GROUP BYs each scanning the table. A card or a /flag (a few clients,
``portfolio_scanned`` False) reads only the open invoices on those clients' debtors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import as_date, is_open, open_amount, to_money

__all__ = ["PORTFOLIO_SCAN_MIN", "OpenInvoice", "open_invoices", "portfolio_scanned"]

PORTFOLIO_SCAN_MIN = 50  # client subsets up to this size skip the whole-portfolio scan


class OpenInvoice(NamedTuple):
    client_id: int
    debtor_id: int
    number: str
    amount: Decimal
    open: Decimal  # unpaid at the date
    issue_date: date


def portfolio_scanned(client_ids: Sequence[int] | None) -> bool:
    """True when the whole portfolio's open invoices are read for this set of clients."""
    return client_ids is None or len(client_ids) > PORTFOLIO_SCAN_MIN


async def open_invoices(session: AsyncSession, as_of: date, client_ids: Sequence[int] | None) -> list[OpenInvoice]:
    """Every invoice open at ``as_of`` (or, for a small subset of clients, those on the debtors they sell to)."""
    stmt = select(
        Invoice.client_id,
        Invoice.debtor_id,
        Invoice.number,
        Invoice.amount,
        open_amount(as_of),
        Invoice.issue_date,
    ).where(is_open(as_of))
    if not portfolio_scanned(client_ids):
        assert client_ids is not None
        mine = select(Invoice.debtor_id).where(Invoice.client_id.in_(list(client_ids))).distinct()
        stmt = stmt.where(Invoice.debtor_id.in_(mine))
    result = await session.execute(stmt)
    return [
        OpenInvoice(client_id, debtor_id, number, amount, to_money(open_), as_date(issued))
        for client_id, debtor_id, number, amount, open_, issued in result
    ]
