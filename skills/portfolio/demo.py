"""A deterministic synthetic portfolio for the console, demos and benchmarks.

Twenty clients (English and Chinese names) with a year of invoices on a shared pool of debtors, some
of them core enterprises. A few clients deteriorate on purpose so the risk rules have something to say:
Acme's DSO stretches from about 58 to about 96 days, a core debtor carries a bankruptcy rumour, 华东纺织
depends on one buyer for over a third of its receivables, Northwind is financed beyond its limit, Blue
River's 90+ aging grows, Contoso has disputes. ``scale`` multiplies the clients (and their invoices).
"""

from __future__ import annotations

import functools
import itertools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.portfolio.models import CreditEvent, Debtor
from skills.portfolio.repository import bulk_insert_invoices
from skills.store.base import Base
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

__all__ = ["DEMO_CLIENTS", "DemoSummary", "ensure_demo", "load_demo", "reset_demo"]

log = logging.getLogger(__name__)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class _Profile:
    name: str
    aliases: tuple[str, ...]
    industry: str
    tier: str
    limit: int  # credit limit, CNY
    monthly_sales: int
    scenario: str = "healthy"  # healthy | dso_stretch | concentrated | over_limit | aging | disputes | late
    terms: int = 60


DEMO_CLIENTS: tuple[_Profile, ...] = (
    _Profile("Acme Trading Co., Ltd.", ("Acme",), "Trading", "potential", 6_000_000, 1_500_000, "dso_stretch"),
    _Profile("Northwind Logistics", ("Northwind",), "Logistics", "potential", 2_000_000, 1_200_000, "over_limit"),
    _Profile("华东纺织有限公司", ("华东纺织",), "纺织", "potential", 8_000_000, 2_000_000, "concentrated"),
    _Profile("Blue River Foods", ("Blue River",), "Food", "risk", 3_000_000, 800_000, "aging"),
    _Profile("Contoso Machinery", ("Contoso",), "Machinery", "potential", 5_000_000, 1_000_000, "disputes"),
    _Profile("深圳创芯电子有限公司", ("创芯电子",), "电子", "quality", 10_000_000, 2_500_000, "healthy", 45),
    _Profile("江南包装材料有限公司", ("江南包装",), "包装", "quality", 3_000_000, 600_000),
    _Profile("Pacific Rim Components", ("Pacific Rim",), "Electronics", "quality", 6_000_000, 1_400_000, "healthy", 45),
    _Profile("宏达建材有限公司", ("宏达建材",), "建材", "risk", 4_000_000, 900_000, "late", 90),
    _Profile("Silverline Apparel", ("Silverline",), "Apparel", "potential", 2_500_000, 500_000),
    _Profile("瑞丰农业科技有限公司", ("瑞丰农业",), "农业", "potential", 2_000_000, 400_000, "healthy", 30),
    _Profile("Harbor Chemicals", ("Harbor",), "Chemicals", "quality", 7_000_000, 1_800_000),
    _Profile("天成物流有限公司", ("天成物流",), "物流", "potential", 1_500_000, 350_000, "healthy", 30),
    _Profile("Evergreen Medical Supplies", ("Evergreen Medical",), "Healthcare", "quality", 5_000_000, 1_100_000),
    _Profile("金桥五金制品有限公司", ("金桥五金",), "五金", "potential", 1_800_000, 450_000),
    _Profile("Summit Steel Works", ("Summit Steel",), "Steel", "potential", 9_000_000, 2_200_000, "healthy", 90),
    _Profile("新锐家居有限公司", ("新锐家居",), "家居", "potential", 2_200_000, 520_000),
    _Profile("Orion Electronics", ("Orion",), "Electronics", "quality", 4_500_000, 950_000, "healthy", 45),
    _Profile("长城汽配有限公司", ("长城汽配",), "汽配", "potential", 3_500_000, 780_000),
    _Profile("Lakeside Printing", ("Lakeside",), "Printing", "potential", 1_200_000, 260_000, "healthy", 30),
)

