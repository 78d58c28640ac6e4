"""Oracle tables for the pure cell parsers and /flag parsing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from skills.portfolio.flags import FlagError, parse_flag, parse_kind
from skills.portfolio.parsing import (
    INVOICE_COLUMNS,
    CellError,
    map_headers,
    parse_amount,
    parse_bool,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("¥1,234", "1234.00"),
        ("￥1,234", "1234.00"),
        ("$1,234.50", "1234.50"),
        ("12.5万", "125000.00"),
        ("1.2亿", "120000000.00"),
        ("100元", "100.00"),
        ("RMB 3,000", "3000.00"),
        ("1 000 000", "1000000.00"),
        ("１２３", "123.00"),  # full-width digits
        (1500, "1500.00"),
        (1500.5, "1500.50"),
    ],
)
def test_amounts(text: object, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "-5", "1.2.3", "", "12,34,5x", True])
def test_bad_amounts(text: object) -> None:
    with pytest.raises(CellError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("2026-11-30", True, date(2026, 11, 30)),
        ("2026/11/30", True, date(2026, 11, 30)),
        ("30/11/2026", True, date(2026, 11, 30)),
        ("30/11/2026", False, date(2026, 11, 30)),  # 30 cannot be a month
        ("03/04/2026", True, date(2026, 4, 3)),
        ("03/04/2026", False, date(2026, 3, 4)),
        ("2026年11月30日", True, date(2026, 11, 30)),
        ("2026年1月5号", True, date(2026, 1, 5)),
        ("30 Nov 2026", True, date(2026, 11, 30)),
        ("Nov 30, 2026", True, date(2026, 11, 30)),
        ("2026-11-30 00:00:00", True, date(2026, 11, 30)),
        ("46356", True, date(2026, 11, 30)),  # spreadsheet serial day
        (date(2026, 1, 2), True, date(2026, 1, 2)),
    ],
)
def test_dates(text: object, dayfirst: bool, expected: date) -> None:
    assert parse_date(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize("text", ["not a date", "2026-13-01", "31/02/2026", "Nov 30", "5", ""])
def test_bad_dates(text: str) -> None:
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [("yes", True), ("是", True), ("x", True), ("", False), ("否", False)])
def test_bools(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_headers_match_english_and_chinese_ignoring_case_and_spaces() -> None:
    headers = [" Client ", "买方", "Invoice No", "金额（元）", "ISSUE_DATE", "到期日", "whatever"]
    assert map_headers(headers, INVOICE_COLUMNS) == {
        "client": 0,
        "debtor": 1,
        "invoice_no": 2,
        "amount": 3,
        "issue_date": 4,
        "due_date": 5,
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            "Sinoway bankruptcy rumour heard from two suppliers",
            ("Sinoway", "bankruptcy_rumour", "heard from two suppliers"),
        ),
        ("Acme Trading lawsuit", ("Acme Trading", "lawsuit", "")),
        ("Evergrand rating downgrade: AA to BB", ("Evergrand", "rating_downgrade", "AA to BB")),
        (
            "Blue River negative disclosure late annual report",
            ("Blue River", "negative_disclosure", "late annual report"),
        ),
        ("华东纺织 诉讼 被供应商起诉", ("华东纺织", "lawsuit", "被供应商起诉")),
        ("恒远控股破产传闻，多家供应商反映拖欠", ("恒远控股", "bankruptcy_rumour", "多家供应商反映拖欠")),
        ("华信汽车 评级下调", ("华信汽车", "rating_downgrade", "")),
        ("江南百货 负面信息披露 年报延迟", ("江南百货", "negative_disclosure", "年报延迟")),
    ],
)
def test_parse_flag(args: str, expected: tuple[str, str, str]) -> None:
    assert parse_flag(args) == expected


@pytest.mark.parametrize("args", ["", "Acme", "lawsuit against nobody"])
def test_parse_flag_rejects(args: str) -> None:
    with pytest.raises(FlagError):
        parse_flag(args)


def test_parse_kind_rejects_unknown() -> None:
    with pytest.raises(FlagError):
        parse_kind("weather")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Credit Note", "credit_note"), ("红字发票", "credit_note"), ("贷项通知单", "credit_note"), ("负数发票", "credit_note"),
     ("", "invoice"), ("Invoice", "invoice"), ("增值税发票", "invoice")],
)  # fmt: skip
def test_document_types(cell: str, expected: str) -> None:
    from skills.portfolio.parsing import parse_doc_type

    assert parse_doc_type(cell) == expected


def test_paid_to_words_and_collection_accounts() -> None:
    from skills.portfolio.parsing import CellError, parse_paid_to

    accounts = frozenset({"6222000012345678"})
    assert [parse_paid_to(v) for v in ("Factor", "collection account", "保理专户", "Client", "卖方", "")] == [
        "factor", "factor", "factor", "client", "client", None,
    ]  # fmt: skip
    assert parse_paid_to("6222 0000 1234 5678", accounts) == "factor"
    assert parse_paid_to("6222-0000-9999-0000", accounts) == "client"
    with pytest.raises(CellError):
        parse_paid_to("6222 0000 1234 5678")  # no accounts configured: a number cannot be told apart


def test_signed_amounts() -> None:
    from decimal import Decimal

    from skills.portfolio.parsing import signed_amount

    assert signed_amount("-1,200.50") == (Decimal("1200.50"), True)
    assert signed_amount("(300)") == (Decimal("300.00"), True)
    assert signed_amount("−2万") == (Decimal("20000.00"), True)
    assert signed_amount(-5.5) == (Decimal("5.50"), True)
    assert signed_amount("¥500") == (Decimal("500.00"), False)
