"""The application SLA: /apply records the application and its reminder; a missed deadline reaches the manager."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from skills.alerts.applications import feedback_due, parse_amount_in
from skills.reminders.models import Reminder
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import ensure_officer, seed

MANAGER_ID = 4004


@pytest.mark.parametrize(
    ("received", "tz", "country", "due"),
    [
        (
            datetime(2026, 11, 30, 2, tzinfo=UTC),
            "Asia/Shanghai",
            "CN",
            datetime(2026, 12, 3, 10, tzinfo=UTC),
        ),  # Mon→Thu
        (datetime(2026, 12, 4, 2, tzinfo=UTC), "Asia/Shanghai", "CN", datetime(2026, 12, 9, 10, tzinfo=UTC)),  # Fri→Wed
        (
            datetime(2026, 9, 30, 2, tzinfo=UTC),
            "Asia/Shanghai",
            "CN",
            datetime(2026, 10, 10, 10, tzinfo=UTC),
        ),  # 国庆+调休
        (datetime(2026, 12, 23, 10, tzinfo=UTC), "Europe/London", "GB", datetime(2026, 12, 30, 18, tzinfo=UTC)),  # Xmas
        (
            datetime(2026, 11, 30, 17, tzinfo=UTC),
            "Asia/Shanghai",
            "CN",
            datetime(2026, 12, 4, 10, tzinfo=UTC),
        ),  # Tue local
    ],
)
def test_feedback_is_due_three_working_days_later_at_six(
    received: datetime, tz: str, country: str, due: datetime
) -> None:
    assert feedback_due(received, tz, country, 3, "18:00") == due


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Acme 500万", "5000000.00"),
        ("Acme ¥1,200,000", "1200000.00"),
        ("华东纺织 1.5亿", "150000000.00"),
        ("Acme", None),
    ],
)
def test_amount_at_the_end(text: str, amount: str | None) -> None:
    found = parse_amount_in(text)
    assert (str(found) if found is not None else None) == amount


async def test_apply_records_reminds_shows_on_the_card_and_escalates_once(harness: ConsoleHarness) -> None:
    h = harness
    await ensure_officer(h, MANAGER_ID, name="Mia", role="manager")
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OFFICER_ID, manager_id=MANAGER_ID, language="en")

    out = await h.send("/apply Acme 500万", user=OFFICER_ID)
    reply = out.replies[0]
    assert out.skill == "alerts" and reply.intent == "apply"
    assert reply.data["amount"] == "5000000.00" and reply.data["client_id"] == sc.acme
    assert reply.data["feedback_due_at"] == "2026-12-03T10:00:00+00:00"  # Thu 18:00 Shanghai
    assert reply.text.startswith(
        "📝 Application recorded: <b>Acme Trading</b> CN¥5,000,000.00. First feedback due Thu 3 Dec"
    )
    async with h.runtime.services.sessionmaker() as s:
        reminder = await s.get(Reminder, reply.data["reminder_id"])
    assert reminder is not None and reminder.due_at == datetime(2026, 12, 3, 1, tzinfo=UTC)  # 09:00 that morning
    assert reminder.client_id == sc.acme

    card = await h.send("/client Acme", user=OFFICER_ID)
    assert [a["id"] for a in card.replies[0].data["applications"]] == [reply.data["application_id"]]
    assert "📝 Application CN¥5,000,000.00: first feedback due Thu 3 Dec 2026, 18:00" in card.replies[0].text
    payloads = [b.payload for row in card.replies[0].buttons for b in row]
    assert f"alerts:apply:{sc.acme}" in payloads
    from_card = await h.press(f"alerts:apply:{sc.acme}", user=OFFICER_ID)
    assert from_card.replies[0].data["source"] == "button" and from_card.replies[0].data["amount"] is None
    done = await h.press(f"alerts:appdone:{from_card.replies[0].data['application_id']}", user=OFFICER_ID)
    assert done.replies[0].data["state"] == "answered" and done.replies[0].data["late"] is False

    h.clock.set(datetime(2026, 12, 3, 10, 1, tzinfo=UTC))  # one minute past the deadline
    await h.tick()
    h.clock.advance(minutes=10)
    await h.tick()
    manager = [text for chat, text, _, _ in h.transport.pushes if chat == MANAGER_ID and text.startswith("⛔")]
    assert manager == [
        "⛔ Application SLA missed: <b>Acme Trading</b> CN¥5,000,000.00 — first feedback was due Thu 3 Dec 2026, 18:00 (Olivia)."
    ]
    mine = [text for chat, text, _, _ in h.transport.pushes if chat == OFFICER_ID and text.startswith("⛔")]
    assert len(mine) == 1 and "your manager has been told" in mine[0]
    late = await h.press(f"alerts:appdone:{reply.data['application_id']}", user=OFFICER_ID)
    assert late.replies[0].data["late"] is True and "after the deadline" in late.replies[0].text
    async with h.runtime.services.sessionmaker() as s:
        assert (await s.get(Reminder, reply.data["reminder_id"])).state == "done"  # type: ignore[union-attr]


async def test_apply_in_chinese_and_refusals(harness: ConsoleHarness) -> None:
    h = harness
    sc = await seed(h, OFFICER_ID, OTHER_OFFICER_ID)
    await ensure_officer(h, OFFICER_ID, language="zh")
    out = await h.send("/apply 艾克米 120万", user=OFFICER_ID)
    assert out.replies[0].text.startswith("📝 已登记融资申请：<b>Acme Trading</b> ¥1,200,000.00。首次反馈截止")
    unknown = await h.send("/apply Globex 100万", user=OFFICER_ID)
    assert unknown.replies[0].data["error"] is True and "Globex" in unknown.replies[0].text
    other = await h.press(f"alerts:apply:{sc.acme}", user=OTHER_OFFICER_ID)  # not Oscar's client
    assert other.replies[0].data["error"] is True
    forged = await h.press(f"alerts:appdone:{out.replies[0].data['application_id']}", user=OTHER_OFFICER_ID)
    assert forged.replies[0].data["error"] is True
    async with h.runtime.services.sessionmaker() as s:
        from skills.alerts.models import Application

        states = (await s.scalars(select(Application.state))).all()
    assert states == ["open"]
