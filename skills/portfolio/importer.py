"""Importing receivables ledgers (and credit-event lists) in two phases: a dry-run plan, then apply.

``plan_import`` reads the file, checks every row and compares it with the database without writing;
``apply_import`` writes the plan in the caller's unit of work. Identity is (client, invoice number), so
importing the same ledger twice changes nothing the second time. A file that cannot be used, or (unless
``portfolio.partial_import`` is on) one with any rejected row, changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.portfolio.config import PortfolioConfig
from skills.portfolio.events_import import resolve_events
from skills.portfolio.ledger import EventRow, InvoiceRow, RowIssue, parse_table
from skills.portfolio.models import CreditNote, Debtor, Invoice
from skills.portfolio.parsing import normalise_name
from skills.portfolio.reader import LedgerError, read_table
from skills.portfolio.repository import bulk_insert_invoices
from skills.store.clients import client_names
from skills.store.models import AuditEntry, Client
from skills.store.models import Officer as OfficerRow

__all__ = ["ImportPlan", "ImportRejected", "apply_import", "plan_import"]

log = logging.getLogger(__name__)

_CHUNK = 5000
ProgressFn = Callable[[int, int], None]  # (done, total): rows checked on plan, rows written on apply
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
    "paid_to",
)
_NOTE_FIELDS = ("debtor_id", "amount", "currency", "issue_date")


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
    credit_notes_new: int = 0
    credit_notes_updated: int = 0
    credit_notes_unchanged: int = 0
    redated: list[str] = field(default_factory=list)  # invoice numbers whose dates moved since the last import
    paid_to_client: list[str] = field(default_factory=list)  # invoice numbers the client says it collected itself
    # (client id, client name, application date, amount) for rows whose client has an id (all of them on apply)
    applications: list[tuple[int, str, date, Decimal | None]] = field(default_factory=list)
    # applications the caller (skills.alerts.import_applications) found not yet recorded: a ledger that only adds
    # application dates still has something to apply
    applications_new: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    partial_allowed: bool = False
    invoice_rows: list[InvoiceRow] = field(default_factory=list, repr=False)
    event_rows: list[EventRow] = field(default_factory=list, repr=False)
    parse_rejected: list[RowIssue] = field(default_factory=list, repr=False)
    resolution: _Resolution | None = field(default=None, repr=False, compare=False)

    @property
    def invoices_total(self) -> int:
        return self.invoices_new + self.invoices_updated + self.invoices_unchanged

    @property
    def credit_notes_total(self) -> int:
        return self.credit_notes_new + self.credit_notes_updated + self.credit_notes_unchanged

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
            or self.credit_notes_new
            or self.credit_notes_updated
            or self.applications_new
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
            "credit_notes": self.credit_notes_total,
            "credit_notes_new": self.credit_notes_new,
            "credit_notes_updated": self.credit_notes_updated,
            "redated": list(self.redated),
            "paid_to_client": list(self.paid_to_client),
            "applications": len({(r.client, r.application_date) for r in self.invoice_rows if r.application_date}),
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
    progress: ProgressFn | None = None,
) -> ImportPlan:
    """Dry-run: read and check the ledger, compare with the database, write nothing.

    ``progress(done, total)`` is called every few hundred rows checked, and with ``(rows, rows)`` once the plan
    is complete."""
    config = config or PortfolioConfig()
    plan = ImportPlan(officer=officer, file_name=file_name, today=today, partial_allowed=config.partial_import)
    try:
        from skills.portfolio.ledger import HEADER_HINT

        table = read_table(file_name, content, config, header_hint=HEADER_HINT)
        accounts = frozenset(re.sub(r"\D", "", a) for a in config.collection_accounts)
        plan.kind, plan.invoice_rows, plan.event_rows, plan.parse_rejected = parse_table(
            table, dayfirst=config.dayfirst, today=today, collection_accounts=accounts, progress=progress
        )
    except LedgerError as exc:
        plan.error = exc
        return plan
    plan.rows_read = len(table.rows)
    await _resolve(session, plan, write=False)
    if progress is not None:
        progress(plan.rows_read, plan.rows_read)
    return plan


async def apply_import(
    session: AsyncSession,
    plan: ImportPlan,
    *,
    now: datetime | None = None,
    allow_partial: bool | None = None,
    progress: ProgressFn | None = None,
) -> ImportPlan:
    """Write ``plan`` (re-checked against the current database) and audit it; returns the applied plan.

    ``progress(done, total)`` counts the rows written (new and changed invoices, credit notes, events): after
    each chunk, ending at the total; rows already in the database need no writing and are not counted.

    The re-check reads officers, clients and debtors as plain tuples and, when they are exactly what the
    preview saw, reuses its name resolution; otherwise it resolves every row again. Existing invoices of
    the clients in the file are always read again, so a stale preview can neither duplicate nor miss one.

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
        applications_new=plan.applications_new,
        invoice_rows=plan.invoice_rows,
        event_rows=plan.event_rows,
        parse_rejected=plan.parse_rejected,
        resolution=plan.resolution,
    )
    await _resolve(session, applied, write=True, progress=progress)
    if applied.rejected and not partial:
        raise ImportRejected(applied)
    session.add(
        AuditEntry(at=now or datetime.now(UTC), actor_id=plan.officer.id, action="import", detail=applied.summary())
    )
    await session.flush()
    log.info("import by %s of %s: %s", plan.officer.id, plan.file_name, applied.summary())
    return applied


