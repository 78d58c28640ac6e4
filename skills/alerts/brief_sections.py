"""Morning-brief sections: each provider answers for a whole batch of officers at once (few queries for 500).

A section provider is ``async def provider(batch: BriefBatch) -> dict[officer_id, BriefSection]``; register
one with :func:`register_section` (another skill can add its own, e.g. client feedback). The built-in ones:
today's reminders, follow-ups now overdue, application deadlines, alerts new or worse since the last brief,
clients whose tier changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from skills.alerts.messages import MESSAGES
from skills.alerts.models import LIVE_STATES, Alert, Application, TierChange
from skills.alerts.render import finding_text
from skills.alerts.rules import Finding
from skills.fmt import esc, money
from skills.i18n import t
from skills.store.models import Client

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from skills.config import SkillsConfig

__all__ = ["BriefBatch", "BriefOfficer", "BriefSection", "SectionProvider", "register_section", "sections"]


@dataclass(frozen=True, slots=True)
class BriefOfficer:
    """Who a brief is for: language, zone, local day, what they may see, and since when news is news."""

    id: int
    lang: str
    tz: str
    today: date  # officer-local
    since: datetime  # the last brief (UTC), or a day ago
    visible: frozenset[int] | None  # officer ids whose clients they see; None = everyone (admin)

    def sees(self, officer_id: int) -> bool:
        return self.visible is None or officer_id in self.visible

    def day_end(self, days: int = 0) -> datetime:
        """The end of the officer-local day ``today + days``, as an aware datetime."""
        return datetime.combine(self.today + timedelta(days=days + 1), time(0), tzinfo=ZoneInfo(self.tz))


@dataclass(slots=True)
class BriefBatch:
    """The officers whose briefs are being built together, and what providers may use."""

    session: AsyncSession
    config: SkillsConfig
    now: datetime
    officers: list[BriefOfficer]

    @property
    def earliest_since(self) -> datetime:
        return min(o.since for o in self.officers)


@dataclass(slots=True)
class BriefSection:
    """One section of one officer's brief: a title, up to N lines, how many more, and the data behind it."""

    title: str
    lines: list[str]
    more: int = 0
    data: list[dict[str, Any]] = field(default_factory=list)


SectionProvider = Callable[[BriefBatch], Awaitable[dict[int, BriefSection]]]
_SECTIONS: dict[str, tuple[int, SectionProvider]] = {}


def register_section(name: str, provider: SectionProvider, *, order: int = 100) -> None:
    """Add (or replace) a brief section; sections appear by ``order`` (built-ins use 10-50)."""
    _SECTIONS[name] = (order, provider)


def sections() -> list[tuple[str, SectionProvider]]:
    """The registered sections in order."""
    return [(name, p) for name, (_, p) in sorted(_SECTIONS.items(), key=lambda kv: (kv[1][0], kv[0]))]


def _cut(
    batch: BriefBatch, officer: BriefOfficer, key: str, lines: list[str], data: list[dict[str, Any]]
) -> BriefSection:
    n = batch.config.alerts.brief_items
    return BriefSection(t(MESSAGES, key, officer.lang), lines[:n], max(0, len(lines) - n), data)


def _hhmm(dt: datetime, tz: str) -> str:
    return dt.astimezone(ZoneInfo(tz)).strftime("%H:%M")


async def _reminders_today(batch: BriefBatch) -> dict[int, BriefSection]:
    """Pending reminders due before the end of each officer's day, through the reminders skill's API (one
    query for the whole batch)."""
    from skills.reminders.api import due_between

    horizon = max(o.day_end() for o in batch.officers)
    by_officer = await due_between(batch.session, [o.id for o in batch.officers], None, horizon)
    out: dict[int, BriefSection] = {}
    for o in batch.officers:
        end = o.day_end()
        rows = [r for r in by_officer.get(o.id, []) if r.due_at < end]
        if rows:
            lines = [f"{_hhmm(r.due_at, o.tz)} {esc(r.text)}" for r in rows]
            out[o.id] = _cut(batch, o, "brief.reminders", lines, [{"id": r.id} for r in rows])
    return out


async def _overdue_followups(batch: BriefBatch) -> dict[int, BriefSection]:
    from skills.reminders.api import overdue_followups

    by_officer = await overdue_followups(batch.session, [o.id for o in batch.officers], batch.now)
    out: dict[int, BriefSection] = {}
    for o in batch.officers:
        rows = by_officer.get(o.id, [])
        if rows:
            lines = [
                t(
                    MESSAGES,
                    "brief.overdue_line",
                    o.lang,
                    text=esc(r.text),
                    days=(o.today - r.due_at.astimezone(ZoneInfo(o.tz)).date()).days,
                )
                for r in rows
            ]
            out[o.id] = _cut(batch, o, "brief.overdue", lines, [{"id": r.id} for r in rows])
    return out


