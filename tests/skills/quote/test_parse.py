"""Reading one-line quotes: English and Chinese twins read alike; the recogniser stays high-precision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from skills.quote.parse import parse_text, quote_score

TODAY = date(2026, 11, 30)
FIELDS = ("amount", "currency", "tenor_days", "due_date", "advance_rate", "annual_rate", "discount_rate",
          "discount_mode", "basis", "fee_rate", "fee_minimum", "fee_waived", "interest_timing", "recourse", "first_deal")  # fmt: skip


def terms(text: str) -> dict[str, object]:
    p = parse_text(text, TODAY)
    out = {f: getattr(p, f) for f in FIELDS}
    if out["amount"] is not None:
        out["amount"] = Decimal(out["amount"]).normalize()  # type: ignore[arg-type]
    return out


PAIRS = [
    ("quote 1.2m 90d", "报价 120万 90天"),
    ("quote 1m 90d", "一百万 九十天"),
    ("/quote 500000 60d advance 85% rate 7%", "500000 60天 融资比例85% 年化7%"),
    ("price a $250,000 invoice due in 45 days", "报价 250,000美元 45天"),
    ("100万 90天 融资比例80%", "1m 90 days advance 80%"),
    ("quote 500k CNY 60d", "报价 50万元 60天"),
    ("quote 1m 90d act/365", "100万 90天 按365天计息"),
    ("quote 1m 90d in arrears", "100万 90天 利随本清"),
    ("quote 1m 90d non-recourse", "100万 90天 无追索权"),
    ("quote 1m 90d discount 1% per 30 days", "100万 90天 每30天贴息1%"),
    ("quote 1m 90d fee 0.3% min 2000", "100万 90天 手续费0.3% 最低2000"),
    ("quote 1m 90d USD", "100万 90天 美元"),
    ("quote 1m due on 2027-03-01", "100万 3月1日到期"),
    ("quote 1m 3 months first deal", "100万 3个月 首笔"),
    ("quote 2m 60d no fee", "200万 60天 免服务费"),
    ("quote 1.2亿 90d", "1.2亿 90天"),
]


@pytest.mark.parametrize(("en", "zh"), PAIRS)
def test_chinese_one_liners_parse_like_their_english_twins(en: str, zh: str) -> None:
    assert terms(en) == terms(zh)
    assert quote_score(en) >= 0.9 and quote_score(zh) >= 0.9


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("quote 1.2m 90d", "amount", Decimal("1200000")),
        ("quote 2,500,000 90d", "amount", Decimal("2500000")),
        ("quote ¥300,000.50 30d", "amount", Decimal("300000.50")),
        ("€80k 30 days", "currency", "EUR"),
        ("£1m 30 days", "currency", "GBP"),
        ("rmb 1m 30d", "currency", "CNY"),
        ("quote 1m 31d discount 1% per started 30 days", "discount_mode", "per_period"),
        ("quote 1m due March 1", "due_date", date(2027, 3, 1)),
        ("报价 100万 2027年3月1日到期", "due_date", date(2027, 3, 1)),
        ("quote 1m 2 weeks", "tenor_days", 14),
        ("quote 1m 90d up front", "interest_timing", "upfront"),
        ("quote 1m 90d with recourse", "recourse", True),
        ("quote 1m 90d 6% a year", "annual_rate", Decimal("0.06")),
        ("融资比例百分之八十 100万 90天", "advance_rate", Decimal("0.8")),
        ("quote -500000 90d", "amount", Decimal("-500000")),
    ],
)
def test_single_terms(text: str, field: str, value: object) -> None:
    assert terms(text)[field] == value


def test_an_unlabelled_percentage_is_flagged_not_guessed() -> None:
    assert parse_text("quote 1m 90d 6%").stray_percent == "6%"


@pytest.mark.parametrize(
    "text",
    [
        "quote 1.2m 90d",
        "/quote 500000 60d advance 85% rate 7%",
        "price a $250,000 invoice due in 45 days",
        "100万 90天 融资比例80%",
        "报价 50万元 60天",
        "quote Acme 2m 60d",
        "quote 1m",
        "报价 100万",
        "1,000,000 for 90 days",
    ],
)
def test_quotes_score_high(text: str) -> None:
    assert quote_score(text) >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "remind me in 3 days",
        "remind me tomorrow 10am to call Acme",
        "3天后提醒我跟进华东纺织",
        "client says 1.2% is too expensive",
        "客户嫌手续费太高",
        "any red flags on Acme",
        "Acme DSO 96 days, up from 58",
        "how do I explain factoring to a sales manager?",
        "the bank offers 4.5%",
        "hello",
    ],
)
def test_look_alikes_score_zero(text: str) -> None:
    assert quote_score(text) == 0.0


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("quote 1m 90d basis 365", 365),
        ("quote 1m 90d on a 365 basis", 365),
        ("quote 1m 90d on a 365-day basis", 365),
        ("1m 90d 365 basis rate 7%", 365),
        ("quote 1m 90 days 360-day basis", 360),
        ("quote 1m 90d basis: 360", 360),
        ("quote 1m 90d day count 365", 365),
        ("quote 1m 90d rate 7% basis act/365", 365),
        ("100万 90天 一年按365天算", 365),
        ("100万 90天 计息天数为360天", 360),
        ("quote 1m 365d rate 7%", None),  # a 365-day tenor is not a basis
    ],
)
def test_day_count_basis_in_words(text: str, basis: int | None) -> None:
    parsed = parse_text(text, TODAY)
    assert parsed.basis == basis
    assert parsed.tenor_days in (90, 365)
    assert parsed.amount == Decimal("1000000")
