"""Risk-rule thresholds, tiering rules, push behaviour and the sweep interval (env: ``ALERTS__FIELD``).

Shares are Decimal fractions (0.25 = 25%). Comparisons are documented per rule in ``skills.alerts.rules``:
thresholds written "≥" include the boundary, thresholds written "above"/"beyond" exclude it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["AlertsConfig", "Severity"]

Severity = Literal["red", "yellow", "off"]


class AlertsConfig(BaseModel):
    """Risk-rule thresholds, tiering rules, push behaviour and the sweep interval."""

    sweep_interval_seconds: float = Field(900.0, description="how often the dispatcher runs the alert sweep")

    # Collection period (DSO) stretching, against the trailing 3-month average.
    dso_rise_yellow: Decimal = Field(
        Decimal("0.25"), description="DSO up by at least this share vs trailing avg → yellow"
    )
    dso_rise_red: Decimal = Field(Decimal("0.50"), description="DSO up by at least this share vs trailing avg → red")
    dso_red_days: Decimal = Field(Decimal("90"), description="DSO above this many days → red regardless of trend")

    # Receivable turnover falling month over month.
    turnover_drop_yellow: Decimal = Field(
        Decimal("0.20"), description="turnover down by at least this share MoM → yellow"
    )
    turnover_drop_red: Decimal = Field(Decimal("0.40"), description="turnover down by at least this share MoM → red")

    # Aging deterioration: share of open receivables more than 90 days past due.
    aging_90_yellow: Decimal = Field(Decimal("0.10"), description="90+ days share above this → yellow")
    aging_90_red: Decimal = Field(Decimal("0.20"), description="90+ days share above this → red")

    # Concentration: the largest debtor's share of open receivables.
    concentration_yellow: Decimal = Field(Decimal("0.20"), description="largest debtor share above this → yellow")
    concentration_red: Decimal = Field(Decimal("0.35"), description="largest debtor share above this → red")

    # Invoices overdue beyond N days.
    overdue_days_yellow: int = Field(30, description="an invoice overdue more than this many days → yellow")
    overdue_days_red: int = Field(60, description="an invoice overdue more than this many days → red")
    overdue_red_min_share: Decimal = Field(
        Decimal("0.05"),
        description="combination rule: overdue past overdue_days_red is red only when the overdue amount is at least "
        "this share of open receivables (else yellow); 0 turns the combination off",
    )

    # Turnover spike: sales in the last 30 days against the mean 30-day sales of the 180 days before.
    spike_yellow: Decimal = Field(
        Decimal("2.0"), description="last-30-day sales at least this multiple of normal → yellow"
    )
    spike_red: Decimal = Field(Decimal("3.0"), description="last-30-day sales at least this multiple of normal → red")

    # One debtor's exposure across the whole portfolio (all clients selling to it).
    debtor_portfolio_yellow: Decimal = Field(
        Decimal("0.15"),
        description="a debtor holding more than this share of the portfolio's open receivables → yellow",
    )
    debtor_portfolio_red: Decimal = Field(
        Decimal("0.25"), description="a debtor holding more than this share of the portfolio's open receivables → red"
    )
    debtor_portfolio_min_clients: int = Field(2, ge=1, description="…and at least this many clients sell to it")

    # The same invoice financed twice (same number on the same debtor under two clients, or same debtor,
    # amount and issue date twice).
    duplicate_severity: Severity = Field("red", description="severity of an invoice that looks financed twice")

    # Dilution: credit notes (贷项通知单 / 红字发票) ÷ invoicing over the last 90 days, and its rise on the 90 days
    # before. Without enough history (min_history_*) the level is yellow at most and the trend is not judged.
    dilution_yellow: Decimal = Field(Decimal("0.05"), description="dilution at or above this share → yellow")
    dilution_red: Decimal = Field(Decimal("0.10"), description="dilution at or above this share → red")
    dilution_rise_yellow: Decimal = Field(
        Decimal("0.03"),
        description="dilution up by at least this many points (0.03 = 3 percentage points) on the previous 90 days "
        "→ at least yellow",
    )
    dilution_min_invoiced: Decimal = Field(
        Decimal("0"), ge=0, description="dilution is judged only when the window's invoicing is at least this"
    )

    # Payments received by the client instead of the factor (a 'paid to' column saying client).
    misdirected_min_amount: Decimal = Field(
        Decimal("0.01"),
        ge=0,
        description="payments received by the client in the last 90 days totalling at least this → alert",
    )
    misdirected_severity: Severity = Field("red", description="severity of payments received by the client")

    # Invoices re-dated past the eligibility cut-off: ineligible by the dates they first arrived with, eligible by
    # the new ones.
    eligibility_max_age_days: int = Field(
        90, ge=1, description="an invoice issued more than this many days ago is ineligible for financing"
    )
    eligibility_max_overdue_days: int = Field(
        60, ge=0, description="an invoice more than this many days past due is ineligible for financing"
    )
    redated_severity: Severity = Field(
        "red", description="severity of an open invoice re-dated from ineligible back into eligibility"
    )

    # Credit-limit utilisation.
    utilisation_yellow: Decimal = Field(Decimal("0.80"), description="utilisation at or above this → yellow")
    utilisation_red: Decimal = Field(Decimal("1.00"), description="utilisation at or above this → red")

    # Credit events on the client or a core debtor (severity per kind; "off" ignores the kind).
    event_bankruptcy_rumour: Severity = Field("red", description="severity of a bankruptcy rumour")
    event_negative_disclosure: Severity = Field("yellow", description="severity of a negative disclosure")
    event_lawsuit: Severity = Field("yellow", description="severity of a lawsuit")
    event_rating_downgrade: Severity = Field("yellow", description="severity of a rating downgrade")
    event_tax_default: Severity = Field("red", description="severity of a tax default (欠税)")
    event_enforcement: Severity = Field(
        "red", description="severity of an enforcement listing (失信被执行人 / 限制高消费)"
    )
    event_equity_freeze: Severity = Field(
        "yellow", description="severity of an equity freeze or pledge (股权冻结/出质)"
    )
    event_registry_abnormal: Severity = Field(
        "yellow", description="severity of an abnormal registry status (经营异常)"
    )
    event_director_change: Severity = Field(
        "yellow", description="severity of a legal-representative or director change (法定代表人/董事变更)"
    )
    core_debtor_share: Decimal = Field(
        Decimal("0.20"),
        description="a debtor with at least this share of a client's book counts as core (besides is_core)",
    )

    # Minimum history: trend rules (DSO, turnover) need this much track record; until then the client is
    # "new — not enough history" and concentration on a new or small book is yellow at most.
    min_history_months: int = Field(3, ge=0, description="trend rules need at least this many months of invoices")
    min_history_invoices: int = Field(12, ge=0, description="trend rules need at least this many invoices")
    min_history_collections: int = Field(6, ge=0, description="trend rules need at least this many paid invoices")
    small_book_invoices: int = Field(
        10, ge=0, description="fewer open invoices than this is a small book: concentration is yellow at most"
    )

    # Tiering (quality / potential / risk).
    quality_max_dso: Decimal = Field(Decimal("60"), description="quality tier: DSO at most this many days")
    quality_max_overdue_days: int = Field(30, description="quality tier: no invoice overdue more than this many days")
    quality_max_utilisation: Decimal = Field(Decimal("0.80"), description="quality tier: utilisation below this")

    # Pushes.
    red_overrides_quiet: bool = Field(True, description="red alerts are pushed even during the officer's quiet hours")
    notify_manager_on_red: bool = Field(True, description="red alerts are also pushed to the officer's manager")
    push_tier_changes: bool = Field(True, description="push when a client's tier changes")
    digest_threshold: int = Field(
        3, ge=0, description="a sweep that would push an officer more than this many alerts sends one digest instead"
    )
    digest_keep_red_pushes: bool = Field(
        True,
        description="with a digest, a red that is new or worse is still pushed on its own (at most digest_threshold)",
    )
    digest_top_reds: int = Field(3, ge=1, description="reds listed with their figures in a digest")
    # Morning brief and the application SLA.
    brief_at: str = Field("08:30", pattern=r"^\d{2}:\d{2}$", description="default local time of the morning brief")
    brief_enabled: bool = Field(True, description="officers get the morning brief unless they send /brief off")
    brief_workdays_only: bool = Field(True, description="the brief skips weekends and public holidays (调休 aware)")
    brief_window_minutes: int = Field(
        180, ge=1, description="a brief not sent within this long after its time (bot down, quiet hours) is skipped"
    )
    brief_items: int = Field(5, ge=1, description="items listed per brief section (the rest are counted)")
    application_feedback_days: int = Field(
        3, ge=0, description="first feedback on an application is due this many working days after it is received"
    )
    application_feedback_at: str = Field(
        "18:00", pattern=r"^\d{2}:\d{2}$", description="local time on the due day by which feedback is due"
    )
    escalate_missed_applications: bool = Field(
        True, description="push the manager (or admins) when an application's first-feedback deadline is missed"
    )
    remind_at: str = Field(
        "09:00", description="local time of the follow-up created by the Remind me button (tomorrow)"
    )
    pending_import_minutes: int = Field(30, description="how long an uploaded ledger waits for Confirm import")

    def event_severity(self, kind: str) -> Severity:
        """The configured severity for a credit-event kind (unknown kinds are yellow)."""
        value: Severity = getattr(self, f"event_{kind}", "yellow")
        return value
