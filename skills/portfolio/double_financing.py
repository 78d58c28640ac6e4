"""Double financing: open invoices also financed under another client.

The same invoice number on the same debtor under another client, or the same debtor, amount and issue date
under another client (two deliveries of the same size on one day by one seller are ordinary; the same
invoice sold by two sellers is not). Round amounts (multiples of ``ROUND_AMOUNT``, 1,000) are left out of
the amount+debtor+date match: they coincide too often. Only invoices issued in the last 365 days count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.open_book import OpenInvoice
from skills.store.models import Client

__all__ = ["ROUND_AMOUNT", "double_financed"]

ROUND_AMOUNT = Decimal(1000)  # amount+debtor+date clashes on multiples of this are not taken as double financing
MAX_CLASHES = 500  # a ledger with hundreds of clashes is a data problem: the first 500 say enough


def _clashes(rows: list[OpenInvoice], key: Callable[[OpenInvoice], Any]) -> list[list[OpenInvoice]]:
    """Groups of ``rows`` sharing ``key`` and holding invoices of more than one client, in key order.

    One pass remembers the first client per key; only the (few) clashing keys are then grouped."""
    first: dict[Any, int] = {}
    clashing: set[Any] = set()
    for r in rows:
        k = key(r)
        if first.setdefault(k, r.client_id) != r.client_id:
            clashing.add(k)
    groups: dict[Any, list[OpenInvoice]] = defaultdict(list)
    if clashing:
        for r in rows:
            k = key(r)
            if k in clashing:
                groups[k].append(r)
    return [groups[k] for k in sorted(groups)]


async def double_financed(
    session: AsyncSession, rows: Sequence[OpenInvoice], as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[tuple[str, str, str]]]:
    """Open invoices that look financed twice: (number, the other client's name, "number" | "amount_date").

    ``rows`` are the open invoices of :func:`skills.portfolio.open_book.open_invoices` (for a card or a /flag,
    those on its clients' debtors), issued in the last 365 days."""
    since = as_of - timedelta(days=365)
    recent = [r for r in rows if r.issue_date > since]
    by_number = _clashes(recent, lambda r: (r.debtor_id, r.number))
    # two sellers billing one buyer 100,000.00 on a day: coincidence, not double financing
    by_terms = [
        g for g in _clashes(recent, lambda r: (r.debtor_id, r.amount, r.issue_date)) if g[0].amount % ROUND_AMOUNT
    ]
    found = [("number", g) for g in by_number] + [("amount_date", g) for g in by_terms]
    found = found[:MAX_CLASHES]
    if not found:
        return {}
    ids = sorted({r.client_id for _, group in found for r in group})
    names: dict[int, str] = {}
    for start in range(0, len(ids), 1000):
        stmt = select(Client.id, Client.name).where(Client.id.in_(ids[start : start + 1000]))
        names.update({cid: name for cid, name in await session.execute(stmt)})
    wanted = None if client_ids is None else set(client_ids)
    out: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for why, group in found:
        group = sorted(group, key=lambda r: (r.client_id, r.number))
        for r in group:
            if wanted is not None and r.client_id not in wanted:
                continue
            other = next(o.client_id for o in group if o.client_id != r.client_id)
            if all(n != r.number for n, _, _ in out[r.client_id]):  # one entry per invoice, the first reason
                out[r.client_id].append((r.number, names.get(other, ""), why))
    return dict(out)
