"""Receivables metrics per client, computed in SQL with GROUP BY/CASE aggregates for all clients at once.

Definitions (``as_of`` is a date; day boundaries are computed here in Python and compared as dates in
SQL, so the same statements run on SQLite and PostgreSQL):

* open at day d: issued on or before d and not fully paid by d. The open amount is
  ``amount − paid_amount`` once the payment date has passed (or when it is unknown), the whole
  ``amount`` before the payment date.
* aging at ``as_of`` by days past due (``as_of − due_date``): current (≤ 0), 1-30, 31-60, 61-90, 90+.
* DSO at d = open receivables at d ÷ sales (invoice amounts issued in the 90 days ending on d, i.e.
  d−89 … d) × 90. ``dso`` is at ``as_of``; ``dso_history`` at the last 4 month-ends on or before
  ``as_of``; ``dso_trailing_avg`` is the mean over the 3 month-ends strictly before ``as_of``.
* turnover = sales in the 30 days ending on ``as_of`` ÷ mean(open at ``as_of − 30``, open at
  ``as_of``); ``turnover_prev`` the same for the 30 days before that.
* concentration = largest debtor's share of open receivables; ``top_debtors`` up to 5, largest first.
* utilisation = Σ over open invoices of (advanced amount, or the open amount when unknown) ÷ credit limit.
* events: credit events dated ``as_of − 89 … as_of`` on the client or on any debtor it has invoiced.
* history: the first issue date, invoices issued and invoices collected (a payment dated) up to ``as_of``.
* sales_30 = sales in the 30 days ending on ``as_of``; sales_monthly_avg = sales in the 180 days before
  those ÷ 6 (the turnover-spike baseline).
* debtors' portfolio exposure: each top debtor's open receivables across all clients, its share of the
  whole portfolio's open receivables, and how many clients sell to it.
* duplicates: open invoices also financed elsewhere — the same invoice number on the same debtor under
  another client, or the same debtor, amount and issue date under another client (two deliveries of the
  same size on one day by one seller are ordinary; the same invoice sold by two sellers is not). Round amounts
  (multiples of ``ROUND_AMOUNT``, 1,000) are left out of the amount+debtor+date match: they coincide too often.

Money is Decimal (2 places); DSO, turnover 2 places; shares 4 places (ROUND_HALF_UP).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from skills.portfolio.models import CreditEvent, Debtor, Invoice
from skills.portfolio.types import (
    AGING_BUCKETS,
    SPIKE_BASE_DAYS,
    ClientMetrics,
    CreditEventView,
    DebtorExposure,
    History,
)
from skills.store.models import Client

__all__ = ["compute_metrics", "month_ends", "to_money"]

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
ZERO = Decimal("0.00")
WINDOW_DAYS = 90
PORTFOLIO_SCAN_MIN = 50  # client subsets up to this size skip the whole-portfolio exposure scan
ROUND_AMOUNT = Decimal(1000)  # amount+debtor+date clashes on multiples of this are not taken as double financing
TURNOVER_DAYS = 30


def to_money(value: Any) -> Decimal:
    """A SQL sum (Decimal on PostgreSQL, int/float/str on SQLite) as Decimal money; None is zero."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def month_ends(as_of: date, count: int, *, strictly_before: bool = False) -> list[date]:
    """The last ``count`` month-ends on (or strictly before) ``as_of``, oldest first.

    >>> month_ends(date(2026, 11, 30), 2)
    [datetime.date(2026, 10, 31), datetime.date(2026, 11, 30)]
    >>> month_ends(date(2026, 11, 30), 2, strictly_before=True)
    [datetime.date(2026, 9, 30), datetime.date(2026, 10, 31)]
    """
    last = as_of.replace(day=1) - timedelta(days=1)  # end of the previous month
    if not strictly_before and (as_of + timedelta(days=1)).day == 1:
        last = as_of
    out = [last]
    while len(out) < count:
        out.append(out[-1].replace(day=1) - timedelta(days=1))
    return sorted(out)


def _paid_by(d: date) -> ColumnElement[Any]:
    return case((Invoice.paid_date > d, 0), else_=Invoice.paid_amount)


