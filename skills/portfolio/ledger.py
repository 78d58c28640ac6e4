"""Turning a read table into checked rows: invoice ledgers and credit-event lists (pure, no database).

Row numbers are those the officer sees in the spreadsheet (the header is usually row 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

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
    parse_doc_type,
    parse_paid_to,
    signed_amount,
    split_aliases,
)
from skills.portfolio.reader import LedgerError, Table

__all__ = ["HEADER_HINT", "PROGRESS_EVERY", "EventRow", "InvoiceRow", "RowIssue", "parse_table"]

T = TypeVar("T")

PROGRESS_EVERY = 500  # rows checked between two progress calls (~40 ms of checking: invisible in its cost)

HEADER_HINT = {
    normalise_header(a) for cols in (INVOICE_COLUMNS, EVENT_COLUMNS) for k, v in cols.items() for a in (k, *v)
}
_CCY = re.compile(r"^[A-Za-z]{3}$")
_OFFICER_ID = re.compile(r"-?\d+")
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
    credit_note: bool = False  # a credit note (贷项通知单 / 红字发票): ``amount`` is its size, positive
    paid_to: str | None = None  # who received the payment: factor | client | None (not stated)
    application_date: date | None = None  # a financing application recorded on this row (the SLA clock)
    application_amount: Decimal | None = None

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
    table: Table,
    *,
    dayfirst: bool,
    today: date,
    collection_accounts: frozenset[str] = frozenset(),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, list[InvoiceRow], list[EventRow], list[RowIssue]]:
    """Check every row; returns (kind, invoice rows, event rows, rejected rows). Raises LedgerError for the file.

    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` invoice rows checked, short of the total (the
    caller reports the end, once it has compared the rows with the database)."""
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
    parse = _invoice_parser(invoice_cols, dayfirst, today, collection_accounts)
    total = len(table.rows)
    for done, (row_no, cells) in enumerate(table.rows, start=1):
        try:
            rows.append(parse(row_no, cells))
        except _RowReject as exc:
            issues.append(exc.issue)
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
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


def _invoice_parser(
    cols: dict[str, int], dayfirst: bool, today: date, collection_accounts: frozenset[str] = frozenset()
) -> Callable[[int, list[Any]], InvoiceRow]:
    """A row checker for one table: column indices resolved once, and each distinct amount, date, currency
    or yes/no text parsed once (ledgers repeat them a lot). Same checks, in the same order, as cell by cell."""
    # A missing column reads the None appended to every row (index -1).
    i_client, i_aliases, i_officer, i_debtor, i_core, i_number, i_amount, i_ccy = (
        cols.get(n, -1)
        for n in ("client", "client_aliases", "officer_id", "debtor", "debtor_core", "invoice_no", "amount", "currency")
    )
    i_issue, i_due, i_paid, i_paid_date, i_disputed, i_advanced, i_limit, i_industry = (
        cols.get(n, -1)
        for n in (
            "issue_date", "due_date", "paid_amount", "paid_date", "disputed", "advanced_amount", "credit_limit",
            "industry",
        )
    )  # fmt: skip
    i_type, i_paid_to, i_app_date, i_app_amount = (
        cols.get(n, -1) for n in ("doc_type", "paid_to", "application_date", "application_amount")
    )
    width = max(cols.values()) + 1
    required = [(name, cols[name]) for name in INVOICE_REQUIRED]
    note_required = [(name, index) for name, index in required if name != "due_date"]  # a credit note has no due date
    amounts: dict[str, Decimal] = {}
    dates: dict[str, date] = {}
    bools: dict[str, bool] = {}
    currencies: dict[str, str | None] = {}
    symbols: dict[str, str | None] = {}
    kinds: dict[str, str] = {}
    payees: dict[str, str | None] = {}
    zero = Decimal("0.00")

    def text(value: Any) -> str:
        """A cell as text (``_text``): strings are already stripped; 12.0 from a spreadsheet reads as 12."""
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def reject(row: int, name: str, exc: CellError, value: Any) -> _RowReject:
        return _RowReject(RowIssue(row, exc.key, {"field": name, "value": "" if value is None else value}))

    def cached(row: int, name: str, value: Any, parse: Callable[[Any], T], memo: dict[str, T]) -> T:
        """``parse(value)``, each distinct text parsed once; a bad cell rejects the row."""
        if isinstance(value, str):
            found = memo.get(value)
            if found is not None:
                return found
        try:
            parsed = parse(value)
        except CellError as exc:
            raise reject(row, name, exc, value) from None
        if isinstance(value, str):
            memo[value] = parsed
        return parsed

    def money(row: int, name: str, value: Any) -> Decimal:
        return cached(row, name, value, parse_amount, amounts)

    def day(row: int, name: str, value: Any) -> date:
        return cached(row, name, value, lambda v: parse_date(v, dayfirst=dayfirst), dates)

    def yes_no(row: int, name: str, value: Any) -> bool:
        return cached(row, name, value, parse_bool, bools)

    def currency_of(row: int, value: str) -> str | None:
        if value in currencies:
            return currencies[value]
        try:
            found = _currency(value)
        except CellError as exc:
            raise reject(row, "currency", exc, value) from None
        currencies[value] = found
        return found

    def symbol_of(value: Any) -> str | None:
        if not isinstance(value, str):
            return amount_currency(value)
        if value not in symbols:
            symbols[value] = amount_currency(value)
        return symbols[value]

    def row_currency(row: int, cells: list[Any]) -> str | None:
        """The currency column, else the amount's symbol (¥, $, …), else None (the client's currency)."""
        ccy_text = text(cells[i_ccy])
        return (currency_of(row, ccy_text) if ccy_text else None) or symbol_of(cells[i_amount])

    def row_officer(row: int, cells: list[Any]) -> int | None:
        """The officer id column: a Telegram user id, or None when blank."""
        officer_text = text(cells[i_officer])
        if not officer_text:
            return None
        if not _OFFICER_ID.fullmatch(officer_text):
            raise _RowReject(RowIssue(row, "bad_officer", {"value": officer_text}))
        return int(officer_text)

    def parse(row: int, cells: list[Any]) -> InvoiceRow:
        cells = [c.strip() if isinstance(c, str) else c for c in cells]
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        cells.append(None)
        for name, index in note_required:
            value = cells[index]
            if value is None or value == "":
                raise _RowReject(RowIssue(row, "missing", {"field": name}))
        raw_type = cells[i_type]
        declared = (
            None if raw_type is None or raw_type == "" else cached(row, "doc_type", raw_type, parse_doc_type, kinds)
        )
        raw_amount = cells[i_amount]
        negative = (isinstance(raw_amount, str) and raw_amount[:1] in ("-", "−", "–", "－", "(", "（")) or (
            isinstance(raw_amount, (int, float, Decimal)) and raw_amount < 0
        )
        if negative:
            try:
                amount = signed_amount(raw_amount)[0]
            except CellError as exc:
                raise reject(row, "amount", exc, raw_amount) from None
        else:
            amount = money(row, "amount", raw_amount)
        if negative and declared == "invoice":
            raise _RowReject(RowIssue(row, "negative_invoice", {"field": "amount", "value": raw_amount}))
        credit_note = declared == "credit_note" or negative  # a negative amount is a credit note (红字发票)
        if not credit_note and (cells[i_due] is None or cells[i_due] == ""):
            raise _RowReject(RowIssue(row, "missing", {"field": "due_date"}))
        if amount <= 0:
            raise _RowReject(RowIssue(row, "zero_amount", {"field": "amount"}))
        issue = day(row, "issue_date", cells[i_issue])
        if credit_note:
            return _credit_note_row(row, cells, amount, issue)
        due = day(row, "due_date", cells[i_due])
        if due < issue:
            raise _RowReject(RowIssue(row, "due_before_issue"))
        currency = row_currency(row, cells)
        paid_date = None
        raw_paid_date = cells[i_paid_date]
        if raw_paid_date is not None and raw_paid_date != "":
            paid_date = day(row, "paid_date", raw_paid_date)
            if paid_date < issue:
                raise _RowReject(RowIssue(row, "paid_before_issue"))
            if paid_date > today:
                raise _RowReject(RowIssue(row, "paid_in_future", {"value": paid_date.isoformat()}))
        raw_paid = cells[i_paid]
        if raw_paid is None or raw_paid == "":
            paid = amount if paid_date is not None else zero  # a payment date alone means paid in full
        else:
            paid = money(row, "paid_amount", raw_paid)
        if paid > amount:
            raise _RowReject(RowIssue(row, "paid_over_amount"))
        advanced = None
        raw_advanced = cells[i_advanced]
        if raw_advanced is not None and raw_advanced != "":
            advanced = money(row, "advanced_amount", raw_advanced)
            if advanced > amount:
                raise _RowReject(RowIssue(row, "advanced_over_amount"))
        officer_id = row_officer(row, cells)
        disputed = yes_no(row, "disputed", cells[i_disputed])
        aliases_text = text(cells[i_aliases])
        core_raw = cells[i_core]
        core = None if core_raw is None or core_raw == "" else yes_no(row, "debtor_core", core_raw)
        limit_raw = cells[i_limit]
        limit = None if limit_raw is None or limit_raw == "" else money(row, "credit_limit", limit_raw)
        raw_paid_to = cells[i_paid_to]
        paid_to = None
        if raw_paid_to is not None and raw_paid_to != "":
            paid_to = cached(row, "paid_to", raw_paid_to, lambda v: parse_paid_to(v, collection_accounts), payees)
        app_date, app_amount = application(row, cells, issue)
        return InvoiceRow(
            row=row,
            client=text(cells[i_client]),
            debtor=text(cells[i_debtor]),
            number=text(cells[i_number])[:100],
            amount=amount,
            issue_date=issue,
            due_date=due,
            currency=currency,
            paid_amount=paid,
            paid_date=paid_date,
            disputed=disputed,
            advanced_amount=advanced,
            client_aliases=split_aliases(aliases_text) if aliases_text else [],
            officer_id=officer_id,
            debtor_core=core,
            credit_limit=limit,
            industry=text(cells[i_industry])[:100],
            paid_to=paid_to,
            application_date=app_date,
            application_amount=app_amount,
        )

    def application(row: int, cells: list[Any], issue: date) -> tuple[date | None, Decimal | None]:
        """The row's application columns: a date (not in the future) and an optional amount."""
        raw_date, raw_amount = cells[i_app_date], cells[i_app_amount]
        if raw_date is None or raw_date == "":
            if raw_amount is not None and raw_amount != "":
                raise _RowReject(RowIssue(row, "missing", {"field": "application_date"}))
            return None, None
        applied = day(row, "application_date", raw_date)
        if applied > today:
            raise _RowReject(RowIssue(row, "application_in_future", {"value": applied.isoformat()}))
        amount = None if raw_amount is None or raw_amount == "" else money(row, "application_amount", raw_amount)
        return applied, amount

    def _credit_note_row(row: int, cells: list[Any], amount: Decimal, issue: date) -> InvoiceRow:
        """A credit note: client, debtor, number, size and date; payment and due-date columns do not apply."""
        return InvoiceRow(
            row=row,
            client=text(cells[i_client]),
            debtor=text(cells[i_debtor]),
            number=text(cells[i_number])[:100],
            amount=amount,
            issue_date=issue,
            due_date=issue,
            currency=row_currency(row, cells),
            officer_id=row_officer(row, cells),
            credit_note=True,
        )

    return parse


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
