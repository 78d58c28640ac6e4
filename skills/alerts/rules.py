"""Risk rules: a client's metrics in, red/yellow findings out. Pure: no I/O, no clock.

Each rule reads :class:`~skills.portfolio.types.ClientMetrics` and :class:`~skills.alerts.config.AlertsConfig`
and returns at most one finding per condition, carrying the figures that triggered it (as strings, so they
survive JSON and never go through float). Boundaries, as the thresholds are worded:

- DSO: rise ``(dso - avg) / avg`` **≥** ``dso_rise_yellow`` / ``dso_rise_red``; or DSO **above** ``dso_red_days`` → red.
- turnover: drop ``(prev - cur) / prev`` **≥** ``turnover_drop_yellow`` / ``turnover_drop_red``.
- aging: 90+ share **above** ``aging_90_yellow`` / ``aging_90_red``.
- concentration: largest debtor share **above** ``concentration_yellow`` / ``concentration_red``.
- overdue: oldest overdue invoice **more than** ``overdue_days_yellow`` / ``overdue_days_red`` days past due;
  red also needs the overdue amount **≥** ``overdue_red_min_share`` of open receivables (a combination rule).
- utilisation: **≥** ``utilisation_yellow`` / ``utilisation_red``.
- events: on the client, or on a core debtor (``is_core`` or share ≥ ``core_debtor_share``), severity per kind.
- spike: last-30-day sales **≥** ``spike_yellow`` / ``spike_red`` × the mean 30-day sales of the 180 days before.
- exposure: one debtor **above** ``debtor_portfolio_yellow`` / ``_red`` of the whole portfolio's open receivables.
- duplicate: an open invoice also financed elsewhere (same number on the debtor, or same debtor+amount+date).
- dilution, misdirected (payments received by the client), redated (moved back inside the eligibility cut-off):
  see :mod:`skills.alerts.ledger_signals`.

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from skills.portfolio.api import ClientMetrics
>>> m = ClientMetrics(client_id=7, as_of=date(2026, 11, 30), currency="CNY", open_amount=D(0), open_count=0,
...                   aging={}, overdue_amount=D(0), overdue_count=0, max_days_overdue=0,
...                   dso=D("96.4"), dso_trailing_avg=D("58"))
>>> [(f.rule, f.severity, f.dedup_key, f.figures["dso"], f.figures["avg"]) for f in evaluate(m, AlertsConfig())]
[('dso', 'red', 'dso:7', '96', '58')]

A DSO of exactly 90 days (the limit is *above* 90) that rose only 12.5% is no finding at all:

>>> from dataclasses import replace
>>> evaluate(replace(m, dso=D("90"), dso_trailing_avg=D("80")), AlertsConfig())
[]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from skills.alerts.config import AlertsConfig
from skills.alerts.ledger_signals import dilution_signal, misdirected_signal, redated_signal
from skills.alerts.render import finding_text
from skills.portfolio.api import ClientMetrics, CreditEventView

__all__ = ["RULES", "SEVERITY_RANK", "TREND_RULES", "Finding", "enough_history", "evaluate", "is_core_debtor", "worse"]

SEVERITY_RANK = {"yellow": 1, "red": 2}
_ONE = Decimal(1)
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Finding:
    """One red or yellow condition on a client, with the figures behind it (all strings)."""

    # dso | turnover | aging | concentration | overdue | utilisation | event | spike | exposure | duplicate |
    # dilution | misdirected | redated
    rule: str
    severity: str  # red | yellow
    dedup_key: str  # "dso:12", "event:5:12"
    client_id: int
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def text(self, lang: str, client_name: str) -> str:
        """The one-line card: ``🟥 Acme Trading: DSO 96 days, up from 58`` (HTML-escaped name)."""
        return finding_text(self, lang, client_name)


def worse(a: str, b: str | None) -> bool:
    """True when severity ``a`` is strictly worse than ``b`` (None counts as nothing).

    >>> worse("red", "yellow"), worse("yellow", "red"), worse("yellow", None), worse("red", "red")
    (True, False, True, False)
    """
    return SEVERITY_RANK[a] > (SEVERITY_RANK[b] if b else 0)


def _days(value: Decimal) -> str:
    return str(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def _share(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _grade(value: Decimal, yellow: Decimal, red: Decimal, *, inclusive: bool) -> str | None:
    if inclusive:
        return "red" if value >= red else "yellow" if value >= yellow else None
    return "red" if value > red else "yellow" if value > yellow else None


def _dso(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    if m.dso is None:
        return []
    severity: str | None = None
    figures = {"dso": _days(m.dso), "limit": _days(c.dso_red_days)}
    if m.dso_trailing_avg is not None and m.dso_trailing_avg > 0:
        rise = (m.dso - m.dso_trailing_avg) / m.dso_trailing_avg
        severity = _grade(rise, c.dso_rise_yellow, c.dso_rise_red, inclusive=True)
        figures |= {"avg": _days(m.dso_trailing_avg), "rise": _share(rise)}
    if m.dso > c.dso_red_days:
        severity = "red"
        figures["absolute"] = "1"
    if severity is None:
        return []
    return [Finding("dso", severity, f"dso:{m.client_id}", m.client_id, figures)]


def _turnover(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    if m.turnover is None or m.turnover_prev is None or m.turnover_prev <= 0:
        return []
    drop = (m.turnover_prev - m.turnover) / m.turnover_prev
    severity = _grade(drop, c.turnover_drop_yellow, c.turnover_drop_red, inclusive=True)
    if severity is None:
        return []
    figures = {
        "turnover": str(m.turnover.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "prev": str(m.turnover_prev.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "drop": _share(drop),
    }
    return [Finding("turnover", severity, f"turnover:{m.client_id}", m.client_id, figures)]


def _aging(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    share = m.share_90_plus
    if share is None:
        return []
    severity = _grade(share, c.aging_90_yellow, c.aging_90_red, inclusive=False)
    if severity is None:
        return []
    figures = {
        "share": _share(share),
        "amount": _money(m.aging.get("90+", _ZERO)),
        "currency": m.currency,
        "limit": _share(c.aging_90_red if severity == "red" else c.aging_90_yellow),
    }
    return [Finding("aging", severity, f"aging:{m.client_id}", m.client_id, figures)]


def _concentration(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    if m.concentration is None:
        return []
    severity = _grade(m.concentration, c.concentration_yellow, c.concentration_red, inclusive=False)
    if severity is None:
        return []
    top = m.top_debtors[0] if m.top_debtors else None
    figures = {
        "share": _share(m.concentration),
        "debtor": top.name if top else "",
        "limit": _share(c.concentration_red if severity == "red" else c.concentration_yellow),
    }
    return [Finding("concentration", severity, f"concentration:{m.client_id}", m.client_id, figures)]


def _overdue(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Combination rule: past ``overdue_days_red`` *and* at least ``overdue_red_min_share`` of open receivables
    is red; a small amount that old is yellow (one forgotten invoice is not a red card)."""
    days = m.max_days_overdue
    severity = "red" if days > c.overdue_days_red else "yellow" if days > c.overdue_days_yellow else None
    if severity is None:
        return []
    if severity == "red" and m.open_amount > 0 and m.overdue_amount / m.open_amount < c.overdue_red_min_share:
        severity = "yellow"
    figures = {
        "days": str(days),
        "count": str(m.overdue_count),
        "amount": _money(m.overdue_amount),
        "currency": m.currency,
        "limit": str(c.overdue_days_red if severity == "red" else c.overdue_days_yellow),
    }
    return [Finding("overdue", severity, f"overdue:{m.client_id}", m.client_id, figures)]


