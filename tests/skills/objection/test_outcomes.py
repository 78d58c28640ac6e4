"""Card outcomes teach the ranking: 👍/👎/💬 under cards and answers, per team, tier and industry, with a prior."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from knowledge.content import load_playbook
from skills.objection.models import CardOutcome
from skills.store.models import Client, Officer
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness

pytestmark = pytest.mark.asyncio

BOOK = load_playbook()
MANAGER_ID = 4004


def section(card: str, lang: str, name: str) -> str:
    entry = BOOK.get(card, lang)
    assert entry is not None
    return entry.section(name)


async def seed(h: ConsoleHarness, *, same_team: bool = True) -> dict[str, int]:
    """Olga (and Oscar, in her team or not): a risk-tier textile client, a quality client, a risk client elsewhere."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with h.runtime.services.sessionmaker() as s:
        s.add(Officer(id=MANAGER_ID, name="Mia", role="manager", active=True, created_at=now))
        await s.flush()
        s.add_all([
            Officer(id=OFFICER_ID, name="Olga", role="officer", manager_id=MANAGER_ID, active=True, created_at=now),
            Officer(id=OTHER_OFFICER_ID, name="Oscar", role="officer", manager_id=MANAGER_ID if same_team else None,
                    active=True, created_at=now),
        ])  # fmt: skip
        await s.flush()
        rows = {
            "risky": Client(name="Risky Textiles", aliases=["华东纺织"], officer_id=OFFICER_ID, tier="risk",
                            industry="textiles", deals_count=3, created_at=now),
            "risky2": Client(name="Shaky Dyeing", aliases=[], officer_id=OFFICER_ID, tier="risk", industry="textiles",
                             deals_count=2, created_at=now),
            "good": Client(name="Golden Foods", aliases=[], officer_id=OFFICER_ID, tier="quality", industry="food",
                           deals_count=5, created_at=now),
            "oscar": Client(name="Oscar Weaving", aliases=[], officer_id=OTHER_OFFICER_ID, tier="risk",
                            industry="textiles", deals_count=1, created_at=now),
        }  # fmt: skip
        s.add_all(rows.values())
        await s.commit()
        return {k: v.id for k, v in rows.items()}


def out_payload(outcome: object, verdict: str) -> str:
    for reply in outcome.replies:  # type: ignore[attr-defined]
        for row in reply.buttons:
            for b in row:
                if b.payload.startswith("objection:out:") and b.payload.endswith(f":{verdict}"):
                    return b.payload
    raise AssertionError(f"no {verdict} outcome button")


async def card_for(h: ConsoleHarness, text: str, *, user: int = OFFICER_ID) -> dict:
    out = await h.send(text, user=user)
    data = out.as_json()
    assert data["skill"] == "objection", data
    return data


async def tap(
    h: ConsoleHarness, text: str, verdict: str, *, user: int = OFFICER_ID, angle_button: bool = False
) -> dict:
    """Show the card for ``text``, optionally open "Another angle", and tap the outcome under what is shown."""
    out = await h.send(text, user=user)
    if angle_button:
        angle = next(b.payload for row in h.reply().buttons for b in row if b.payload.startswith("objection:angle:"))
        out = await h.press(angle, user=user)
    pressed = await h.press(out_payload(out, verdict), user=user)
    return pressed.as_json()


async def test_every_card_and_angle_carries_the_three_outcome_buttons(harness: ConsoleHarness) -> None:
    await seed(harness)
    out = await harness.send("Risky Textiles says the rate is too high", user=OFFICER_ID)
    labels = [b.label for row in harness.reply().buttons for b in row]
    assert {"👍 Worked", "👎 Didn't", "💬 Client said…"} <= set(labels)
    assert out.as_json()["data"]["angle"] == "a"
    angle = next(b.payload for row in harness.reply().buttons for b in row if b.payload.startswith("objection:angle:"))
    await harness.press(angle, user=OFFICER_ID)
    assert any(b.payload.endswith(":b:" + angle.split(":")[-1] + ":w") for row in harness.reply().buttons for b in row)


async def test_a_tier_where_the_main_answer_keeps_failing_gets_the_angle_that_worked(
    any_db_harness: ConsoleHarness,
) -> None:
    harness = any_db_harness  # SQLite and PostgreSQL
    ids = await seed(harness)
    for _ in range(3):  # on calls with risk-tier textile clients the main answer fails, the other angle works
        assert (await tap(harness, "Risky Textiles says the rate is too high", "f"))["data"]["outcome"] == "failed"
        assert (await tap(harness, "Shaky Dyeing says the rate is too high", "w", angle_button=True))["data"][
            "angle"
        ] == "b"
    risky = await card_for(harness, "Risky Textiles says the rate is too high")
    assert risky["data"]["client"]["id"] == ids["risky"]
    assert risky["data"]["angle"] == "b" and risky["data"]["angle_order"] == ["b", "a"]
    card_text = harness.reply().text
    assert section("obj.rate-too-high", "en", "Another angle")[:40] in card_text
    assert section("obj.rate-too-high", "en", "Respond")[:40] not in card_text
    # "Another angle" now gives the playbook's main answer
    angle = next(b.payload for row in harness.reply().buttons for b in row if b.payload.startswith("objection:angle:"))
    other = (await harness.press(angle, user=OFFICER_ID)).as_json()
    assert other["data"]["angle_key"] == "a"
    assert section("obj.rate-too-high", "en", "Respond")[:40] in harness.reply().text
    # a quality food client still gets the playbook order: the risk pattern barely touches it
    good = await card_for(harness, "Golden Foods says the rate is too high")
    assert good["data"]["angle"] == "a"
    # a risk textile client of a teammate is read with the same team evidence
    oscar = await card_for(harness, "Oscar Weaving says the rate is too high", user=OTHER_OFFICER_ID)
    assert oscar["data"]["angle"] == "b"