async def _resolve(session: AsyncSession, plan: ImportPlan, *, write: bool, progress: ProgressFn | None = None) -> None:
    plan.rejected = list(plan.parse_rejected)
    if plan.kind == "events":
        counts = await resolve_events(session, plan.officer, plan.event_rows, write=write)
        plan.events_new, plan.events_unchanged = counts.new, counts.unchanged
        plan.rejected.extend(counts.rejected)
        if write and progress is not None:
            progress(counts.new, counts.new)  # one flush writes them all
    else:
        await _resolve_invoices(session, plan, write=write, progress=progress)
    plan.rejected.sort(key=lambda r: r.row)


class _Client:
    """A client as the import sees it: a row of ``clients`` (``id`` set) or one the ledger creates."""

    __slots__ = ("aliases", "credit_limit", "currency", "id", "industry", "key", "name", "officer_id")

    def __init__(self, id: int | None, key: Any, name: str, aliases: list[str], officer_id: int, currency: str,
                 credit_limit: Decimal | None, industry: str) -> None:  # fmt: skip
        self.id, self.key, self.name, self.aliases = id, key, name, aliases
        self.officer_id, self.currency, self.credit_limit, self.industry = officer_id, currency, credit_limit, industry


class _Debtor:
    """A debtor as the import sees it: a row of ``debtors`` (``id`` set) or one the ledger creates."""

    __slots__ = ("id", "is_core", "key", "name")

    def __init__(self, id: int | None, key: Any, name: str, is_core: bool) -> None:
        self.id, self.key, self.name, self.is_core = id, key, name, is_core


@dataclass(slots=True)
class _Resolution:
    """Rows resolved to clients and debtors against one snapshot of the officers, clients and debtors."""

    snapshot: tuple[Any, ...]
    rejected: list[RowIssue]
    new_clients: dict[tuple[str, int], _Client]
    new_debtors: dict[str, _Debtor]
    client_changes: dict[int, dict[str, Any]]  # existing client id -> changed columns
    make_core: set[int]  # existing debtor ids to mark core
    accepted: list[tuple[InvoiceRow, _Client, _Debtor]]


async def _snapshot(session: AsyncSession) -> tuple[Any, ...]:
    """What resolving names depends on, read as plain column tuples (no ORM state, so nothing stale)."""
    officers = frozenset((await session.scalars(select(OfficerRow.id))).all())
    clients = tuple(
        tuple(r)
        for r in await session.execute(
            select(
                Client.id, Client.name, Client.aliases, Client.officer_id, Client.currency, Client.credit_limit,
                Client.industry,
            ).order_by(Client.id)
        )
    )  # fmt: skip
    debtors = tuple(
        tuple(r)
        for r in await session.execute(
            select(Debtor.id, Debtor.name, Debtor.aliases, Debtor.is_core).order_by(Debtor.id)
        )
    )
    return officers, clients, debtors


def _index(entries: list[tuple[Any, list[str]]]) -> dict[str, list[Any]]:
    index: dict[str, list[Any]] = {}
    for obj, names in entries:
        _index_add(index, obj, names)
    return index


def _index_add(index: dict[str, list[Any]], obj: Any, names: list[str]) -> bool:
    """Add ``obj`` under each folded name (like ``NameIndex.add``); True when the index changed."""
    changed = False
    for name in {normalise_name(n) for n in names if n and str(n).strip()}:
        found = index.setdefault(name, [])
        if obj not in found:
            found.append(obj)
            changed = True
    return changed


