"""Oracle table for client tiering (quality / potential / risk) and the push-timing helpers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from skills.alerts.config import AlertsConfig
from skills.alerts.rules import evaluate
from skills.alerts.schedule import push_due_at, tomorrow_at
from skills.alerts.tiering import assess
from skills.portfolio.types import ClientMetrics, CreditEventView, DebtorExposure

CFG = AlertsConfig()
GOOD = ClientMetrics(
    client_id=3,
    as_of=date(2026, 11, 30),
    currency="CNY",
    open_amount=D("100.00"),
    open_count=1,
    aging={"current": D("100.00")},
    overdue_amount=D(0),
    overdue_count=0,
    max_days_overdue=0,
    dso=D("60"),
    dso_trailing_avg=D("60"),
    concentration=D("0.10"),
    top_debtors=[DebtorExposure(5, "Core Co", D("10.00"), D("0.10"), is_core=True)],
    utilisation=D("0.5"),
)
RUMOUR = CreditEventView(1, "bankruptcy_rumour", date(2026, 11, 29), "debtor", "Core Co", 5)
LAWSUIT = CreditEventView(2, "lawsuit", date(2026, 11, 29), "client", "Acme", None)


def tier_of(m: ClientMetrics, config: AlertsConfig = CFG) -> tuple[str, list[str]]:
    result = assess(m, evaluate(m, config), config)
    return result.tier, [code for code, _ in result.reasons]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ("quality", ["quality"])),
        ({"utilisation": None}, ("quality", ["quality"])),  # no limit set
        ({"dso": D("60.4")}, ("potential", ["dso"])),
        ({"dso": None}, ("potential", ["no_dso"])),
        ({"max_days_overdue": 30}, ("quality", ["quality"])),
        ({"max_days_overdue": 31}, ("potential", ["overdue"])),  # also a yellow card, not red
        ({"utilisation": D("0.80")}, ("potential", ["utilisation"])),
        ({"events": [LAWSUIT]}, ("potential", ["events"])),
        ({"utilisation": D("1.00")}, ("risk", ["red"])),
        ({"max_days_overdue": 61, "overdue_amount": D("1000000")}, ("risk", ["red"])),
        ({"max_days_overdue": 61}, ("potential", ["overdue"])),  # old but tiny: yellow (combination rule)
        ({"events": [RUMOUR]}, ("risk", ["red", "bankruptcy"])),
    ],
)
def test_tier_table(changes: dict[str, object], expected: tuple[str, list[str]]) -> None:
    assert tier_of(replace(GOOD, **changes)) == expected


def test_bankruptcy_rumour_on_core_debtor_is_risk_even_when_its_card_is_turned_off() -> None:
    config = AlertsConfig(event_bankruptcy_rumour="off")
    assert tier_of(replace(GOOD, events=[RUMOUR]), config) == ("risk", ["bankruptcy"])


def test_rumour_on_a_non_core_small_debtor_does_not_make_risk() -> None:
    debtors = [replace(GOOD.top_debtors[0], is_core=False)]
    assert tier_of(replace(GOOD, events=[RUMOUR], top_debtors=debtors)) == ("quality", ["quality"])


def test_reason_text_in_both_languages() -> None:
    m = replace(GOOD, dso=D("75"), utilisation=D("0.9"))
    result = assess(m, evaluate(m, CFG), CFG)
    assert result.reason_text("en") == "DSO 75 days (quality needs ≤ 60); utilisation 90% (quality needs below 80%)"
    assert result.reason_text("zh") == "回款周期 75 天（优质型要求 ≤ 60 天）；额度使用率 90%（优质型要求低于 80%）"
    risk = assess(replace(GOOD, events=[RUMOUR]), evaluate(replace(GOOD, events=[RUMOUR]), CFG), CFG)
    assert risk.reason_text("en") == "red card on credit event; bankruptcy rumour on Core Co"
    assert risk.reason_text("zh") == "信用事件红牌；Core Co传出破产传闻"


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "start", "end", "expected"),
    [
        (_utc(2026, 11, 30, 13, 59), "22:00", "08:00", _utc(2026, 11, 30, 13, 59)),  # 21:59 local
        (_utc(2026, 11, 30, 14, 0), "22:00", "08:00", _utc(2026, 12, 1, 0, 0)),  # 22:00 local
        (_utc(2026, 11, 30, 18, 30), "22:00", "08:00", _utc(2026, 12, 1, 0, 0)),  # 02:30 local
        (_utc(2026, 12, 1, 0, 0), "22:00", "08:00", _utc(2026, 12, 1, 0, 0)),  # 08:00 local: over
        (_utc(2026, 11, 30, 5, 0), "12:00", "14:00", _utc(2026, 11, 30, 6, 0)),  # lunch quiet, 13:00 local
        (_utc(2026, 11, 30, 5, 0), None, None, _utc(2026, 11, 30, 5, 0)),
        (_utc(2026, 11, 30, 5, 0), "22:00", "22:00", _utc(2026, 11, 30, 5, 0)),
    ],
)
def test_push_due_at_respects_quiet_hours(
    now: datetime, start: str | None, end: str | None, expected: datetime
) -> None:
    assert push_due_at(now, "Asia/Shanghai", start, end) == expected


def test_tomorrow_at_is_officer_local() -> None:
    assert tomorrow_at(_utc(2026, 11, 30, 1, 0), "Asia/Shanghai", "09:00") == _utc(2026, 12, 1, 1, 0)
    assert tomorrow_at(_utc(2026, 11, 30, 1, 0), "Europe/London", "09:00") == _utc(2026, 12, 1, 9, 0)
