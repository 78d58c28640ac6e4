"""The interface between portfolio data (import, metrics) and the risk rules / client profile.

``skills.portfolio.metrics.compute_metrics`` fills these; ``skills.alerts.rules`` reads them.
Money is Decimal; shares and rates are Decimal fractions (0.35 = 35%); None = not computable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "AGING_BUCKETS",
    "ClientMetrics",
    "CreditEventView",
    "DebtorExposure",
    "Dilution",
    "History",
    "Misdirected",
    "Redated",
]

SPIKE_BASE_DAYS = 180  # turnover-spike baseline: the 180 days before the last 30

# Days past due at ``as_of``: not yet due, 1-30, 31-60, 61-90, over 90.
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass(frozen=True, slots=True)
class DebtorExposure:
    """One debtor's open receivables for a client."""

    debtor_id: int
    name: str
    open_amount: Decimal
    share: Decimal  # of the client's open receivables
    is_core: bool = False
    portfolio_open: Decimal | None = None  # this debtor's open receivables across every client
    portfolio_share: Decimal | None = None  # ... as a share of the whole portfolio's open receivables
    portfolio_clients: int = 0  # how many clients sell to it (with open invoices)


@dataclass(frozen=True, slots=True)
class CreditEventView:
    """A credit event on the client or one of its debtors."""

    id: int
    kind: str  # bankruptcy_rumour | negative_disclosure | lawsuit | rating_downgrade
    on: date
    subject: str  # "client" | "debtor"
    subject_name: str
    debtor_id: int | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class History:
    """How much of a client's track record the ledger holds as of a date (for minimum-history gates)."""

    first_issue: date | None  # earliest invoice issue date on or before ``as_of``
    invoices: int  # invoices issued on or before ``as_of``
    collections: int  # invoices with a payment dated on or before ``as_of``
    as_of: date

    @property
    def months(self) -> int:
        """Whole months from the first invoice to ``as_of`` (0 when there is none).

        >>> History(date(2026, 9, 15), 3, 0, date(2026, 11, 30)).months, History(None, 0, 0, date(2026, 11, 30)).months
        (2, 0)
        """
        if self.first_issue is None:
            return 0
        months = (self.as_of.year - self.first_issue.year) * 12 + self.as_of.month - self.first_issue.month
        return max(0, months - (1 if self.as_of.day < self.first_issue.day else 0))


@dataclass(frozen=True, slots=True)
class Dilution:
    """Credit notes against invoicing over ``days`` ending on ``as_of``, and over the ``days`` before that."""

    days: int
    credited: Decimal  # credit notes issued in the window
    invoiced: Decimal  # invoices issued in the window
    prev_credited: Decimal
    prev_invoiced: Decimal

    @property
    def rate(self) -> Decimal | None:
        """credited / invoiced (None without invoicing)."""
        return self.credited / self.invoiced if self.invoiced > 0 else None

    @property
    def prev_rate(self) -> Decimal | None:
        return self.prev_credited / self.prev_invoiced if self.prev_invoiced > 0 else None


@dataclass(frozen=True, slots=True)
class Misdirected:
    """Payments the ledger says the client received itself, instead of the factor, over ``days`` to ``as_of``."""

    days: int
    count: int
    amount: Decimal
    numbers: list[str] = field(default_factory=list)  # invoice numbers, latest payment first (up to 5)
    last_paid: date | None = None


@dataclass(frozen=True, slots=True)
class Redated:
    """An open invoice whose dates moved between imports: the dates it first arrived with, and today's."""

    number: str
    original_issue: date
    issue: date
    original_due: date
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ClientMetrics:
    """A client's receivables picture as of a date (computed in SQL, not per-invoice Python loops)."""

    client_id: int
    as_of: date
    currency: str
    open_amount: Decimal  # unpaid face value of all open invoices
    open_count: int
    aging: dict[str, Decimal]  # AGING_BUCKETS -> open amount
    overdue_amount: Decimal
    overdue_count: int
    max_days_overdue: int
    dso: Decimal | None  # days, current period (trailing 90 days of sales)
    dso_trailing_avg: Decimal | None  # average DSO over the previous 3 month-ends
    dso_history: list[tuple[date, Decimal]] = field(default_factory=list)  # month-ends, oldest first
    turnover: Decimal | None = None  # sales in the last 30 days / average receivables
    turnover_prev: Decimal | None = None  # the same a month earlier
    concentration: Decimal | None = None  # largest debtor's share of open receivables
    top_debtors: list[DebtorExposure] = field(default_factory=list)  # largest first, up to 5
    disputed_share: Decimal | None = None  # disputed open amount / open amount
    credit_limit: Decimal | None = None
    utilisation: Decimal | None = None  # open advanced amount (or open amount) / credit limit
    events: list[CreditEventView] = field(default_factory=list)  # in the last 90 days
    history: History | None = None  # None: unknown (treated as enough history)
    sales_30: Decimal | None = None  # invoiced in the 30 days ending on as_of
    sales_monthly_avg: Decimal | None = None  # mean 30-day sales over the 180 days before that
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (number, other client, why)
    portfolio_known: bool = True  # False: the debtors' whole-portfolio exposure was not computed (small subsets)
    dilution: Dilution | None = None  # None: not computed
    misdirected: Misdirected | None = None  # None: no payment received by the client in the window
    redated: list[Redated] = field(default_factory=list)  # open invoices whose dates moved between imports

    @property
    def share_90_plus(self) -> Decimal | None:
        if not self.open_amount:
            return None
        return self.aging.get("90+", Decimal(0)) / self.open_amount