def _resolve_names(plan: ImportPlan, snapshot: tuple[Any, ...]) -> _Resolution:
    """Match every row to a client and a debtor the officer may use (pure: no database access)."""
    officer = plan.officer
    visible = officer.visible_officer_ids()
    known_officers, client_rows, debtor_rows = snapshot
    clients = [_Client(r[0], r[0], r[1], list(r[2] or []), r[3], r[4], r[5], r[6]) for r in client_rows]
    client_index = _index([(c, [c.name, *c.aliases, *client_names(cast(Client, c))]) for c in clients])
    debtors = [_Debtor(r[0], r[0], r[1], bool(r[3])) for r in debtor_rows]
    debtor_index = _index([(d, [d.name, *(r[2] or [])]) for d, r in zip(debtors, debtor_rows, strict=True)])

    res = _Resolution(snapshot, [], {}, {}, {}, set(), [])
    seen: dict[tuple[Any, str], int] = {}  # (client key, number) -> row
    # A row's client depends only on (name, officer column) and the index: remember it until the index changes.
    memo: dict[tuple[str, int | None], _Client | RowIssue] = {}
    debtor_memo: dict[str, _Debtor] = {}

    def find_client(row: InvoiceRow) -> _Client | RowIssue:
        owner = row.officer_id if row.officer_id is not None else officer.id
        if owner != officer.id and visible is not None and owner not in visible:
            return RowIssue(row.row, "other_officer", {"value": owner})
        if owner not in known_officers:
            return RowIssue(row.row, "unknown_officer", {"value": owner})
        candidates = client_index.get(normalise_name(row.client), [])
        mine = [c for c in candidates if visible is None or c.officer_id in visible]
        if candidates and not mine:
            return RowIssue(row.row, "not_your_client", {"value": row.client})
        if mine:
            client = next((c for c in mine if c.officer_id == owner), mine[0])
            if row.officer_id is not None and client.officer_id != row.officer_id:
                params = {"value": row.client, "other": client.officer_id, "officer": row.officer_id}
                return RowIssue(row.row, "client_officer_mismatch", params)
            return client
        key = (normalise_name(row.client), owner)
        client = res.new_clients.get(key)
        if client is None:
            name = row.client.strip()
            client = _Client(None, key, name, [], owner, row.currency or "CNY", None, "")
            res.new_clients[key] = client
            _index_add(client_index, client, [name])
            memo.clear()
        return client

    for row in plan.invoice_rows:
        memo_key = (row.client, row.officer_id)
        found = memo.get(memo_key)
        if found is None:
            found = find_client(row)
            memo[memo_key] = found
        if isinstance(found, RowIssue):
            res.rejected.append(found if found.row == row.row else RowIssue(row.row, found.key, found.params))
            continue
        client = found
        ident = (client.key, row.credit_note, row.number)
        if ident in seen:
            res.rejected.append(RowIssue(row.row, "duplicate", {"value": row.number, "other": seen[ident]}))
            continue
        seen[ident] = row.row
        if row.client_aliases and _index_add(client_index, client, row.client_aliases):
            memo.clear()
        debtor = debtor_memo.get(row.debtor)
        if debtor is None:
            debtor = _debtor_for(row.debtor, debtor_index, res.new_debtors, bool(row.debtor_core))
            debtor_memo[row.debtor] = debtor
        if row.debtor_core and not debtor.is_core:
            debtor.is_core = True
            if debtor.id is not None:
                res.make_core.add(debtor.id)
        _client_changes(client, row, res.client_changes)
        res.accepted.append((row, client, debtor))
    return res


def _debtor_for(name: str, index: dict[str, list[_Debtor]], new: dict[str, _Debtor], core: bool) -> _Debtor:
    key = normalise_name(name)
    found = index.get(key)
    if found:
        return found[0]
    debtor = new.get(key)
    if debtor is None:
        debtor = _Debtor(None, key, name.strip(), core)
        new[key] = debtor
        _index_add(index, debtor, [debtor.name])
    return debtor


def _client_changes(client: _Client, row: InvoiceRow, changes: dict[int, dict[str, Any]]) -> None:
    """Fold the row's client columns (aliases, credit limit, industry) that differ into the client."""
    if not (row.client_aliases or row.credit_limit is not None or row.industry):
        return
    changed: dict[str, Any] = {}
    if row.client_aliases:
        known = {normalise_name(a) for a in client.aliases} | {normalise_name(client.name)}
        new_aliases = [a for a in row.client_aliases if normalise_name(a) not in known]
        if new_aliases:
            client.aliases = client.aliases + new_aliases
            changed["aliases"] = client.aliases
    if row.credit_limit is not None and client.credit_limit != row.credit_limit:
        client.credit_limit = changed["credit_limit"] = row.credit_limit
    if row.industry and client.industry != row.industry:
        client.industry = changed["industry"] = row.industry
    if changed and client.id is not None:
        changes.setdefault(client.id, {}).update(changed)


