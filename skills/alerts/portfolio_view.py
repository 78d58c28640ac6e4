"""``/portfolio`` for managers and admins: exposure by debtor across clients, red/yellow counts by officer and
by tier, the top movers this week, and a chart. Everything within what the caller may see (team / all)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from skills.alerts.messages import MESSAGES
from skills.alerts.models import LIVE_STATES, Alert, TierChange
from skills.alerts.schedule import local_date
from skills.contract import Reply, Request
from skills.fmt import esc, money
from skills.i18n import t
from skills.portfolio.api import Debtor, Invoice, to_money
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

__all__ = ["PortfolioSection", "answer_portfolio", "register_portfolio_section"]

_TOP_DEBTORS = 8
_TOP_MOVERS = 5
_SHARE = Decimal("0.0001")


def _open_now(as_of: Any) -> Any:
    return or_(Invoice.paid_date.is_(None), Invoice.paid_date > as_of, Invoice.paid_amount < Invoice.amount)


async def _exposure(request: Request, visible: tuple[int, ...] | None) -> tuple[list[dict[str, Any]], Decimal]:
    as_of = local_date(request.now, request.officer.timezone)
    open_amount = Invoice.amount - func.coalesce(Invoice.paid_amount, 0)
    stmt = (
        select(
            Debtor.id,
            Debtor.name,
            Debtor.is_core,
            func.sum(open_amount),
            func.count(func.distinct(Invoice.client_id)),
        )
        .join(Debtor, Debtor.id == Invoice.debtor_id)
        .join(Client, Client.id == Invoice.client_id)
        .where(Invoice.issue_date <= as_of, _open_now(as_of))
        .group_by(Debtor.id, Debtor.name, Debtor.is_core)
    )
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    rows = [(d, n, core, to_money(v), int(c)) for d, n, core, v, c in (await request.db.execute(stmt)).all()]
    total = sum((r[3] for r in rows), Decimal("0.00"))
    rows.sort(key=lambda r: (-r[3], r[1]))
    out = [
        {
            "debtor_id": d,
            "debtor": n,
            "core": bool(core),
            "open": str(v),
            "share": str((v / total).quantize(_SHARE)) if total else "0",
            "clients": c,
        }
        for d, n, core, v, c in rows[:_TOP_DEBTORS]
    ]
    return out, total


async def _counts(
    request: Request, visible: tuple[int, ...] | None
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    stmt = (
        select(Alert.severity, Client.officer_id, Client.tier)
        .join(Client, Client.id == Alert.client_id)
        .where(Alert.state.in_(LIVE_STATES))
    )
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    by_officer: dict[str, Counter[str]] = defaultdict(Counter)
    by_tier: dict[str, Counter[str]] = defaultdict(Counter)
    names = {o.id: o.name or str(o.id) for o in (await request.db.scalars(select(OfficerRow))).all()}
    for severity, officer_id, tier in (await request.db.execute(stmt)).all():
        by_officer[names.get(officer_id, str(officer_id))][severity] += 1
        by_tier[tier][severity] += 1
    return by_officer, by_tier


async def _movers(request: Request, visible: tuple[int, ...] | None) -> list[dict[str, Any]]:
    """Clients that moved this week: tier changes, and new or worsened reds (most first)."""
    since = request.now - timedelta(days=7)
    score: dict[int, dict[str, Any]] = {}
    changes = select(TierChange, Client).join(Client, Client.id == TierChange.client_id).where(TierChange.at > since)
    reds = (
        select(Alert, Client)
        .join(Client, Client.id == Alert.client_id)
        .where(
            Alert.state.in_(LIVE_STATES),
            Alert.severity == "red",
            or_(Alert.first_seen > since, Alert.worsened_at > since),
        )
    )
    if visible is not None:
        changes = changes.where(Client.officer_id.in_(visible))
        reds = reds.where(Client.officer_id.in_(visible))
    for change, client in (await request.db.execute(changes.order_by(TierChange.at))).all():
        entry = score.setdefault(
            client.id, {"client_id": client.id, "client": client.name, "from": None, "to": None, "new_reds": 0}
        )
        entry["from"] = entry["from"] or change.old
        entry["to"] = change.new
    for _, client in (await request.db.execute(reds)).all():
        entry = score.setdefault(
            client.id, {"client_id": client.id, "client": client.name, "from": None, "to": None, "new_reds": 0}
        )
        entry["new_reds"] += 1
    rank = {"risk": 2, "potential": 1, "quality": 0}
    moved = [m for m in score.values() if m["new_reds"] or (m["from"] and m["from"] != m["to"])]
    moved.sort(
        key=lambda m: (-(rank.get(m["to"] or "", 0) - rank.get(m["from"] or "", 0)), -m["new_reds"], m["client"])
    )
    return moved[:_TOP_MOVERS]


def _tier(tier: str | None, lang: str) -> str:
    return t(MESSAGES, f"tier.{tier}", lang) if tier and f"tier.{tier}" in MESSAGES else esc(tier or "—")


# Sections other skills add to the view (client feedback, say): (request, visible officer ids) → (lines, data).
PortfolioSection = Callable[[Request, "tuple[int, ...] | None"], Awaitable[tuple[list[str], dict[str, Any]]]]
_SECTIONS: dict[str, PortfolioSection] = {}


def register_portfolio_section(name: str, provider: PortfolioSection) -> None:
    """Add (or replace) a section shown after the built-in ones, in registration order."""
    _SECTIONS[name] = provider


async def answer_portfolio(request: Request) -> Reply:
    """The portfolio view (the command is offered to managers and admins only)."""
    lang, officer = request.lang, request.officer
    visible = officer.visible_officer_ids()
    exposure, total = await _exposure(request, visible)
    by_officer, by_tier = await _counts(request, visible)
    movers = await _movers(request, visible)
    currency = "CNY"
    lines = [t(MESSAGES, "pf.title", lang, total=money(total, currency, lang))]
    lines.append(f"\n<b>{t(MESSAGES, 'pf.exposure', lang)}</b>")
    for i, row in enumerate(exposure, start=1):
        core = t(MESSAGES, "pf.core", lang) if row["core"] else ""
        lines.append(
            t(
                MESSAGES,
                "pf.exposure_line",
                lang,
                i=i,
                debtor=esc(row["debtor"]),
                core=core,
                amount=money(Decimal(row["open"]), currency, lang),
                share=f"{Decimal(row['share']) * 100:.1f}%",
                clients=row["clients"],
            )
        )
    if not exposure:
        lines.append(t(MESSAGES, "pf.none", lang))
    lines.append(f"\n<b>{t(MESSAGES, 'pf.by_officer', lang)}</b>")
    for name, c in sorted(by_officer.items(), key=lambda kv: (-kv[1]["red"], -kv[1]["yellow"], kv[0])):
        lines.append(t(MESSAGES, "pf.count_line", lang, name=esc(name), red=c["red"], yellow=c["yellow"]))
    if not by_officer:
        lines.append(t(MESSAGES, "pf.none", lang))
    lines.append(f"\n<b>{t(MESSAGES, 'pf.by_tier', lang)}</b>")
    for tier in ("risk", "potential", "quality"):
        c = by_tier.get(tier, Counter())
        lines.append(t(MESSAGES, "pf.count_line", lang, name=_tier(tier, lang), red=c["red"], yellow=c["yellow"]))
    lines.append(f"\n<b>{t(MESSAGES, 'pf.movers', lang)}</b>")
    for m in movers:
        tier = (
            t(MESSAGES, "pf.tier_move", lang, old=_tier(m["from"], lang), new=_tier(m["to"], lang)) if m["from"] else ""
        )
        reds = t(MESSAGES, "pf.new_reds", lang, n=m["new_reds"]) if m["new_reds"] else ""
        parts = t(MESSAGES, "reason.join", lang).join(p for p in (tier, reds) if p)
        lines.append(f"• {esc(m['client'])}{t(MESSAGES, 'sep', lang)}{parts}")
    if not movers:
        lines.append(t(MESSAGES, "pf.no_movers", lang))
    extra: dict[str, Any] = {}
    for provider in _SECTIONS.values():
        more_lines, more_data = await provider(request, visible)
        lines.extend(more_lines)
        extra.update(more_data)
    image = None
    if exposure:
        from skills.render import render_off_loop

        bars = [(row["debtor"], Decimal(row["open"])) for row in exposure]
        image = await render_off_loop(_exposure_chart, bars, currency, lang)
    data = {
        "total_open": str(total),
        "exposure": exposure,
        "by_officer": {k: dict(v) for k, v in by_officer.items()},
        "by_tier": {k: dict(v) for k, v in by_tier.items()},
        "movers": movers,
        "chart_png_bytes": len(image) if image else 0,
        **extra,
    }
    return Reply(text="\n".join(lines), image=image, image_name="portfolio.png", data=data, intent="portfolio")


def _exposure_chart(bars: list[tuple[str, Decimal]], currency: str, lang: str) -> bytes:
    from skills.alerts.portfolio_chart import exposure_chart  # on the chart thread: matplotlib off the event loop

    return exposure_chart(bars, currency, lang)
