"""The morning brief: what it says, when it goes out (working days, 调休, quiet hours), once a day, /brief."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select, update

from skills.alerts.brief import brief_due
from skills.alerts.config import AlertsConfig
from skills.alerts.models import Application, OfficerBrief
from skills.config import SkillsConfig
from skills.reminders.models import FIRED, Reminder
from skills.reminders.service import create_reminder
from skills.store.models import Officer as OfficerRow
from skills.store.models import OutboxMessage
from skills.store.session import unit_of_work
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.skills.alerts.data import ensure_officer, seed

CFG = SkillsConfig()
SH = "Asia/Shanghai"


def at(day: date, hh: int, mm: int = 0, tz: str = SH) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def officer(tz: str = SH, lang: str = "en", **fields: object) -> OfficerRow:
    return OfficerRow(id=1, name="O", role="officer", language=lang, timezone=tz, active=True, **fields)


@pytest.mark.parametrize(
    ("now", "row", "expected"),
    [
        (at(date(2026, 11, 30), 8, 30), officer(), date(2026, 11, 30)),  # Monday 08:30: due
        (at(date(2026, 11, 30), 8, 29), officer(), None),  # a minute early
        (at(date(2026, 11, 30), 11, 30), officer(), None),  # window (180 min) over: skipped, not sent late
        (at(date(2026, 11, 28), 9, 0), officer(), None),  # Saturday
        (at(date(2026, 10, 10), 9, 0), officer(), date(2026, 10, 10)),  # 调休: a working Saturday in China
        (at(date(2026, 10, 5), 9, 0), officer(), None),  # National Day holiday, a Monday
        (at(date(2026, 12, 25), 9, 0, "Europe/London"), officer("Europe/London"), None),  # Christmas (GB)
        (at(date(2026, 12, 25), 9, 0, "Asia/Shanghai"), officer(), date(2026, 12, 25)),  # a working day in China
        (at(date(2026, 10, 10), 9, 0, "Europe/London"), officer("Europe/London"), None),  # Saturday in the UK
        (at(date(2026, 10, 10), 9, 0, "Europe/London"), officer("Europe/London", "zh"), date(2026, 10, 10)),  # zh: CN
        (at(date(2026, 11, 30), 8, 45), officer(quiet_start="22:00", quiet_end="09:00"), None),  # quiet hours
        (at(date(2026, 11, 30), 9, 0), officer(quiet_start="22:00", quiet_end="09:00"), date(2026, 11, 30)),
    ],
)
def test_when_the_brief_is_due(now: datetime, row: OfficerRow, expected: date | None) -> None:
    assert brief_due(row, None, now, CFG) == expected


def test_settings_time_off_and_already_sent() -> None:
    monday = date(2026, 11, 30)
    assert brief_due(officer(), OfficerBrief(officer_id=1, enabled=True, at="07:15"), at(monday, 7, 15), CFG) == monday
    assert brief_due(officer(), OfficerBrief(officer_id=1, enabled=False, at=None), at(monday, 9), CFG) is None
    sent = OfficerBrief(officer_id=1, enabled=True, at=None, last_brief_on=monday)
    assert brief_due(officer(), sent, at(monday, 9), CFG) is None
    every_day = SkillsConfig(alerts={"brief_workdays_only": False})  # type: ignore[arg-type]
    assert brief_due(officer(), None, at(date(2026, 11, 28), 9), every_day) == date(2026, 11, 28)


@pytest_asyncio.fixture
async def h(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    """The default settings (brief on at 08:30, history gate on); the clock is Mon 30 Nov 2026 07:00 Shanghai."""
    clock.set(at(date(2026, 11, 30), 7, 0))
    harness = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path, alerts=AlertsConfig()), clock=clock)
    try:
        yield harness
    finally:
        await harness.close()


async def _content(h: ConsoleHarness) -> int:
    """Acme (utilisation 85%), a reminder today, a follow-up fired yesterday, an application due today."""
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    sm = h.runtime.services.sessionmaker
    async with unit_of_work(sm) as s:
        await create_reminder(
            s, officer_id=OFFICER_ID, text="Call Acme about the limit", due_at=at(date(2026, 11, 30), 15)
        )
        rid = await create_reminder(
            s, officer_id=OFFICER_ID, text="Send Zed the notice", due_at=at(date(2026, 11, 29), 10)
        )
        await s.execute(update(Reminder).where(Reminder.id == rid).values(state=FIRED))
        s.add(
            Application(
                client_id=sc.acme,
                officer_id=OFFICER_ID,
                amount=Decimal("500000.00"),
                currency="CNY",
                received_at=at(date(2026, 11, 25), 10),
                feedback_due_at=at(date(2026, 11, 30), 18),
                state="open",
                source="chat",
                note="",
            )
        )
    return sc.acme


async def test_brief_command_shows_every_section_in_english_and_chinese(h: ConsoleHarness) -> None:
    await _content(h)
    out = await h.send("/brief", user=OFFICER_ID)
    reply = out.replies[0]
    assert out.skill == "alerts" and reply.intent == "brief"
    lines = reply.text.splitlines()
    assert lines[0] == "☀️ <b>Morning brief</b> — Mon 30 Nov"
    assert "• 15:00 Call Acme about the limit" in lines
    assert "• Send Zed the notice (1 day(s) ago)" in lines
    assert "• ⏳ Acme Trading CN¥500,000.00: first feedback due today by 18:00" in lines
    assert "• 🟨 Acme Trading: limit utilisation 85% (CN¥850,000.00 of CN¥1,000,000.00)" in lines
    assert set(reply.data["sections"]) == {"reminders", "followups", "applications", "alerts"}
    assert lines[-1].startswith("<i>Brief: on, 08:30 on working days.")

    await ensure_officer(h, OFFICER_ID, language="zh")
    zh = (await h.send("/brief", user=OFFICER_ID)).replies[0]
    assert zh.text.splitlines()[0] == "☀️ <b>晨间简报</b>——11月30日 周一"
    assert "<b>今日提醒</b>" in zh.text and "<b>融资申请时限</b>" in zh.text and "额度使用率 85%" in zh.text
    assert "晨间简报：已开启，工作日 08:30" in zh.text


async def test_brief_goes_out_once_a_working_day_and_only_what_is_new(h: ConsoleHarness) -> None:
    await _content(h)
    await h.tick()  # 07:00: the sweep runs, no brief yet
    assert not [p for p in h.transport.pushes if p[1].startswith("☀️")]
    h.clock.set(at(date(2026, 11, 30), 8, 31))
    await h.tick()
    h.clock.advance(minutes=10)
    await h.tick()
    briefs = [p for p in h.transport.pushes if p[0] == OFFICER_ID and p[1].startswith("☀️")]
    assert len(briefs) == 1 and "limit utilisation 85%" in briefs[0][1]
    others = [p for p in h.transport.pushes if p[0] == OTHER_OFFICER_ID and p[1].startswith("☀️")]
    assert len(others) == 1 and "Acme" not in others[0][1]  # Oscar sees only his own clients

    h.clock.set(at(date(2026, 12, 1), 8, 40))  # Tuesday: the same alert is not news any more
    await h.tick()
    briefs = [p[1] for p in h.transport.pushes if p[0] == OFFICER_ID and p[1].startswith("☀️")]
    assert len(briefs) == 2 and "limit utilisation 85%" not in briefs[1]
    assert "⛔ Acme Trading CN¥500,000.00: first feedback was due 18:00 — missed" in briefs[1]
    async with h.runtime.services.sessionmaker() as s:
        keys = (await s.scalars(select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == "brief"))).all()
    assert sorted(keys) == sorted(
        [f"brief:{o}:{d}" for o in (OFFICER_ID, OTHER_OFFICER_ID) for d in ("2026-11-30", "2026-12-01")]
    )


async def test_brief_time_and_off_by_command(h: ConsoleHarness) -> None:
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    out = await h.send("/brief 7:45", user=OFFICER_ID)
    assert out.replies[0].data == {"enabled": True, "at": "07:45", "timezone": SH, "workdays_only": True}
    assert out.replies[0].text == "☀️ Morning brief set for 07:45 (Asia/Shanghai) on working days."
    h.clock.set(at(date(2026, 11, 30), 7, 46))
    await h.tick()
    assert [p[0] for p in h.transport.pushes if p[1].startswith("☀️")] == [OFFICER_ID]  # Oscar's is at 08:30

    off = await h.send("/brief off", user=OTHER_OFFICER_ID)
    assert off.replies[0].data == {"enabled": False}
    h.clock.set(at(date(2026, 11, 30), 8, 35))
    await h.tick()
    assert [p[0] for p in h.transport.pushes if p[1].startswith("☀️")] == [OFFICER_ID]
    zh = await h.send("/brief 8点半", user=OTHER_OFFICER_ID, lang="zh")
    assert zh.replies[0].text == "☀️ 晨间简报已设为工作日 08:30（Asia/Shanghai）。"
    bad = await h.send("/brief 25:99", user=OFFICER_ID)
    assert bad.replies[0].data["error"] is True and bad.replies[0].text.startswith("Usage: /brief")


async def test_brief_for_500_officers_is_one_batch(h: ConsoleHarness) -> None:
    """Every due officer is built in one batch (a few queries per section, not per officer)."""
    await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    async with unit_of_work(h.runtime.services.sessionmaker) as s:
        for i in range(500):
            s.add(OfficerRow(id=50_000 + i, name=f"o{i}", role="officer", active=True, created_at=h.clock()))
    h.clock.set(at(date(2026, 11, 30), 8, 30))
    await h.tick()
    assert len([p for p in h.transport.pushes if p[1].startswith("☀️")]) == 502
