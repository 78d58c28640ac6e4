"""Skills feed each other through the client: a logged objection, a saved quote and a reminder all show on
the client profile."""

from __future__ import annotations

from skills.portfolio.demo import load_demo
from skills.store import unit_of_work
from tests.fixtures.harness import ConsoleHarness


async def test_profile_shows_logged_objections_saved_quotes_and_the_next_reminder(harness: ConsoleHarness) -> None:
    h = harness
    await h.send("/help")  # the console officer's row exists
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        await load_demo(session, officer_ids=[0], today=h.clock.now.date(), now=h.clock.now)

    card = await h.send("Acme says the rate is too high")
    assert card.skill == "objection" and card.replies[0].data.get("client")
    log = next(b.payload for row in card.replies[0].buttons for b in row if b.payload.startswith("objection:log:"))
    await h.press(log)

    quote = await h.send("quote Acme 2m 60d")
    save = next(b.payload for row in quote.replies[0].buttons for b in row if b.payload.startswith("quote:save:"))
    await h.press(save)

    reminder = await h.send("remind me tomorrow at 10am to call Acme")
    assert reminder.skill == "reminders" and reminder.replies[0].data["client_id"]

    profile = await h.send("/client Acme")
    data = profile.replies[0].data
    assert sum(data["objections"].values()) == 1
    assert data["objections"] == {"pricing": 1}
    assert data["quotes"] == [quote.replies[0].data["quote_id"]]
    assert data["next_reminder"]["due_at"] == "2026-12-01T02:00:00+00:00"  # 10:00 in Shanghai
    assert profile.replies[0].image is not None and profile.replies[0].image.startswith(b"\x89PNG")