# (name, aliases, core?, industry, rating)
_DEBTORS: tuple[tuple[str, tuple[str, ...], bool, str, str], ...] = (
    ("Evergrand Holdings Group", ("Evergrand", "恒远控股"), True, "Property", "BB"),
    ("华信汽车集团股份有限公司", ("华信汽车", "Huaxin Auto"), True, "汽车", "AA"),
    ("Sinoway Retail Group", ("Sinoway",), True, "Retail", "A"),
    ("国家电网物资供应公司", ("电网物资",), True, "能源", "AAA"),
    ("Greenfield Supermarkets", ("Greenfield",), True, "Retail", "A"),
    ("Metro Hardware Stores", (), False, "Retail", "BBB"),
    ("Jade Dragon Hotels", (), False, "Hospitality", "BBB"),
    ("上海百联商贸有限公司", ("百联商贸",), False, "商贸", "A"),
    ("Atlas Construction", (), False, "Construction", "BB"),
    ("广州美佳超市连锁", ("美佳超市",), False, "零售", "BBB"),
    ("Brightway Pharmacy Chain", (), False, "Healthcare", "A"),
    ("Coastal Shipping Lines", (), False, "Shipping", "BBB"),
    ("北方重工机械有限公司", ("北方重工",), False, "机械", "BB"),
    ("Nova Home Furnishing", (), False, "Retail", "BBB"),
    ("Sunrise Apparel Outlets", (), False, "Retail", "BB"),
    ("成都天府食品有限公司", ("天府食品",), False, "食品", "A"),
    ("Pinnacle Auto Dealers", (), False, "Automotive", "BBB"),
    ("Redwood Office Supply", (), False, "Wholesale", "A"),
    ("杭州云联科技有限公司", ("云联科技",), False, "科技", "A"),
    ("Keystone Builders Merchants", (), False, "Construction", "BBB"),
    ("Oceanic Foods Import", (), False, "Food", "BBB"),
    ("武汉长江家电有限公司", ("长江家电",), False, "家电", "BBB"),
    ("Summit Farm Cooperative", (), False, "Agriculture", "BB"),
    ("Vertex Telecom Equipment", (), False, "Telecom", "A"),
)
_RUMOURED = 0  # Evergrand: bankruptcy rumour
_WEIGHTED = ("concentrated", "over_limit", "dso_stretch")  # buyers drawn by weight; others in rotation


@dataclass(slots=True)
class DemoSummary:
    """What ``load_demo`` created."""

    clients: int = 0
    debtors: int = 0
    invoices: int = 0
    events: int = 0
    officer_ids: list[int] = field(default_factory=list)
    skipped_clients: int = 0


def _name(base: str, copy: int) -> str:
    return base if copy == 0 else f"{base} #{copy + 1}"


def _lag(profile: _Profile, rng: random.Random, age: int) -> int | None:
    """Days from issue to payment for an invoice issued ``age`` days ago (None = never, i.e. still open)."""
    terms = profile.terms
    if profile.scenario == "dso_stretch":
        # Paid after ~54 days until five months ago, then ever later: DSO ~58 at the month-end three months
        # back, ~96 now (an invoice of age a is open while 54 + 0.9·(145 − a) > a).
        slip = max(0, 145 - age) * 0.9
        return int(54 + slip + rng.randint(-4, 4))
    if profile.scenario == "aging":
        if age > 100 and rng.random() < max(0.0, 0.22 - (age - 100) / 1500):
            return None  # left unpaid: the 90+ bucket grows month after month
        return terms + rng.randint(-5, 20)
    if profile.scenario == "late":
        return terms + rng.randint(10, 45)
    if profile.scenario == "over_limit":
        return terms + rng.randint(0, 12)
    return terms + rng.randint(-6, 4)


async def _ensure_officers(session: AsyncSession, officer_ids: list[int], now: datetime) -> None:
    existing = set((await session.scalars(select(OfficerRow.id).where(OfficerRow.id.in_(officer_ids)))).all())
    for oid in officer_ids:
        if oid not in existing:
            session.add(
                OfficerRow(id=oid, name="Console" if oid == 0 else str(oid), role="admin", active=True, created_at=now)
            )
    await session.flush()


