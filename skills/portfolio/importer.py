"""Importing receivables ledgers (and credit-event lists) in two phases: a dry-run plan, then apply.

``plan_import`` reads the file, checks every row and compares it with the database without writing;
``apply_import`` writes the plan in the caller's unit of work. Identity is (client, invoice number), so
importing the same ledger twice changes nothing the second time. A file that cannot be used, or (unless
``portfolio.partial_import`` is on) one with any rejected row, changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.portfolio.config import PortfolioConfig
from skills.portfolio.ledger import EventRow, InvoiceRow, RowIssue, parse_table
from skills.portfolio.models import Debtor, Invoice
from skills.portfolio.parsing import normalise_name
from skills.portfolio.reader import LedgerError, read_table
from skills.portfolio.repository import NameIndex, bulk_insert_invoices
from skills.store.models import AuditEntry, Client
from skills.store.models import Officer as OfficerRow

__all__ = ["ImportPlan", "ImportRejected", "apply_import", "plan_import"]

log = logging.getLogger(__name__)

_CHUNK = 5000
_TABLE = Invoice.__table__
_FIELDS = (
    "debtor_id",
    "amount",
    "currency",
    "issue_date",
    "due_date",
    "paid_amount",
    "paid_date",
    "disputed",
    "advanced_amount",
)


class ImportRejected(ValueError):
    """``apply_import`` was given a plan that must not be written (file error or rejected rows)."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import rejected")
        self.plan = plan


@dataclass(slots=True)
class ImportPlan:
    """What an import would do (counts and reasons); ``apply_import`` re-checks it against the database."""

    officer: Officer
    file_name: str
    today: date
    kind: str = "invoices"  # invoices | events
    error: LedgerError | None = None
    rows_read: int = 0
    invoices_new: int = 0
    invoices_updated: int = 0
    invoices_unchanged: int = 0
    new_debtors: list[str] = field(default_factory=list)
    debtors_updated: int = 0
    new_clients: list[str] = field(default_factory=list)
    clients_updated: int = 0
    events_new: int = 0
    events_unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    partial_allowed: bool = False
    invoice_rows: list[InvoiceRow] = field(default_factory=list, repr=False)
    event_rows: list[EventRow] = field(default_factory=list, repr=False)
    parse_rejected: list[RowIssue] = field(default_factory=list, repr=False)

    @property
    def invoices_total(self) -> int:
        return self.invoices_new + self.invoices_updated + self.invoices_unchanged

    @property
    def can_apply(self) -> bool:
        """True when applying would write something and nothing forbids it."""
        if self.error is not None or (self.rejected and not self.partial_allowed):
            return False
        return self.has_changes

    @property
    def has_changes(self) -> bool:
        return bool(
            self.invoices_new
            or self.invoices_updated
            or self.new_debtors
            or self.debtors_updated
            or self.new_clients
            or self.clients_updated
            or self.events_new
        )

    def summary(self) -> dict[str, Any]:
        """The counts as plain data (``Reply.data``, the audit log, ``--json``)."""
        return {
            "file": self.file_name,
            "kind": self.kind,
            "error": self.error.key if self.error else None,
            "rows": self.rows_read,
            "invoices": self.invoices_total,
            "invoices_new": self.invoices_new,
            "invoices_updated": self.invoices_updated,
            "invoices_unchanged": self.invoices_unchanged,
            "new_debtors": len(self.new_debtors),
            "debtors_updated": self.debtors_updated,
            "new_clients": len(self.new_clients),
            "clients_updated": self.clients_updated,
            "events_new": self.events_new,
            "events_unchanged": self.events_unchanged,
            "rejected": [
                {"row": r.row, "reason": r.key, **{k: str(v) for k, v in r.params.items()}} for r in self.rejected
            ],
            "can_apply": self.can_apply,
        }


async def plan_import(
    session: AsyncSession,
    officer: Officer,
    file_name: str,
    content: bytes,
    *,
    today: date,
    config: PortfolioConfig | None = None,
) -> ImportPlan:
    """Dry-run: read and check the ledger, compare with the database, write nothing."""
    config = config or PortfolioConfig()
    plan = ImportPlan(officer=officer, file_name=file_name, today=today, partial_allowed=config.partial_import)
    try:
        from skills.portfolio.ledger import HEADER_HINT

        table = read_table(file_name, content, config, header_hint=HEADER_HINT)
        plan.kind, plan.invoice_rows, plan.event_rows, plan.parse_rejected = parse_table(
            table, dayfirst=config.dayfirst, today=today
        )
    except LedgerError as exc:
        plan.error = exc
        return plan
    plan.rows_read = len(table.rows)
    await _resolve(session, plan, write=False)
    return plan


