"""The application SLA (seed §1.2): first feedback on a financing application within N working days.

Recording an application stores it with its deadline (``application_feedback_days`` working days after the
officer-local day it was received, at ``application_feedback_at`` local; weekends, holidays and 调休 counted
through the reminders skill's workday helpers) and a reminder on the morning of the due day. A periodic job
escalates a missed deadline once: a push to the officer's manager (or, without one, the admins), and to
the officer.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from skills.alerts.messages import MESSAGES
from skills.alerts.models import Application
from skills.alerts.schedule import parse_hhmm
from skills.alerts.workcal import add_working_days, country_for
from skills.contract import Button, Services, payload
from skills.fmt import esc, local_time, money
from skills.i18n import t
from skills.portfolio.api import CellError, parse_amount
from skills.reminders.api import create_reminder
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow
from skills.store.outbox import enqueue
from skills.store.session import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from skills.config import SkillsConfig

__all__ = [
    "ESCALATE_TICK_SECONDS",
    "application_buttons",
    "escalate_missed",
    "feedback_due",
    "open_applications",
    "parse_amount_in",
    "record_application",
]

log = logging.getLogger(__name__)
ESCALATE_TICK_SECONDS = 300.0
_AMOUNT_AT_END = re.compile(
    r"(?:^|\s)(?P<amount>(?:¥|￥|\$|rmb|cny)?\s*\d[\d,]*(?:\.\d+)?\s*(?:万|亿|k|m)?\s*(?:元|rmb|cny)?)\s*$", re.I
)


def feedback_due(received: datetime, tz: str, country: str, days: int, at: str) -> datetime:
    """The first-feedback deadline (UTC): ``days`` working days after the local day ``received``, at ``at``.

    >>> from datetime import UTC, datetime
    >>> feedback_due(datetime(2026, 9, 30, 2, 0, tzinfo=UTC), "Asia/Shanghai", "CN", 3, "18:00")  # Wed before 国庆
    datetime.datetime(2026, 10, 10, 10, 0, tzinfo=datetime.timezone.utc)

    (Thu 8 Oct, Fri 9 Oct and the 调休 Saturday 10 Oct are the three working days.)
    """
    zone = ZoneInfo(tz)
    day: date = add_working_days(received.astimezone(zone).date(), days, country)
    return datetime.combine(day, parse_hhmm(at) or time(18, 0), tzinfo=zone).astimezone(UTC)


def parse_amount_in(text: str) -> Decimal | None:
    """The amount at the end of ``/apply <client> [amount]``: ``Acme 500万`` → 5,000,000; none → None.

    >>> parse_amount_in("Acme 500万"), parse_amount_in("华东纺织 1.2m"), parse_amount_in("Acme Trading")
    (Decimal('5000000.00'), Decimal('1200000.00'), None)
    """
    match = _AMOUNT_AT_END.search(text.strip())
    if not match:
        return None
    try:
        return parse_amount(match["amount"].strip())
    except CellError:
        return None


async def record_application(
    session: AsyncSession,
    config: SkillsConfig,
    *,
    officer_id: int,
    client: Client,
    amount: Decimal | None,
    received_at: datetime,
    tz: str,
    lang: str,
    source: str = "chat",
    reminder: bool = True,
) -> Application:
    """Store an application and its first-feedback reminder (flushes, never commits)."""
    country = country_for(tz, lang, config.holiday_country)
    cfg = config.alerts
    due = feedback_due(received_at, tz, country, cfg.application_feedback_days, cfg.application_feedback_at)
    row = Application(
        client_id=client.id,
        officer_id=officer_id,
        amount=amount,
        currency=client.currency,
        received_at=received_at,
        feedback_due_at=due,
        state="open",
        source=source,
        note="",
    )
    session.add(row)
    await session.flush()
    if reminder:
        zone = ZoneInfo(tz)
        morning = datetime.combine(due.astimezone(zone).date(), parse_hhmm(cfg.remind_at) or time(9, 0), tzinfo=zone)
        when = max(morning.astimezone(UTC), received_at)
        text = t(MESSAGES, "apply.reminder", lang, client=client.name, time=due.astimezone(zone).strftime("%H:%M"))
        row.reminder_id = await create_reminder(
            session,
            officer_id=officer_id,
            text=text,
            due_at=when,
            client_id=client.id,
            source="application",
            now=received_at,
        )
    return row


def application_buttons(application_id: int, client_id: int, lang: str, *, own: bool = True) -> list[list[Button]]:
    """✅ Feedback given (for the officer who owns it) · 👤 Client profile."""
    row = [Button(t(MESSAGES, "btn.profile", lang), payload("client", "show", client_id))]
    if own:
        row.insert(0, Button(t(MESSAGES, "btn.app_done", lang), payload("alerts", "appdone", application_id)))
    return [row]


async def open_applications(session: AsyncSession, client_id: int) -> list[Application]:
    """The client's open applications, soonest deadline first."""
    stmt = (
        select(Application)
        .where(Application.client_id == client_id, Application.state == "open")
        .order_by(Application.feedback_due_at, Application.id)
    )
    return list((await session.scalars(stmt)).all())


async def escalate_missed(services: Services, now: datetime) -> None:
    """The periodic job: escalate every open application whose first-feedback deadline has passed, once."""
    if not services.config.alerts.escalate_missed_applications:
        return
    async with unit_of_work(services.sessionmaker) as session:
        stmt = (
            select(Application, Client)
            .join(Client, Client.id == Application.client_id)
            .where(Application.state == "open", Application.escalated_at.is_(None), Application.feedback_due_at <= now)
        )
        rows = (await session.execute(stmt)).all()
        if not rows:
            return
        officers = {o.id: o for o in (await session.scalars(select(OfficerRow))).all()}
        admins = [o for o in officers.values() if o.role == "admin" and o.active]
        for app, client in rows:
            app.escalated_at = now
            owner = officers.get(app.officer_id)
            boss = officers.get(owner.manager_id) if owner is not None and owner.manager_id else None
            targets = [boss] if boss is not None and boss.active else [a for a in admins if a.id != app.officer_id]
            if owner is not None and owner.active:
                targets.append(owner)
            for target in targets:
                lang = target.language or services.config.default_language
                tz = target.timezone or services.config.default_timezone
                amount = money(app.amount, app.currency, lang) if app.amount is not None else ""
                key = "apply.escalated_self" if target is owner else "apply.escalated"
                text = t(
                    MESSAGES,
                    key,
                    lang,
                    client=esc(client.name),
                    amount=amount,
                    officer=esc(owner.name if owner else str(app.officer_id)),
                    due=local_time(app.feedback_due_at, tz, lang),
                )
                await enqueue(
                    session,
                    chat_id=target.id,
                    kind="escalation",
                    text=text,
                    due_at=now,
                    idempotency_key=f"app-escalate:{app.id}:{target.id}",
                    buttons=application_buttons(app.id, client.id, lang, own=target is owner),
                    ref=f"application:{app.id}",
                )
    log.info("applications escalated: %d", len(rows))
