"""The client profile card (客户画像): tier, limit, receivables, aging, DSO trend, debtors, alerts, quotes,
objections and the next reminder — the figures in ``data``, the text for a phone screen.

Quotes, objections, reminders, alerts and tiering belong to other skills; each is read through that skill's
public ``api`` module.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.alerts.api import (
    Alert,
    AlertsConfig,
    TierResult,
    assess,
    evaluate,
    finding_of,
    load_metrics,
    local_date,
    open_applications,
    tier_label,
    visible_alerts,
)
from skills.client.messages import MESSAGES
from skills.contract import Officer
from skills.fmt import esc, local_time, money, percent
from skills.i18n import t
from skills.objection.api import count_by_category
from skills.portfolio.api import AGING_BUCKETS, ClientMetrics
from skills.quote.api import last_quotes
from skills.reminders.api import next_reminder
from skills.store.models import Client

__all__ = ["TIER_ICON", "Profile", "build_profile", "open_alert_counts"]

log = logging.getLogger(__name__)

TIER_ICON = {"quality": "🟢", "potential": "🔵", "risk": "🔴"}


class Profile:
    """Text, data and chart of one client's card."""

    def __init__(self, text: str, data: dict[str, Any], chart: bytes | None) -> None:
        self.text, self.data, self.chart = text, data, chart


async def open_alert_counts(session: AsyncSession, client_ids: list[int], now: datetime) -> dict[int, int]:
    """Open (shown) alerts per client, for the client list."""
    if not client_ids:
        return {}
    stmt = (
        select(Alert.client_id, func.count(Alert.id))
        .where(Alert.client_id.in_(client_ids), Alert.state.in_(("open", "acknowledged")))
        .group_by(Alert.client_id)
    )
    return {cid: int(n) for cid, n in (await session.execute(stmt)).all()}


def _days(value: Decimal) -> str:
    return str(value.quantize(Decimal(1)))


async def build_profile(
    session: AsyncSession, officer: Officer, client: Client, now: datetime, config: AlertsConfig, *, chart: bool = True
) -> Profile:
    """Assemble the card for ``client`` (visibility already checked by the caller)."""
    lang = officer.language
    metrics = (await load_metrics(session, [(client.id, officer.timezone)], now)).get(client.id)
    lines = [t(MESSAGES, "title", lang, name=esc(client.name))]
    data: dict[str, Any] = {
        "client_id": client.id,
        "client": client.name,
        "as_of": local_date(now, officer.timezone).isoformat(),
    }
    findings = evaluate(metrics, config) if metrics else []
    tier = assess(metrics, findings, config) if metrics else TierResult(client.tier)
    reason = tier.reason_text(lang) if metrics else esc(client.tier_reason or "—")
    lines.append(
        t(
            MESSAGES,
            "tier",
            lang,
            icon=TIER_ICON.get(tier.tier, "⚪"),
            tier=tier_label(tier.tier, lang),
            reason=reason,
        )
    )
    data["tier"] = {"tier": tier.tier, "reason": reason, "stored": client.tier}
    image: bytes | None = None
    if metrics is None or (metrics.open_count == 0 and metrics.dso is None):
        lines.append(t(MESSAGES, "no_data", lang))
    else:
        lines += _figures(metrics, lang, data)
        if chart and metrics.open_amount > 0:
            from skills.render import render_off_loop

            image = await render_off_loop(_aging_chart, metrics.aging, metrics.currency, lang, client.name)
    lines += await _alerts(session, officer, client, now, lang, data)
    lines += await _quotes(session, client, officer, lang, data)
    lines += await _objections(session, client, lang, data)
    lines += await _reminder(session, client, officer, now, lang, data)
    lines += await _applications(session, client, officer, now, lang, data)
    return Profile("\n".join(lines), data, image)


def _aging_chart(aging: dict[str, Decimal], currency: str, lang: str, title_name: str) -> bytes:
    from skills.client.chart import aging_chart  # imported on the chart thread: matplotlib stays off the event loop

    return aging_chart(aging, currency, lang, title_name)


