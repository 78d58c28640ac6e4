"""Turning a read table into checked rows: invoice ledgers and credit-event lists (pure, no database).

Row numbers are those the officer sees in the spreadsheet (the header is usually row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from skills.portfolio.parsing import (
    EVENT_COLUMNS,
    EVENT_REQUIRED,
    INVOICE_COLUMNS,
    INVOICE_REQUIRED,
    CellError,
    amount_currency,
    map_headers,
    normalise_header,
    parse_amount,
    parse_bool,
    parse_date,
    split_aliases,
)
from skills.portfolio.reader import LedgerError, Table

__all__ = ["HEADER_HINT", "EventRow", "InvoiceRow", "RowIssue", "parse_table"]

HEADER_HINT = {
    normalise_header(a) for cols in (INVOICE_COLUMNS, EVENT_COLUMNS) for k, v in cols.items() for a in (k, *v)
}
_CCY = re.compile(r"^[A-Za-z]{3}$")
_CCY_WORDS = {"rmb": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD", "港币": "HKD", "港元": "HKD", "欧元": "EUR"}


@dataclass(frozen=True, slots=True)
class RowIssue:
    """Why a row was rejected: message key in ``messages.py`` and its parameters."""

    row: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class InvoiceRow:
    """A checked ledger row (values parsed; clients/debtors not yet resolved)."""

    row: int
    client: str
    debtor: str
    number: str
    amount: Decimal
    issue_date: date
    due_date: date
    currency: str | None = None
    paid_amount: Decimal = Decimal("0.00")
    paid_date: date | None = None
    disputed: bool = False
    advanced_amount: Decimal | None = None
    client_aliases: list[str] = field(default_factory=list)
    officer_id: int | None = None
    debtor_core: bool | None = None
    credit_limit: Decimal | None = None
    industry: str = ""

    def invoice_values(self, *, client_currency: str) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "currency": self.currency or client_currency or "CNY",
            "issue_date": self.issue_date,
            "due_date": self.due_date,
            "paid_amount": self.paid_amount,
            "paid_date": self.paid_date,
            "disputed": self.disputed,
            "advanced_amount": self.advanced_amount,
        }


@dataclass(slots=True)
class EventRow:
    """A checked credit-event row."""

    row: int
    subject: str
    kind: str
    on: date
    note: str = ""


def _text(cells: list[Any], cols: dict[str, int], name: str) -> str:
    index = cols.get(name)
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _raw(cells: list[Any], cols: dict[str, int], name: str) -> Any:
    index = cols.get(name)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _currency(text: str) -> str | None:
    if not text:
        return None
    word = _CCY_WORDS.get(text.strip().lower())
    if word:
        return word
    if not _CCY.match(text.strip()):
        raise CellError("bad_currency", text)
    return text.strip().upper()


def parse_table(
    table: Table, *, dayfirst: bool, today: date
) -> tuple[str, list[InvoiceRow], list[EventRow], list[RowIssue]]:
    """Check every row; returns (kind, invoice rows, event rows, rejected rows). Raises LedgerError for the file."""
    invoice_cols = map_headers(table.headers, INVOICE_COLUMNS)
    if "invoice_no" not in invoice_cols:
        event_cols = map_headers(table.headers, EVENT_COLUMNS)
        if all(c in event_cols for c in ("subject", "kind")):
            missing = [c for c in EVENT_REQUIRED if c not in event_cols]
            if missing:
                raise LedgerError("missing_columns", columns=", ".join(missing))
            events, issues = _events(table, event_cols, dayfirst)
            return "events", [], events, issues
    missing = [c for c in INVOICE_REQUIRED if c not in invoice_cols]
    if missing:
        raise LedgerError("missing_columns", columns=", ".join(missing))
    rows: list[InvoiceRow] = []
    issues: list[RowIssue] = []
    for row_no, cells in table.rows:
        try:
            rows.append(_invoice(row_no, cells, invoice_cols, dayfirst, today))
        except _RowReject as exc:
            issues.append(exc.issue)
    return "invoices", rows, [], issues


class _RowReject(Exception):
    def __init__(self, issue: RowIssue) -> None:
        super().__init__(issue.key)
        self.issue = issue


def _cell(row: int, name: str, fn: Any, value: Any, **kwargs: Any) -> Any:
    try:
        return fn(value, **kwargs)
    except CellError as exc:
        raise _RowReject(RowIssue(row, exc.key, {"field": name, "value": "" if value is None else value})) from None


def _invoice(row: int, cells: list[Any], cols: dict[str, int], dayfirst: bool, today: date) -> InvoiceRow:
    for name in INVOICE_REQUIRED:
        if _blank(_raw(cells, cols, name)):
            raise _RowReject(RowIssue(row, "missing", {"field": name}))
    raw_amount = _raw(cells, cols, "amount")
    amount = _cell(row, "amount", parse_amount, raw_amount)
    if amount <= 0:
        raise _RowReject(RowIssue(row, "zero_amount", {"field": "amount"}))
    issue = _cell(row, "issue_date", parse_date, _raw(cells, cols, "issue_date"), dayfirst=dayfirst)
    due = _cell(row, "due_date", parse_date, _raw(cells, cols, "due_date"), dayfirst=dayfirst)
    if due < issue:
        raise _RowReject(RowIssue(row, "due_before_issue"))
    currency = _cell(row, "currency", _currency, _text(cells, cols, "currency")) or amount_currency(raw_amount)
    paid_date = None
    if not _blank(_raw(cells, cols, "paid_date")):
        paid_date = _cell(row, "paid_date", parse_date, _raw(cells, cols, "paid_date"), dayfirst=dayfirst)
        if paid_date < issue:
            raise _RowReject(RowIssue(row, "paid_before_issue"))
        if paid_date > today:
            raise _RowReject(RowIssue(row, "paid_in_future", {"value": paid_date.isoformat()}))
    raw_paid = _raw(cells, cols, "paid_amount")
    if _blank(raw_paid):
        paid = amount if paid_date is not None else Decimal("0.00")  # a payment date alone means paid in full
    else:
        paid = _cell(row, "paid_amount", parse_amount, raw_paid)
    if paid > amount:
        raise _RowReject(RowIssue(row, "paid_over_amount"))
    advanced = None
    if not _blank(_raw(cells, cols, "advanced_amount")):
        advanced = _cell(row, "advanced_amount", parse_amount, _raw(cells, cols, "advanced_amount"))
        if advanced > amount:
            raise _RowReject(RowIssue(row, "advanced_over_amount"))
    officer_text = _text(cells, cols, "officer_id")
    officer_id = None
    if officer_text:
        if not re.fullmatch(r"-?\d+", officer_text):
            raise _RowReject(RowIssue(row, "bad_officer", {"value": officer_text}))
        officer_id = int(officer_text)
    core_raw = _raw(cells, cols, "debtor_core")
    limit_raw = _raw(cells, cols, "credit_limit")
    return InvoiceRow(
        row=row,
        client=_text(cells, cols, "client"),
        debtor=_text(cells, cols, "debtor"),
        number=_text(cells, cols, "invoice_no")[:100],
        amount=amount,
        issue_date=issue,
        due_date=due,
        currency=currency,
        paid_amount=paid,
        paid_date=paid_date,
        disputed=_cell(row, "disputed", parse_bool, _raw(cells, cols, "disputed")),
        advanced_amount=advanced,
        client_aliases=split_aliases(_text(cells, cols, "client_aliases")),
        officer_id=officer_id,
        debtor_core=None if _blank(core_raw) else _cell(row, "debtor_core", parse_bool, core_raw),
        credit_limit=None if _blank(limit_raw) else _cell(row, "credit_limit", parse_amount, limit_raw),
        industry=_text(cells, cols, "industry")[:100],
    )


def _events(table: Table, cols: dict[str, int], dayfirst: bool) -> tuple[list[EventRow], list[RowIssue]]:
    from skills.portfolio.flags import FlagError, parse_kind

    events: list[EventRow] = []
    issues: list[RowIssue] = []
    for row, cells in table.rows:
        try:
            for name in EVENT_REQUIRED:
                if _blank(_raw(cells, cols, name)):
                    raise _RowReject(RowIssue(row, "missing", {"field": name}))
            try:
                kind = parse_kind(_text(cells, cols, "kind"))
            except FlagError:
                raise _RowReject(RowIssue(row, "bad_kind", {"value": _text(cells, cols, "kind")})) from None
            on = _cell(row, "date", parse_date, _raw(cells, cols, "date"), dayfirst=dayfirst)
            events.append(EventRow(row, _text(cells, cols, "subject"), kind, on, _text(cells, cols, "note")))
        except _RowReject as exc:
            issues.append(exc.issue)
    return events, issues