async def _debtor_ids(session: AsyncSession, scale: int) -> list[tuple[int, bool]]:
    names = [(_name(n, c), a, core, ind, r) for c in range(max(1, scale // 5 + 1)) for n, a, core, ind, r in _DEBTORS]
    existing = {
        d.name: d for d in (await session.scalars(select(Debtor).where(Debtor.name.in_([n[0] for n in names]))))
    }
    missing = [n for n in names if n[0] not in existing]
    if missing:
        rows = [
            {
                "name": n,
                "aliases": list(a) if n in (x[0] for x in _DEBTORS) else [],
                "is_core": core,
                "industry": ind,
                "rating": r,
            }
            for n, a, core, ind, r in missing
        ]
        await session.execute(insert(Debtor), rows)
    by_name = {d.name: d for d in (await session.scalars(select(Debtor).where(Debtor.name.in_([n[0] for n in names]))))}
    return [(by_name[n[0]].id, by_name[n[0]].is_core) for n in names]


async def load_demo(
    session: AsyncSession,
    *,
    officer_ids: list[int],
    today: date,
    scale: int = 1,
    seed: int = 7,
    invoices_per_client: int = 100,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Create the demo portfolio (clients assigned round-robin to ``officer_ids``); skips existing names.

    ``progress(done, total)`` counts the clients created with their invoices: after each batch of invoices
    written (every 200 clients at 100 invoices each), ending at the total once their credit events are in."""
    if not officer_ids:
        raise ValueError("load_demo needs at least one officer id")
    now = now or datetime.now(UTC)
    summary = DemoSummary(officer_ids=list(officer_ids))
    await _ensure_officers(session, officer_ids, now)
    debtors = await _debtor_ids(session, scale)
    summary.debtors = len(debtors)
    existing = set((await session.scalars(select(Client.name))).all())
    profiles = [(copy, i, p) for copy in range(scale) for i, p in enumerate(DEMO_CLIENTS)]
    todo = [(copy, i, p) for copy, i, p in profiles if _name(p.name, copy) not in existing]
    summary.skipped_clients = len(profiles) - len(todo)
    if not todo:
        return summary
    client_rows = [
        {
            "name": _name(p.name, copy),
            "aliases": [_name(a, copy) for a in p.aliases],
            "officer_id": officer_ids[n % len(officer_ids)],
            "industry": p.industry,
            "tier": p.tier,
            "tier_reason": "",
            "credit_limit": Decimal(p.limit),
            "currency": "CNY",
            "deals_count": 3 + i % 7,
            "created_at": now,
        }
        for n, (copy, i, p) in enumerate(todo)
    ]
    result = await session.execute(insert(Client).returning(Client.id, sort_by_parameter_order=True), client_rows)
    client_ids = list(result.scalars().all())
    summary.clients = len(client_ids)

    batch: list[dict[str, Any]] = []
    total = len(client_ids)
    for done, (client_id, (copy, i, profile)) in enumerate(zip(client_ids, todo, strict=True), start=1):
        rng = random.Random(seed * 1_000_003 + copy * 101 + i)
        serial = Decimal(copy * len(DEMO_CLIENTS) + i + 1) / 100
        batch.extend(_invoices(client_id, profile, rng, debtors, i, today, invoices_per_client, serial))
        if len(batch) >= 20_000:
            await bulk_insert_invoices(session, batch)
            summary.invoices += len(batch)
            batch = []
            if progress is not None and done < total:
                progress(done, total)
    if batch:
        await bulk_insert_invoices(session, batch)
        summary.invoices += len(batch)
    summary.events = await _events(session, client_ids, todo, debtors, today, officer_ids[0], now)
    await session.flush()
    if progress is not None:
        progress(total, total)
    log.info("demo portfolio: %s", summary)
    return summary


def _pick_debtors(profile: _Profile, rng: random.Random, debtors: list[tuple[int, bool]], index: int) -> list[int]:
    """The client's buyers: a broad spread (ten ordinary buyers and one core enterprise) for a healthy book.

    Only the deteriorating stories sell to the rumoured core debtor (Evergrand), so the rumour reaches the
    clients it is meant to, not half the book.
    """
    pool = [d for d, _ in debtors]
    core = [d for d, is_core in debtors if is_core]
    healthy_core = core[1:] or core
    if profile.scenario == "concentrated":
        return [core[_RUMOURED], *rng.sample(pool[5:], 4)]
    chosen = [*rng.sample(pool[5:], 10), healthy_core[index % len(healthy_core)]]
    if profile.scenario in ("over_limit", "dso_stretch"):
        chosen.append(core[_RUMOURED])
    return chosen


@functools.lru_cache(maxsize=16)
def _day_table(base: int, ahead: int) -> dict[int, date]:
    return {o: date.fromordinal(base + o) for o in range(-400, ahead + 1)}


def _invoices(
    client_id: int,
    profile: _Profile,
    rng: random.Random,
    debtors: list[tuple[int, bool]],
    index: int,
    today: date,
    count: int,
    serial: Decimal = Decimal("0.01"),
) -> list[dict[str, Any]]:
    chosen = _pick_debtors(profile, rng, debtors, index)
    weighted = profile.scenario in _WEIGHTED
    if profile.scenario == "concentrated":
        weights = [6.0] + [1.0] * (len(chosen) - 1)
    elif weighted:  # the rumoured core debtor (last) is a large buyer of these two
        weights = [1.0] * (len(chosen) - 1) + [2.0]
    else:
        weights = [1.0] * len(chosen)
    cum_weights = list(itertools.accumulate(weights))
    advance_rate = Decimal("0.80") if profile.scenario != "over_limit" else Decimal("0.90")
    days = _day_table(today.toordinal(), profile.terms)  # offset from today -> date
    step = 365 / count
    mean_amount = profile.monthly_sales * 12 / count
    rows: list[dict[str, Any]] = []
    for n in range(count):
        age = int(365 - n * step - rng.random() * step)
        age = max(age, 0)
        issue = days[-age]
        spread = 0.15 if profile.scenario == "healthy" else 0.4  # healthy books invoice steadily
        # Hundreds plus a per-client serial in cents (0.01 … 99.99): no two demo clients (up to scale 499) ever
        # share an invoice amount, so the double-financing rule (same debtor, amount, date) stays quiet on the demo.
        amount = Decimal(int(mean_amount * rng.uniform(1 - spread, 1 + spread) / 100) * 100) + serial
        lag = _lag(profile, rng, age)
        paid_date = days[lag - age] if lag is not None and lag <= age else None
        disputed = profile.scenario == "disputes" and age < 120 and rng.random() < 0.25
        if disputed:
            paid_date = None
        rows.append(
            {
                "client_id": client_id,
                "debtor_id": (
                    rng.choices(chosen, cum_weights=cum_weights)[0]
                    if weighted
                    else chosen[n % len(chosen)]  # orders spread evenly over the buyers
                ),
                "number": f"{client_id}-{issue.year % 100:02d}{issue.month:02d}-{n:05d}",
                "amount": amount,
                "currency": "CNY",
                "issue_date": issue,
                "due_date": days[profile.terms - age],
                "paid_amount": amount if paid_date else ZERO,
                "paid_date": paid_date,
                "disputed": disputed,
                "advanced_amount": (amount * advance_rate).quantize(CENT) if rng.random() < 0.85 else None,
            }
        )
    return rows


async def _events(
    session: AsyncSession,
    client_ids: list[int],
    todo: list[tuple[int, int, _Profile]],
    debtors: list[tuple[int, bool]],
    today: date,
    created_by: int,
    now: datetime,
) -> int:
    core = [d for d, is_core in debtors if is_core]
    rows: list[dict[str, Any]] = [
        {
            "client_id": None,
            "debtor_id": core[_RUMOURED],
            "kind": "bankruptcy_rumour",
            "on": today - timedelta(days=12),
            "note": "Suppliers report delayed payments; restructuring talk in the press.",
            "created_by": created_by,
            "created_at": now,
        },
    ]
    for client_id, (_, _, profile) in zip(client_ids, todo, strict=True):
        if profile.scenario == "late":
            rows.append(
                {
                    "client_id": client_id,
                    "debtor_id": None,
                    "kind": "lawsuit",
                    "on": today - timedelta(days=20),
                    "note": "供应商起诉拖欠货款",
                    "created_by": created_by,
                    "created_at": now,
                }
            )
    await session.execute(insert(CreditEvent.__table__), rows)
    return len(rows)


async def reset_demo(session: AsyncSession, *, scale: int = 10) -> int:
    """Delete the demo clients (and everything that refers to them); returns how many clients went."""
    names = [_name(p.name, copy) for copy in range(scale) for p in DEMO_CLIENTS]
    ids = list((await session.scalars(select(Client.id).where(Client.name.in_(names)))).all())
    if not ids:
        return 0
    for table in reversed(Base.metadata.sorted_tables):
        for column in table.columns:
            if any(fk.column.table.name == "clients" for fk in column.foreign_keys) and table.name != "clients":
                await session.execute(delete(table).where(column.in_(ids)))
    await session.execute(delete(Client).where(Client.id.in_(ids)))
    debtor_names = [_name(d[0], copy) for copy in range(scale) for d in _DEBTORS]
    demo_debtors = select(Debtor.id).where(Debtor.name.in_(debtor_names))
    await session.execute(
        delete(CreditEvent).where(CreditEvent.client_id.is_(None), CreditEvent.debtor_id.in_(demo_debtors))
    )
    await session.flush()
    return len(ids)


async def ensure_demo(runtime: Any) -> bool:
    """Load the demo portfolio when there are no clients yet (``make run`` start-up); True if loaded."""
    from zoneinfo import ZoneInfo

    from skills.portfolio.config import portfolio_config

    settings = runtime.settings
    if not portfolio_config(settings).demo_on_empty:
        return False
    now = runtime.services.clock()
    today = now.astimezone(ZoneInfo(settings.default_timezone)).date()
    async with runtime.services.sessionmaker() as session:
        if await session.scalar(select(func.count()).select_from(Client)):
            return False
        officer_ids = list(dict.fromkeys([settings.console_officer_id, *settings.admin_user_ids]))
        await load_demo(session, officer_ids=officer_ids, today=today, now=now)
        await session.commit()
    return True
