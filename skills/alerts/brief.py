"""The morning brief: one message per officer at a local time they choose, on working days (调休 aware).

``send_briefs`` is a periodic job (every minute): it finds the officers whose brief is due now — their time
has come today (officer-local), within ``brief_window_minutes``, not during quiet hours, on a working day
when ``brief_workdays_only`` — builds all their briefs together from the section providers
(:mod:`skills.alerts.brief_sections`) and queues each through the outbox with the idempotency key
``brief:<officer>:<local date>``, so a brief goes out at most once per officer per day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from skills.alerts.brief_sections import BriefBatch, BriefOfficer, sections
from skills.alerts.messages import MESSAGES
from skills.alerts.models import OfficerBrief
from skills.alerts.schedule import parse_hhmm, push_due_at
from skills.alerts.workcal import country_for, working_day
from skills.contract import Button, Services, payload
from skills.i18n import t
from skills.store.models import Officer as OfficerRow
from skills.store.outbox import enqueue
from skills.store.session import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from skills.config import SkillsConfig

__all__ = ["BRIEF_TICK_SECONDS", "Brief", "brief_due", "brief_setting", "build_briefs", "send_briefs", "set_brief"]

log = logging.getLogger(__name__)
BRIEF_TICK_SECONDS = 60.0
_ZH_DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(slots=True)
class Brief:
    """One officer's brief: the message text, buttons, and the figures per section."""

    officer_id: int
    text: str
    buttons: list[list[Button]]
    data: dict[str, Any]


def _tz(row: OfficerRow, config: SkillsConfig) -> str:
    return row.timezone or config.default_timezone


def _lang(row: OfficerRow, config: SkillsConfig) -> str:
    return row.language or config.default_language


def brief_due(row: OfficerRow, setting: OfficerBrief | None, now: datetime, config: SkillsConfig) -> date | None:
    """The officer-local date whose brief is due now, or None (see the module docstring for the rules)."""
    cfg = config.alerts
    enabled = setting.enabled if setting is not None else cfg.brief_enabled
    if not enabled or not row.active:
        return None
    tz = _tz(row, config)
    local = now.astimezone(ZoneInfo(tz))
    today = local.date()
    if setting is not None and setting.last_brief_on == today:
        return None
    country = country_for(tz, row.language, config.holiday_country)
    if cfg.brief_workdays_only and not working_day(today, country):
        return None
    at = parse_hhmm((setting.at if setting is not None else None) or cfg.brief_at) or time(8, 30)
    start = datetime.combine(today, at, tzinfo=ZoneInfo(tz))
    if not start <= local < start + timedelta(minutes=cfg.brief_window_minutes):
        return None
    if push_due_at(now, tz, row.quiet_start, row.quiet_end) != now:
        return None  # quiet hours: the next tick after they end sends it, if still within the window
    return today


def _visible(row: OfficerRow, team: dict[int, set[int]]) -> frozenset[int] | None:
    if row.role == "admin":
        return None
    if row.role == "manager":
        return frozenset({row.id, *team.get(row.id, set())})
    return frozenset({row.id})


def _title(today: date, lang: str) -> str:
    if lang == "zh":
        day = f"{today.month}月{today.day}日 {_ZH_DAYS[today.weekday()]}"
    else:
        day = f"{today:%a} {today.day} {today:%b}"
    return t(MESSAGES, "brief.title", lang, day=day)


