"""Receivables metrics per client, computed in set-based SQL for all clients at once (a façade).

Each family lives in its own module, which documents its definitions:

* :mod:`skills.portfolio.receivables` — open, overdue, aging, DSO, turnover, utilisation, sales (one GROUP BY);
* :mod:`skills.portfolio.open_book` — the open invoices, read once and shared by the next two;
* :mod:`skills.portfolio.concentration` — top debtors and each one's exposure across the whole portfolio;
* :mod:`skills.portfolio.double_financing` — invoices also financed under another client;
* :mod:`skills.portfolio.credit_events` — events on the client or its debtors in the last 90 days;
* :mod:`skills.portfolio.history` — first invoice, invoices issued and collected (minimum-history gates);
* :mod:`skills.portfolio.dilution` — credit notes against invoicing, now and in the window before;
* :mod:`skills.portfolio.misdirected` — payments received by the client instead of the factor;
* :mod:`skills.portfolio.redating` — open invoices whose dates moved between imports.

Money is Decimal (2 places); DSO, turnover 2 places; shares 4 places (ROUND_HALF_UP).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.concentration import debtor_exposures
from skills.portfolio.credit_events import events_by_client
from skills.portfolio.dilution import DILUTION_DAYS, credit_notes_by_client
from skills.portfolio.double_financing import double_financed
from skills.portfolio.history import histories
from skills.portfolio.misdirected import misdirected_by_client
from skills.portfolio.open_book import open_invoices, portfolio_scanned
from skills.portfolio.receivables import receivables
from skills.portfolio.redating import redated_by_client
from skills.portfolio.sql_terms import ZERO, month_ends, to_money
from skills.portfolio.types import ClientMetrics, Dilution, History
from skills.store.models import Client

__all__ = ["compute_metrics", "month_ends", "to_money"]


async def compute_metrics(
    session: AsyncSession, *, as_of: date, client_ids: Sequence[int] | None = None
) -> dict[int, ClientMetrics]:
    """Metrics for the given clients (all clients when None), keyed by client id."""
    client_stmt = select(Client.id, Client.currency, Client.credit_limit)
    if client_ids is not None:
        client_stmt = client_stmt.where(Client.id.in_(list(client_ids)))
    clients = {row.id: row for row in (await session.execute(client_stmt)).all()}
    book = await receivables(session, as_of, client_ids)
    open_rows = await open_invoices(session, as_of, client_ids)
    exposures = await debtor_exposures(session, open_rows, client_ids)
    events = await events_by_client(session, as_of, client_ids)
    history = await histories(session, as_of, client_ids)
    duplicates = await double_financed(session, open_rows, as_of, client_ids)
    del open_rows
    credit_notes = await credit_notes_by_client(session, as_of, client_ids)
    misdirected = await misdirected_by_client(session, as_of, client_ids)
    redated = await redated_by_client(session, as_of, client_ids)
    whole = portfolio_scanned(client_ids)

    out: dict[int, ClientMetrics] = {}
    for cid, client in clients.items():
        top = exposures.get(cid, [])
        invoiced, prev_invoiced = book.sales_90(cid)
        credited, prev_credited = credit_notes.get(cid, (ZERO, ZERO))
        out[cid] = ClientMetrics(
            client_id=cid,
            as_of=as_of,
            currency=client.currency,
            **book.figures(cid, client.credit_limit),
            concentration=top[0].share if top else None,
            top_debtors=top,
            events=events.get(cid, []),
            history=history.get(cid, History(None, 0, 0, as_of)),
            portfolio_known=whole,
            duplicates=duplicates.get(cid, []),
            dilution=Dilution(DILUTION_DAYS, credited, invoiced, prev_credited, prev_invoiced),
            misdirected=misdirected.get(cid),
            redated=redated.get(cid, []),
        )
    return out
