"""The demo portfolio: big enough, bilingual, deterministic, and deteriorating where the alerts need it."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bot.cli_portfolio import demo_command, import_command
from skills.portfolio.demo import ensure_demo, load_demo, reset_demo
from skills.portfolio.metrics import compute_metrics
from skills.portfolio.models import CreditEvent, Debtor, Invoice
from skills.store.models import Client
from tests.conftest import ADMIN_ID, OFFICER_ID, make_settings
from tests.fixtures.harness import ConsoleHarness

from .conftest import DATA, NOW, TODAY


async def _by_name(h: ConsoleHarness) -> dict[str, Client]:
    async with h.runtime.services.sessionmaker() as s:
        return {c.name: c for c in (await s.scalars(select(Client))).all()}


async def test_demo_portfolio_shows_the_deteriorating_clients(any_db_harness: ConsoleHarness) -> None:
    sm = any_db_harness.runtime.services.sessionmaker
    async with sm() as s:
        summary = await load_demo(s, officer_ids=[0, ADMIN_ID], today=TODAY, now=NOW)
        await s.commit()
    assert summary.clients >= 20 and summary.invoices >= 2000
    clients = await _by_name(any_db_harness)
    assert {"Acme Trading Co., Ltd.", "Northwind Logistics", "华东纺织有限公司"} <= set(clients)
    assert clients["Acme Trading Co., Ltd."].aliases == ["Acme"] and clients["华东纺织有限公司"].aliases == ["华东纺织"]
    assert {c.officer_id for c in clients.values()} == {0, ADMIN_ID}  # round-robin
    async with sm() as s:
        metrics = await compute_metrics(s, as_of=TODAY)
        cores = await s.scalar(select(func.count()).select_from(Debtor).where(Debtor.is_core.is_(True)))
        rumours = (await s.scalars(select(CreditEvent).where(CreditEvent.kind == "bankruptcy_rumour"))).all()
    assert cores and cores >= 3
    acme = metrics[clients["Acme Trading Co., Ltd."].id]
    assert acme.dso_history[0][1] < 65 and acme.dso is not None and acme.dso > 90
    assert metrics[clients["华东纺织有限公司"].id].concentration > Decimal("0.35")  # type: ignore[operator]
    assert metrics[clients["Northwind Logistics"].id].utilisation > 1  # type: ignore[operator]
    blue = metrics[clients["Blue River Foods"].id]
    assert blue.aging["90+"] > 0
    assert any(e.kind == "bankruptcy_rumour" for e in acme.events) and len(rumours) == 1
    assert metrics[clients["Contoso Machinery"].id].disputed_share > Decimal("0.1")  # type: ignore[operator]


async def test_demo_is_deterministic_and_not_loaded_twice(harness: ConsoleHarness) -> None:
    sm = harness.runtime.services.sessionmaker
    async with sm() as s:
        await load_demo(s, officer_ids=[0], today=TODAY, now=NOW)
        await s.commit()
        first = [(i.number, i.amount, i.paid_date) for i in (await s.scalars(select(Invoice).order_by(Invoice.id)))]
        again = await load_demo(s, officer_ids=[0], today=TODAY, now=NOW)
        assert (again.clients, again.skipped_clients) == (0, 20)
        assert await reset_demo(s) == 20
        await load_demo(s, officer_ids=[0], today=TODAY, now=NOW)
        await s.commit()
        second = [(i.number, i.amount, i.paid_date) for i in (await s.scalars(select(Invoice).order_by(Invoice.id)))]
        assert await s.scalar(select(func.count()).select_from(CreditEvent)) == 2
    assert [r[1:] for r in first] == [r[1:] for r in second] and len(first) == 2000


async def test_ensure_demo_fills_only_an_empty_book(harness: ConsoleHarness) -> None:
    assert await ensure_demo(harness.runtime) is True
    assert await ensure_demo(harness.runtime) is False
    assert len(await _by_name(harness)) == 20


async def test_cli_demo_and_import(sqlite_url: str, tmp_path: Path, capsys: object) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    demo = argparse.Namespace(officer=OFFICER_ID, scale=1, reset=False, json=True)
    assert await demo_command(settings, demo) == 0
    args = dict(officer=OFFICER_ID, dry_run=False, yes=True, lang="en", json=False)
    assert await import_command(settings, argparse.Namespace(file=DATA / "ledger_bad.csv", **args)) == 1
    assert await import_command(settings, argparse.Namespace(file=DATA / "metrics_ledger.csv", **args)) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "row 3: amount 'abc' is not a number" in out and "Imported: 9 invoices" in out
