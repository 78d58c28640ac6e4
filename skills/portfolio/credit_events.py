"""Credit events that concern a client: on the client itself, or on any debtor it has invoiced (last 90 days)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import CreditEvent, Debtor, Invoice
from skills.portfolio.sql_terms import WINDOW_DAYS
from skills.portfolio.types import CreditEventView
from skills.store.models import Client

__all__ = ["events_by_client"]


async def events_by_client(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[CreditEventView]]:
    since = as_of - timedelta(days=WINDOW_DAYS)
    stmt = (
        select(CreditEvent, Client.name, Debtor.name)
        .outerjoin(Client, Client.id == CreditEvent.client_id)
        .outerjoin(Debtor, Debtor.id == CreditEvent.debtor_id)
        .where(CreditEvent.on > since, CreditEvent.on <= as_of)
        .order_by(CreditEvent.on.desc(), CreditEvent.id.desc())
    )
    rows = (await session.execute(stmt)).all()
    debtor_ids = sorted({ev.debtor_id for ev, _, _ in rows if ev.debtor_id is not None})
    clients_of: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(debtor_ids), 1000):
        pairs = select(Invoice.debtor_id, Invoice.client_id).where(
            Invoice.debtor_id.in_(debtor_ids[start : start + 1000])
        )
        if client_ids is not None:
            pairs = pairs.where(Invoice.client_id.in_(list(client_ids)))
        for debtor_id, client_id in (await session.execute(pairs.distinct())).all():
            clients_of[debtor_id].add(client_id)
    wanted = None if client_ids is None else set(client_ids)
    out: dict[int, list[CreditEventView]] = defaultdict(list)
    for ev, client_name, debtor_name in rows:
        if ev.client_id is not None and (wanted is None or ev.client_id in wanted):
            out[ev.client_id].append(CreditEventView(ev.id, ev.kind, ev.on, "client", client_name or "", None, ev.note))
        if ev.debtor_id is not None:
            view = CreditEventView(ev.id, ev.kind, ev.on, "debtor", debtor_name or "", ev.debtor_id, ev.note)
            for cid in sorted(clients_of.get(ev.debtor_id, ())):
                out[cid].append(view)
    return dict(out)