def _is_open(d: date) -> ColumnElement[bool]:
    return and_(Invoice.issue_date <= d, or_(Invoice.paid_date > d, Invoice.paid_amount < Invoice.amount))


def _open_amount(d: date) -> ColumnElement[Any]:
    return case((_is_open(d), Invoice.amount - _paid_by(d)), else_=0)


def _sales(after: date, upto: date) -> ColumnElement[Any]:
    return case((and_(Invoice.issue_date > after, Invoice.issue_date <= upto), Invoice.amount), else_=0)


def _sum(expr: ColumnElement[Any], label: str) -> Any:
    return func.coalesce(func.sum(expr), 0).label(label)


def _ratio(num: Decimal, den: Decimal, quantum: Decimal) -> Decimal | None:
    if den <= 0:
        return None
    return (num / den).quantize(quantum, ROUND_HALF_UP)


async def compute_metrics(
    session: AsyncSession, *, as_of: date, client_ids: Sequence[int] | None = None
) -> dict[int, ClientMetrics]:
    """Metrics for the given clients (all clients when None), keyed by client id."""
    history = month_ends(as_of, 4)
    trailing = month_ends(as_of, 3, strictly_before=True)
    dso_days = sorted({as_of, *history, *trailing})
    turn_a, turn_b = as_of - timedelta(days=TURNOVER_DAYS), as_of - timedelta(days=2 * TURNOVER_DAYS)
    earliest = min([*dso_days, turn_b])

    open_now = _is_open(as_of)
    amount_now = _open_amount(as_of)
    cols: list[Any] = [
        Invoice.client_id,
        _sum(amount_now, "open_amount"),
        _sum(case((open_now, 1), else_=0), "open_count"),
        _sum(case((and_(open_now, Invoice.due_date < as_of), amount_now), else_=0), "overdue_amount"),
        _sum(case((and_(open_now, Invoice.due_date < as_of), 1), else_=0), "overdue_count"),
        func.min(case((and_(open_now, Invoice.due_date < as_of), Invoice.due_date), else_=None)).label("oldest_due"),
        _sum(case((and_(open_now, Invoice.disputed.is_(True)), amount_now), else_=0), "disputed"),
        _sum(case((open_now, func.coalesce(Invoice.advanced_amount, amount_now)), else_=0), "used"),
        _sum(_sales(turn_a, as_of), "sales_t"),
        _sum(_sales(turn_b, turn_a), "sales_tp"),
        _sum(_sales(turn_a - timedelta(days=SPIKE_BASE_DAYS), turn_a), "sales_base"),
        _sum(_open_amount(turn_a), "open_t"),
        _sum(_open_amount(turn_b), "open_tp"),
    ]
    bounds = [as_of - timedelta(days=n) for n in (0, 30, 60, 90)]  # due on/after bounds[i] → bucket i
    cols.append(_sum(case((Invoice.due_date >= bounds[0], amount_now), else_=0), "b0"))
    for i in range(1, 4):
        in_bucket = and_(Invoice.due_date < bounds[i - 1], Invoice.due_date >= bounds[i])
        cols.append(_sum(case((in_bucket, amount_now), else_=0), f"b{i}"))
    cols.append(_sum(case((Invoice.due_date < bounds[3], amount_now), else_=0), "b4"))
    for i, d in enumerate(dso_days):
        cols.append(_sum(_open_amount(d), f"open_{i}"))
        cols.append(_sum(_sales(d - timedelta(days=WINDOW_DAYS), d), f"sales_{i}"))

    oldest_sale = min(earliest - timedelta(days=WINDOW_DAYS), turn_a - timedelta(days=SPIKE_BASE_DAYS))
    relevant = and_(
        Invoice.issue_date <= as_of,
        or_(
            Invoice.issue_date > oldest_sale,
            Invoice.paid_date.is_(None),
            Invoice.paid_date > earliest,
            Invoice.paid_amount < Invoice.amount,
        ),
    )
    stmt = select(*cols).where(relevant).group_by(Invoice.client_id)
    client_stmt = select(Client.id, Client.currency, Client.credit_limit)
    if client_ids is not None:
        ids = list(client_ids)
        stmt = stmt.where(Invoice.client_id.in_(ids))
        client_stmt = client_stmt.where(Client.id.in_(ids))
    clients = {row.id: row for row in (await session.execute(client_stmt)).all()}
    aggregates = {row.client_id: row._mapping for row in (await session.execute(stmt)).all()}
    exposures = await _exposures(session, as_of, client_ids)
    events = await _events(session, as_of, client_ids)
    histories = await _histories(session, as_of, client_ids)
    duplicates = await _duplicates(session, as_of, client_ids)

    out: dict[int, ClientMetrics] = {}
    for cid, client in clients.items():
        agg = aggregates.get(cid, {})
        open_amount = to_money(agg.get("open_amount"))
        dso_at = {
            d: _ratio(to_money(agg.get(f"open_{i}")) * WINDOW_DAYS, to_money(agg.get(f"sales_{i}")), CENT)
            for i, d in enumerate(dso_days)
        }
        trailing_values = [v for d in trailing if (v := dso_at[d]) is not None]
        credit_limit = client.credit_limit
        top = exposures.get(cid, [])
        oldest_due = agg.get("oldest_due")
        if isinstance(oldest_due, str):
            oldest_due = date.fromisoformat(oldest_due)
        out[cid] = ClientMetrics(
            client_id=cid,
            as_of=as_of,
            currency=client.currency,
            open_amount=open_amount,
            open_count=int(agg.get("open_count") or 0),
            aging={name: to_money(agg.get(f"b{i}")) for i, name in enumerate(AGING_BUCKETS)},
            overdue_amount=to_money(agg.get("overdue_amount")),
            overdue_count=int(agg.get("overdue_count") or 0),
            max_days_overdue=(as_of - oldest_due).days if oldest_due else 0,
            dso=dso_at[as_of],
            dso_trailing_avg=(
                (sum(trailing_values, Decimal(0)) / len(trailing_values)).quantize(CENT, ROUND_HALF_UP)
                if trailing_values
                else None
            ),
            dso_history=[(d, v) for d in history if (v := dso_at[d]) is not None],
            turnover=_turnover(agg, "sales_t", "open_t", open_amount),
            turnover_prev=_turnover(agg, "sales_tp", "open_tp", to_money(agg.get("open_t"))),
            concentration=top[0].share if top else None,
            top_debtors=top[:5],
            disputed_share=_ratio(to_money(agg.get("disputed")), open_amount, SHARE),
            credit_limit=credit_limit,
            utilisation=_ratio(to_money(agg.get("used")), credit_limit, SHARE) if credit_limit else None,
            events=events.get(cid, []),
            history=histories.get(cid, History(None, 0, 0, as_of)),
            portfolio_known=client_ids is None or len(client_ids) > PORTFOLIO_SCAN_MIN,
            sales_30=to_money(agg.get("sales_t")) if agg else None,
            sales_monthly_avg=(
                (to_money(agg.get("sales_base")) * TURNOVER_DAYS / SPIKE_BASE_DAYS).quantize(CENT, ROUND_HALF_UP)
                if agg
                else None
            ),
            duplicates=duplicates.get(cid, []),
        )
    return out