async def apply_import(
    session: AsyncSession, plan: ImportPlan, *, now: datetime | None = None, allow_partial: bool | None = None
) -> ImportPlan:
    """Write ``plan`` (re-checked against the current database) and audit it; returns the applied plan.

    Raises :class:`ImportRejected` when the file was rejected, or when rows were rejected and partial
    imports are not allowed — nothing is written then.
    """
    partial = plan.partial_allowed if allow_partial is None else allow_partial
    if plan.error is not None or (plan.rejected and not partial):
        raise ImportRejected(plan)
    if not plan.has_changes:
        return plan  # the dry run found the database already matching the file
    applied = ImportPlan(
        officer=plan.officer,
        file_name=plan.file_name,
        today=plan.today,
        kind=plan.kind,
        rows_read=plan.rows_read,
        partial_allowed=partial,
        invoice_rows=plan.invoice_rows,
        event_rows=plan.event_rows,
        parse_rejected=plan.parse_rejected,
    )
    await _resolve(session, applied, write=True)
    if applied.rejected and not partial:
        raise ImportRejected(applied)
    session.add(
        AuditEntry(at=now or datetime.now(UTC), actor_id=plan.officer.id, action="import", detail=applied.summary())
    )
    await session.flush()
    log.info("import by %s of %s: %s", plan.officer.id, plan.file_name, applied.summary())
    return applied


async def _resolve(session: AsyncSession, plan: ImportPlan, *, write: bool) -> None:
    plan.rejected = list(plan.parse_rejected)
    if plan.kind == "events":
        from skills.portfolio.events_import import resolve_events

        await resolve_events(session, plan, write=write)
    else:
        await _resolve_invoices(session, plan, write=write)
    plan.rejected.sort(key=lambda r: r.row)


async def _resolve_invoices(session: AsyncSession, plan: ImportPlan, *, write: bool) -> None:
    officer = plan.officer
    visible = officer.visible_officer_ids()
    known_officers = set((await session.scalars(select(OfficerRow.id))).all())
    clients = list((await session.scalars(select(Client).order_by(Client.id))).all())
    client_index = NameIndex.of_clients(clients)
    debtors = list((await session.scalars(select(Debtor).order_by(Debtor.id))).all())
    debtor_index = NameIndex.of_debtors(debtors)

    new_clients: dict[tuple[str, int], Client] = {}
    new_debtors: dict[str, Debtor] = {}
    client_changes: dict[int, tuple[Client, dict[str, Any]]] = {}
    seen: dict[tuple[int, str], int] = {}  # (id(client), number) -> row
    accepted: list[tuple[InvoiceRow, Client, Debtor]] = []
    make_core: dict[int, Debtor] = {}

    for row in plan.invoice_rows:
        owner = row.officer_id if row.officer_id is not None else officer.id
        if owner != officer.id and visible is not None and owner not in visible:
            plan.rejected.append(RowIssue(row.row, "other_officer", {"value": owner}))
            continue
        if owner not in known_officers:
            plan.rejected.append(RowIssue(row.row, "unknown_officer", {"value": owner}))
            continue
        candidates = client_index.get(row.client)
        mine = [c for c in candidates if visible is None or c.officer_id in visible]
        if candidates and not mine:
            plan.rejected.append(RowIssue(row.row, "not_your_client", {"value": row.client}))
            continue
        client: Client | None = None
        if mine:
            client = next((c for c in mine if c.officer_id == owner), mine[0])
            if row.officer_id is not None and client.officer_id != row.officer_id:
                params = {"value": row.client, "other": client.officer_id, "officer": row.officer_id}
                plan.rejected.append(RowIssue(row.row, "client_officer_mismatch", params))
                continue
        else:
            key = (normalise_name(row.client), owner)
            client = new_clients.get(key)
            if client is None:
                client = Client(
                    name=row.client.strip(),
                    aliases=[],
                    officer_id=owner,
                    industry="",
                    tier="potential",
                    tier_reason="",
                    credit_limit=None,
                    currency=row.currency or "CNY",
                    deals_count=0,
                )
                new_clients[key] = client
                client_index.add(client, [client.name])
        ident = (id(client), row.number)
        if ident in seen:
            plan.rejected.append(RowIssue(row.row, "duplicate", {"value": row.number, "other": seen[ident]}))
            continue
        seen[ident] = row.row
        client_index.add(client, row.client_aliases)
        debtor = _debtor_for(row, debtor_index, new_debtors)
        if row.debtor_core and debtor.id is not None and not debtor.is_core:
            make_core[id(debtor)] = debtor
        _client_changes(client, row, client_changes)
        accepted.append((row, client, debtor))

    plan.new_clients = [c.name for c in new_clients.values()]
    plan.new_debtors = [d.name for d in new_debtors.values()]
    plan.debtors_updated = len(make_core)
    plan.clients_updated = len([c for c, _ in client_changes.values() if c.id is not None])

    existing = await _existing_invoices(session, {c.id for _, c, _ in accepted if c.id is not None})
    if write:
        for debtor in make_core.values():
            debtor.is_core = True
        for client, changes in client_changes.values():
            for name, value in changes.items():
                setattr(client, name, value)
        session.add_all(new_clients.values())
        session.add_all(new_debtors.values())
        await session.flush()

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row, client, debtor in accepted:
        values = row.invoice_values(client_currency=client.currency)
        values["debtor_id"] = debtor.id
        current = existing.get((client.id, row.number)) if client.id is not None else None
        if current is None:
            plan.invoices_new += 1
            inserts.append({"client_id": client.id, "number": row.number, **values})
        elif debtor.id is not None and all(current[f] == values[f] for f in _FIELDS):
            plan.invoices_unchanged += 1
        else:
            plan.invoices_updated += 1
            updates.append({"_id": current["id"], **values})
    if write:
        for start in range(0, len(inserts), _CHUNK):
            await bulk_insert_invoices(session, inserts[start : start + _CHUNK])
        set_values = {f: bindparam(f) for f in _FIELDS}
        for start in range(0, len(updates), _CHUNK):
            stmt = update(_TABLE).where(_TABLE.c.id == bindparam("_id")).values(set_values)
            await session.execute(stmt, updates[start : start + _CHUNK])
        await session.flush()


