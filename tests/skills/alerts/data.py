"""Portfolio data for alerts/client tests, written straight to the database through part A's models.

The scenario (as of Mon 30 Nov 2026, Asia/Shanghai) gives "Acme Trading" exactly one condition:
limit utilisation 85% (yellow) — six equal debtors (no concentration), DSO 45 days, nothing overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from skills.portfolio.models import CreditEvent, Debtor, Invoice
from skills.store.models import Client, Officer
from skills.store.session import unit_of_work
from tests.fixtures.harness import ConsoleHarness

__all__ = ["AS_OF", "Scenario", "add_invoice", "ensure_officer", "events", "pay_all", "seed", "set_core"]

AS_OF = date(2026, 11, 30)


@dataclass
class Scenario:
    acme: int
    zenith: int
    debtors: list[int]
    zenith_debtor: int


async def ensure_officer(
    h: ConsoleHarness, officer_id: int, *, name: str = "", role: str = "officer", **fields: object
) -> None:
    """Create or update an officer row (as first contact would, plus quiet hours / manager link)."""
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        row = await s.get(Officer, officer_id)
        if row is None:
            row = Officer(id=officer_id, name=name or str(officer_id), role=role, active=True, created_at=h.clock())
            s.add(row)
        for key, value in fields.items():
            setattr(row, key, value)


async def seed(h: ConsoleHarness, officer_id: int, other_officer_id: int) -> Scenario:
    """Acme Trading (officer) with utilisation 85%; Zenith Foods (other officer) with a 100-day overdue invoice."""
    await ensure_officer(h, officer_id, name="Olivia")
    await ensure_officer(h, other_officer_id, name="Oscar")
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        acme = Client(
            name="Acme Trading",
            aliases=["Acme", "艾克米"],
            officer_id=officer_id,
            credit_limit=Decimal("1000000.00"),
            currency="CNY",
            created_at=h.clock(),
        )
        zenith = Client(
            name="Zenith Foods",
            aliases=[],
            officer_id=other_officer_id,
            credit_limit=Decimal("5000000.00"),
            currency="CNY",
            created_at=h.clock(),
        )
        s.add_all([acme, zenith])
        debtors = [Debtor(name=f"Buyer {i}", aliases=[], is_core=False) for i in range(1, 7)]
        zd = Debtor(name="Zed Retail", aliases=[], is_core=False)
        s.add_all([*debtors, zd])
        await s.flush()
        # An older invoice, paid in full: brings DSO to 45 days.
        s.add(
            Invoice(
                client_id=acme.id,
                debtor_id=debtors[0].id,
                number="A-0",
                amount=Decimal("850000.00"),
                currency="CNY",
                issue_date=date(2026, 11, 1),
                due_date=date(2026, 11, 25),
                paid_amount=Decimal("850000.00"),
                paid_date=date(2026, 11, 25),
            )
        )
        share = Decimal("850000.00") / 6
        amounts = [share.quantize(Decimal("0.01")) for _ in range(5)]
        amounts.append(Decimal("850000.00") - sum(amounts))
        for i, (debtor, amount) in enumerate(zip(debtors, amounts, strict=True), start=1):
            s.add(
                Invoice(
                    client_id=acme.id,
                    debtor_id=debtor.id,
                    number=f"A-{i}",
                    amount=amount,
                    currency="CNY",
                    issue_date=date(2026, 11, 20),
                    due_date=date(2027, 1, 19),
                    paid_amount=Decimal("0.00"),
                )
            )
        s.add(
            Invoice(
                client_id=zenith.id,
                debtor_id=zd.id,
                number="Z-1",
                amount=Decimal("400000.00"),
                currency="CNY",
                issue_date=date(2026, 7, 1),
                due_date=date(2026, 8, 22),
                paid_amount=Decimal("0.00"),
            )
        )
        await s.flush()
        return Scenario(acme.id, zenith.id, [d.id for d in debtors], zd.id)


async def add_invoice(
    h: ConsoleHarness,
    client_id: int,
    debtor_id: int,
    number: str,
    amount: str,
    *,
    issue: date = date(2026, 11, 25),
    due: date = date(2027, 1, 24),
) -> None:
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        s.add(
            Invoice(
                client_id=client_id,
                debtor_id=debtor_id,
                number=number,
                amount=Decimal(amount),
                currency="CNY",
                issue_date=issue,
                due_date=due,
                paid_amount=Decimal("0.00"),
            )
        )


async def pay_all(h: ConsoleHarness, client_id: int, on: date) -> None:
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        await s.execute(
            update(Invoice)
            .where(Invoice.client_id == client_id, Invoice.paid_date.is_(None))
            .values(paid_amount=Invoice.amount, paid_date=on)
        )


async def set_core(h: ConsoleHarness, debtor_id: int) -> None:
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        await s.execute(update(Debtor).where(Debtor.id == debtor_id).values(is_core=True))


async def events(h: ConsoleHarness) -> list[CreditEvent]:
    async with h.runtime.services.sessionmaker() as s:
        return list((await s.scalars(select(CreditEvent))).all())