async def test_one_tap_does_not_flip_the_order_and_the_same_card_counts_once(harness: ConsoleHarness) -> None:
    await seed(harness)
    out = await harness.send("Risky Textiles says the rate is too high", user=OFFICER_ID)
    fail = out_payload(out, "f")
    first = (await harness.press(fail, user=OFFICER_ID)).as_json()
    assert first["data"]["angle_order"] == ["a", "b"]
    again = (await harness.press(fail, user=OFFICER_ID)).as_json()
    assert again["data"]["changed"] is False and again["data"]["outcome_id"] == first["data"]["outcome_id"]
    assert (await card_for(harness, "Risky Textiles says the rate is too high"))["data"]["angle"] == "a"
    # a second, separate failure for the same tier does flip it (the other angle is untried: prior only)
    second = await tap(harness, "Shaky Dyeing says the rate is too high", "f")
    assert second["data"]["angle_order"] == ["b", "a"]
    assert "leads with the other angle" in harness.reply().text
    async with harness.runtime.services.sessionmaker() as s:
        rows = (await s.scalars(select(CardOutcome))).all()
    assert len(rows) == 2 and {r.team_key for r in rows} == {MANAGER_ID} and {r.tier for r in rows} == {"risk"}


async def test_another_teams_evidence_does_not_move_this_team(harness: ConsoleHarness) -> None:
    await seed(harness, same_team=False)
    for _ in range(2):
        await tap(harness, "Oscar Weaving says the rate is too high", "f", user=OTHER_OFFICER_ID)
    assert (await card_for(harness, "Oscar Weaving says the rate is too high", user=OTHER_OFFICER_ID))["data"][
        "angle"
    ] == "b"
    assert (await card_for(harness, "Risky Textiles says the rate is too high"))["data"]["angle"] == "a"


async def test_chinese_cards_learn_the_same_way(harness: ConsoleHarness) -> None:
    await seed(harness)
    for _ in range(2):
        done = await tap(harness, "华东纺织说利息太高了", "f")
        assert "已记录" in harness.reply().text and done["data"]["outcome"] == "failed"
    zh = await card_for(harness, "华东纺织说利息太高了")
    assert zh["data"]["lang"] == "zh" and zh["data"]["angle"] == "b"
    assert section("obj.rate-too-high", "zh", "Another angle")[:20] in harness.reply().text
    labels = [b.label for row in harness.reply().buttons for b in row]
    assert {"👍 有效", "👎 没用", "💬 客户说…"} <= set(labels)


async def test_client_said_stores_the_remark_and_answers_a_new_objection(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    out = await harness.send("Risky Textiles says the rate is too high", user=OFFICER_ID)
    asked = (await harness.press(out_payload(out, "s"), user=OFFICER_ID)).as_json()
    assert asked["data"]["awaiting"] == "remark"
    said = await harness.send("he also won't sign a personal guarantee", user=OFFICER_ID)
    replies = said.replies
    assert replies[0].data["remark"] == "he also won't sign a personal guarantee"
    assert replies[0].data["client_id"] == ids["risky"]
    assert len(replies) == 2 and replies[1].data["objection_id"] == "obj.guarantee-required"
    # the conversation is closed: the next message is routed normally
    nxt = await harness.send("quote 1m 90d", user=OFFICER_ID)
    assert nxt.as_json()["skill"] == "quote"
    async with harness.runtime.services.sessionmaker() as s:
        row = (await s.scalars(select(CardOutcome))).one()
    assert (row.verdict, row.angle, row.client_id) == ("said", "a", ids["risky"])


async def test_buttons_of_another_officer_are_refused(harness: ConsoleHarness) -> None:
    await seed(harness)
    out = await harness.send("Risky Textiles says the rate is too high", user=OFFICER_ID)
    refused = (await harness.press(out_payload(out, "w"), user=OTHER_OFFICER_ID)).as_json()
    assert refused["data"].get("error") is True
    forged = (await harness.press("objection:out:obj.rate-too-high:z:1:w", user=OFFICER_ID)).as_json()
    assert forged["data"].get("error") is True
    huge = (await harness.press("objection:out:obj.rate-too-high:a:999999999999999999:w", user=OFFICER_ID)).as_json()
    assert huge["data"].get("error") is True
    async with harness.runtime.services.sessionmaker() as s:
        assert (await s.scalars(select(CardOutcome))).all() == []


async def test_a_playbook_answer_outcome_is_stored_for_the_entry(harness: ConsoleHarness) -> None:
    ids = await seed(harness)
    await harness.send("Golden Foods says the rate is too high", user=OFFICER_ID)  # Golden Foods is now recent
    done = (await harness.press("objection:out:comm.objection-method:p:0:w", user=OFFICER_ID)).as_json()
    assert done["data"]["outcome"] == "worked" and done["data"]["client_id"] == ids["good"]
    async with harness.runtime.services.sessionmaker() as s:
        row = (await s.scalars(select(CardOutcome))).one()
    assert (row.card_id, row.angle, row.tier) == ("comm.objection-method", "p", "quality")
