"""What an officer sees when setting a reminder: the absolute local time and weekday, the repeat rule in words,
a question (with the candidate times) instead of a guess, and a question when there is nothing to remind about."""

from __future__ import annotations

from sqlalchemy import func, select

from skills.reminders.models import Reminder
from tests.conftest import OFFICER_ID
from tests.fixtures.harness import ConsoleHarness


async def _count(h: ConsoleHarness) -> int:
    async with h.runtime.services.sessionmaker() as s:
        return int(await s.scalar(select(func.count()).select_from(Reminder)) or 0)


async def test_no_task_asks_what_to_remind_about_then_saves_the_answer(harness: ConsoleHarness) -> None:
    h = harness
    out = await h.send("remind me tomorrow at 10", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.intent == "ask_task" and reply.data["question"] == "task"
    assert reply.data["due"] == "2026-12-01T10:00:00+08:00" and reply.data["due_utc"] == "2026-12-01T02:00:00+00:00"
    assert "Tue 1 Dec 2026, 10:00" in reply.text and await _count(h) == 0
    saved = await h.send("call Orion about the renewal", user=OFFICER_ID)
    data = saved.replies[0].data
    assert saved.replies[0].intent == "set" and data["task"] == "call Orion about the renewal"
    assert data["due"] == "2026-12-01T10:00:00+08:00" and await _count(h) == 1


async def test_chinese_no_task_question(harness: ConsoleHarness) -> None:
    out = await harness.send("明天上午10点提醒我", user=OFFICER_ID)
    assert out.replies[0].data["question"] == "task" and "提醒您做什么" in out.replies[0].text
    saved = await harness.send("给周总打电话", user=OFFICER_ID)
    assert saved.replies[0].data["task"] == "给周总打电话"


async def test_confirmation_carries_local_and_utc_time_rule_and_task(harness: ConsoleHarness) -> None:
    out = await harness.send("remind me every month on the 31st at 9 to pay the bank", user=OFFICER_ID)
    reply = out.replies[0]
    data = reply.data
    assert data["due"] == "2026-12-31T09:00:00+08:00" and data["due_local"] == data["due"]
    assert data["due_utc"] == "2026-12-31T01:00:00+00:00" and data["weekday"] == "Thu"
    assert data["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1" == data["recurrence"]
    assert data["recurrence_text"] == "monthly on day 31 (the last day in shorter months)"
    assert data["task"] == "pay the bank" and data["notes"] == ["short_months"]
    assert "Thu 31 Dec 2026, 09:00" in reply.text and "last day" in reply.text


async def test_estimated_holiday_is_said_in_the_confirmation(harness: ConsoleHarness) -> None:
    out = await harness.send("國慶後提醒我回訪", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.data["estimated"] is True and reply.data["task"] == "回訪"
    assert reply.data["due"].startswith("2027-10-")
    assert "2027年放假安排尚未公布" in reply.text


async def test_an_hour_that_reads_two_ways_asks_with_absolute_times(harness: ConsoleHarness) -> None:
    out = await harness.send("9点45分提醒我开会", user=OFFICER_ID)  # 09:00 now: 09:45 is ahead, no question
    assert out.replies[0].data["due"] == "2026-11-30T09:45:00+08:00"
    harness.clock.advance(hours=1)  # 10:00: 09:45 has passed, 21:45 has not
    asked = await harness.send("9点半提醒我开会", user=OFFICER_ID)
    data = asked.replies[0].data
    assert data["question"] == "ambiguous" and data["ambiguous"] is True
    assert data["choices"] == ["2026-11-30T21:30:00+08:00", "2026-12-01T09:30:00+08:00"]
    assert data["choices_utc"] == ["2026-11-30T13:30:00+00:00", "2026-12-01T01:30:00+00:00"]
    labels = [b.label for row in asked.replies[0].buttons for b in row]
    assert labels == ["2026年11月30日 周一 21:30", "2026年12月1日 周二 09:30"]