def _utilisation(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    if m.utilisation is None:
        return []
    severity = _grade(m.utilisation, c.utilisation_yellow, c.utilisation_red, inclusive=True)
    if severity is None:
        return []
    figures = {"utilisation": _share(m.utilisation), "open": _money(m.open_amount), "currency": m.currency}
    if m.credit_limit is not None:
        figures["limit"] = _money(m.credit_limit)
    return [Finding("utilisation", severity, f"utilisation:{m.client_id}", m.client_id, figures)]


def _spike(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Sales in the last 30 days **≥** ``spike_yellow``/``spike_red`` × the mean 30-day sales before (a trend rule)."""
    if m.sales_30 is None or not m.sales_monthly_avg or m.sales_monthly_avg <= 0:
        return []
    ratio = m.sales_30 / m.sales_monthly_avg
    severity = _grade(ratio, c.spike_yellow, c.spike_red, inclusive=True)
    if severity is None:
        return []
    figures = {
        "ratio": str(ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        "sales": _money(m.sales_30),
        "normal": _money(m.sales_monthly_avg),
        "currency": m.currency,
    }
    return [Finding("spike", severity, f"spike:{m.client_id}", m.client_id, figures)]


def _exposure(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """A debtor of this client holding **more than** ``debtor_portfolio_*`` of the whole portfolio, across at
    least ``debtor_portfolio_min_clients`` clients."""
    found: list[Finding] = []
    for d in m.top_debtors:
        if d.portfolio_share is None or d.portfolio_clients < c.debtor_portfolio_min_clients:
            continue
        severity = _grade(d.portfolio_share, c.debtor_portfolio_yellow, c.debtor_portfolio_red, inclusive=False)
        if severity is None:
            continue
        figures = {
            "debtor": d.name,
            "share": _share(d.portfolio_share),
            "amount": _money(d.portfolio_open or _ZERO),
            "clients": str(d.portfolio_clients),
            "currency": m.currency,
        }
        found.append(Finding("exposure", severity, f"exposure:{d.debtor_id}:{m.client_id}", m.client_id, figures))
    return found


def _duplicate(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Open invoices that look financed twice (see ``skills.portfolio.metrics``)."""
    if not m.duplicates or c.duplicate_severity == "off":
        return []
    number, other, why = m.duplicates[0]
    figures = {"count": str(len(m.duplicates)), "number": number, "other": other, "why": why}
    return [Finding("duplicate", c.duplicate_severity, f"duplicate:{m.client_id}", m.client_id, figures)]


def _dilution(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Credit notes against invoicing (level always; trend and red only with enough history)."""
    found = dilution_signal(m, c, seasoned=enough_history(m, c))
    return [Finding("dilution", found[0], f"dilution:{m.client_id}", m.client_id, found[1])] if found else []


def _misdirected(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Payments received by the client instead of the factor."""
    found = misdirected_signal(m, c)
    return [Finding("misdirected", found[0], f"misdirected:{m.client_id}", m.client_id, found[1])] if found else []


def _redated(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    """Open invoices re-dated from ineligible back inside the eligibility cut-off."""
    found = redated_signal(m, c)
    return [Finding("redated", found[0], f"redated:{m.client_id}", m.client_id, found[1])] if found else []


def is_core_debtor(m: ClientMetrics, debtor_id: int | None, config: AlertsConfig) -> bool:
    """A debtor is core for this client when flagged ``is_core`` or holding ≥ ``core_debtor_share`` of its book."""
    if debtor_id is None:
        return False
    for d in m.top_debtors:
        if d.debtor_id == debtor_id:
            return d.is_core or d.share >= config.core_debtor_share
    return False


def _event_applies(m: ClientMetrics, e: CreditEventView, c: AlertsConfig) -> bool:
    return e.subject == "client" or is_core_debtor(m, e.debtor_id, c)


def _events(m: ClientMetrics, c: AlertsConfig) -> list[Finding]:
    found: list[Finding] = []
    for e in m.events:
        severity = c.event_severity(e.kind)
        if severity == "off" or not _event_applies(m, e, c):
            continue
        figures = {
            "kind": e.kind,
            "subject": e.subject,
            "name": e.subject_name,
            "on": e.on.isoformat(),
            "note": e.note,
            "event_id": str(e.id),
        }
        found.append(Finding("event", severity, f"event:{e.id}:{m.client_id}", m.client_id, figures))
    return found


RULES: tuple[tuple[str, Callable[[ClientMetrics, AlertsConfig], list[Finding]]], ...] = (
    ("dso", _dso),
    ("turnover", _turnover),
    ("aging", _aging),
    ("concentration", _concentration),
    ("overdue", _overdue),
    ("utilisation", _utilisation),
    ("event", _events),
    ("spike", _spike),
    ("exposure", _exposure),
    ("duplicate", _duplicate),
    ("dilution", _dilution),
    ("misdirected", _misdirected),
    ("redated", _redated),
)


TREND_RULES = frozenset({"dso", "turnover", "spike"})


def enough_history(m: ClientMetrics, config: AlertsConfig) -> bool:
    """True when the ledger holds enough track record for trend rules (unknown history counts as enough).

    Months of invoices, invoices and collections must all reach ``min_history_*``: a client imported
    today with three invoices, nothing yet due, has none of them.
    """
    h = m.history
    if h is None:
        return True
    return (
        h.months >= config.min_history_months
        and h.invoices >= config.min_history_invoices
        and h.collections >= config.min_history_collections
    )


def _small_book(m: ClientMetrics, config: AlertsConfig) -> bool:
    return m.open_count < config.small_book_invoices


def evaluate(metrics: ClientMetrics, config: AlertsConfig) -> list[Finding]:
    """Every finding for one client, red first, then in rule order.

    Without enough history (:func:`enough_history`) the trend rules stay silent; on a new or small book
    concentration is yellow at most.
    """
    seasoned = enough_history(metrics, config)
    found: list[Finding] = []
    for name, rule in RULES:
        if name in TREND_RULES and not seasoned:
            continue
        for f in rule(metrics, config):
            if name == "concentration" and f.severity == "red" and (not seasoned or _small_book(metrics, config)):
                f = Finding(
                    f.rule,
                    "yellow",
                    f.dedup_key,
                    f.client_id,
                    {**f.figures, "limit": _share(config.concentration_yellow), "capped": "1"},
                )
            found.append(f)
    return sorted(found, key=lambda f: -f.rank)
