"""Metrics over a held-out ledger whose figures were computed by hand (as of Mon 30 Nov 2026).

Ledger ``data/metrics_ledger.csv`` — Alpha Foods Co. (credit limit 10,000):

==  ==============  =====  ==========  ==========  =====================  ========================
id  debtor          amt    issued      due         paid                   notes
==  ==============  =====  ==========  ==========  =====================  ========================
A1  Delta (core)    3000   2026-06-15  2026-07-15  3000 on 2026-08-20     closed
A2  Delta           2000   2026-07-20  2026-08-19  2000 on 2026-10-10     closed (open until 10-10)
A3  Echo Mart       1000   2026-08-10  2026-09-09  400 on 2026-09-20      600 open, 82 days late
A4  Echo Mart       4000   2026-09-15  2026-10-15  —                      advanced 3200, 46 days
A5  Foxtrot         1500   2026-10-20  2026-11-19  —                      disputed, 11 days
A6  Delta           2500   2026-11-10  2026-12-10  —                      advanced 2000, current
A7  Delta            500   2026-05-01  2026-06-30  —                      153 days late
A8  Foxtrot          800   2026-11-05  2026-11-20  800 on 2026-11-25      closed
==  ==============  =====  ==========  ==========  =====================  ========================

Open at 30 Nov: A3 600 + A4 4000 + A5 1500 + A6 2500 + A7 500 = 9100 (5 invoices).
Aging: current 2500 (A6) · 1-30 1500 (A5) · 31-60 4000 (A4) · 61-90 600 (A3) · 90+ 500 (A7).
Overdue 6600 in 4 invoices, oldest 153 days. Disputed 1500/9100 = 0.1648.
Utilisation (600 + 3200 + 1500 + 2000 + 500) / 10000 = 0.78.
By debtor: Echo 4600 (0.5055), Delta 3000 (0.3297), Foxtrot 1500 (0.1648).
DSO = open × 90 / sales of the 90 days ending that day:
  30 Nov: 9100 × 90 / (4000 + 1500 + 2500 + 800) = 93.07
  31 Oct: (600 + 4000 + 1500 + 500) × 90 / (1000 + 4000 + 1500) = 6600 × 90 / 6500 = 91.38
  30 Sep: (2000 + 600 + 4000 + 500) × 90 / (2000 + 1000 + 4000) = 7100 × 90 / 7000 = 91.29
  31 Aug: (2000 + 1000 + 500) × 90 / (3000 + 2000 + 1000) = 3500 × 90 / 6000 = 52.50
  trailing average (Aug, Sep, Oct) = (52.5 + 91.2857 + 91.3846) / 3 = 78.39
Turnover: sales 1–30 Nov 3300 / mean(open 31 Oct 6600, open 30 Nov 9100) = 3300 / 7850 = 0.42;
  previous: sales 2–31 Oct 1500 / mean(open 1 Oct 7100, 6600) = 1500 / 6850 = 0.22.
Events (``data/metrics_events.csv``): Delta bankruptcy rumour 1 Nov and Foxtrot negative disclosure
15 Sep are inside the 90 days; the lawsuit on Alpha of 1 Aug is not.

Bravo Tools: one invoice B1 on Delta, 1000, issued 1 Nov, due 1 Dec, no limit → open 1000, all
current, DSO 1000 × 90 / 1000 = 90.00, no month-end history before Nov, turnover 1000 / 500 = 2.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from skills.portfolio.metrics import compute_metrics
from skills.store.models import Client
from tests.fixtures.harness import ConsoleHarness

from .conftest import ADMIN, OFFICER, TODAY, import_file, seed_officers

D = Decimal


async def _load(h: ConsoleHarness) -> dict[str, int]:
    sm = h.runtime.services.sessionmaker
    await seed_officers(sm)
    assert (await import_file(sm, OFFICER, "metrics_ledger.csv")).invoices_new == 9
    assert (await import_file(sm, OFFICER, "metrics_events.csv")).events_new == 3
    async with sm() as session:
        return {c.name: c.id for c in (await session.scalars(select(Client))).all()}


async def test_metrics_match_hand_computed_figures(any_db_harness: ConsoleHarness) -> None:
    ids = await _load(any_db_harness)
    async with any_db_harness.runtime.services.sessionmaker() as session:
        metrics = await compute_metrics(session, as_of=TODAY)
    m = metrics[ids["Alpha Foods Co."]]
    assert m.open_amount == D("9100.00") and m.open_count == 5
    assert m.aging == {"current": D("2500"), "1-30": D("1500"), "31-60": D("4000"), "61-90": D("600"), "90+": D("500")}
    assert (m.overdue_amount, m.overdue_count, m.max_days_overdue) == (D("6600"), 4, 153)
    assert m.dso == D("93.07")
    assert m.dso_history == [
        (date(2026, 8, 31), D("52.50")),
        (date(2026, 9, 30), D("91.29")),
        (date(2026, 10, 31), D("91.38")),
        (date(2026, 11, 30), D("93.07")),
    ]
    assert m.dso_trailing_avg == D("78.39")
    assert (m.turnover, m.turnover_prev) == (D("0.42"), D("0.22"))
    assert m.concentration == D("0.5055")
    assert [(e.name, e.open_amount, e.share, e.is_core) for e in m.top_debtors] == [
        ("Echo Mart", D("4600"), D("0.5055"), False),
        ("Delta Retail", D("3000"), D("0.3297"), True),
        ("Foxtrot Stores", D("1500"), D("0.1648"), False),
    ]
    assert m.disputed_share == D("0.1648")
    assert (m.credit_limit, m.utilisation) == (D("10000"), D("0.78"))
    assert m.share_90_plus == D("500") / D("9100")
    assert [(e.kind, e.on, e.subject, e.subject_name) for e in m.events] == [
        ("bankruptcy_rumour", date(2026, 11, 1), "debtor", "Delta Retail"),
        ("negative_disclosure", date(2026, 9, 15), "debtor", "Foxtrot Stores"),
    ]
    assert all(isinstance(v, Decimal) for v in (m.open_amount, m.dso, m.turnover, *m.aging.values()))


async def test_metrics_for_a_client_with_one_recent_invoice(any_db_harness: ConsoleHarness) -> None:
    ids = await _load(any_db_harness)
    bravo = ids["Bravo Tools"]
    async with any_db_harness.runtime.services.sessionmaker() as session:
        metrics = await compute_metrics(session, as_of=TODAY, client_ids=[bravo])
    assert list(metrics) == [bravo]
    m = metrics[bravo]
    assert (m.open_amount, m.aging["current"], m.overdue_count) == (D("1000"), D("1000"), 0)
    assert (m.dso, m.dso_trailing_avg, m.dso_history) == (D("90.00"), None, [(date(2026, 11, 30), D("90.00"))])
    assert (m.turnover, m.turnover_prev) == (D("2.00"), None)
    assert (m.concentration, m.credit_limit, m.utilisation) == (D("1"), None, None)
    assert [e.subject_name for e in m.events] == ["Delta Retail"]


async def test_metrics_as_of_an_earlier_day_see_the_ledger_as_it_was(any_db_harness: ConsoleHarness) -> None:
    ids = await _load(any_db_harness)
    async with any_db_harness.runtime.services.sessionmaker() as session:
        m = (await compute_metrics(session, as_of=date(2026, 10, 31), client_ids=[ids["Alpha Foods Co."]]))[
            ids["Alpha Foods Co."]
        ]
    # A6 and A8 are not issued yet; A2 was paid on 10 Oct: open = 600 + 4000 + 1500 + 500.
    assert (m.open_amount, m.dso) == (D("6600"), D("91.38"))
    assert m.aging == {"current": D("1500"), "1-30": D("4000"), "31-60": D("600"), "61-90": D("0"), "90+": D("500")}


async def test_client_without_invoices_gets_empty_metrics(any_db_harness: ConsoleHarness) -> None:
    await seed_officers(any_db_harness.runtime.services.sessionmaker)
    async with any_db_harness.runtime.services.sessionmaker() as session:
        client = Client(
            name="Empty Co",
            aliases=[],
            officer_id=ADMIN.id,
            industry="",
            tier="potential",
            tier_reason="",
            currency="CNY",
            deals_count=0,
        )
        session.add(client)
        await session.commit()
        m = (await compute_metrics(session, as_of=TODAY))[client.id]
    assert (m.open_amount, m.open_count, m.dso, m.concentration, m.top_debtors) == (D("0"), 0, None, None, [])