def _debtor_for(row: InvoiceRow, index: NameIndex[Debtor], new: dict[str, Debtor]) -> Debtor:
    found = index.get(row.debtor)
    if found:
        return found[0]
    key = normalise_name(row.debtor)
    debtor = new.get(key)
    if debtor is None:
        debtor = Debtor(name=row.debtor.strip(), aliases=[], is_core=bool(row.debtor_core), industry="", rating="")
        new[key] = debtor
        index.add(debtor, [debtor.name])
    elif row.debtor_core:
        debtor.is_core = True
    return debtor


def _client_changes(client: Client, row: InvoiceRow, changes: dict[int, tuple[Client, dict[str, Any]]]) -> None:
    """Collect the row's client columns (aliases, credit limit, industry) that differ from the client."""
    if not (row.client_aliases or row.credit_limit is not None or row.industry):
        return
    _, pending = changes.get(id(client), (client, {}))
    if row.client_aliases:
        aliases = list(pending.get("aliases", client.aliases or []))
        known = {normalise_name(a) for a in aliases} | {normalise_name(client.name)}
        new_aliases = [a for a in row.client_aliases if normalise_name(a) not in known]
        if new_aliases:
            pending["aliases"] = aliases + new_aliases
    if row.credit_limit is not None and pending.get("credit_limit", client.credit_limit) != row.credit_limit:
        pending["credit_limit"] = row.credit_limit
    if row.industry and pending.get("industry", client.industry) != row.industry:
        pending["industry"] = row.industry
    if pending:
        changes[id(client)] = (client, pending)


async def _existing_invoices(session: AsyncSession, client_ids: set[int]) -> dict[tuple[int, str], dict[str, Any]]:
    out: dict[tuple[int, str], dict[str, Any]] = {}
    ids = sorted(client_ids)
    columns = [Invoice.id, Invoice.client_id, Invoice.number, *(getattr(Invoice, f) for f in _FIELDS)]
    for start in range(0, len(ids), 500):
        result = await session.execute(select(*columns).where(Invoice.client_id.in_(ids[start : start + 500])))
        for rec in result.mappings():
            out[(rec["client_id"], rec["number"])] = dict(rec)
    return out