async def _resolve_invoices(
    session: AsyncSession, plan: ImportPlan, *, write: bool, progress: ProgressFn | None = None
) -> None:
    snapshot = await _snapshot(session)
    res = plan.resolution
    if res is None or res.snapshot != snapshot:
        # First look, or officers/clients/debtors changed since the preview: resolve the names again.
        res = _resolve_names(plan, snapshot)
    plan.resolution = res
    plan.rejected.extend(res.rejected)
    plan.new_clients = [c.name for c in res.new_clients.values()]
    plan.new_debtors = [d.name for d in res.new_debtors.values()]
    plan.debtors_updated = len(res.make_core)
    plan.clients_updated = len(res.client_changes)

    # Invoices are always read again: one query of plain tuples for the clients the file touches.
    touched = {c.id for _, c, _ in res.accepted if c.id is not None}
    existing = await _existing_invoices(session, touched)
    client_ids: dict[Any, int | None] = {}
    debtor_ids: dict[Any, int | None] = {}
    if write:
        client_ids, debtor_ids = await _write_names(session, res)
    notes = [(row, client, debtor) for row, client, debtor in res.accepted if row.credit_note]
    notes_written = 0
    if notes:
        await _resolve_credit_notes(session, plan, notes, touched, client_ids, debtor_ids, write=write)
        notes_written = plan.credit_notes_new + plan.credit_notes_updated

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row, client, debtor in res.accepted:
        if row.credit_note:
            continue
        debtor_id = debtor.id if debtor.id is not None else debtor_ids.get(debtor.key)
        current = existing.get((client.id, row.number)) if client.id is not None else None
        currency = row.currency or client.currency or "CNY"
        # Who received a payment is evidence: a later ledger without the column (or a blank cell) keeps it.
        paid_to = row.paid_to if row.paid_to is not None or current is None else current[_FIELDS.index("paid_to") + 1]
        values = (
            debtor_id, row.amount, currency, row.issue_date, row.due_date, row.paid_amount, row.paid_date,
            row.disputed, row.advanced_amount, paid_to,
        )  # fmt: skip
        if row.paid_to == "client":
            plan.paid_to_client.append(row.number)
        if row.application_date is not None:
            app_client = client.id if client.id is not None else client_ids.get(client.key)
            if app_client is not None:
                plan.applications.append((app_client, client.name, row.application_date, row.application_amount))
        if current is None:
            plan.invoices_new += 1
            if write:
                client_id = client.id if client.id is not None else client_ids[client.key]
                inserts.append(
                    {"client_id": client_id, "number": row.number, **dict(zip(_FIELDS, values, strict=True))}
                )
        elif debtor.id is not None and current[1 : 1 + len(_FIELDS)] == values:
            plan.invoices_unchanged += 1
        else:
            plan.invoices_updated += 1
            originals = _originals(current, row)
            if originals != current[1 + len(_FIELDS) :] and originals[0] is not None:
                plan.redated.append(row.number)
            if write:
                updates.append(
                    {
                        "_id": current[0],
                        **dict(zip(_FIELDS, values, strict=True)),
                        "original_issue_date": originals[0],
                        "original_due_date": originals[1],
                    }
                )
    if write:
        total = notes_written + len(inserts) + len(updates)
        done = notes_written
        for start in range(0, len(inserts), _CHUNK):
            chunk = inserts[start : start + _CHUNK]
            await bulk_insert_invoices(session, chunk)
            done += len(chunk)
            if progress is not None and done < total:
                progress(done, total)
        set_values = {f: bindparam(f) for f in (*_FIELDS, "original_issue_date", "original_due_date")}
        for start in range(0, len(updates), _CHUNK):
            stmt = update(_TABLE).where(_TABLE.c.id == bindparam("_id")).values(set_values)
            chunk = updates[start : start + _CHUNK]
            await session.execute(stmt, chunk)
            done += len(chunk)
            if progress is not None and done < total:
                progress(done, total)
        await session.flush()
        if progress is not None:
            progress(total, total)


def _originals(current: tuple[Any, ...], row: InvoiceRow) -> tuple[date | None, date | None]:
    """The (issue, due) dates the invoice first arrived with, once a re-import moves either of them.

    Kept from the first change on (a second re-dating does not overwrite them); both None while the dates
    never moved. ``current`` is ``(id, *_FIELDS, original_issue_date, original_due_date)``."""
    issue, due = _as_date(current[4]), _as_date(current[5])
    kept_issue, kept_due = _as_date(current[-2]), _as_date(current[-1])
    if kept_issue is not None:
        return kept_issue, kept_due
    if issue == row.issue_date and due == row.due_date:
        return None, None
    return issue, due


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


