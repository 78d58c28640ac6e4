"""Receivables per client in one GROUP BY over the invoices: open, overdue, aging, DSO, turnover, sales.

* aging at ``as_of`` by days past due (``as_of − due_date``): current (≤ 0), 1-30, 31-60, 61-90, 90+.
* DSO at d = open receivables at d ÷ sales (invoice amounts issued in the 90 days ending on d, i.e.
  d−89 … d) × 90. ``dso`` is at ``as_of``; ``dso_history`` at the last 4 month-ends on or before
  ``as_of``; ``dso_trailing_avg`` is the mean over the 3 month-ends strictly before ``as_of``.
* turnover = sales in the 30 days ending on ``as_of`` ÷ mean(open at ``as_of − 30``, open at
  ``as_of``); ``turnover_prev`` the same for the 30 days before that.
* utilisation = Σ over open invoices of (advanced amount, or the open amount when unknown) ÷ credit limit.
* sales_30 = sales in the 30 days ending on ``as_of``; sales_monthly_avg = sales in the 180 days before
  those ÷ 6 (the turnover-spike baseline).
* sales_90 / sales_prev_90: sales in the 90 days ending on ``as_of`` and in the 90 days before (dilution's
  denominators).

Only invoices that can matter are read: issued in the windows above, or still open at one of the dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import Invoice
from skills.portfolio.sql_terms import (
    CENT,
    SHARE,
    WINDOW_DAYS,
    as_date,
    is_open,
    month_ends,
    open_amount,
    ratio,
    sales,
    sum_of,
    to_money,
)
from skills.portfolio.types import AGING_BUCKETS, SPIKE_BASE_DAYS

__all__ = ["TURNOVER_DAYS", "Receivables", "receivables"]

TURNOVER_DAYS = 30


@dataclass(frozen=True, slots=True)
class Receivables:
    """The dates one aggregate was computed for, and its rows by client id."""

    as_of: date
    dso_days: list[date]
    history: list[date]
    trailing: list[date]
    rows: dict[int, Mapping[str, Any]]

    def figures(self, client_id: int, credit_limit: Decimal | None) -> dict[str, Any]:
        """``ClientMetrics`` keyword arguments for one client (zeros and Nones when it has no invoices)."""
        agg: Mapping[str, Any] = self.rows.get(client_id, {})
        open_now = to_money(agg.get("open_amount"))
        dso_at = {
            d: ratio(to_money(agg.get(f"open_{i}")) * WINDOW_DAYS, to_money(agg.get(f"sales_{i}")), CENT)
            for i, d in enumerate(self.dso_days)
        }
        trailing_values = [v for d in self.trailing if (v := dso_at[d]) is not None]
        oldest_due = agg.get("oldest_due")
        return {
            "open_amount": open_now,
            "open_count": int(agg.get("open_count") or 0),
            "aging": {name: to_money(agg.get(f"b{i}")) for i, name in enumerate(AGING_BUCKETS)},
            "overdue_amount": to_money(agg.get("overdue_amount")),
            "overdue_count": int(agg.get("overdue_count") or 0),
            "max_days_overdue": (self.as_of - as_date(oldest_due)).days if oldest_due else 0,
            "dso": dso_at[self.as_of],
            "dso_trailing_avg": (
                (sum(trailing_values, Decimal(0)) / len(trailing_values)).quantize(CENT, ROUND_HALF_UP)
                if trailing_values
                else None
            ),
            "dso_history": [(d, v) for d in self.history if (v := dso_at[d]) is not None],
            "turnover": _turnover(agg, "sales_t", "open_t", open_now),
            "turnover_prev": _turnover(agg, "sales_tp", "open_tp", to_money(agg.get("open_t"))),
            "disputed_share": ratio(to_money(agg.get("disputed")), open_now, SHARE),
            "credit_limit": credit_limit,
            "utilisation": ratio(to_money(agg.get("used")), credit_limit, SHARE) if credit_limit else None,
            "sales_30": to_money(agg.get("sales_t")) if agg else None,
            "sales_monthly_avg": (
                (to_money(agg.get("sales_base")) * TURNOVER_DAYS / SPIKE_BASE_DAYS).quantize(CENT, ROUND_HALF_UP)
                if agg
                else None
            ),
        }

    def sales_90(self, client_id: int) -> tuple[Decimal, Decimal]:
        """(sales in the 90 days ending on ``as_of``, sales in the 90 days before those)."""
        agg = self.rows.get(client_id, {})
        return to_money(agg.get(f"sales_{self.dso_days.index(self.as_of)}")), to_money(agg.get("sales_p90"))


def _turnover(agg: Mapping[str, Any], sales_key: str, start_key: str, end_open: Decimal) -> Decimal | None:
    average = (to_money(agg.get(start_key)) + end_open) / 2
    return ratio(to_money(agg.get(sales_key)), average, CENT)


async def receivables(session: AsyncSession, as_of: date, client_ids: Sequence[int] | None) -> Receivables:
    """One GROUP BY client over the invoices that matter at ``as_of`` (all clients when ``client_ids`` is None)."""
    history = month_ends(as_of, 4)
    trailing = month_ends(as_of, 3, strictly_before=True)
    dso_days = sorted({as_of, *history, *trailing})
    turn_a, turn_b = as_of - timedelta(days=TURNOVER_DAYS), as_of - timedelta(days=2 * TURNOVER_DAYS)
    earliest = min([*dso_days, turn_b])

    open_now = is_open(as_of)
    amount_now = open_amount(as_of)
    overdue_now = and_(open_now, Invoice.due_date < as_of)
    cols: list[Any] = [
        Invoice.client_id,
        sum_of(amount_now, "open_amount"),
        sum_of(case((open_now, 1), else_=0), "open_count"),
        sum_of(case((overdue_now, amount_now), else_=0), "overdue_amount"),
        sum_of(case((overdue_now, 1), else_=0), "overdue_count"),
        func.min(case((overdue_now, Invoice.due_date), else_=None)).label("oldest_due"),
        sum_of(case((and_(open_now, Invoice.disputed.is_(True)), amount_now), else_=0), "disputed"),
        sum_of(case((open_now, func.coalesce(Invoice.advanced_amount, amount_now)), else_=0), "used"),
        sum_of(sales(turn_a, as_of), "sales_t"),
        sum_of(sales(turn_b, turn_a), "sales_tp"),
        sum_of(sales(turn_a - timedelta(days=SPIKE_BASE_DAYS), turn_a), "sales_base"),
        sum_of(sales(as_of - timedelta(days=2 * WINDOW_DAYS), as_of - timedelta(days=WINDOW_DAYS)), "sales_p90"),
        sum_of(open_amount(turn_a), "open_t"),
        sum_of(open_amount(turn_b), "open_tp"),
    ]
    bounds = [as_of - timedelta(days=n) for n in (0, 30, 60, 90)]  # due on/after bounds[i] → bucket i
    cols.append(sum_of(case((Invoice.due_date >= bounds[0], amount_now), else_=0), "b0"))
    for i in range(1, 4):
        in_bucket = and_(Invoice.due_date < bounds[i - 1], Invoice.due_date >= bounds[i])
        cols.append(sum_of(case((in_bucket, amount_now), else_=0), f"b{i}"))
    cols.append(sum_of(case((Invoice.due_date < bounds[3], amount_now), else_=0), "b4"))
    for i, d in enumerate(dso_days):
        cols.append(sum_of(open_amount(d), f"open_{i}"))
        cols.append(sum_of(sales(d - timedelta(days=WINDOW_DAYS), d), f"sales_{i}"))

    oldest_sale = min(
        earliest - timedelta(days=WINDOW_DAYS),
        turn_a - timedelta(days=SPIKE_BASE_DAYS),
        as_of - timedelta(days=2 * WINDOW_DAYS),
    )
    relevant = and_(
        Invoice.issue_date <= as_of,
        or_(
            Invoice.issue_date > oldest_sale,
            Invoice.paid_date.is_(None),
            Invoice.paid_date > earliest,
            Invoice.paid_amount < Invoice.amount,
        ),
    )
    stmt = select(*cols).where(relevant).group_by(Invoice.client_id)
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    rows = {row.client_id: row._mapping for row in (await session.execute(stmt)).all()}
    return Receivables(as_of, dso_days, history, trailing, rows)