async def build_briefs(
    session: AsyncSession,
    config: SkillsConfig,
    rows: list[OfficerRow],
    now: datetime,
    *,
    settings: dict[int, OfficerBrief] | None = None,
) -> dict[int, Brief]:
    """Build the briefs of ``rows`` together (each section provider runs once for all of them)."""
    if not rows:
        return {}
    settings = settings if settings is not None else await _settings(session, [r.id for r in rows])
    team: dict[int, set[int]] = {}
    for o in (await session.scalars(select(OfficerRow).where(OfficerRow.manager_id.is_not(None)))).all():
        team.setdefault(o.manager_id or 0, set()).add(o.id)
    officers = []
    for row in rows:
        last = settings.get(row.id)
        since = last.last_brief_at if last is not None and last.last_brief_at is not None else now - timedelta(days=1)
        tz = _tz(row, config)
        officers.append(
            BriefOfficer(
                row.id, _lang(row, config), tz, now.astimezone(ZoneInfo(tz)).date(), since, _visible(row, team)
            )
        )
    batch = BriefBatch(session, config, now, officers)
    found = [(name, await provider(batch)) for name, provider in sections()]
    out: dict[int, Brief] = {}
    for o in officers:
        lines = [_title(o.today, o.lang)]
        data: dict[str, Any] = {"date": o.today.isoformat(), "since": o.since.isoformat(), "sections": {}}
        for name, per_officer in found:
            section = per_officer.get(o.id)
            if section is None or not section.lines:
                continue
            lines.append(f"\n<b>{section.title}</b>")
            lines += [f"• {line}" for line in section.lines]
            if section.more:
                lines.append(t(MESSAGES, "brief.more", o.lang, n=section.more))
            data["sections"][name] = section.data
        if not data["sections"]:
            lines.append(t(MESSAGES, "brief.quiet", o.lang))
        buttons = [
            [
                Button(t(MESSAGES, "btn.all_alerts", o.lang), payload("alerts", "all")),
                Button(t(MESSAGES, "btn.by_client", o.lang), payload("alerts", "clients")),
            ]
        ]
        out[o.id] = Brief(o.id, "\n".join(lines), buttons, data)
    return out


async def _settings(session: AsyncSession, ids: list[int]) -> dict[int, OfficerBrief]:
    out: dict[int, OfficerBrief] = {}
    for start in range(0, len(ids), 500):
        stmt = select(OfficerBrief).where(OfficerBrief.officer_id.in_(ids[start : start + 500]))
        out.update({b.officer_id: b for b in (await session.scalars(stmt)).all()})
    return out


async def brief_setting(session: AsyncSession, officer_id: int) -> OfficerBrief | None:
    """The officer's brief setting row (None: the defaults apply)."""
    return await session.get(OfficerBrief, officer_id)


async def set_brief(session: AsyncSession, officer_id: int, *, enabled: bool, at: str | None = None) -> OfficerBrief:
    """Turn the brief on (optionally at ``at``, "HH:MM" local) or off; flushes, never commits."""
    row = await session.get(OfficerBrief, officer_id)
    if row is None:
        row = OfficerBrief(officer_id=officer_id, enabled=enabled, at=at)
        session.add(row)
    row.enabled = enabled
    if at is not None:
        row.at = at
    await session.flush()
    return row


async def send_briefs(services: Services, now: datetime) -> None:
    """The periodic job: queue every brief that is due now (idempotent per officer per local day)."""
    now = now.astimezone(UTC)
    async with unit_of_work(services.sessionmaker) as session:
        rows = list((await session.scalars(select(OfficerRow).where(OfficerRow.active.is_(True)))).all())
        settings = await _settings(session, [r.id for r in rows])
        due = {r.id: d for r in rows if (d := brief_due(r, settings.get(r.id), now, services.config)) is not None}
        if not due:
            return
        briefs = await build_briefs(session, services.config, [r for r in rows if r.id in due], now, settings=settings)
        for officer_id, brief in briefs.items():
            day = due[officer_id]
            await enqueue(
                session,
                chat_id=officer_id,
                kind="brief",
                text=brief.text,
                due_at=now,
                idempotency_key=f"brief:{officer_id}:{day.isoformat()}",
                buttons=brief.buttons,
                ref=f"brief:{officer_id}",
            )
            setting = settings.get(officer_id)
            if setting is None:
                setting = OfficerBrief(officer_id=officer_id, enabled=True, at=None)
                session.add(setting)
            setting.last_brief_on, setting.last_brief_at = day, now
    log.info("morning briefs queued: %d", len(due))
