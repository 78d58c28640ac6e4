"""SQL terms shared by the receivables metrics: what is open, paid or sold on a day, and Decimal helpers.

Day boundaries are computed in Python and compared as dates in SQL, so the same statements run on SQLite
and PostgreSQL. Open at day d: issued on or before d and not fully paid by d; the open amount is
``amount − paid_amount`` once the payment date has passed (or when it is unknown), the whole ``amount``
before the payment date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy.sql.elements import ColumnElement

from skills.portfolio.models import Invoice

__all__ = [
    "CENT",
    "SHARE",
    "WINDOW_DAYS",
    "ZERO",
    "as_date",
    "is_open",
    "month_ends",
    "open_amount",
    "ratio",
    "sales",
    "sum_of",
    "to_money",
]

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
ZERO = Decimal("0.00")
WINDOW_DAYS = 90


def to_money(value: Any) -> Decimal:
    """A SQL sum (Decimal on PostgreSQL, int/float/str on SQLite) as Decimal money; None is zero."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def as_date(value: Any) -> date:
    """A date column read through a raw or aggregate statement (ISO text on SQLite)."""
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def month_ends(as_of: date, count: int, *, strictly_before: bool = False) -> list[date]:
    """The last ``count`` month-ends on (or strictly before) ``as_of``, oldest first.

    >>> month_ends(date(2026, 11, 30), 2)
    [datetime.date(2026, 10, 31), datetime.date(2026, 11, 30)]
    >>> month_ends(date(2026, 11, 30), 2, strictly_before=True)
    [datetime.date(2026, 9, 30), datetime.date(2026, 10, 31)]
    """
    last = as_of.replace(day=1) - timedelta(days=1)  # end of the previous month
    if not strictly_before and (as_of + timedelta(days=1)).day == 1:
        last = as_of
    out = [last]
    while len(out) < count:
        out.append(out[-1].replace(day=1) - timedelta(days=1))
    return sorted(out)


def _paid_by(d: date) -> ColumnElement[Any]:
    return case((Invoice.paid_date > d, 0), else_=Invoice.paid_amount)


def is_open(d: date) -> ColumnElement[bool]:
    return and_(Invoice.issue_date <= d, or_(Invoice.paid_date > d, Invoice.paid_amount < Invoice.amount))


def open_amount(d: date) -> ColumnElement[Any]:
    return case((is_open(d), Invoice.amount - _paid_by(d)), else_=0)


def sales(after: date, upto: date) -> ColumnElement[Any]:
    """Invoice amounts issued in ``(after, upto]``."""
    return case((and_(Invoice.issue_date > after, Invoice.issue_date <= upto), Invoice.amount), else_=0)


def sum_of(expr: ColumnElement[Any], label: str) -> Any:
    return func.coalesce(func.sum(expr), 0).label(label)


def ratio(num: Decimal, den: Decimal, quantum: Decimal) -> Decimal | None:
    if den <= 0:
        return None
    return (num / den).quantize(quantum, ROUND_HALF_UP)
