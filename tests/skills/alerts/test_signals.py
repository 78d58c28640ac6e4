"""The signals factors watch, each with the figures that triggered it, on hand-made ledgers and metrics."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from skills.alerts.config import AlertsConfig
from skills.alerts.render import pct
from skills.alerts.rules import evaluate
from skills.contract import Attachment
from skills.portfolio.flags import parse_flag
from skills.portfolio.types import CreditEventView, History
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import ensure_officer
from tests.skills.alerts.test_rules import BASE

CFG = AlertsConfig()
SEASONED = History(date(2025, 11, 1), 200, 180, date(2026, 11, 30))


def only(m: object, rule: str, config: AlertsConfig = CFG) -> list[tuple[str, dict[str, str]]]:
    found = evaluate(m, config)  # type: ignore[arg-type]
    assert [f.rule for f in found if f.rule != rule] == [], found
    return [(f.severity, f.figures) for f in found]


@pytest.mark.parametrize(
    ("sales", "expected"),
    [("199999.99", None), ("200000.00", "yellow"), ("299999.99", "yellow"), ("300000.00", "red")],
)
def test_turnover_spike_against_the_usual_month(sales: str, expected: str | None) -> None:
    m = replace(BASE, sales_30=D(sales), sales_monthly_avg=D("100000.00"), history=SEASONED)
    found = only(m, "spike")
    assert [s for s, _ in found] == ([expected] if expected else [])
    if expected == "red":
        [f] = evaluate(m, CFG)
        assert (
            f.text("en", "Acme")
            == "🟥 Acme: turnover spike: CN¥300,000.00 invoiced in 30 days, 3.0× the usual CN¥100,000.00"
        )
        assert f.text("zh", "Acme") == "🟥 Acme：营业额异常激增：近 30 天开票 ¥300,000.00，为平时 ¥100,000.00 的 3.0 倍"


def test_a_spike_needs_history_and_a_usual_month() -> None:
    young = replace(
        BASE,
        sales_30=D("900000"),
        sales_monthly_avg=D("100000"),
        history=History(date(2026, 10, 1), 5, 1, date(2026, 11, 30)),
    )
    assert only(young, "spike") == []
    assert only(replace(BASE, sales_30=D("900000"), sales_monthly_avg=D("0"), history=SEASONED), "spike") == []


@pytest.mark.parametrize(
    ("share", "clients", "expected"),
    [("0.15", 3, None), ("0.1501", 3, "yellow"), ("0.2501", 3, "red"), ("0.40", 1, None)],
)
def test_one_debtor_across_the_portfolio(share: str, clients: int, expected: str | None) -> None:
    debtor = replace(
        BASE.top_debtors[0], portfolio_share=D(share), portfolio_open=D("9000000.00"), portfolio_clients=clients
    )
    m = replace(BASE, top_debtors=[debtor, BASE.top_debtors[1]])
    found = only(m, "exposure")
    assert [s for s, _ in found] == ([expected] if expected else [])
    if expected:
        [f] = evaluate(m, CFG)
        assert f.dedup_key == "exposure:1:7"
        expected_text = f"carries {pct(share)} of the whole portfolio (CN¥9,000,000.00 across 3 clients)"
        assert f.text("en", "Acme").endswith(expected_text)


def test_double_financing_is_red_with_the_invoice_and_the_other_client() -> None:
    m = replace(BASE, duplicates=[("INV-9", "Globex", "number"), ("INV-12", "Initech", "amount_date")])
    [f] = evaluate(m, CFG)
    assert (f.severity, f.figures["count"]) == ("red", "2")
    assert f.text("en", "Acme") == (
        "🟥 Acme: 2 invoice(s) may be financed twice: no. INV-9 on the same debtor is also financed for Globex"
    )
    assert evaluate(m, AlertsConfig(duplicate_severity="off")) == []


@pytest.mark.parametrize(
    ("flag", "kind", "severity"),
    [
        ("Acme tax default owes VAT", "tax_default", "red"),
        ("华东纺织 欠税 欠缴增值税", "tax_default", "red"),
        ("Acme judgment defaulter court list", "enforcement", "red"),
        ("华东纺织 失信被执行人 法院名单", "enforcement", "red"),
        ("华东纺织 限高 法定代表人被限制高消费", "enforcement", "red"),
        ("Acme equity pledge 40% to a bank", "equity_freeze", "yellow"),
        ("华东纺织 股权冻结", "equity_freeze", "yellow"),
        ("Acme abnormal registry status", "registry_abnormal", "yellow"),
        ("华东纺织 经营异常 未按时年报", "registry_abnormal", "yellow"),
        ("Acme legal representative change new CEO", "director_change", "yellow"),
        ("华东纺织 法定代表人变更", "director_change", "yellow"),
    ],
)
def test_new_credit_event_kinds_by_flag(flag: str, kind: str, severity: str) -> None:
    subject, parsed, _ = parse_flag(flag)
    assert parsed == kind and subject in ("Acme", "华东纺织")
    event = CreditEventView(1, kind, date(2026, 11, 28), "client", subject, None, "")
    [f] = evaluate(replace(BASE, events=[event]), CFG)
    assert (f.rule, f.severity) == ("event", severity)
    assert "(2026-11-28)" in f.text("en", subject) and "（2026-11-28）" in f.text("zh", subject)


LEDGER = (
    b"client,debtor,invoice_no,amount,currency,issue_date,due_date,advanced_amount,credit_limit\n"
    b"Acme Trading,Delta Retail,INV-77,50000.00,CNY,2026-11-10,2027-01-09,40000.00,5000000\n"
    b"Acme Trading,Echo Mart,A-2,30000.00,CNY,2026-11-12,2027-01-11,24000.00,5000000\n"
    b"Zeta Foods,Delta Retail,INV-77,50000.00,CNY,2026-11-10,2027-01-09,40000.00,5000000\n"
    b"Zeta Foods,Echo Mart,Z-2,12345.00,CNY,2026-11-15,2027-01-14,,5000000\n"
    b"Zeta Foods,Foxtrot Stores,Z-3,12345.00,CNY,2026-11-15,2027-01-14,,5000000\n"
)


async def test_the_same_invoice_sold_by_two_clients_is_found_by_import_and_flag(harness: ConsoleHarness) -> None:
    h = harness
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="en")
    await ensure_officer(h, OTHER_OFFICER_ID, name="Oscar")
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("two.csv", LEDGER))
    await h.press(out.replies[0].buttons[0][0].payload, user=OFFICER_ID)
    listing = await h.send("/alerts", user=OFFICER_ID)
    dup = {a["client"]: a for a in listing.replies[0].data["alerts"] if a["rule"] == "duplicate"}
    assert set(dup) == {"Acme Trading", "Zeta Foods"}  # Z-2 / Z-3: other debtors, not a clash
    assert dup["Acme Trading"]["figures"] == {"count": "1", "number": "INV-77", "other": "Zeta Foods", "why": "number"}
    assert dup["Acme Trading"]["severity"] == "red"
    await h.tick()  # the periodic sweep over every client also weighs each debtor across the whole portfolio
    exposure = await h.send("/alerts", user=OFFICER_ID)
    by_debtor = {
        (a["client"], a["figures"]["debtor"]): a for a in exposure.replies[0].data["alerts"] if a["rule"] == "exposure"
    }
    delta = by_debtor[("Acme Trading", "Delta Retail")]
    assert delta["severity"] == "red" and delta["figures"]["debtor"] == "Delta Retail"
    assert (delta["figures"]["clients"], delta["figures"]["share"]) == ("2", "0.6465")  # 100,000 of 154,690
    flagged = await h.send("/flag Zeta Foods 失信被执行人 法院公示", user=OFFICER_ID)
    assert [f["severity"] for f in flagged.replies[0].data.get("findings", [])] == ["red"], flagged.replies[0].text
    after = await h.send("/alerts Zeta Foods", user=OFFICER_ID)  # the small sweep of /flag keeps the exposure alert
    assert ("exposure", "red") in {(a["rule"], a["severity"]) for a in after.replies[0].data["alerts"]}
