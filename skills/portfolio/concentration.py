"""Debtor concentration per client, and each top debtor's exposure across the whole portfolio.

* concentration = the largest debtor's share of a client's open receivables; ``top_debtors`` up to 5.
* portfolio exposure: each top debtor's open receivables across all clients, its share of the whole
  portfolio's open receivables, and how many clients sell to it.

Both come from the open invoices read once per sweep (:mod:`skills.portfolio.open_book`): summed per (client,
debtor) and per debtor in Python. A card or a /flag (a few clients) sees only the invoices on its debtors and
leaves the portfolio figures unknown (``portfolio_known`` False).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Debtor
from skills.portfolio.open_book import OpenInvoice, portfolio_scanned
from skills.portfolio.sql_terms import SHARE, ZERO
from skills.portfolio.types import DebtorExposure

__all__ = ["debtor_exposures"]

TOP = 5


async def debtor_exposures(
    session: AsyncSession, rows: Sequence[OpenInvoice], client_ids: Sequence[int] | None
) -> dict[int, list[DebtorExposure]]:
    """Client id -> its top debtors by open receivables (``rows`` from :func:`open_invoices`), largest first."""
    whole = portfolio_scanned(client_ids)
    wanted = None if client_ids is None else set(client_ids)
    pairs: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        pairs[(r.client_id, r.debtor_id)] += r.open
    per_client: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    by_debtor: dict[int, tuple[Decimal, int]] = {}
    total = ZERO
    for (client_id, debtor_id), value in pairs.items():
        if value <= 0:
            continue
        total += value
        amount, clients = by_debtor.get(debtor_id, (ZERO, 0))
        by_debtor[debtor_id] = (amount + value, clients + 1)
        if wanted is None or client_id in wanted:
            per_client[client_id].append((debtor_id, value))
    top_ids: set[int] = set()
    for items in per_client.values():
        items.sort(key=lambda kv: (-kv[1], kv[0]))
        top_ids.update(d for d, _ in items[:TOP])
    names = await _names(session, sorted(top_ids))
    out: dict[int, list[DebtorExposure]] = {}
    for cid, items in per_client.items():
        client_total = sum((v for _, v in items), ZERO)
        out[cid] = [
            DebtorExposure(
                debtor_id=d,
                name=names[d][0],
                open_amount=v,
                share=(v / client_total).quantize(SHARE, ROUND_HALF_UP),
                is_core=names[d][1],
                portfolio_open=by_debtor[d][0] if whole else None,
                portfolio_share=(by_debtor[d][0] / total).quantize(SHARE, ROUND_HALF_UP) if whole else None,
                portfolio_clients=by_debtor[d][1] if whole else 0,
            )
            for d, v in items[:TOP]
        ]
    return out


async def _names(session: AsyncSession, ids: list[int]) -> dict[int, tuple[str, bool]]:
    names: dict[int, tuple[str, bool]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for row in (
            await session.execute(select(Debtor.id, Debtor.name, Debtor.is_core).where(Debtor.id.in_(chunk)))
        ).all():
            names[row.id] = (row.name, bool(row.is_core))
    return names