async def _applications(batch: BriefBatch) -> dict[int, BriefSection]:
    horizon = max(o.day_end(1) for o in batch.officers)
    stmt = (
        select(Application, Client)
        .join(Client, Client.id == Application.client_id)
        .where(Application.state == "open", Application.feedback_due_at < horizon)
        .order_by(Application.feedback_due_at, Application.id)
    )
    rows = (await batch.session.execute(stmt)).all()
    out: dict[int, BriefSection] = {}
    for o in batch.officers:
        lines: list[str] = []
        data: list[dict[str, Any]] = []
        for app, client in rows:
            if not o.sees(client.officer_id) or app.feedback_due_at >= o.day_end(1):
                continue
            when = app.feedback_due_at
            key = (
                "brief.app_missed"
                if when <= batch.now
                else "brief.app_today"
                if when < o.day_end()
                else "brief.app_tomorrow"
            )
            amount = money(app.amount, app.currency, o.lang) if app.amount is not None else ""
            lines.append(t(MESSAGES, key, o.lang, client=esc(client.name), amount=amount, time=_hhmm(when, o.tz)))
            data.append({"id": app.id, "client_id": client.id, "due": when.isoformat(), "missed": when <= batch.now})
        if lines:
            out[o.id] = _cut(batch, o, "brief.applications", lines, data)
    return out


async def _alerts_since(batch: BriefBatch) -> dict[int, BriefSection]:
    """Live alerts first seen or worsened since each officer's last brief, reds first, newest first.

    Only the listed lines are rendered (cached per alert and language: managers and admins share them)."""
    since = batch.earliest_since
    stmt = (
        select(Alert, Client)
        .join(Client, Client.id == Alert.client_id)
        .where(Alert.state.in_(LIVE_STATES), or_(Alert.first_seen > since, Alert.worsened_at > since))
        .order_by(Alert.first_seen.desc(), Alert.id)
    )
    rows = (await batch.session.execute(stmt)).all()
    rows.sort(key=lambda r: 0 if r[0].severity == "red" else 1)  # stable: newest first within a severity
    limit = batch.config.alerts.brief_items
    rendered: dict[tuple[int, str, bool], str] = {}
    out: dict[int, BriefSection] = {}
    for o in batch.officers:
        mine = [
            (a, c)
            for a, c in rows
            if o.sees(c.officer_id)
            and (a.first_seen > o.since or (a.worsened_at is not None and a.worsened_at > o.since))
        ]
        if not mine:
            continue
        lines = []
        for a, c in mine[:limit]:
            worse = a.worsened_at is not None and a.worsened_at > o.since and a.first_seen <= o.since
            key = (a.id, o.lang, worse)
            if key not in rendered:
                finding = Finding(a.rule, a.severity, a.dedup_key, a.client_id, dict(a.figures or {}))
                note = t(MESSAGES, "brief.worse", o.lang) if worse else ""
                rendered[key] = finding_text(finding, o.lang, c.name) + note
            lines.append(rendered[key])
        data = [{"id": a.id, "client_id": c.id, "severity": a.severity, "rule": a.rule} for a, c in mine]
        out[o.id] = BriefSection(t(MESSAGES, "brief.alerts", o.lang), lines, len(mine) - len(lines), data)
    return out


async def _tier_changes(batch: BriefBatch) -> dict[int, BriefSection]:
    stmt = (
        select(TierChange, Client)
        .join(Client, Client.id == TierChange.client_id)
        .where(TierChange.at > batch.earliest_since)
        .order_by(TierChange.at, TierChange.id)
    )
    rows = (await batch.session.execute(stmt)).all()
    out: dict[int, BriefSection] = {}
    for o in batch.officers:
        latest: dict[int, tuple[TierChange, Client]] = {}
        first_old: dict[int, str] = {}
        for change, client in rows:
            if o.sees(client.officer_id) and change.at > o.since:
                first_old.setdefault(client.id, change.old)
                latest[client.id] = (change, client)
        moved = [(first_old[cid], ch, c) for cid, (ch, c) in latest.items() if first_old[cid] != ch.new]
        if moved:
            lines = [
                t(
                    MESSAGES,
                    "brief.tier_line",
                    o.lang,
                    client=esc(c.name),
                    old=t(MESSAGES, f"tier.{old}", o.lang),
                    new=t(MESSAGES, f"tier.{ch.new}", o.lang),
                )
                for old, ch, c in moved
            ]
            data = [{"client_id": c.id, "old": old, "new": ch.new} for old, ch, c in moved]
            out[o.id] = _cut(batch, o, "brief.tiers", lines, data)
    return out


register_section("reminders", _reminders_today, order=10)
register_section("followups", _overdue_followups, order=20)
register_section("applications", _applications, order=30)
register_section("alerts", _alerts_since, order=40)
register_section("tiers", _tier_changes, order=50)