async def _resolve_credit_notes(
    session: AsyncSession,
    plan: ImportPlan,
    notes: list[tuple[InvoiceRow, _Client, _Debtor]],
    touched: set[int],
    client_ids: dict[Any, int | None],
    debtor_ids: dict[Any, int | None],
    *,
    write: bool,
) -> None:
    """Credit notes of the file against ``credit_notes``: counted as new/updated/unchanged, written on apply."""
    existing: dict[tuple[int, str], tuple[Any, ...]] = {}
    ids = sorted(touched)
    columns = [CreditNote.client_id, CreditNote.number, CreditNote.id, *(getattr(CreditNote, f) for f in _NOTE_FIELDS)]
    for start in range(0, len(ids), 500):
        for rec in await session.execute(select(*columns).where(CreditNote.client_id.in_(ids[start : start + 500]))):
            existing[(rec[0], rec[1])] = tuple(rec[2:])
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row, client, debtor in notes:
        debtor_id = debtor.id if debtor.id is not None else debtor_ids.get(debtor.key)
        current = existing.get((client.id, row.number)) if client.id is not None else None
        values = (debtor_id, row.amount, row.currency or client.currency or "CNY", row.issue_date)
        if current is None:
            plan.credit_notes_new += 1
            if write:
                client_id = client.id if client.id is not None else client_ids[client.key]
                inserts.append(
                    {"client_id": client_id, "number": row.number, **dict(zip(_NOTE_FIELDS, values, strict=True))}
                )
        elif debtor.id is not None and current[1:] == values:
            plan.credit_notes_unchanged += 1
        else:
            plan.credit_notes_updated += 1
            if write:
                updates.append({"_id": current[0], **dict(zip(_NOTE_FIELDS, values, strict=True))})
    if write:
        table = CreditNote.__table__
        if inserts:
            await session.execute(insert(table), inserts)
        if updates:
            stmt = update(table).where(table.c.id == bindparam("_id")).values({f: bindparam(f) for f in _NOTE_FIELDS})
            await session.execute(stmt, updates)


async def _write_names(session: AsyncSession, res: _Resolution) -> tuple[dict[Any, int | None], dict[Any, int | None]]:
    """Create the new clients and debtors, apply client/debtor changes; new key -> id."""
    touched = set(res.client_changes) | res.make_core
    if touched:
        # Through the ORM, so objects already in this session see the change too.
        for client in (await session.scalars(select(Client).where(Client.id.in_(list(res.client_changes))))).all():
            for name, value in res.client_changes[client.id].items():
                setattr(client, name, list(value) if name == "aliases" else value)
        for debtor in (await session.scalars(select(Debtor).where(Debtor.id.in_(sorted(res.make_core))))).all():
            debtor.is_core = True
    clients = {
        key: Client(
            name=c.name,
            aliases=list(c.aliases),
            officer_id=c.officer_id,
            industry=c.industry,
            tier="potential",
            tier_reason="",
            credit_limit=c.credit_limit,
            currency=c.currency,
            deals_count=0,
        )
        for key, c in res.new_clients.items()
    }
    debtors = {
        key: Debtor(name=d.name, aliases=[], is_core=d.is_core, industry="", rating="")
        for key, d in res.new_debtors.items()
    }
    session.add_all(clients.values())
    session.add_all(debtors.values())
    await session.flush()
    return {k: c.id for k, c in clients.items()}, {k: d.id for k, d in debtors.items()}


async def _existing_invoices(session: AsyncSession, client_ids: set[int]) -> dict[tuple[int, str], tuple[Any, ...]]:
    """(client id, number) -> (id, *_FIELDS, original issue date, original due date) for the clients' invoices."""
    out: dict[tuple[int, str], tuple[Any, ...]] = {}
    ids = sorted(client_ids)
    columns = [
        Invoice.client_id, Invoice.number, Invoice.id, *(getattr(Invoice, f) for f in _FIELDS),
        Invoice.original_issue_date, Invoice.original_due_date,
    ]  # fmt: skip
    for start in range(0, len(ids), 500):
        result = await session.execute(select(*columns).where(Invoice.client_id.in_(ids[start : start + 500])))
        for rec in result:
            out[(rec[0], rec[1])] = rec[2:]
    return out
