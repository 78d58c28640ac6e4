"""Double financing: open invoices also financed under another client.

The same invoice number on the same debtor under another client, or the same debtor, amount and issue date
under another client (two deliveries of the same size on one day by one seller are ordinary; the same
invoice sold by two sellers is not). Round amounts (multiples of ``ROUND_AMOUNT``, 1,000) are left out of
the amount+debtor+date match: they coincide too often. Only invoices issued in the last 365 days count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.concentration import PORTFOLIO_SCAN_MIN
from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import as_date as _as_date
from skills.portfolio.sql_terms import is_open as _is_open
from skills.portfolio.sql_terms import to_money
from skills.store.models import Client

__all__ = ["ROUND_AMOUNT", "double_financed"]

ROUND_AMOUNT = Decimal(1000)  # amount+debtor+date clashes on multiples of this are not taken as double financing


def _matches(row: Any, why: str, key: tuple[Any, ...]) -> bool:
    if why == "number":
        return bool(row.debtor_id == key[0] and row.number == key[1])
    return bool(row.debtor_id == key[0] and to_money(row.amount) == key[1] and _as_date(row.issue_date) == key[2])


async def double_financed(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[tuple[str, str, str]]]:
    """Open invoices that look financed twice: (number, the other client's name, "number" | "amount_date").

    Two GROUP BYs over open invoices find the suspicious keys; only their few rows are then read."""
    recent = and_(_is_open(as_of), Invoice.issue_date > as_of - timedelta(days=365))
    by_number = (
        select(Invoice.debtor_id, Invoice.number)
        .where(recent)
        .group_by(Invoice.debtor_id, Invoice.number)
        .having(func.count(func.distinct(Invoice.client_id)) > 1)
    )
    by_terms = (
        select(Invoice.debtor_id, Invoice.amount, Invoice.issue_date)
        .where(recent)
        .group_by(Invoice.debtor_id, Invoice.amount, Invoice.issue_date)
        .having(func.count(func.distinct(Invoice.client_id)) > 1)
    )
    if client_ids is not None and len(client_ids) <= PORTFOLIO_SCAN_MIN:  # a card or /flag: these clients' debtors
        mine = select(Invoice.debtor_id).where(Invoice.client_id.in_(list(client_ids))).distinct()
        by_number = by_number.where(Invoice.debtor_id.in_(mine))
        by_terms = by_terms.where(Invoice.debtor_id.in_(mine))
    rows: list[tuple[str, Any]] = []
    keys: list[tuple[str, tuple[Any, ...]]] = []
    for debtor_id, number in (await session.execute(by_number)).all():
        rows.append(("number", and_(Invoice.debtor_id == debtor_id, Invoice.number == number)))
        keys.append(("number", (debtor_id, number)))
    for debtor_id, amount, issued in (await session.execute(by_terms)).all():
        if to_money(amount) % ROUND_AMOUNT == 0:  # two sellers billing one buyer 100,000.00 on a day: coincidence
            continue
        condition = and_(Invoice.debtor_id == debtor_id, Invoice.amount == amount, Invoice.issue_date == issued)
        rows.append(("amount_date", condition))
        keys.append(("amount_date", (debtor_id, to_money(amount), _as_date(issued))))
    out: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    wanted = None if client_ids is None else set(client_ids)
    rows = rows[:500]  # a ledger with hundreds of clashes is a data problem: the first 500 say enough
    for start in range(0, len(rows), 100):  # the clashing invoices, 100 keys per statement
        chunk = rows[start : start + 100]
        found = (
            await session.execute(
                select(
                    Invoice.client_id,
                    Invoice.number,
                    Invoice.debtor_id,
                    Invoice.amount,
                    Invoice.issue_date,
                    Client.name,
                )
                .join(Client, Client.id == Invoice.client_id)
                .where(recent, or_(*(cond for _, cond in chunk)))
            )
        ).all()
        for why, key in keys[start : start + 100]:
            group = [r for r in found if _matches(r, why, key)]
            for r in group:
                if wanted is not None and r.client_id not in wanted:
                    continue
                others = [o.name for o in group if o.client_id != r.client_id] or [r.name]
                if all(n != r.number for n, _, _ in out[r.client_id]):  # one entry per invoice, the first reason
                    out[r.client_id].append((r.number, others[0], why))
    return dict(out)
