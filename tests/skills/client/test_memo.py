"""Post-call memos through the real router: saved on the client's timeline, the follow-up one tap away (the
reminders skill's own time reading), a revised quote priced by the quote engine when the memo names terms."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from skills.client.feedback.models import ClientNote
from skills.quote.logic import price
from skills.quote.repository import add_quote, mark_saved
from skills.reminders.models import Reminder
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import seed

# harness clock: Mon 30 Nov 2026 09:00 in Shanghai


async def test_memo_goes_on_the_timeline_and_the_follow_up_is_one_tap(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = (
        await harness.send("call with Acme: they want 85% advance, send revised quote Friday", user=OFFICER_ID)
    ).as_json()
    assert out["skill"] == "client" and out["intent"] == "memo" and out["data"]["client_id"] == sc.acme
    follow = out["data"]["follow_up"]
    assert follow["task"] == "send revised quote" and follow["due_at"] == "2026-12-04T01:00:00+00:00"  # Fri 09:00
    assert out["data"]["quote"] == {"source": None, "changes": {"advance_rate": "0.85"}}  # no saved quote to revise
    remind = next(b.payload for row in harness.reply().buttons for b in row if b.payload.startswith("client:memorem:"))
    refused = (await harness.press(remind, user=OTHER_OFFICER_ID)).as_json()
    assert refused["data"].get("error") is True
    done = (await harness.press(remind, user=OFFICER_ID)).as_json()
    assert done["data"]["created"] is True
    again = (await harness.press(remind, user=OFFICER_ID)).as_json()
    assert again["data"]["created"] is False
    async with harness.runtime.services.sessionmaker() as s:
        reminders = (await s.scalars(select(Reminder))).all()
        note = (await s.scalars(select(ClientNote))).one()
    assert len(reminders) == 1 and reminders[0].client_id == sc.acme
    assert reminders[0].due_at == datetime(2026, 12, 4, 1, 0, tzinfo=UTC) and "send revised quote" in reminders[0].text
    assert note.client_id == sc.acme and note.data["reminder_id"] == reminders[0].id


async def test_a_chinese_memo(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = (await harness.send("和艾克米通话：对放款速度满意，下周二下午3点回电话", user=OFFICER_ID)).as_json()
    assert out["skill"] == "client" and out["data"]["client_id"] == sc.acme
    assert out["data"]["follow_up"]["due_at"] == "2026-12-08T07:00:00+00:00"  # Tue 8 Dec 15:00 Shanghai
    assert "已记入" in out["text"] and "提醒我" in harness.reply().buttons[0][0].label


async def test_terms_in_a_memo_reprice_the_last_saved_quote(any_db_harness: ConsoleHarness) -> None:
    harness = any_db_harness  # SQLite and PostgreSQL
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    now = harness.clock()
    last = price("1000000", 90, advance_rate="0.8", annual_rate="0.07", fee_rate="0.005")
    async with harness.runtime.services.sessionmaker() as s:
        row = await add_quote(s, last, officer_id=OFFICER_ID, client_id=sc.acme, lang="en", assumed=[],
                              tier="potential", now=now, inputs=last.terms.as_dict())  # fmt: skip
        mark_saved(row, sc.acme, now)
        await s.commit()
    out = (
        await harness.send("meeting with Acme: they want 85% advance, send revised quote Friday", user=OFFICER_ID)
    ).as_json()
    quote = out["data"]["quote"]
    expected = price("1000000", 90, advance_rate="0.85", annual_rate="0.07", fee_rate="0.005")
    assert quote["source"] == "last_quote" and quote["advance_rate"] == "0.85"
    assert Decimal(quote["advance"]) == expected.advance and Decimal(quote["total_cost"]) == expected.total_cost
    payloads = [b.payload for row in harness.reply().buttons for b in row]
    assert f"quote:save:{quote['quote_id']}" in payloads
    saved = (await harness.press(f"quote:save:{quote['quote_id']}", user=OFFICER_ID)).as_json()
    assert saved["skill"] == "quote"


async def test_a_memo_with_its_own_figures_and_one_without_a_client(harness: ConsoleHarness) -> None:
    await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = (await harness.send("meeting with Acme: quote 2m 60d rate 6%, call them back next Tuesday 3pm",
                              user=OFFICER_ID)).as_json()  # fmt: skip
    assert out["skill"] == "client" and out["data"]["quote"]["source"] == "memo"
    assert Decimal(out["data"]["quote"]["face_value"]) == 2_000_000 and out["data"]["quote"]["tenor_days"] == 60
    unknown = (await harness.send("call with Globex: wants a lower fee", user=OFFICER_ID)).as_json()
    assert unknown["data"].get("error") is True and unknown["data"].get("not_found") is True
    other = (await harness.send("call with Acme: wants a lower fee", user=OTHER_OFFICER_ID)).as_json()
    assert other["data"].get("not_found") is True  # not their client


async def test_reminders_and_objections_are_not_memos(harness: ConsoleHarness) -> None:
    await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    assert (await harness.send("remind me Friday to call Acme", user=OFFICER_ID)).as_json()["skill"] == "reminders"
    assert (await harness.send("Acme says the rate is too high", user=OFFICER_ID)).as_json()["skill"] == "objection"
