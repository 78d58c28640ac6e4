"""No alarms from too little history: trend rules wait for a track record; a new, small book is yellow at most."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
import pytest_asyncio

from skills.alerts.config import AlertsConfig
from skills.alerts.rules import enough_history, evaluate
from skills.alerts.tiering import assess
from skills.contract import Attachment
from skills.portfolio.types import History
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.skills.alerts.data import ensure_officer
from tests.skills.alerts.test_rules import BASE

CFG = AlertsConfig()
AS_OF = date(2026, 11, 30)
SEASONED = History(date(2025, 12, 1), 120, 100, AS_OF)
# A DSO that doubled, turnover halved, one debtor holding 60%: every trend and concentration rule fires red.
TROUBLED = replace(
    BASE,
    dso=D("100"),
    dso_trailing_avg=D("50"),
    turnover=D("0.50"),
    turnover_prev=D("1.00"),
    concentration=D("0.60"),
    history=SEASONED,
)


def rules(history: History | None, **metrics: object) -> dict[str, str]:
    return {f.rule: f.severity for f in evaluate(replace(TROUBLED, history=history, **metrics), CFG)}  # type: ignore[arg-type]


def test_a_seasoned_book_raises_every_trend_rule() -> None:
    assert rules(SEASONED) == {"dso": "red", "turnover": "red", "concentration": "red"}
    assert rules(None) == rules(SEASONED)  # history unknown: treated as enough


@pytest.mark.parametrize(
    ("history", "seasoned"),
    [
        (History(date(2026, 8, 30), 12, 6, AS_OF), True),  # exactly 3 months, 12 invoices, 6 collections
        (History(date(2026, 8, 31), 12, 6, AS_OF), False),  # one day short of 3 months
        (History(date(2026, 8, 1), 11, 6, AS_OF), False),  # 11 invoices
        (History(date(2026, 8, 1), 40, 5, AS_OF), False),  # 5 collections
        (History(None, 0, 0, AS_OF), False),  # nothing at all
    ],
)
def test_minimum_history_boundaries(history: History, seasoned: bool) -> None:
    assert enough_history(replace(TROUBLED, history=history), CFG) is seasoned
    found = rules(history)
    if seasoned:
        assert found == {"dso": "red", "turnover": "red", "concentration": "red"}
    else:  # trend rules silent, concentration capped at yellow with the yellow limit shown
        assert found == {"concentration": "yellow"}
        (finding,) = evaluate(replace(TROUBLED, history=history), CFG)
        assert finding.figures["limit"] == "0.2000" and finding.figures["capped"] == "1"


def test_small_open_book_caps_concentration_even_with_history() -> None:
    assert rules(SEASONED, open_count=9)["concentration"] == "yellow"
    assert rules(SEASONED, open_count=10)["concentration"] == "red"


def test_the_gate_is_a_setting() -> None:
    off = AlertsConfig(min_history_months=0, min_history_invoices=0, min_history_collections=0)
    metrics = replace(TROUBLED, history=History(date(2026, 11, 20), 3, 0, AS_OF))
    assert {f.rule for f in evaluate(metrics, off)} == {"dso", "turnover", "concentration"}


def test_real_problems_still_fire_on_a_new_client() -> None:
    new = History(date(2026, 11, 1), 3, 0, AS_OF)
    found = rules(new, max_days_overdue=75, overdue_count=1, overdue_amount=D("100000.00"), utilisation=D("1.10"))
    assert found == {"concentration": "yellow", "overdue": "red", "utilisation": "red"}


def test_new_client_tier_says_not_enough_history() -> None:
    m = replace(BASE, history=History(date(2026, 11, 10), 3, 0, AS_OF))
    result = assess(m, evaluate(m, CFG), CFG)
    assert result.tier == "potential"
    assert result.reason_text("en") == "new client — not enough history (0 months, 3 invoices, 0 collections)"
    assert result.reason_text("zh") == "新客户——历史数据不足（0 个月，3 张发票，0 笔回款）"


KESTREL = (
    b"client,debtor,invoice_no,amount,currency,issue_date,due_date,credit_limit\n"
    b"Kestrel Foods,Harbour Grocers,K-1,40000.00,CNY,2026-10-20,2027-01-18,500000\n"
    b"Kestrel Foods,Harbour Grocers,K-2,40000.00,CNY,2026-10-25,2027-01-23,500000\n"
    b"Kestrel Foods,Upland Markets,K-3,40000.00,CNY,2026-10-28,2027-01-26,500000\n"
)


@pytest_asyncio.fixture
async def gated(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    """The console harness with the default alert settings (the history gate on)."""
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path), clock=clock)
    try:
        yield h
    finally:
        await h.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_kestrel_foods_imported_today_is_a_new_client_not_a_risk(gated: ConsoleHarness, lang: str) -> None:
    h = gated
    await ensure_officer(h, OFFICER_ID, name="Olivia", language=lang)
    await ensure_officer(h, OTHER_OFFICER_ID, name="Oscar")
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("kestrel.csv", KESTREL))
    confirm = out.replies[0].buttons[0][0].payload
    done = await h.press(confirm, user=OFFICER_ID)
    assert done.replies[0].intent == "import"
    await h.tick()

    listing = await h.send("/alerts Kestrel", user=OFFICER_ID)
    alerts = listing.replies[0].data["alerts"]
    assert [(a["rule"], a["severity"]) for a in alerts] == [("concentration", "yellow")]  # 66.7% of a tiny book
    assert not any(a["rule"] in ("turnover", "dso") for a in alerts)

    card = await h.send("/client Kestrel", user=OFFICER_ID)
    tier = card.replies[0].data["tier"]
    assert tier["tier"] == "potential" and tier["stored"] == "potential"
    expected = "new client — not enough history" if lang == "en" else "新客户——历史数据不足"
    assert expected in card.replies[0].text
    pushes = [text for chat, text, _, _ in h.transport.pushes if chat == OFFICER_ID and not text.startswith("☀️")]
    assert len(pushes) == 1 and "🟥" not in pushes[0]  # one yellow card, no red (besides the morning brief)
