"""Importing ledgers: what an officer sees in the preview, what lands in the database, and what never does."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from skills.portfolio.config import PortfolioConfig
from skills.portfolio.flags import FlagError, record_event
from skills.portfolio.importer import ImportRejected, apply_import, plan_import
from skills.portfolio.models import CreditEvent, Debtor, Invoice
from skills.portfolio.preview import render_preview
from skills.portfolio.repository import visible_client_ids
from skills.store.models import AuditEntry, Client
from tests.conftest import OFFICER_ID, STRANGER_ID
from tests.fixtures.harness import ConsoleHarness

from .conftest import ADMIN, DATA, NOW, OFFICER, OTHER, TODAY, import_file, seed_officers

D = Decimal


async def _counts(h: ConsoleHarness) -> tuple[int, int, int, int]:
    async with h.runtime.services.sessionmaker() as s:
        return tuple(  # type: ignore[return-value]
            [await s.scalar(select(func.count()).select_from(m)) for m in (Client, Debtor, Invoice, CreditEvent)]
        )


async def test_chinese_ledger_is_read_with_amounts_dates_and_flags(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    plan = await import_file(sm, OFFICER, "ledger_zh.csv")
    assert (plan.invoices_new, len(plan.new_debtors), plan.new_clients, plan.rejected) == (
        3, 2, ["华东纺织有限公司"], []
    )  # fmt: skip
    async with sm() as s:
        client = (await s.scalars(select(Client))).one()
        assert (client.officer_id, client.aliases, client.credit_limit, client.industry) == (
            OFFICER_ID, ["华东纺织"], D("2000000"), "纺织"
        )  # fmt: skip
        inv = {i.number: i for i in (await s.scalars(select(Invoice))).all()}
        core = (await s.scalars(select(Debtor).where(Debtor.name == "华信汽车集团"))).one()
    assert (inv["HD-001"].amount, inv["HD-001"].advanced_amount, inv["HD-001"].issue_date) == (
        D("125000"), D("100000"), date(2026, 10, 1)
    )  # fmt: skip
    assert (inv["HD-002"].amount, inv["HD-002"].paid_amount, inv["HD-002"].paid_date) == (
        D("80000"), D("30000"), date(2026, 11, 20)
    )  # fmt: skip
    assert (inv["HD-003"].issue_date, inv["HD-003"].disputed) == (date(2026, 9, 15), True)
    assert core.is_core


async def test_reimporting_the_same_ledger_changes_nothing(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    before = await _counts(any_db_harness)
    again = await import_file(sm, OFFICER, "metrics_ledger.csv")
    assert (again.invoices_new, again.invoices_updated, again.invoices_unchanged) == (0, 0, 9)
    assert (again.new_clients, again.new_debtors, again.clients_updated, again.can_apply) == ([], [], 0, False)
    assert "Nothing to change" in render_preview(again, "en")
    assert await _counts(any_db_harness) == before


async def test_a_changed_row_updates_its_invoice_in_place(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    text = (
        (DATA / "metrics_ledger.csv")
        .read_text()
        .replace("A4,4000.00,CNY,2026-09-15,2026-10-15,,", "A4,4000.00,CNY,2026-09-15,2026-10-15,4000.00,2026-11-28")
    )
    plan = await import_file(sm, OFFICER, "ledger.csv", text.encode())
    assert (plan.invoices_new, plan.invoices_updated, plan.invoices_unchanged) == (0, 1, 8)
    async with sm() as s:
        a4 = (await s.scalars(select(Invoice).where(Invoice.number == "A4"))).one()
        assert (a4.paid_amount, a4.paid_date) == (D("4000"), date(2026, 11, 28))
        assert await s.scalar(select(func.count()).select_from(Invoice)) == 9


async def test_bad_rows_are_named_and_nothing_is_imported(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    async with sm() as s:
        plan = await plan_import(s, OFFICER, "ledger_bad.csv", (DATA / "ledger_bad.csv").read_bytes(), today=TODAY)
        assert [(r.row, r.key) for r in plan.rejected] == [
            (3, "bad_amount"), (4, "due_before_issue"), (5, "bad_date"), (6, "missing"), (7, "duplicate")
        ]  # fmt: skip
        with pytest.raises(ImportRejected):
            await apply_import(s, plan)
        await s.commit()
    en, zh = render_preview(plan, "en"), render_preview(plan, "zh")
    assert "row 3: amount 'abc' is not a number" in en and "row 4: due date before issue date" in en
    assert "Nothing was imported" in en
    assert "第 3 行：金额“abc”不是有效数字" in zh and "第 4 行：到期日早于开票日期" in zh
    assert await _counts(any_db_harness) == (0, 0, 0, 0)


async def test_partial_import_when_configured_skips_only_the_bad_rows(harness: ConsoleHarness) -> None:
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    async with sm() as s:
        content = (DATA / "ledger_bad.csv").read_bytes()
        plan = await plan_import(
            s, OFFICER, "bad.csv", content, today=TODAY, config=PortfolioConfig(partial_import=True)
        )
        assert plan.can_apply and "will be skipped" in render_preview(plan, "en")
        await apply_import(s, plan, now=NOW)
        await s.commit()
    assert await _counts(harness) == (1, 1, 1, 0)


@pytest.mark.parametrize(
    ("name", "content", "config", "key"),
    [
        ("ledger.pdf", b"%PDF-1.4", PortfolioConfig(), "wrong_type"),
        ("ledger.csv", b"", PortfolioConfig(), "empty"),
        ("ledger.csv", b"client,debtor,amount\nA,B,1\n", PortfolioConfig(), "missing_columns"),
        ("ledger.csv", b"just some words\nand more\n", PortfolioConfig(), "no_header"),
        ("ledger.xlsx", b"PK\x03\x04 not really a zip", PortfolioConfig(), "unreadable"),
        ("ledger.csv", (DATA / "metrics_ledger.csv").read_bytes(), PortfolioConfig(max_upload_bytes=100), "too_big"),
        ("ledger.csv", (DATA / "metrics_ledger.csv").read_bytes(), PortfolioConfig(max_rows=3), "too_many_rows"),
    ],
)
async def test_malformed_files_are_rejected_and_change_nothing(
    harness: ConsoleHarness, name: str, content: bytes, config: PortfolioConfig, key: str
) -> None:
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    async with sm() as s:
        plan = await plan_import(s, OFFICER, name, content, today=TODAY, config=config)
        assert plan.error is not None and plan.error.key == key
        assert not plan.can_apply and "rejected" in render_preview(plan, "en")
        with pytest.raises(ImportRejected):
            await apply_import(s, plan)
    assert await _counts(harness) == (0, 0, 0, 0)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


async def test_xlsx_ledger_with_title_row_and_date_cells(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    content = _xlsx([
        ["Receivables ledger, November"],
        ["客户", "买方", "发票号", "金额", "开票日期", "到期日", "已付金额"],
        ["Northwind Logistics", "Metro Hardware", "N-1", 12000.5, date(2026, 10, 1), date(2026, 11, 1), None],
        ["Northwind Logistics", "Metro Hardware", 2002, "3万", "2026/10/05", "2026/12/05", 0],
    ])  # fmt: skip
    plan = await import_file(sm, OFFICER, "ledger.xlsx", content)
    assert (plan.invoices_new, plan.rejected) == (2, [])
    async with sm() as s:
        amounts = {i.number: i.amount for i in (await s.scalars(select(Invoice))).all()}
    assert amounts == {"N-1": D("12000.50"), "2002": D("30000")}


async def test_zip_bomb_is_refused_before_opening(harness: ConsoleHarness) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    async with harness.runtime.services.sessionmaker() as s:
        plan = await plan_import(s, ADMIN, "bomb.xlsx", buf.getvalue(), today=TODAY)
        small = await plan_import(s, ADMIN, "bomb.xlsx", buf.getvalue(), today=TODAY,
                                  config=PortfolioConfig(max_uncompressed_bytes=1024 * 1024))  # fmt: skip
    assert plan.error is not None and plan.error.key == "zip_ratio"
    assert small.error is not None and small.error.key == "zip_bomb"


async def test_officers_import_only_into_their_own_book(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    before = await _counts(any_db_harness)
    # Another officer names OFFICER's client, or books a row to OFFICER: both rejected, nothing written.
    other = await import_file(sm, OTHER, "metrics_ledger.csv")
    assert {r.key for r in other.rejected} == {"not_your_client"} and not other.can_apply
    rows = f"client,officer_id,debtor,invoice_no,amount,issue_date,due_date\nNew Co,{OFFICER_ID},X,1,10,2026-11-01,2026-12-01\n"
    assert [r.key for r in (await import_file(sm, OTHER, "x.csv", rows.encode())).rejected] == ["other_officer"]
    assert await _counts(any_db_harness) == before
    # An admin may import into anyone's book.
    admin_rows = f"client,officer_id,debtor,invoice_no,amount,issue_date,due_date\nNew Co,{OFFICER_ID},X,1,10,2026-11-01,2026-12-01\n"
    assert (await import_file(sm, ADMIN, "x.csv", admin_rows.encode())).invoices_new == 1
    async with sm() as s:
        assert len(await visible_client_ids(s, OFFICER)) == 3
        assert await visible_client_ids(s, OTHER) == []
        with pytest.raises(FlagError):
            await record_event(s, OTHER, "Alpha", "lawsuit", "", TODAY)
        with pytest.raises(FlagError):
            await record_event(s, OTHER, "Delta Retail", "lawsuit", "", TODAY)


async def test_a_stranger_is_refused_and_learns_nothing(harness: ConsoleHarness) -> None:
    await seed_officers(harness.runtime.services.sessionmaker)
    await import_file(harness.runtime.services.sessionmaker, OFFICER, "metrics_ledger.csv")
    outcome = await harness.send("any red flags on Alpha Foods?", user=STRANGER_ID)
    text = " ".join(r.text for r in outcome.replies)
    assert "Alpha Foods" not in text and "9100" not in text and "9,100" not in text


async def test_apply_records_an_audit_entry(harness: ConsoleHarness) -> None:
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    async with sm() as s:
        entry = (await s.scalars(select(AuditEntry).where(AuditEntry.action == "import"))).one()
    assert (
        entry.actor_id == OFFICER_ID
        and entry.detail["invoices_new"] == 9
        and entry.detail["file"] == "metrics_ledger.csv"
    )


async def test_events_list_imports_once_and_flags_resolve_aliases(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    first = await import_file(sm, OFFICER, "metrics_events.csv")
    again = await import_file(sm, OFFICER, "metrics_events.csv")
    assert (first.kind, first.events_new, again.events_new, again.events_unchanged) == ("events", 3, 0, 3)
    async with sm() as s:
        event = await record_event(s, OFFICER, "alpha", "诉讼", "supplier claim", TODAY, now=NOW)
        client = (await s.scalars(select(Client).where(Client.name == "Alpha Foods Co."))).one()
        assert (event.client_id, event.debtor_id, event.kind, event.on) == (client.id, None, "lawsuit", TODAY)
        await s.commit()
    assert (await _counts(any_db_harness))[3] == 4


async def test_unknown_subject_in_events_list_is_a_rejected_row(harness: ConsoleHarness) -> None:
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    content = b"subject,kind,date,note\nNobody Ltd,lawsuit,2026-11-01,\nAcme,weather,2026-11-01,\n"
    plan = await import_file(sm, OFFICER, "events.csv", content)
    assert [(r.row, r.key) for r in plan.rejected] == [(2, "unknown_subject"), (3, "bad_kind")]
    assert "row 2: no client or debtor of yours is called “Nobody Ltd”" in render_preview(plan, "en")


async def test_a_stale_preview_cannot_duplicate_anything(any_db_harness: ConsoleHarness) -> None:
    """Apply re-checks the database: rows someone else imported between preview and confirm are not duplicated."""
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    content = (DATA / "metrics_ledger.csv").read_bytes()
    async with sm() as s:
        plan = await plan_import(s, OFFICER, "metrics_ledger.csv", content, today=TODAY)
        assert (plan.invoices_new, len(plan.new_clients)) == (9, 2)
        await s.rollback()  # end the read transaction so the other import's rows are visible
        await import_file(sm, OFFICER, "metrics_ledger.csv")  # meanwhile, the same file lands
        before = await _counts(any_db_harness)
        applied = await apply_import(s, plan, now=NOW)
        await s.commit()
    assert (applied.invoices_new, applied.invoices_unchanged, applied.new_clients) == (0, 9, [])
    assert await _counts(any_db_harness) == before


async def test_a_stale_preview_rechecks_invoices_changed_in_between(any_db_harness: ConsoleHarness) -> None:
    """Names unchanged since the preview, but an invoice deleted and one edited: apply re-reads the invoices."""
    sm = any_db_harness.runtime.services.sessionmaker
    await seed_officers(sm)
    await import_file(sm, OFFICER, "metrics_ledger.csv")
    async with sm() as s:
        plan = await plan_import(s, OFFICER, "m.csv", (DATA / "metrics_ledger.csv").read_bytes(), today=TODAY)
        assert (plan.invoices_new, plan.invoices_updated, plan.invoices_unchanged) == (0, 0, 9)
        await s.rollback()
        async with sm() as other:
            a1 = (await other.scalars(select(Invoice).where(Invoice.number == "A1"))).one()
            await other.delete(a1)
            a2 = (await other.scalars(select(Invoice).where(Invoice.number == "A2"))).one()
            a2.paid_amount = D("1.00")
            await other.commit()
        plan.invoices_updated = 1  # pretend the preview had something to write, so apply runs
        applied = await apply_import(s, plan, now=NOW)
        await s.commit()
    assert (applied.invoices_new, applied.invoices_updated, applied.invoices_unchanged) == (1, 1, 7)
    async with sm() as s:
        paid = {i.number: i.paid_amount for i in (await s.scalars(select(Invoice))).all()}
    assert (len(paid), paid["A2"]) == (9, D("2000.00"))


async def test_a_debtor_marked_core_on_a_later_row_is_core_after_the_first_import(harness: ConsoleHarness) -> None:
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    rows = (
        b"client,debtor,debtor_core,invoice_no,amount,issue_date,due_date\n"
        b"New Co,Big Buyer,,1,10,2026-11-01,2026-12-01\n"
        b"New Co,Big Buyer,yes,2,10,2026-11-01,2026-12-01\n"
    )
    first = await import_file(sm, OFFICER, "x.csv", rows)
    again = await import_file(sm, OFFICER, "x.csv", rows)
    assert (first.new_debtors, again.debtors_updated, again.invoices_unchanged, again.can_apply) == (
        ["Big Buyer"], 0, 2, False
    )  # fmt: skip
    async with sm() as s:
        assert (await s.scalars(select(Debtor))).one().is_core


async def test_plan_and_apply_report_rows_checked_and_written(
    harness: ConsoleHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skills.portfolio import importer

    monkeypatch.setattr(importer, "_CHUNK", 500)  # three chunks written instead of one
    sm = harness.runtime.services.sessionmaker
    await seed_officers(sm)
    lines = ["client,debtor,invoice_no,amount,issue_date,due_date"]
    lines += [f"Acme,Globex,P-{n},{100 + n},2026-10-01,2026-12-30" for n in range(1200)]
    content = ("\n".join(lines) + "\n").encode()
    checked: list[tuple[int, int]] = []
    written: list[tuple[int, int]] = []
    async with sm() as s:
        plan = await plan_import(s, OFFICER, "l.csv", content, today=TODAY, progress=lambda *c: checked.append(c))
        applied = await apply_import(s, plan, now=NOW, progress=lambda *c: written.append(c))
        await s.commit()
    assert checked == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert written == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert applied.invoices_new == 1200
    # a second import writes nothing: the rows are still checked, and nothing is counted as written
    checked.clear(), written.clear()
    async with sm() as s:
        plan = await plan_import(s, OFFICER, "l.csv", content, today=TODAY, progress=lambda *c: checked.append(c))
        await apply_import(s, plan, now=NOW, progress=lambda *c: written.append(c))
    assert checked[-1] == (1200, 1200) and written == []
