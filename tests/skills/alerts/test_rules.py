"""Oracle tables for the risk rules: each rule fires exactly where it should, at its boundaries, and nowhere else."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from skills.alerts.config import AlertsConfig
from skills.alerts.rules import Finding, evaluate, worse
from skills.portfolio.types import ClientMetrics, CreditEventView, DebtorExposure

CFG = AlertsConfig()
AS_OF = date(2026, 11, 30)

# A healthy client: no rule fires.
BASE = ClientMetrics(
    client_id=7,
    as_of=AS_OF,
    currency="CNY",
    open_amount=D("1000000.00"),
    open_count=10,
    aging={"current": D("1000000.00"), "1-30": D(0), "31-60": D(0), "61-90": D(0), "90+": D(0)},
    overdue_amount=D("0.00"),
    overdue_count=0,
    max_days_overdue=0,
    dso=D("50"),
    dso_trailing_avg=D("50"),
    turnover=D("1.00"),
    turnover_prev=D("1.00"),
    concentration=D("0.15"),
    top_debtors=[
        DebtorExposure(1, "Big Buyer", D("150000.00"), D("0.15")),
        DebtorExposure(2, "Small Buyer", D("50000.00"), D("0.05")),
    ],
    credit_limit=D("2000000.00"),
    utilisation=D("0.50"),
)


def fired(m: ClientMetrics, rule: str, config: AlertsConfig = CFG) -> str | None:
    """The severity of ``rule`` on ``m`` (None when it does not fire); asserts no other rule fired."""
    found = evaluate(m, config)
    others = [f for f in found if f.rule != rule]
    assert others == [], f"unexpected findings: {others}"
    mine = [f for f in found if f.rule == rule]
    assert len(mine) <= 1
    return mine[0].severity if mine else None


def test_healthy_client_has_no_findings() -> None:
    assert evaluate(BASE, CFG) == []


@pytest.mark.parametrize(
    ("dso", "avg", "expected"),
    [
        ("62.49", "50", None),  # +24.98%
        ("62.5", "50", "yellow"),  # +25% exactly: "≥ 25%"
        ("74.99", "50", "yellow"),
        ("75", "50", "red"),  # +50% exactly
        ("96", "58", "red"),  # the design-note example
        ("90", "89", None),  # absolute limit is "above 90"
        ("90.01", "89", "red"),  # just above the absolute limit, no trend
        ("95", None, "red"),  # no history, absolute only
        ("80", None, None),
        ("40", "80", None),  # falling DSO is good news
        ("10", "0", None),  # a zero average cannot give a rise
        (None, "50", None),  # not computable
    ],
)
def test_dso_rule(dso: str | None, avg: str | None, expected: str | None) -> None:
    m = replace(BASE, dso=D(dso) if dso else None, dso_trailing_avg=D(avg) if avg else None)
    assert fired(m, "dso") == expected


def test_dso_finding_carries_its_figures_and_renders_in_both_languages() -> None:
    [f] = evaluate(replace(BASE, dso=D("96.2"), dso_trailing_avg=D("57.6")), CFG)
    assert (f.rule, f.severity, f.dedup_key) == ("dso", "red", "dso:7")
    assert f.figures == {"dso": "96", "limit": "90", "avg": "58", "rise": "0.6701", "absolute": "1"}
    assert f.text("en", "Acme Trading") == "🟥 Acme Trading: DSO 96 days, up from 58"
    assert f.text("zh", "Acme Trading") == "🟥 Acme Trading：回款周期 96 天，此前为 58 天"


def test_dso_absolute_without_rise_says_above_the_limit() -> None:
    [f] = evaluate(replace(BASE, dso=D("95"), dso_trailing_avg=None), CFG)
    assert f.text("en", "Acme") == "🟥 Acme: DSO 95 days, above the 90-day limit"
    assert f.text("zh", "Acme") == "🟥 Acme：回款周期 95 天，超过 90 天上限"


@pytest.mark.parametrize(
    ("cur", "prev", "expected"),
    [
        ("0.81", "1.00", None),  # −19%
        ("0.80", "1.00", "yellow"),  # −20% exactly
        ("0.61", "1.00", "yellow"),
        ("0.60", "1.00", "red"),  # −40% exactly
        ("0.00", "1.00", "red"),
        ("1.50", "1.00", None),  # rising turnover
        ("0.50", "0.00", None),  # no previous turnover to compare with
        (None, "1.00", None),
        ("0.50", None, None),
    ],
)
def test_turnover_rule(cur: str | None, prev: str | None, expected: str | None) -> None:
    m = replace(BASE, turnover=D(cur) if cur else None, turnover_prev=D(prev) if prev else None)
    assert fired(m, "turnover") == expected


@pytest.mark.parametrize(
    ("over_90", "expected"),
    [
        ("0.00", None),
        ("100000.00", None),  # 10% exactly: "above 10%"
        ("100000.01", "yellow"),
        ("200000.00", "yellow"),  # 20% exactly
        ("200000.01", "red"),
    ],
)
def test_aging_rule(over_90: str, expected: str | None) -> None:
    aging = {**BASE.aging, "current": D("1000000.00") - D(over_90), "90+": D(over_90)}
    m = replace(BASE, aging=aging)
    assert fired(m, "aging") == expected


def test_aging_rule_ignores_a_client_without_open_receivables() -> None:
    m = replace(BASE, open_amount=D("0.00"), aging={"90+": D("0.00")}, concentration=None, utilisation=D(0))
    assert evaluate(m, CFG) == []


@pytest.mark.parametrize(
    ("share", "expected"),
    [("0.20", None), ("0.2001", "yellow"), ("0.35", "yellow"), ("0.3501", "red"), ("1.00", "red"), (None, None)],
)
def test_concentration_rule(share: str | None, expected: str | None) -> None:
    m = replace(BASE, concentration=D(share) if share else None)
    assert fired(m, "concentration") == expected


def test_concentration_names_the_largest_debtor() -> None:
    [f] = evaluate(replace(BASE, concentration=D("0.40")), CFG)
    assert f.figures["debtor"] == "Big Buyer"
    assert f.text("en", "Acme") == "🟥 Acme: largest debtor Big Buyer holds 40% of open receivables (limit 35%)"


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, None), (30, None), (31, "yellow"), (60, "yellow"), (61, "red"), (400, "red")],
)
def test_overdue_rule(days: int, expected: str | None) -> None:
    m = replace(
        BASE, max_days_overdue=days, overdue_count=1 if days else 0, overdue_amount=D("50000.00") if days else D(0)
    )
    assert fired(m, "overdue") == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("49999.99", "yellow"), ("50000.00", "red"), ("1000.00", "yellow")],  # 5% of CN¥1,000,000 open
)
def test_overdue_red_needs_age_and_amount(amount: str, expected: str) -> None:
    m = replace(BASE, max_days_overdue=75, overdue_count=1, overdue_amount=D(amount))
    assert fired(m, "overdue") == expected
    assert fired(m, "overdue", AlertsConfig(overdue_red_min_share=D(0))) == "red"  # combination off


@pytest.mark.parametrize(
    ("util", "expected"),
    [("0.7999", None), ("0.80", "yellow"), ("0.9999", "yellow"), ("1.00", "red"), ("1.35", "red"), (None, None)],
)
def test_utilisation_rule(util: str | None, expected: str | None) -> None:
    m = replace(BASE, utilisation=D(util) if util else None)
    assert fired(m, "utilisation") == expected


def _event(eid: int, kind: str, subject: str, debtor_id: int | None = None, name: str = "Acme") -> CreditEventView:
    return CreditEventView(eid, kind, date(2026, 11, 28), subject, name, debtor_id, "heard from two suppliers")


@pytest.mark.parametrize(
    ("event", "core", "expected"),
    [
        (_event(1, "bankruptcy_rumour", "client"), False, "red"),
        (_event(2, "negative_disclosure", "client"), False, "yellow"),
        (_event(3, "lawsuit", "client"), False, "yellow"),
        (_event(4, "rating_downgrade", "client"), False, "yellow"),
        (_event(5, "bankruptcy_rumour", "debtor", 2, "Small Buyer"), True, "red"),  # flagged core
        (_event(6, "bankruptcy_rumour", "debtor", 2, "Small Buyer"), False, None),  # 5% share, not core
        (_event(7, "lawsuit", "debtor", 1, "Big Buyer"), False, None),  # 15% < 20% core share
        (_event(8, "lawsuit", "debtor", 99, "Elsewhere"), True, None),  # not among the client's debtors
    ],
)
def test_event_rule(event: CreditEventView, core: bool, expected: str | None) -> None:
    debtors = [replace(d, is_core=core) if d.debtor_id == 2 else d for d in BASE.top_debtors]
    m = replace(BASE, events=[event], top_debtors=debtors)
    assert fired(m, "event") == expected


def test_event_on_a_debtor_with_a_core_sized_share_counts() -> None:
    debtors = [replace(BASE.top_debtors[0], share=D("0.20"))]
    m = replace(BASE, events=[_event(9, "lawsuit", "debtor", 1, "Big Buyer")], top_debtors=debtors)
    [f] = evaluate(m, CFG)
    assert (f.severity, f.dedup_key) == ("yellow", "event:9:7")
    assert f.text("en", "Acme") == "🟨 Acme: core debtor Big Buyer: lawsuit (2026-11-28) — heard from two suppliers"
    assert f.text("zh", "Acme") == "🟨 Acme：核心买方 Big Buyer：诉讼（2026-11-28）——heard from two suppliers"


def test_event_severity_follows_settings() -> None:
    m = replace(BASE, events=[_event(1, "lawsuit", "client"), _event(2, "rating_downgrade", "client")])
    config = AlertsConfig(event_lawsuit="red", event_rating_downgrade="off")
    assert [(f.rule, f.severity, f.dedup_key) for f in evaluate(m, config)] == [("event", "red", "event:1:7")]


def test_client_event_renders_without_debtor() -> None:
    [f] = evaluate(replace(BASE, events=[_event(1, "bankruptcy_rumour", "client")]), CFG)
    assert f.text("en", "Acme") == "🟥 Acme: bankruptcy rumour (2026-11-28) — heard from two suppliers"
    assert f.text("zh", "Acme") == "🟥 Acme：破产传闻（2026-11-28）——heard from two suppliers"


def test_findings_are_red_first_and_each_has_its_own_dedup_key() -> None:
    m = replace(BASE, utilisation=D("0.85"), max_days_overdue=75, overdue_count=2, overdue_amount=D("80000.00"))
    found = evaluate(m, CFG)
    assert [(f.rule, f.severity, f.dedup_key) for f in found] == [
        ("overdue", "red", "overdue:7"),
        ("utilisation", "yellow", "utilisation:7"),
    ]
    assert all(isinstance(v, str) for f in found for v in f.figures.values())


def test_thresholds_come_from_settings() -> None:
    m = replace(BASE, utilisation=D("0.85"))
    assert fired(m, "utilisation", AlertsConfig(utilisation_yellow=D("0.90"))) is None
    assert fired(m, "utilisation", AlertsConfig(utilisation_red=D("0.85"))) == "red"


def test_html_in_names_and_notes_is_escaped() -> None:
    event = CreditEventView(1, "lawsuit", date(2026, 11, 28), "client", "A<b>", None, "<script>")
    [f] = evaluate(replace(BASE, events=[event]), CFG)
    assert "<script>" not in f.text("en", "A<b>") and "&lt;script&gt;" in f.text("en", "A<b>")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("red", "yellow", True),
        ("red", None, True),
        ("yellow", None, True),
        ("yellow", "red", False),
        ("red", "red", False),
    ],
)
def test_worse(a: str, b: str | None, expected: bool) -> None:
    assert worse(a, b) is expected


def test_finding_is_a_value() -> None:
    assert Finding("dso", "red", "dso:1", 1, {"dso": "1"}) == Finding("dso", "red", "dso:1", 1, {"dso": "1"})
