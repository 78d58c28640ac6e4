"""Judging the ledger signals of invoice-finance fraud guides: dilution, misdirected payments, re-dating.

Pure: metrics and settings in, ``(severity, figures)`` out (figures as strings), so :mod:`skills.alerts.rules`
wraps each in a finding. Boundaries, as the settings are worded:

- dilution: credit notes ÷ invoicing over 90 days **≥** ``dilution_yellow`` / ``dilution_red``; a rise of
  **≥** ``dilution_rise_yellow`` points on the 90 days before is at least yellow (a trend: needs history).
  Without enough history the level is yellow at most.
- misdirected: payments received by the client in 90 days totalling **≥** ``misdirected_min_amount``.
- re-dated: an open invoice **ineligible** by its original dates (issued more than ``eligibility_max_age_days``
  ago, or more than ``eligibility_max_overdue_days`` past due) and **eligible** by its new ones.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from skills.alerts.config import AlertsConfig
from skills.portfolio.api import ClientMetrics, Redated

__all__ = ["dilution_signal", "eligible", "misdirected_signal", "redated_signal"]

Signal = tuple[str, dict[str, str]]
_SHARE = Decimal("0.0001")
_CENT = Decimal("0.01")


def _share(value: Decimal) -> str:
    return str(value.quantize(_SHARE, rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def dilution_signal(m: ClientMetrics, c: AlertsConfig, *, seasoned: bool) -> Signal | None:
    """Dilution level and trend.

    >>> from skills.portfolio.types import Dilution
    >>> from datetime import date
    >>> m = ClientMetrics(7, date(2026, 11, 30), "CNY", Decimal(0), 0, {}, Decimal(0), 0, 0, None, None,
    ...                   dilution=Dilution(90, Decimal("12000"), Decimal("100000"), Decimal("2000"), Decimal("100000")))
    >>> dilution_signal(m, AlertsConfig(), seasoned=True)[0], dilution_signal(m, AlertsConfig(), seasoned=False)[0]
    ('red', 'yellow')
    """
    d = m.dilution
    if d is None or d.rate is None or d.credited <= 0 or d.invoiced < c.dilution_min_invoiced:
        return None
    rate = d.rate
    severity = "red" if rate >= c.dilution_red else "yellow" if rate >= c.dilution_yellow else None
    prev = d.prev_rate
    rising = seasoned and prev is not None and rate - prev >= c.dilution_rise_yellow
    if severity is None and rising:
        severity = "yellow"
    if severity is None:
        return None
    figures = {
        "rate": _share(rate),
        "credited": _money(d.credited),
        "invoiced": _money(d.invoiced),
        "days": str(d.days),
        "currency": m.currency,
    }
    if seasoned and prev is not None:
        figures["prev"] = _share(prev)
    if not seasoned and severity == "red":
        severity, figures["capped"] = "yellow", "1"
    return severity, figures


def misdirected_signal(m: ClientMetrics, c: AlertsConfig) -> Signal | None:
    """Payments the client received itself: the amount, how many and which invoices."""
    p = m.misdirected
    if p is None or c.misdirected_severity == "off" or p.amount < c.misdirected_min_amount or p.count <= 0:
        return None
    figures = {
        "count": str(p.count),
        "amount": _money(p.amount),
        "numbers": ", ".join(p.numbers),
        "more": str(max(0, p.count - len(p.numbers))),
        "days": str(p.days),
        "currency": m.currency,
    }
    if p.last_paid is not None:
        figures["last"] = p.last_paid.isoformat()
    return c.misdirected_severity, figures


def eligible(issue: date, due: date, as_of: date, c: AlertsConfig) -> bool:
    """Within the eligibility cut-off: issued at most ``eligibility_max_age_days`` ago and at most
    ``eligibility_max_overdue_days`` past due.

    >>> c = AlertsConfig(eligibility_max_age_days=90, eligibility_max_overdue_days=60)
    >>> eligible(date(2026, 9, 1), date(2026, 12, 1), date(2026, 11, 30), c)  # 90 days old: still in
    True
    >>> eligible(date(2026, 8, 31), date(2026, 12, 1), date(2026, 11, 30), c)  # 91 days old
    False
    """
    return (as_of - issue).days <= c.eligibility_max_age_days and (as_of - due).days <= c.eligibility_max_overdue_days


def redated_signal(m: ClientMetrics, c: AlertsConfig) -> Signal | None:
    """Open invoices moved from ineligible (original dates) back into eligibility (new dates)."""
    if c.redated_severity == "off":
        return None
    moved: list[Redated] = [
        r
        for r in m.redated
        if not eligible(r.original_issue, r.original_due, m.as_of, c) and eligible(r.issue, r.due, m.as_of, c)
    ]
    if not moved:
        return None
    first = moved[0]
    figures = {
        "count": str(len(moved)),
        "number": first.number,
        "original_issue": first.original_issue.isoformat(),
        "issue": first.issue.isoformat(),
        "original_due": first.original_due.isoformat(),
        "due": first.due.isoformat(),
        "amount": _money(sum((r.amount for r in moved), Decimal(0))),
        "numbers": ", ".join(r.number for r in moved[:5]),
        "currency": m.currency,
        "cutoff": str(c.eligibility_max_age_days),
    }
    return c.redated_severity, figures
