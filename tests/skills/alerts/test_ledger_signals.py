"""Dilution, payments received by the client, re-dated invoices and the application column — hand-made ledgers
with known answers, imported through the chat upload (preview → Confirm import) in English and Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from skills.alerts.config import AlertsConfig
from skills.alerts.models import Application
from skills.alerts.rules import evaluate
from skills.contract import Attachment
from skills.portfolio.models import CreditNote, Invoice
from skills.portfolio.types import Dilution, History, Misdirected, Redated
from skills.reminders.models import Reminder
from skills.store.models import Client
from skills.store.session import unit_of_work
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.skills.alerts.data import ensure_officer
from tests.skills.alerts.test_rules import BASE

CFG = AlertsConfig()
SEASONED = History(date(2025, 11, 1), 200, 180, date(2026, 11, 30))
YOUNG = History(date(2026, 11, 2), 4, 0, date(2026, 11, 30))
TODAY = date(2026, 11, 30)  # the harness clock: Mon 30 Nov 2026, 09:00 in Shanghai


def findings(m: Any, rule: str, config: AlertsConfig = CFG) -> list[tuple[str, dict[str, str]]]:
    return [(f.severity, f.figures) for f in evaluate(m, config) if f.rule == rule]


# --------------------------------------------------------------------------------------------- rules on metrics


@pytest.mark.parametrize(
    ("credited", "prev", "history", "expected"),
    [
        ("4999.99", "2000", SEASONED, None),  # 4.99999% < 5%, up 2.99999 points
        ("5000.00", "0", SEASONED, "yellow"),  # level ≥ 5%; trend +5 points also ≥ 3
        ("9999.99", "9000", SEASONED, "yellow"),
        ("10000.00", "10000", SEASONED, "red"),  # level ≥ 10%, flat
        ("4000.00", "1000", SEASONED, "yellow"),  # level 4% below 5% but up 3 points: the trend
        ("4000.00", "1001", SEASONED, None),  # up 2.99 points
        ("30000.00", "0", YOUNG, "yellow"),  # 30% on a new client: yellow at most, no trend
        ("4000.00", "0", YOUNG, None),  # a rise on a new client is not judged
    ],
)
def test_dilution_level_trend_and_history(credited: str, prev: str, history: History, expected: str | None) -> None:
    m = replace(BASE, history=history, dilution=Dilution(90, D(credited), D("100000"), D(prev), D("100000")))
    found = findings(m, "dilution")
    assert [s for s, _ in found] == ([expected] if expected else [])


def test_dilution_card_says_the_figures_in_both_languages() -> None:
    m = replace(BASE, history=SEASONED, dilution=Dilution(90, D("12000"), D("100000"), D("2000"), D("100000")))
    [f] = [f for f in evaluate(m, CFG) if f.rule == "dilution"]
    assert f.figures | {} == {
        "rate": "0.1200",
        "prev": "0.0200",
        "credited": "12000.00",
        "invoiced": "100000.00",
        "days": "90",
        "currency": "CNY",
    }
    assert f.text("en", "Acme") == (
        "🟥 Acme: dilution 12%, up from 2%: credit notes CN¥12,000.00 against CN¥100,000.00 invoiced in 90 days"
    )
    assert (
        f.text("zh", "Acme")
        == "🟥 Acme：稀释率 12%，此前为 2%：近 90 天贷项通知单/红字发票 ¥12,000.00，开票 ¥100,000.00"
    )
    assert findings(replace(m, dilution=Dilution(90, D("12000"), D("0"), D("0"), D("0"))), "dilution") == []


def test_misdirected_threshold_and_severity_settings() -> None:
    paid = Misdirected(90, 2, D("80000.00"), ["B-2", "B-1"], date(2026, 11, 20))
    m = replace(BASE, misdirected=paid)
    [(severity, figures)] = findings(m, "misdirected")
    assert severity == "red" and (figures["count"], figures["amount"], figures["numbers"]) == (
        "2",
        "80000.00",
        "B-2, B-1",
    )
    assert findings(m, "misdirected", AlertsConfig(misdirected_min_amount=D("80000.01"))) == []
    assert [s for s, _ in findings(m, "misdirected", AlertsConfig(misdirected_severity="yellow"))] == ["yellow"]
    assert findings(m, "misdirected", AlertsConfig(misdirected_severity="off")) == []


@pytest.mark.parametrize(
    ("original", "new", "expected"),
    [
        ((date(2026, 8, 31), date(2026, 12, 31)), (date(2026, 10, 1), date(2026, 12, 31)), 1),  # 91 days old → 60
        ((date(2026, 9, 1), date(2026, 12, 31)), (date(2026, 10, 1), date(2026, 12, 31)), 0),  # 90 days: was eligible
        ((date(2026, 9, 15), date(2026, 9, 30)), (date(2026, 9, 15), date(2026, 10, 30)), 1),  # 61 → 31 days overdue
        ((date(2026, 9, 15), date(2026, 10, 1)), (date(2026, 9, 15), date(2026, 10, 30)), 0),  # 60 days overdue
        ((date(2026, 6, 1), date(2026, 7, 1)), (date(2026, 7, 1), date(2026, 8, 1)), 0),  # still ineligible
    ],
)
def test_redating_across_the_cut_off(original: tuple[date, date], new: tuple[date, date], expected: int) -> None:
    moved = Redated("R-1", original[0], new[0], original[1], new[1], D("50000.00"))
    found = findings(replace(BASE, redated=[moved]), "redated")
    assert len(found) == expected
    if expected:
        assert found[0][0] == "red" and found[0][1]["original_issue"] == original[0].isoformat()


# --------------------------------------------------------------------------------------------- through the import


@pytest_asyncio.fixture
async def gated(database_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    """The default settings: the minimum-history gate on (SQLite and PostgreSQL)."""
    h = await ConsoleHarness.create(make_settings(database_url, tmp_path), clock=clock)
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="en")
    try:
        yield h
    finally:
        await h.close()


async def upload(h: ConsoleHarness, name: str, text: str, *, lang: str = "en") -> Any:
    out = await h.send("", user=OFFICER_ID, lang=lang, attachment=Attachment(name, text.encode()))
    preview = out.replies[0]
    assert preview.data["preview"]["can_apply"], preview.text
    done = await h.press(preview.buttons[0][0].payload, user=OFFICER_ID, lang=lang)
    assert done.replies[0].data["applied"], done.replies[0].text
    return preview


async def alerts_of(h: ConsoleHarness, rule: str) -> dict[str, dict[str, Any]]:
    out = await h.send("/alerts", user=OFFICER_ID)
    return {a["client"]: a for a in out.replies[0].data["alerts"] if a["rule"] == rule}


def seasoned_ledger(client: str, notes: list[tuple[str, str, str]], header: str, doc: tuple[str, str]) -> str:
    """24 invoices of 100,000.00 every 10 days back from 28 Nov (ten buyers, 60-day terms, paid when due):
    9 of them in the 90 days to 30 Nov (900,000.00), 9 in the 90 days before (900,000.00). ``notes`` are
    (number, amount as written, date) credit notes marked with ``doc[1]`` (``doc[0]`` marks invoices)."""
    lines = [header]
    for k in range(24):
        issue = date(2026, 11, 28) - timedelta(days=10 * k)
        due = issue + timedelta(days=60)
        paid = due.isoformat() if due <= TODAY else ""
        lines.append(f"{client},Buyer {k % 10},INV-{k},100000.00,{issue},{due},{paid},{doc[0]}")
    for number, amount, on in notes:
        lines.append(f"{client},Buyer 1,{number},{amount},{on},,,{doc[1]}")
    return "\n".join(lines) + "\n"


async def test_dilution_from_credit_notes_in_an_english_ledger(gated: ConsoleHarness) -> None:
    notes = [("CN-1", "60000.00", "2026-10-20"), ("CN-2", "-40,000.00", "2026-11-25"), ("CN-0", "9000", "2026-07-01")]
    header = "client,debtor,invoice_no,amount,issue_date,due_date,paid_date,type"
    text = seasoned_ledger("Harbor Textiles", notes, header, ("invoice", "credit note"))
    text = text.replace("-40,000.00", '"-40,000.00"').replace(
        'CN-2,"-40,000.00",2026-11-25,,,credit note', 'CN-2,"-40,000.00",2026-11-25,,,'
    )
    preview = await upload(gated, "harbor.csv", text)
    assert preview.data["preview"]["credit_notes_new"] == 3 and preview.data["preview"]["invoices_new"] == 24
    assert "3 credit notes (3 new, 0 updated, 0 unchanged)" in preview.text
    found = await alerts_of(gated, "dilution")
    # 100,000 of credit notes against 900,000 invoiced in 90 days (11.11%), up from 9,000 / 900,000 (1%)
    assert found["Harbor Textiles"]["severity"] == "red"
    assert found["Harbor Textiles"]["figures"] == {
        "rate": "0.1111",
        "prev": "0.0100",
        "credited": "100000.00",
        "invoiced": "900000.00",
        "days": "90",
        "currency": "CNY",
    }
    async with unit_of_work(gated.runtime.services.sessionmaker) as s:
        amounts = {n.number: n.amount for n in (await s.scalars(select(CreditNote))).all()}
        invoices = (await s.scalars(select(Invoice.number).where(Invoice.number.like("CN-%")))).all()
    assert amounts == {"CN-1": D("60000.00"), "CN-2": D("40000.00"), "CN-0": D("9000.00")} and invoices == []
    again = await gated.send("", user=OFFICER_ID, attachment=Attachment("harbor.csv", text.encode()))
    assert again.replies[0].data["preview"]["credit_notes_new"] == 0
    assert again.replies[0].data["preview"]["can_apply"] is False  # nothing to change


async def test_chinese_ledger_red_letter_invoices_and_payments_to_the_client(gated: ConsoleHarness) -> None:
    header = "客户,买方,发票号,金额,开票日期,到期日,回款日期,类型,收款方"
    lines = [header]
    for k in range(24):
        issue = date(2026, 11, 28) - timedelta(days=10 * k)
        due = issue + timedelta(days=60)
        paid = due.isoformat() if due <= TODAY else ""
        payee = "客户" if k in (6, 7) else ("保理商" if paid else "")  # INV-6 and INV-7 paid to the seller
        lines.append(f"华东纺织,买方{k % 10},INV-{k},100000.00,{issue},{due},{paid},发票,{payee}")
    lines.append("华东纺织,买方1,HZ-1,50000.00,2026-11-02,,,红字发票,")
    preview = await upload(gated, "华东.csv", "\n".join(lines) + "\n", lang="zh")
    assert "1 张贷项通知单/红字发票" in preview.text and "2 笔回款由客户而非保理商收取：INV-6, INV-7" in preview.text
    misdirected = await alerts_of(gated, "misdirected")
    alert = misdirected["华东纺织"]
    # INV-6 issued 2026-09-29, due and paid 2026-11-28; INV-7 issued 2026-09-19, paid 2026-11-18
    assert alert["severity"] == "red"
    assert {k: alert["figures"][k] for k in ("count", "amount", "numbers", "last")} == {
        "count": "2",
        "amount": "200000.00",
        "numbers": "INV-6, INV-7",
        "last": "2026-11-28",
    }
    zh = await gated.send("/alerts 华东纺织", user=OFFICER_ID, lang="zh")
    assert "近 90 天有 2 笔回款共 ¥200,000.00 由客户而非保理商收取：INV-6, INV-7" in zh.replies[0].text
    dilution = (await alerts_of(gated, "dilution"))["华东纺织"]
    assert (dilution["severity"], dilution["figures"]["rate"]) == ("yellow", "0.0556")  # 50,000 / 900,000


async def test_a_new_client_with_credit_notes_is_yellow_at_most(gated: ConsoleHarness) -> None:
    text = (
        "client,debtor,invoice_no,amount,issue_date,due_date,doc type\n"
        "Kestrel Foods,Buyer A,K-1,100000,2026-11-02,2027-01-01,\n"
        "Kestrel Foods,Buyer B,K-2,100000,2026-11-12,2027-01-11,\n"
        "Kestrel Foods,Buyer A,K-3,100000,2026-11-20,2027-01-19,\n"
        "Kestrel Foods,Buyer A,KC-1,(90000),2026-11-25,,\n"
    )
    await upload(gated, "kestrel.csv", text)
    found = (await alerts_of(gated, "dilution"))["Kestrel Foods"]
    assert (found["severity"], found["figures"]["rate"], found["figures"].get("capped")) == ("yellow", "0.3000", "1")


async def test_an_invoice_re_dated_back_inside_the_cut_off(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="en")
    header = "client,debtor,invoice_no,amount,invoice date,due date\n"
    first = (
        "Delta Metals,Buyer A,R-1,50000.00,2026-07-01,2026-08-30\n"  # 152 days old, 92 past due
        "Delta Metals,Buyer B,R-2,40000.00,2026-06-01,2026-07-01\n"  # moved, but still too old
        "Delta Metals,Buyer C,R-3,30000.00,2026-11-01,2026-12-31\n"  # moved, eligible all along
    )
    await upload(h, "delta.csv", header + first)
    assert await alerts_of(h, "redated") == {}
    moved = (
        "Delta Metals,Buyer A,R-1,50000.00,2026-10-15,2026-12-14\n"
        "Delta Metals,Buyer B,R-2,40000.00,2026-07-15,2026-08-14\n"
        "Delta Metals,Buyer C,R-3,30000.00,2026-11-05,2027-01-04\n"
    )
    preview = await upload(h, "delta-v2.csv", header + moved)
    assert preview.data["preview"]["redated"] == ["R-1", "R-2", "R-3"]
    alert = (await alerts_of(h, "redated"))["Delta Metals"]
    assert alert["severity"] == "red"
    assert {k: alert["figures"][k] for k in ("count", "number", "original_issue", "issue", "original_due", "due")} == {
        "count": "1",
        "number": "R-1",
        "original_issue": "2026-07-01",
        "issue": "2026-10-15",
        "original_due": "2026-08-30",
        "due": "2026-12-14",
    }
    assert alert["text"] == (
        "🟥 Delta Metals: 1 invoice(s) re-dated back inside the 90-day eligibility cut-off: no. R-1 issued "
        "2026-07-01 → 2026-10-15, due 2026-08-30 → 2026-12-14"
    )
    again = "Delta Metals,Buyer A,R-1,50000.00,2026-10-20,2026-12-19\n"  # moved a second time
    await upload(h, "delta-v3.csv", header + again)
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        row = await s.scalar(select(Invoice).where(Invoice.number == "R-1"))
        assert row is not None
        assert (row.original_issue_date, row.original_due_date) == (date(2026, 7, 1), date(2026, 8, 30))
        assert (row.issue_date, row.due_date) == (date(2026, 10, 20), date(2026, 12, 19))
        untouched = await s.scalar(select(Invoice).where(Invoice.number == "R-3"))
        assert untouched is not None and untouched.original_issue_date == date(2026, 11, 1)


async def test_the_application_column_starts_the_sla_once(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="en", timezone="Asia/Shanghai")
    text = (
        "client,debtor,invoice_no,amount,issue_date,due_date,application date,application amount\n"
        "Acme Trading,Buyer A,A-1,100000,2026-11-02,2027-01-01,2026-11-27,500万\n"
        "Acme Trading,Buyer B,A-2,100000,2026-11-12,2027-01-11,2026-11-27,500万\n"
        "Zeta Foods,Buyer A,Z-1,100000,2026-11-20,2027-01-19,2026-11-30,\n"
        "Zeta Foods,Buyer C,Z-2,100000,2026-11-21,2027-01-20,,\n"
    )
    preview = await upload(h, "apps.csv", text)
    assert "2 financing applications" in preview.text
    await upload_again_changes_nothing(h, text)
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        rows = (await s.execute(select(Application, Client.name).join(Client))).all()
        got = {name: (a.amount, a.source, a.feedback_due_at, a.reminder_id is not None) for a, name in rows}
        reminders = (await s.scalars(select(Reminder).where(Reminder.source == "application"))).all()
    # Fri 27 Nov → Mon 30, Tue 1, Wed 2 Dec at 18:00 Shanghai; Mon 30 Nov → Thu 3 Dec
    assert got == {
        "Acme Trading": (D("5000000.00"), "import", datetime(2026, 12, 2, 10, 0, tzinfo=UTC), True),
        "Zeta Foods": (None, "import", datetime(2026, 12, 3, 10, 0, tzinfo=UTC), True),
    }
    assert len(reminders) == 2
    card = await h.send("/client Acme Trading", user=OFFICER_ID)  # on the card, as after /apply
    assert [a["amount"] for a in card.replies[0].data["applications"]] == ["5000000.00"], card.replies[0].data


async def upload_again_changes_nothing(h: ConsoleHarness, text: str) -> None:
    """Re-importing the same ledger with an extra invoice: the applications are not recorded twice."""
    extra = text + "Acme Trading,Buyer C,A-3,100000,2026-11-25,2027-01-24,2026-11-27,500万\n"
    await upload(h, "apps-v2.csv", extra)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Acme,Buyer,X-1,-500,2026-11-02,2027-01-01,invoice,", "negative_invoice"),
        ("Acme,Buyer,X-1,500,2026-11-02,2027-01-01,proforma,", "bad_doc_type"),
        ("Acme,Buyer,X-1,500,2026-11-02,2027-01-01,,my cousin", "bad_paid_to"),
        ("Acme,Buyer,X-1,500,2026-11-02,,invoice,", "missing"),
    ],
)
async def test_rows_that_cannot_be_read_are_rejected_with_a_reason(
    harness: ConsoleHarness, row: str, reason: str
) -> None:
    await ensure_officer(harness, OFFICER_ID, name="Olivia", language="en")
    text = f"client,debtor,invoice_no,amount,issue_date,due_date,type,paid to\n{row}\n"
    out = await harness.send("", user=OFFICER_ID, attachment=Attachment("bad.csv", text.encode()))
    assert [r["reason"] for r in out.replies[0].data["preview"]["rejected"]] == [reason]


def _xlsx(rows: list[list[object]]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def test_xlsx_negative_cells_are_credit_notes_and_the_payee_survives_a_later_ledger(
    harness: ConsoleHarness,
) -> None:
    h = harness
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="en")
    header = ["客户", "买方", "发票号", "金额", "开票日期", "到期日", "回款日期", "单据类型", "收款方"]
    content = _xlsx(
        [
            header,
            [
                "Pine Foods",
                "Buyer A",
                "P-1",
                80000.0,
                date(2026, 9, 1),
                date(2026, 10, 31),
                date(2026, 11, 20),
                "",
                "客户",
            ],
            ["Pine Foods", "Buyer B", "P-2", 20000.0, date(2026, 11, 1), date(2026, 12, 31), None, "发票", ""],
            ["Pine Foods", "Buyer A", "P-C1", -5000.0, date(2026, 11, 10), None, None, None, None],
        ]
    )
    out = await h.send("", user=OFFICER_ID, attachment=Attachment("pine.xlsx", content))
    summary = out.replies[0].data["preview"]
    assert (summary["invoices_new"], summary["credit_notes_new"], summary["paid_to_client"]) == (2, 1, ["P-1"])
    await h.press(out.replies[0].buttons[0][0].payload, user=OFFICER_ID)
    assert (await alerts_of(h, "misdirected"))["Pine Foods"]["figures"]["amount"] == "80000.00"
    later = (  # the next month's ledger has no payee column; P-2 is now paid
        "client,debtor,invoice_no,amount,issue_date,due_date,paid_date\n"
        "Pine Foods,Buyer A,P-1,80000.00,2026-09-01,2026-10-31,2026-11-20\n"
        "Pine Foods,Buyer B,P-2,20000.00,2026-11-01,2026-12-31,2026-11-29\n"
    )
    await upload(h, "pine-dec.csv", later)
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        payees = dict((await s.execute(select(Invoice.number, Invoice.paid_to))).all())
    assert payees == {"P-1": "client", "P-2": None}
    assert "Pine Foods" in await alerts_of(h, "misdirected")


async def test_a_ledger_that_only_adds_an_application_date_records_it(harness: ConsoleHarness) -> None:
    h = harness
    await ensure_officer(h, OFFICER_ID, name="Olivia", language="zh", timezone="Asia/Shanghai")
    ledger = "客户,买方,发票号,金额,开票日期,到期日{extra}\n华东纺织,买方甲,H-1,100000,2026-11-02,2027-01-01{value}\n"
    await upload(h, "h.csv", ledger.format(extra="", value=""), lang="zh")
    with_app = ledger.format(extra=",申请日期,申请金额", value=",2026-11-30,300万")
    preview = await upload(h, "h2.csv", with_app, lang="zh")  # the invoices are unchanged: only the application is new
    assert preview.data["preview"]["invoices_unchanged"] == 1 and "1 笔融资申请" in preview.text
    again = await h.send("", user=OFFICER_ID, lang="zh", attachment=Attachment("h3.csv", with_app.encode()))
    assert again.replies[0].data["preview"]["can_apply"] is False  # recorded already: nothing to do
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        apps = (await s.scalars(select(Application))).all()
    assert [(a.amount, a.source) for a in apps] == [(D("3000000.00"), "import")]
