"""Reminder operations other skills use (create, next) and the dispatcher's pickup of due reminders.

``pickup`` claims due occurrences and enqueues their pushes in ONE transaction, with the idempotency
key ``reminder:<id>:<due iso>``, so a reminder is pushed exactly once even with several instances and
even when an instance dies between claim and enqueue (the transaction rolls back and nothing is lost).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Button, Services, payload
from skills.fmt import esc, local_time
from skills.i18n import t
from skills.reminders.messages import MESSAGES
from skills.reminders.models import ACTIVE, Reminder
from skills.reminders.recurrence import WORKDAYS, next_occurrence, validate
from skills.reminders.repository import Claimed, claim_due
from skills.reminders.timewords import WEEKDAY_CODES
from skills.store.models import Client, OutboxMessage
from skills.store.models import Officer as OfficerRow
from skills.store.outbox import buttons_to_json
from skills.store.session import unit_of_work

__all__ = [
    "create_reminder",
    "describe_rule",
    "hhmm",
    "next_reminder",
    "pickup",
    "push_buttons",
    "quiet_release",
]

log = logging.getLogger(__name__)

_ZH_DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def hhmm(value: str) -> time:
    """``"09:00"`` → ``time(9, 0)``."""
    h, m = value.split(":")
    return time(int(h), int(m))


async def create_reminder(
    session: AsyncSession,
    *,
    officer_id: int,
    text: str,
    due_at: datetime,
    client_id: int | None = None,
    recurrence: str | None = None,
    source: str = "chat",
    urgent: bool = False,
    tz: str | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> int:
    """Store a reminder due at ``due_at`` (aware) for ``officer_id`` and return its id (flushes, never commits).

    Used by the chat flow, the alerts skill's "Remind me" button and the client profile. The series of
    a recurring reminder (an RRULE body or ``"WORKDAYS"``) is expanded in the officer's timezone.
    """
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    if recurrence:
        validate(recurrence)
    officer = await session.get(OfficerRow, officer_id)
    zone = tz or (officer.timezone if officer and officer.timezone else None) or "Asia/Shanghai"
    language = lang or (officer.language if officer and officer.language else None) or "en"
    row = Reminder(
        officer_id=officer_id,
        client_id=client_id,
        text=text,
        due_at=due_at,
        recurrence=recurrence,
        tz=zone,
        lang=language,
        urgent=urgent,
        state=ACTIVE,
        source=source,
        fired_count=0,
    )
    if now is not None:
        row.created_at = now
    session.add(row)
    await session.flush()
    return row.id


async def next_reminder(
    session: AsyncSession, *, officer_id: int | None = None, client_id: int | None = None, now: datetime
) -> Reminder | None:
    """The soonest pending reminder (of an officer and/or about a client) due at or after ``now``."""
    stmt = select(Reminder).where(Reminder.state == ACTIVE, Reminder.due_at >= now)
    if officer_id is not None:
        stmt = stmt.where(Reminder.officer_id == officer_id)
    if client_id is not None:
        stmt = stmt.where(Reminder.client_id == client_id)
    return (await session.scalars(stmt.order_by(Reminder.due_at, Reminder.id).limit(1))).first()


def describe_rule(rule: str, lang: str) -> str:
    """A recurrence in words: ``FREQ=WEEKLY;BYDAY=FR`` → "every Friday" / "每周五"."""
    if rule == WORKDAYS:
        return t(MESSAGES, "rule.workdays", lang)
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq == "DAILY":
        return t(MESSAGES, "rule.daily", lang)
    if freq == "WEEKLY" and parts.get("BYDAY") == "MO,TU,WE,TH,FR":
        return t(MESSAGES, "rule.weekdays", lang)
    if freq == "WEEKLY" and "BYDAY" in parts:
        idx = [WEEKDAY_CODES.index(d) for d in parts["BYDAY"].split(",") if d in WEEKDAY_CODES]
        names = [(_ZH_DAYS if lang == "zh" else _EN_DAYS)[i] for i in idx]
        return t(MESSAGES, "rule.weekly", lang, days=("、" if lang == "zh" else ", ").join(names))
    if freq == "MONTHLY" and parts.get("BYMONTHDAY") == "-1":
        return t(MESSAGES, "rule.monthly_last", lang)
    if freq == "MONTHLY" and "BYMONTHDAY" in parts:
        return t(MESSAGES, "rule.monthly", lang, day=parts["BYMONTHDAY"])
    return t(MESSAGES, "rule.other", lang, rule=esc(rule))


def push_buttons(reminder_id: int, client_id: int | None, lang: str, services: Services) -> list[list[Button]]:
    """Done / Snooze (configured minutes, tomorrow, pick) / Client profile."""
    cfg = services.config.reminders
    snoozes = []
    for minutes in cfg.snooze_minutes:
        label = (
            t(MESSAGES, "btn.snooze_hour", lang, n=minutes // 60)
            if minutes % 60 == 0
            else t(MESSAGES, "btn.snooze_min", lang, n=minutes)
        )
        snoozes.append(Button(label, payload("reminders", "snz", reminder_id, minutes)))
    rows = [
        [Button(t(MESSAGES, "btn.done", lang), payload("reminders", "done", reminder_id))],
        snoozes,
        [
            Button(t(MESSAGES, "btn.snooze_tomorrow", lang, time=cfg.tomorrow_time), payload("reminders", "snz", reminder_id, "tmr")),
            Button(t(MESSAGES, "btn.snooze_pick", lang), payload("reminders", "snz", reminder_id, "pick")),
        ],
    ]
    if client_id is not None:
        rows.append([Button(t(MESSAGES, "btn.client", lang), payload("client", "show", client_id))])
    return rows


def quiet_release(now: datetime, tz: str, start: str | None, end: str | None) -> datetime | None:
    """When quiet hours (local ``start``–``end``, may span midnight) end, if ``now`` falls inside them; else None.

    >>> from datetime import UTC
    >>> quiet_release(datetime(2026, 11, 30, 15, tzinfo=UTC), "Asia/Shanghai", "22:00", "08:00").isoformat()
    '2026-12-01T08:00:00+08:00'
    """
    if not start or not end or start == end:
        return None
    local = now.astimezone(ZoneInfo(tz))
    s, e, clock = hhmm(start), hhmm(end), local.time().replace(tzinfo=None)
    inside = s <= clock < e if s < e else (clock >= s or clock < e)
    if not inside:
        return None
    release = datetime.combine(local.date(), e, tzinfo=local.tzinfo)
    return release if release > local else release + timedelta(days=1)


def _idempotency_key(reminder_id: int, due: datetime) -> str:
    return f"reminder:{reminder_id}:{due.astimezone(ZoneInfo('UTC')).strftime('%Y-%m-%dT%H:%M:%SZ')}"


async def _render(session: AsyncSession, claimed: list[Claimed], services: Services, now: datetime) -> None:
    cfg = services.config
    client_ids = {c.reminder.client_id for c in claimed if c.reminder.client_id is not None}
    names: dict[int, str] = {}
    if client_ids:
        names = dict((await session.execute(select(Client.id, Client.name).where(Client.id.in_(client_ids)))).all())  # type: ignore[arg-type]
    late_after = timedelta(seconds=cfg.reminders.late_after_seconds)
    pushes: list[dict[str, Any]] = []
    for c in claimed:
        r, o = c.reminder, c.officer
        lang = o.language or r.lang or cfg.default_language
        tz = o.timezone or r.tz or cfg.default_timezone
        lines = [t(MESSAGES, "push", lang, task=esc(r.text) or t(MESSAGES, "no_task", lang))]
        if r.client_id in names:
            lines.append(t(MESSAGES, "set_client", lang, client=esc(names[r.client_id])))
        if now - c.due > late_after:
            lines.append(t(MESSAGES, "push_late", lang, time=local_time(c.due, tz, lang)))
        else:
            lines.append(t(MESSAGES, "push_due", lang, when=local_time(c.due, tz, lang)))
        if r.recurrence:
            lines.append(t(MESSAGES, "repeat", lang, rule=describe_rule(r.recurrence, lang)))
        hold = None if r.urgent else quiet_release(now, tz, o.quiet_start, o.quiet_end)
        due = hold or c.due
        pushes.append({
            "chat_id": r.officer_id, "kind": "reminder", "ref": f"reminder:{r.id}",
            "idempotency_key": _idempotency_key(r.id, c.due), "text": "\n".join(lines),
            "buttons": buttons_to_json(push_buttons(r.id, r.client_id, lang, services)), "image": None,
            "due_at": due, "next_attempt_at": due, "state": "pending", "attempts": 0, "created_at": now,
        })
    await _enqueue_many(session, pushes)


async def _enqueue_many(session: AsyncSession, pushes: list[dict[str, Any]]) -> None:
    """Queue many pushes in the caller's transaction: ``outbox.enqueue`` semantics, one statement per chunk.

    Like ``enqueue``, a push whose idempotency key is already queued is skipped (``ON CONFLICT DO NOTHING``
    on the unique key, so a concurrent instance inserting the same key is harmless too). One round trip per
    chunk instead of four per push keeps 10,000 due reminders from taking minutes.
    """
    if not pushes:
        return
    dialect = session.get_bind().dialect.name
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(pushes), 500):
        stmt = insert_(OutboxMessage).on_conflict_do_nothing(index_elements=["idempotency_key"])
        await session.execute(stmt, pushes[start : start + 500])


async def pickup(services: Services, now: datetime) -> None:
    """Claim every due reminder and enqueue its push (the dispatcher's ``reminders.pickup`` job)."""
    cfg = services.config
    country = cfg.holiday_country

    def following(r: Reminder, at: datetime) -> datetime:
        assert r.recurrence is not None
        return next_occurrence(r.recurrence, r.due_at, r.tz, after=at, country=country)

    for _ in range(cfg.reminders.pickup_max_batches):
        async with unit_of_work(services.sessionmaker) as session:
            claimed = await claim_due(session, now, cfg.reminders.pickup_batch, following)
            if claimed:
                await _render(session, claimed, services, now)
        if len(claimed) < cfg.reminders.pickup_batch:
            return
