"""Portfolio queries: clients and debtors by name within what an officer may see. Add/flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.portfolio.models import Debtor, Invoice
from skills.portfolio.parsing import normalise_name
from skills.store.clients import client_names
from skills.store.models import Client

T = TypeVar("T")

__all__ = [
    "NameIndex",
    "bulk_insert_invoices",
    "debtors_of_clients",
    "visible_client_ids",
    "visible_debtors",
]


class NameIndex(Generic[T]):
    """Objects by folded name and alias (several objects may share a name)."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[T]] = defaultdict(list)

    def add(self, obj: T, names: Iterable[str]) -> None:
        for name in {normalise_name(n) for n in names if n and str(n).strip()}:
            if obj not in self._by_name[name]:
                self._by_name[name].append(obj)

    def get(self, name: str) -> list[T]:
        return list(self._by_name.get(normalise_name(name), ()))

    @classmethod
    def of_clients(cls, clients: Iterable[Client]) -> NameIndex[Client]:
        index: NameIndex[Client] = NameIndex()
        for client in clients:
            index.add(client, [client.name, *(client.aliases or []), *client_names(client)])
        return index

    @classmethod
    def of_debtors(cls, debtors: Iterable[Debtor]) -> NameIndex[Debtor]:
        index: NameIndex[Debtor] = NameIndex()
        for debtor in debtors:
            index.add(debtor, [debtor.name, *(debtor.aliases or [])])
        return index


async def visible_client_ids(session: AsyncSession, officer: Officer) -> list[int]:
    """Ids of the clients this officer may see (own book; a manager's team; all for an admin)."""
    stmt = select(Client.id)
    visible = officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    return list((await session.scalars(stmt.order_by(Client.id))).all())


async def visible_debtors(session: AsyncSession, officer: Officer) -> Sequence[Debtor]:
    """Debtors owing money to a client this officer may see (every debtor for an admin)."""
    stmt = select(Debtor)
    visible = officer.visible_officer_ids()
    if visible is not None:
        owed = (
            select(Invoice.debtor_id)
            .join(Client, Client.id == Invoice.client_id)
            .where(Client.officer_id.in_(visible))
            .distinct()
        )
        stmt = stmt.where(Debtor.id.in_(owed))
    return (await session.scalars(stmt.order_by(Debtor.id))).all()


async def debtors_of_clients(session: AsyncSession, client_ids: Sequence[int]) -> dict[int, set[int]]:
    """client id -> ids of debtors with any invoice of that client."""
    out: dict[int, set[int]] = defaultdict(set)
    stmt = select(Invoice.client_id, Invoice.debtor_id).distinct()
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    for client_id, debtor_id in (await session.execute(stmt)).all():
        out[client_id].add(debtor_id)
    return out


_INVOICE_COLUMNS = (
    "client_id", "debtor_id", "number", "amount", "currency", "issue_date", "due_date", "paid_amount", "paid_date",
    "disputed", "advanced_amount", "paid_to",
)  # fmt: skip


async def bulk_insert_invoices(session: AsyncSession, rows: Sequence[dict[str, Any]], *, chunk: int = 20_000) -> None:
    """Insert many invoices with one driver-level executemany per chunk (what ``insert(Invoice)`` does,
    minus SQLAlchemy's per-row bind processing, which dominated the demo's load time)."""
    if not rows:
        return
    conn = await session.connection()
    sqlite = conn.dialect.name == "sqlite"
    marks = ", ".join("?" if sqlite else f"${i + 1}" for i in range(len(_INVOICE_COLUMNS)))
    sql = f"INSERT INTO invoices ({', '.join(_INVOICE_COLUMNS)}) VALUES ({marks})"
    for start in range(0, len(rows), chunk):
        params = [_driver_row(row, sqlite) for row in rows[start : start + chunk]]
        await conn.exec_driver_sql(sql, params)


def _driver_row(row: dict[str, Any], sqlite: bool) -> tuple[Any, ...]:
    values = tuple(row.get(c) for c in _INVOICE_COLUMNS)
    for value in (values[3], values[7], values[10]):
        if value is not None and not isinstance(value, Decimal):
            raise TypeError("invoice money must be Decimal")
    if not sqlite:
        return values
    return tuple(
        None if v is None else str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
        for v in values
    )