def _figures(m: ClientMetrics, lang: str, data: dict[str, Any]) -> list[str]:
    cur = m.currency
    lines: list[str] = []
    if m.credit_limit is not None and m.utilisation is not None:
        lines.append(
            t(
                MESSAGES,
                "limit",
                lang,
                limit=money(m.credit_limit, cur, lang),
                util=percent(m.utilisation, lang, places=1),
            )
        )
    else:
        lines.append(t(MESSAGES, "no_limit", lang))
    lines.append(
        t(
            MESSAGES,
            "open",
            lang,
            amount=money(m.open_amount, cur, lang),
            count=m.open_count,
            overdue=money(m.overdue_amount, cur, lang),
            overdue_count=m.overdue_count,
        )
    )
    buckets = []
    for b in AGING_BUCKETS:
        label = t(MESSAGES, "bucket.current", lang) if b == "current" else t(MESSAGES, "bucket.days", lang, b=b)
        buckets.append(f"{label} {money(m.aging.get(b, Decimal(0)), cur, lang)}")
    lines.append(t(MESSAGES, "aging", lang, buckets=" · ".join(buckets)))
    if m.dso is not None:
        points = " → ".join(_days(v) for _, v in m.dso_history)
        trend = t(MESSAGES, "trend", lang, points=points) if len(m.dso_history) > 1 else ""
        if m.dso_trailing_avg is not None:
            lines.append(t(MESSAGES, "dso", lang, dso=_days(m.dso), avg=_days(m.dso_trailing_avg), trend=trend))
        else:
            lines.append(t(MESSAGES, "dso_only", lang, dso=_days(m.dso), trend=trend))
    else:
        lines.append(t(MESSAGES, "dso_none", lang))
    if m.top_debtors:
        items = [
            f"{esc(d.name)} {percent(d.share, lang, places=0)}{t(MESSAGES, 'core', lang) if d.is_core else ''}"
            for d in m.top_debtors[:3]
        ]
        lines.append(t(MESSAGES, "top_debtors", lang, items=", ".join(items)))
    data.update(
        {
            "currency": cur,
            "credit_limit": str(m.credit_limit) if m.credit_limit is not None else None,
            "utilisation": str(m.utilisation) if m.utilisation is not None else None,
            "open_amount": str(m.open_amount),
            "open_count": m.open_count,
            "overdue_amount": str(m.overdue_amount),
            "overdue_count": m.overdue_count,
            "max_days_overdue": m.max_days_overdue,
            "aging": {b: str(m.aging.get(b, Decimal(0))) for b in AGING_BUCKETS},
            "dso": str(m.dso) if m.dso is not None else None,
            "dso_trailing_avg": str(m.dso_trailing_avg) if m.dso_trailing_avg is not None else None,
            "dso_history": [[d.isoformat(), str(v)] for d, v in m.dso_history],
            "top_debtors": [
                {"name": d.name, "share": str(d.share), "open": str(d.open_amount), "core": d.is_core}
                for d in m.top_debtors
            ],
        }
    )
    return lines


async def _alerts(
    session: AsyncSession, officer: Officer, client: Client, now: datetime, lang: str, data: dict[str, Any]
) -> list[str]:
    rows = await visible_alerts(session, officer, now, client_id=client.id, limit=20)
    red = sum(1 for a, _ in rows if a.severity == "red")
    data["alerts"] = [{"id": a.id, "rule": a.rule, "severity": a.severity, "state": a.state} for a, _ in rows]
    if not rows:
        return [t(MESSAGES, "alerts_none", lang)]
    lines = [t(MESSAGES, "alerts", lang, red=red, yellow=len(rows) - red)]
    lines += [f"  {finding_of(a).text(lang, client.name)}" for a, _ in rows[:3]]
    return lines


async def _quotes(
    session: AsyncSession, client: Client, officer: Officer, lang: str, data: dict[str, Any]
) -> list[str]:
    quotes = await last_quotes(session, client.id, limit=3)
    data["quotes"] = [getattr(q, "id", None) for q in quotes]
    if not quotes:
        return []
    lines = [t(MESSAGES, "quotes", lang)]
    for q in quotes:
        try:
            lines.append(
                t(
                    MESSAGES,
                    "quote_line",
                    lang,
                    date=local_time(q.created_at, officer.timezone, lang),
                    face=money(q.face_value, q.currency, lang),
                    days=q.tenor_days,
                    net=money(q.net_at_funding, q.currency, lang),
                    eac=percent(q.effective_annual_cost, lang),
                )
            )
        except (AttributeError, TypeError):  # another shape of quote row: leave it out rather than fail the card
            log.debug("quote row without the expected fields: %r", q)
    return lines if len(lines) > 1 else []


async def _objections(session: AsyncSession, client: Client, lang: str, data: dict[str, Any]) -> list[str]:
    counts: dict[str, int] = dict(await count_by_category(session, client.id))
    data["objections"] = counts
    if not counts:
        return []
    items = ", ".join(f"{esc(k)} ×{n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return [t(MESSAGES, "objections", lang, items=items)]


async def _applications(
    session: AsyncSession, client: Client, officer: Officer, now: datetime, lang: str, data: dict[str, Any]
) -> list[str]:
    """Open financing applications with their first-feedback deadline (the SLA)."""
    apps = await open_applications(session, client.id)
    data["applications"] = [
        {
            "id": a.id,
            "amount": str(a.amount) if a.amount is not None else None,
            "feedback_due_at": a.feedback_due_at.isoformat(),
            "missed": a.feedback_due_at <= now,
        }
        for a in apps
    ]
    lines: list[str] = []
    for a in apps[:3]:
        key = "application_missed" if a.feedback_due_at <= now else "application"
        amount = money(a.amount, a.currency, lang) if a.amount is not None else ""
        lines.append(
            t(MESSAGES, key, lang, amount=amount, due=local_time(a.feedback_due_at, officer.timezone, lang)).replace(
                "  ", " "
            )
        )
    return lines


async def _reminder(
    session: AsyncSession, client: Client, officer: Officer, now: datetime, lang: str, data: dict[str, Any]
) -> list[str]:
    reminder = await next_reminder(session, client_id=client.id, now=now)
    visible = officer.visible_officer_ids()
    if reminder is None or (visible is not None and reminder.officer_id not in visible):
        return []
    data["next_reminder"] = {"id": reminder.id, "due_at": reminder.due_at.isoformat()}
    when = local_time(reminder.due_at, officer.timezone, lang)
    return [t(MESSAGES, "next_reminder", lang, when=when, text=esc(reminder.text))]
