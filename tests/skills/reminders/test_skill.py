"""Reminders as an officer meets them: through the real router (ConsoleHarness) with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from skills.reminders import SKILL
from skills.reminders.models import Reminder
from skills.reminders.service import create_reminder, next_reminder
from skills.store.models import Client, OutboxMessage
from skills.store.models import Officer as OfficerRow
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness


def _labels(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.label for row in outcome.replies[0].buttons for b in row]


def _payloads(buttons) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.payload for row in buttons for b in row]


async def test_set_then_delivered_on_time_once(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    out = await h.send("remind me tomorrow at 10am to call Acme", user=OFFICER_ID)
    assert out.skill == "reminders"
    data = out.replies[0].data
    assert data["due"] == "2026-12-01T10:00:00+08:00"
    assert data["due_utc"] == "2026-12-01T02:00:00+00:00"
    assert data["task"] == "call Acme" and data["recurrence"] is None
    assert "Tue 1 Dec 2026, 10:00" in out.replies[0].text
    assert _labels(out) == ["Change time", "Cancel"]

    h.clock.set(datetime(2026, 12, 1, 1, 59, 59, tzinfo=UTC))
    await h.tick()
    assert h.transport.pushes == []
    h.clock.advance(seconds=1)
    await h.tick()
    h.clock.advance(seconds=1)
    await h.tick()
    assert len(h.transport.pushes) == 1
    chat, text, buttons, _ = h.transport.pushes[0]
    assert chat == OFFICER_ID and "call Acme" in text and "late" not in text
    assert _payloads(buttons)[:5] == [
        f"reminders:done:{data['reminder_id']}",
        f"reminders:snz:{data['reminder_id']}:15",
        f"reminders:snz:{data['reminder_id']}:60",
        f"reminders:snz:{data['reminder_id']}:tmr",
        f"reminders:snz:{data['reminder_id']}:pick",
    ]


async def test_chinese_confirmation_and_push(harness: ConsoleHarness) -> None:
    out = await harness.send("3天后提醒我跟进华东纺织", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.data["due"] == "2026-12-03T09:00:00+08:00"
    assert "2026年12月3日 周四 09:00" in reply.text and "跟进华东纺织" in reply.text
    assert _labels(out) == ["改时间", "取消"]
    harness.clock.set(datetime(2026, 12, 3, 1, 0, tzinfo=UTC))
    await harness.tick()
    assert "提醒" in harness.transport.pushes[0][1]


async def test_restart_delivers_missed_reminder_once_marked_late(sqlite_url: str, tmp_path: Path) -> None:
    clock = Clock()
    settings = make_settings(sqlite_url, tmp_path)
    first = await ConsoleHarness.create(settings, clock=clock)
    out = await first.send("remind me today at 10am to call Acme", user=OFFICER_ID)
    assert out.replies[0].data["due"] == "2026-11-30T10:00:00+08:00"
    await first.close()  # the bot goes down before 10:00

    clock.set(datetime(2026, 11, 30, 4, 30, tzinfo=UTC))  # back up at 12:30 local
    second = await ConsoleHarness.create(settings, clock=clock)
    await second.tick()
    clock.advance(seconds=5)
    await second.tick()
    assert len(second.transport.pushes) == 1
    assert "⏰ late: was due Mon 30 Nov 2026, 10:00" in second.transport.pushes[0][1]
    await second.close()


async def test_recurring_fires_each_week_and_snooze_does_not_shift_series(harness: ConsoleHarness) -> None:
    h = harness
    out = await h.send("every Friday 4pm review the aging report", user=OFFICER_ID)
    data = out.replies[0].data
    rid = data["reminder_id"]
    assert data["due"] == "2026-12-04T16:00:00+08:00" and data["recurrence"] == "FREQ=WEEKLY;BYDAY=FR"
    assert "Repeats every Friday" in out.replies[0].text

    h.clock.set(datetime(2026, 12, 4, 8, 0, 1, tzinfo=UTC))
    await h.tick()
    assert len(h.transport.pushes) == 1
    snoozed = await h.press(f"reminders:snz:{rid}:60", user=OFFICER_ID)
    assert snoozed.replies[0].data["due"] == "2026-12-04T17:00:01+08:00"
    async with h.runtime.services.sessionmaker() as s:
        series = await s.get(Reminder, rid)
        assert series is not None and series.state == "active"
        assert series.due_at == datetime(2026, 12, 11, 8, 0, tzinfo=UTC)  # next Friday, unchanged by the snooze

    h.clock.advance(hours=1)
    await h.tick()
    assert len(h.transport.pushes) == 2  # the snoozed occurrence
    h.clock.set(datetime(2026, 12, 11, 8, 0, 0, tzinfo=UTC))
    await h.tick()
    assert len(h.transport.pushes) == 3  # and the series goes on


async def test_done_and_snooze_buttons(harness: ConsoleHarness) -> None:
    h = harness
    rid = (await h.send("/remind 30m call the bank", user=OFFICER_ID)).replies[0].data["reminder_id"]
    h.clock.advance(minutes=30)
    await h.tick()
    out = await h.press(f"reminders:snz:{rid}:15", user=OFFICER_ID)
    assert out.replies[0].intent == "snoozed"
    assert out.replies[0].data["due"] == "2026-11-30T09:45:00+08:00"
    h.clock.advance(minutes=15)
    await h.tick()
    assert len(h.transport.pushes) == 2
    child = out.replies[0].data["reminder_id"]
    done = await h.press(f"reminders:done:{child}", user=OFFICER_ID)
    assert done.replies[0].intent == "done" and done.replies[0].data["state"] == "done"
    tomorrow = await h.press(f"reminders:snz:{child}:tmr", user=OFFICER_ID)
    assert tomorrow.skill == "reminders" and tomorrow.replies[0].data.get("error")  # done is done


async def test_quiet_hours_hold_until_end_unless_urgent(harness: ConsoleHarness) -> None:
    h = harness
    await h.send("/quiet 22:00-08:00", user=OFFICER_ID)
    await h.send("remind me at 23:00 to send the memo", user=OFFICER_ID)
    await h.send("urgent remind me at 23:30 to call the bank", user=OFFICER_ID)
    h.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 23:00 local
    await h.tick()
    h.clock.advance(minutes=30)
    await h.tick()
    assert [p[1].splitlines()[0] for p in h.transport.pushes] == ["⏰ <b>Reminder</b>: call the bank"]
    h.clock.set(datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC))  # 08:00 local
    await h.tick()
    assert len(h.transport.pushes) == 2 and "send the memo" in h.transport.pushes[1][1]


async def test_forged_payload_for_another_officers_reminder_is_refused(harness: ConsoleHarness) -> None:
    h = harness
    rid = (await h.send("remind me tomorrow at 10am to call Acme", user=OFFICER_ID)).replies[0].data["reminder_id"]
    for action in ("cancel", "done", "edit", "snz"):
        suffix = ":15" if action == "snz" else ""
        out = await h.press(f"reminders:{action}:{rid}{suffix}", user=OTHER_OFFICER_ID)
        assert out.replies[0].data.get("error") is True
        assert f"#{rid}" in out.replies[0].text
    other_list = await h.send("/reminders", user=OTHER_OFFICER_ID)
    assert other_list.replies[0].data["reminders"] == []
    mine = await h.send("/reminders", user=OFFICER_ID)
    assert [r["reminder_id"] for r in mine.replies[0].data["reminders"]] == [rid]
    assert mine.replies[0].data["reminders"][0]["state"] == "active"


async def test_list_this_week_in_both_languages_and_cancel(harness: ConsoleHarness) -> None:
    h = harness
    await h.send("remind me tomorrow at 10am to call Acme", user=OFFICER_ID)
    await h.send("下周一提醒我发报价", user=OFFICER_ID)
    week = await h.send("what reminders do I have this week", user=OFFICER_ID)
    assert week.skill == "reminders" and week.confidence >= 0.9
    assert [r["task"] for r in week.replies[0].data["reminders"]] == ["call Acme"]
    zh = await h.send("我这周有哪些提醒", user=OFFICER_ID)
    assert zh.skill == "reminders" and len(zh.replies[0].data["reminders"]) == 1
    everything = await h.send("/reminders", user=OFFICER_ID)
    ids = [r["reminder_id"] for r in everything.replies[0].data["reminders"]]
    assert len(ids) == 2
    cancelled = await h.press(f"reminders:cancel:{ids[0]}", user=OFFICER_ID)
    assert cancelled.replies[0].intent == "cancelled"
    by_command = await h.send(f"/reminders cancel {ids[1]}", user=OFFICER_ID)
    assert by_command.replies[0].intent == "cancelled"
    assert (await h.send("/reminders", user=OFFICER_ID)).replies[0].data["reminders"] == []
    h.clock.advance(days=10)
    await h.tick()
    assert h.transport.pushes == []


async def test_ambiguous_time_asks_with_both_readings_then_sets_the_chosen(harness: ConsoleHarness) -> None:
    h = harness
    # 09:00 now: 8 a.m. has passed, 8 p.m. has not; tonight and tomorrow morning genuinely differ
    out = await h.send("remind me at 8 to call Acme", user=OFFICER_ID)
    reply = out.replies[0]
    assert reply.intent == "ask_time" and "reminder_id" not in reply.data
    assert reply.data["choices"] == ["2026-11-30T20:00:00+08:00", "2026-12-01T08:00:00+08:00"]
    assert "Mon 30 Nov 2026, 20:00" in _labels(out)[0]
    chosen = await h.press(reply.buttons[0][0].payload, user=OFFICER_ID)
    assert chosen.replies[0].data["due"] == "2026-11-30T20:00:00+08:00"
    assert chosen.replies[0].data["task"] == "call Acme"


async def test_past_and_missing_times_ask_instead_of_guessing(harness: ConsoleHarness) -> None:
    h = harness
    past = await h.send("今天上午8点提醒我打电话", user=OFFICER_ID)
    assert past.replies[0].data["question"] == "past" and "已经过去" in past.replies[0].text
    missing = await h.send("remind me to call Northwind", user=OFFICER_ID)
    assert missing.replies[0].data["question"] == "missing" and len(missing.replies[0].buttons) == 3
    typed = await h.send("next Monday 9:30", user=OFFICER_ID)
    assert typed.replies[0].data["due"] == "2026-12-07T09:30:00+08:00"
    assert typed.replies[0].data["task"] == "call Northwind"
    async with h.runtime.services.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Reminder)) == 1


async def test_change_time_by_button_then_typing(harness: ConsoleHarness) -> None:
    h = harness
    rid = (await h.send("remind me tomorrow at 10am to call Acme", user=OFFICER_ID)).replies[0].data["reminder_id"]
    ask = await h.press(f"reminders:edit:{rid}", user=OFFICER_ID)
    assert ask.replies[0].intent == "ask_time"
    moved = await h.send("周五下午3点", user=OFFICER_ID)
    assert moved.replies[0].intent == "changed"
    assert moved.replies[0].data["reminder_id"] == rid and moved.replies[0].data["due"] == "2026-12-04T15:00:00+08:00"


async def test_working_days_skip_national_day(harness: ConsoleHarness) -> None:
    harness.clock.set(datetime(2026, 9, 29, 7, 0, tzinfo=UTC))
    out = await harness.send("in 2 working days chase the signed contract", user=OFFICER_ID)
    assert out.replies[0].data["due"] == "2026-10-08T09:00:00+08:00"


async def test_linked_client_shown_and_profile_button(harness: ConsoleHarness) -> None:
    h = harness
    await h.send("/reminders", user=OFFICER_ID)  # creates the officer row
    async with h.runtime.services.sessionmaker() as s:
        s.add(Client(name="Northwind Trading Co.", aliases=["Northwind"], officer_id=OFFICER_ID))
        await s.commit()
    out = await h.send("follow up with Northwind in 3 days", user=OFFICER_ID)
    data = out.replies[0].data
    assert data["client"] == "Northwind Trading Co." and data["client_id"] is not None
    assert "Client: Northwind Trading Co." in out.replies[0].text
    h.clock.advance(days=3)
    await h.tick()
    assert f"client:show:{data['client_id']}" in _payloads(h.transport.pushes[0][2])


@pytest.mark.parametrize(
    ("text", "high"),
    [
        ("remind me tomorrow at 10am to call Acme", True),
        ("follow up with Northwind in 3 days", True),
        ("明天上午10点提醒我给客户打电话", True),
        ("别忘了周五前发合同", True),
        ("3天后跟进华东纺织", True),
        ("what reminders do I have this week", True),
        ("quote 1m 90d", False),
        ("100万 90天", False),
        ("client says 1.2% is too expensive", False),
        ("客户嫌手续费太高", False),
        ("how do I follow up with a client who went silent?", False),
    ],
)
def test_score_is_high_precision(text: str, high: bool) -> None:
    score = SKILL.score(text, "en")
    assert (score >= 0.9) if high else (score == 0.0)


def test_a_reported_follow_up_is_not_a_reminder_request() -> None:
    """The score speaks only for reminders ("跟进" + a time); the arbiter sees the client being quoted."""
    from bot.arbiter import Arbiter
    from skills.registry import load_skills

    assert Arbiter(load_skills()).decide("客户说下周再跟进", "zh").skill != "reminders"


def test_examples_and_summary_declared() -> None:
    assert len(SKILL.examples["en"]) >= 8 and len(SKILL.examples["zh"]) >= 8
    assert SKILL.summary["en"] and SKILL.summary["zh"]


async def test_service_api_for_other_skills(harness: ConsoleHarness) -> None:
    await harness.send("/reminders", user=OFFICER_ID)
    now = harness.clock()
    async with harness.runtime.services.sessionmaker() as s:
        client = Client(name="Acme Trading", aliases=[], officer_id=OFFICER_ID)
        s.add(client)
        await s.flush()
        later = await create_reminder(
            s,
            officer_id=OFFICER_ID,
            text="call Acme",
            due_at=now + timedelta(days=2),
            client_id=client.id,
            source="alerts",
        )
        sooner = await create_reminder(
            s,
            officer_id=OFFICER_ID,
            text="check DSO",
            due_at=now + timedelta(hours=3),
            client_id=client.id,
            recurrence="FREQ=DAILY",
        )
        await s.commit()
        assert (await next_reminder(s, client_id=client.id, now=now)).id == sooner  # type: ignore[union-attr]
        assert (await next_reminder(s, officer_id=OFFICER_ID, now=now + timedelta(hours=4))).id == later  # type: ignore[union-attr]
        assert await next_reminder(s, officer_id=OTHER_OFFICER_ID, now=now) is None
        assert (await s.get(OfficerRow, OFFICER_ID)) is not None
        with pytest.raises(ValueError):
            await create_reminder(s, officer_id=OFFICER_ID, text="x", due_at=now, recurrence="FREQ=NOPE")


async def test_outbox_key_is_per_occurrence(harness: ConsoleHarness) -> None:
    rid = (await harness.send("/remind 1h call", user=OFFICER_ID)).replies[0].data["reminder_id"]
    harness.clock.advance(hours=1)
    await harness.tick()
    async with harness.runtime.services.sessionmaker() as s:
        keys = (await s.scalars(select(OutboxMessage.idempotency_key))).all()
    assert keys == [f"reminder:{rid}:2026-11-30T02:00:00Z"]