async def _histories(session: AsyncSession, as_of: date, client_ids: Sequence[int] | None) -> dict[int, History]:
    stmt = (
        select(
            Invoice.client_id,
            func.min(Invoice.issue_date),
            func.count(Invoice.id),
            _sum(case((and_(Invoice.paid_date.is_not(None), Invoice.paid_date <= as_of), 1), else_=0), "paid"),
        )
        .where(Invoice.issue_date <= as_of)
        .group_by(Invoice.client_id)
    )
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    out: dict[int, History] = {}
    for cid, first, count, paid in (await session.execute(stmt)).all():
        if isinstance(first, str):
            first = date.fromisoformat(first)
        out[cid] = History(first, int(count or 0), int(paid or 0), as_of)
    return out


def _turnover(agg: Any, sales_key: str, start_key: str, end_open: Decimal) -> Decimal | None:
    average = (to_money(agg.get(start_key)) + end_open) / 2
    return _ratio(to_money(agg.get(sales_key)), average, CENT)


async def _exposures(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[DebtorExposure]]:
    amount = _open_amount(as_of)
    stmt = (
        select(Invoice.client_id, Invoice.debtor_id, func.sum(amount).label("open"))
        .where(_is_open(as_of))
        .group_by(Invoice.client_id, Invoice.debtor_id)
    )
    if client_ids is not None:
        stmt = stmt.where(Invoice.client_id.in_(list(client_ids)))
    per_client: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for client_id, debtor_id, open_ in (await session.execute(stmt)).all():
        value = to_money(open_)
        if value > 0:
            per_client[client_id].append((debtor_id, value))
    top_ids: set[int] = set()
    for items in per_client.values():
        items.sort(key=lambda kv: (-kv[1], kv[0]))
        top_ids.update(d for d, _ in items[:5])
    names: dict[int, tuple[str, bool]] = {}
    ids = sorted(top_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for row in (
            await session.execute(select(Debtor.id, Debtor.name, Debtor.is_core).where(Debtor.id.in_(chunk)))
        ).all():
            names[row.id] = (row.name, bool(row.is_core))
    # The whole-portfolio exposure needs a scan of every open invoice: done for sweeps of many clients, skipped
    # for a card or a /flag (``portfolio_known`` False), where the sweep keeps the existing exposure alerts.
    small = client_ids is not None and len(client_ids) <= PORTFOLIO_SCAN_MIN
    whole = {} if small else await _portfolio_by_debtor(session, as_of, sorted(top_ids))
    out: dict[int, list[DebtorExposure]] = {}
    for cid, items in per_client.items():
        total = sum((v for _, v in items), ZERO)
        out[cid] = [
            DebtorExposure(
                debtor_id=d,
                name=names[d][0],
                open_amount=v,
                share=(v / total).quantize(SHARE, ROUND_HALF_UP),
                is_core=names[d][1],
                portfolio_open=whole[d][0] if d in whole else None,
                portfolio_share=whole[d][1] if d in whole else None,
                portfolio_clients=whole[d][2] if d in whole else 0,
            )
            for d, v in items[:5]
        ]
    return out


async def _portfolio_by_debtor(
    session: AsyncSession, as_of: date, debtor_ids: list[int]
) -> dict[int, tuple[Decimal, Decimal, int]]:
    """(open, share of the whole portfolio's open, clients) for ``debtor_ids``, across every client."""
    amount = _open_amount(as_of)
    total = to_money(await session.scalar(select(func.coalesce(func.sum(amount), 0)).where(_is_open(as_of))))
    if total <= 0 or not debtor_ids:
        return {}
    out: dict[int, tuple[Decimal, Decimal, int]] = {}
    for start in range(0, len(debtor_ids), 1000):
        stmt = (
            select(Invoice.debtor_id, func.sum(amount), func.count(func.distinct(Invoice.client_id)))
            .where(_is_open(as_of), Invoice.debtor_id.in_(debtor_ids[start : start + 1000]))
            .group_by(Invoice.debtor_id)
        )
        for debtor_id, open_, clients in (await session.execute(stmt)).all():
            value = to_money(open_)
            out[debtor_id] = (value, (value / total).quantize(SHARE, ROUND_HALF_UP), int(clients))
    return out


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def _matches(row: Any, why: str, key: tuple[Any, ...]) -> bool:
    if why == "number":
        return bool(row.debtor_id == key[0] and row.number == key[1])
    return bool(row.debtor_id == key[0] and to_money(row.amount) == key[1] and _as_date(row.issue_date) == key[2])


async def _duplicates(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[tuple[str, str, str]]]:
    """Open invoices that look financed twice: (number, the other client's name, "number" | "amount_date").

    Two GROUP BYs over open invoices find the suspicious keys; only their few rows are then read."""
    recent = and_(_is_open(as_of), Invoice.issue_date > as_of - timedelta(days=365))
    by_number = (
        select(Invoice.debtor_id, Invoice.number)
        .where(recent)
        .group_by(Invoice.debtor_id, Invoice.number)
        .having(func.count(func.distinct(Invoice.client_id)) > 1)
    )
    by_terms = (
        select(Invoice.debtor_id, Invoice.amount, Invoice.issue_date)
        .where(recent)
        .group_by(Invoice.debtor_id, Invoice.amount, Invoice.issue_date)
        .having(func.count(func.distinct(Invoice.client_id)) > 1)
    )
    if client_ids is not None and len(client_ids) <= PORTFOLIO_SCAN_MIN:  # a card or /flag: these clients' debtors
        mine = select(Invoice.debtor_id).where(Invoice.client_id.in_(list(client_ids))).distinct()
        by_number = by_number.where(Invoice.debtor_id.in_(mine))
        by_terms = by_terms.where(Invoice.debtor_id.in_(mine))
    rows: list[tuple[str, Any]] = []
    keys: list[tuple[str, tuple[Any, ...]]] = []
    for debtor_id, number in (await session.execute(by_number)).all():
        rows.append(("number", and_(Invoice.debtor_id == debtor_id, Invoice.number == number)))
        keys.append(("number", (debtor_id, number)))
    for debtor_id, amount, issued in (await session.execute(by_terms)).all():
        if to_money(amount) % ROUND_AMOUNT == 0:  # two sellers billing one buyer 100,000.00 on a day: coincidence
            continue
        condition = and_(Invoice.debtor_id == debtor_id, Invoice.amount == amount, Invoice.issue_date == issued)
        rows.append(("amount_date", condition))
        keys.append(("amount_date", (debtor_id, to_money(amount), _as_date(issued))))
    out: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    wanted = None if client_ids is None else set(client_ids)
    rows = rows[:500]  # a ledger with hundreds of clashes is a data problem: the first 500 say enough
    for start in range(0, len(rows), 100):  # the clashing invoices, 100 keys per statement
        chunk = rows[start : start + 100]
        found = (
            await session.execute(
                select(
                    Invoice.client_id,
                    Invoice.number,
                    Invoice.debtor_id,
                    Invoice.amount,
                    Invoice.issue_date,
                    Client.name,
                )
                .join(Client, Client.id == Invoice.client_id)
                .where(recent, or_(*(cond for _, cond in chunk)))
            )
        ).all()
        for why, key in keys[start : start + 100]:
            group = [r for r in found if _matches(r, why, key)]
            for r in group:
                if wanted is not None and r.client_id not in wanted:
                    continue
                others = [o.name for o in group if o.client_id != r.client_id] or [r.name]
                if all(n != r.number for n, _, _ in out[r.client_id]):  # one entry per invoice, the first reason
                    out[r.client_id].append((r.number, others[0], why))
    return dict(out)


async def _events(
    session: AsyncSession, as_of: date, client_ids: Sequence[int] | None
) -> dict[int, list[CreditEventView]]:
    since = as_of - timedelta(days=WINDOW_DAYS)
    stmt = (
        select(CreditEvent, Client.name, Debtor.name)
        .outerjoin(Client, Client.id == CreditEvent.client_id)
        .outerjoin(Debtor, Debtor.id == CreditEvent.debtor_id)
        .where(CreditEvent.on > since, CreditEvent.on <= as_of)
        .order_by(CreditEvent.on.desc(), CreditEvent.id.desc())
    )
    rows = (await session.execute(stmt)).all()
    debtor_ids = sorted({ev.debtor_id for ev, _, _ in rows if ev.debtor_id is not None})
    clients_of: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(debtor_ids), 1000):
        pairs = select(Invoice.debtor_id, Invoice.client_id).where(
            Invoice.debtor_id.in_(debtor_ids[start : start + 1000])
        )
        if client_ids is not None:
            pairs = pairs.where(Invoice.client_id.in_(list(client_ids)))
        for debtor_id, client_id in (await session.execute(pairs.distinct())).all():
            clients_of[debtor_id].add(client_id)
    wanted = None if client_ids is None else set(client_ids)
    out: dict[int, list[CreditEventView]] = defaultdict(list)
    for ev, client_name, debtor_name in rows:
        if ev.client_id is not None and (wanted is None or ev.client_id in wanted):
            out[ev.client_id].append(CreditEventView(ev.id, ev.kind, ev.on, "client", client_name or "", None, ev.note))
        if ev.debtor_id is not None:
            view = CreditEventView(ev.id, ev.kind, ev.on, "debtor", debtor_name or "", ev.debtor_id, ev.note)
            for cid in sorted(clients_of.get(ev.debtor_id, ())):
                out[cid].append(view)
    return dict(out)
