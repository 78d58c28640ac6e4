"""Client feedback through the real router: /feedback, the 1–5 question, the card's button, the trend and the
yellow signal on the profile, and the public API the morning brief and /portfolio read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skills.client.feedback.api import recent_feedback
from skills.client.feedback.parse import parse_feedback
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID
from tests.fixtures.harness import ConsoleHarness
from tests.skills.alerts.data import seed


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("4/5 fast funding, wants lower fees", 4),
        ("gave us 4 out of 5", 4),
        ("3 stars, approval too slow", 3),
        ("★★★★★ loves the app", 5),
        ("very satisfied with the speed", 5),
        ("not happy about the fees", 2),
        ("furious about the late payout", 1),
        ("satisfaction: 2", 2),
        ("满意度4，放款快", 4),
        ("满意度：3分", 3),
        ("非常满意", 5),
        ("很不满意，审批太慢", 1),
        ("不太满意手续费", 2),
        ("评价一般", 3),
        ("打了五分", 5),
        ("四星", 4),
        ("wants the limit raised to 5m by Friday", None),
        ("希望额度提高到500万", None),
    ],
)
def test_satisfaction_is_read_from_figures_and_words(text: str, score: int | None) -> None:
    assert parse_feedback(text).score == score


async def test_feedback_command_stores_score_and_remarks_on_the_client(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = await harness.send("/feedback Acme 4/5 fast funding, wants lower fees", user=OFFICER_ID)
    data = out.as_json()
    assert data["skill"] == "client" and data["intent"] == "feedback_saved"
    assert data["data"]["client_id"] == sc.acme and data["data"]["score"] == 4
    assert data["data"]["remarks"] == "4/5 fast funding, wants lower fees"
    assert "Acme Trading" in harness.reply().text and "4/5" in harness.reply().text
    zh = (await harness.send("/feedback 艾克米 满意度5 很满意", user=OFFICER_ID)).as_json()
    assert zh["data"]["score"] == 5 and "已保存" in harness.reply().text


async def test_missing_score_is_asked_with_five_buttons(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = await harness.send("/feedback Acme wants the limit raised before Chinese New Year", user=OFFICER_ID)
    reply = harness.reply()
    assert out.as_json()["data"]["score"] is None
    assert [b.label for b in reply.buttons[0]] == ["1", "2", "3", "4", "5"]
    refused = await harness.press(reply.buttons[0][2].payload, user=OTHER_OFFICER_ID)
    assert refused.as_json()["data"].get("error") is True
    picked = (await harness.press(reply.buttons[0][2].payload, user=OFFICER_ID)).as_json()
    assert picked["data"]["score"] == 3 and picked["data"]["client_id"] == sc.acme


async def test_falling_satisfaction_gives_a_yellow_signal_on_the_profile(any_db_harness: ConsoleHarness) -> None:
    harness = any_db_harness  # SQLite and PostgreSQL
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    for text in ("5/5 great", "5 stars", "4/5 ok"):
        await harness.send(f"/feedback Acme {text}", user=OFFICER_ID)
        harness.clock.advance(days=7)
    profile = (await harness.send("/client Acme", user=OFFICER_ID)).as_json()
    assert profile["data"]["feedback"]["signal"] is None and profile["data"]["feedback"]["scores"] == [5, 5, 4]
    dropped = (await harness.send("/feedback Acme 2/5 payout was late twice", user=OFFICER_ID)).as_json()
    assert dropped["data"]["signal"] == "yellow"
    assert "🟡" in harness.reply().text
    card = (await harness.send("/client Acme", user=OFFICER_ID)).as_json()
    assert card["data"]["feedback"]["falling"] is True and card["data"]["feedback"]["scores"] == [5, 5, 4, 2]
    assert "🟡" in card["text"] and "payout was late twice" in card["text"]
    assert card["data"]["client_id"] == sc.acme


async def test_card_button_asks_and_the_next_message_is_the_feedback(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    await harness.send("/client Acme", user=OFFICER_ID)
    button = next(b.payload for row in harness.reply().buttons for b in row if b.payload.startswith("client:fbask:"))
    asked = (await harness.press(button, user=OFFICER_ID)).as_json()
    assert asked["data"]["awaiting"] == "feedback"
    saved = (await harness.send("非常满意，放款很快", user=OFFICER_ID)).as_json()
    assert saved["skill"] == "client" and saved["data"]["score"] == 5 and saved["data"]["client_id"] == sc.acme
    after = (await harness.send("quote 1m 90d", user=OFFICER_ID)).as_json()
    assert after["skill"] == "quote"  # the question was answered: the conversation is closed
    refused = (await harness.press(button, user=OTHER_OFFICER_ID)).as_json()
    assert refused["data"].get("error") is True


async def test_another_officers_client_cannot_be_given_feedback(harness: ConsoleHarness) -> None:
    await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    out = (await harness.send("/feedback Acme 1/5 terrible", user=OTHER_OFFICER_ID)).as_json()
    assert out["data"].get("error") is True and out["data"].get("not_found") is True


async def test_recent_feedback_api_respects_who_sees_what(harness: ConsoleHarness) -> None:
    sc = await seed(harness, OFFICER_ID, OTHER_OFFICER_ID)
    start = harness.clock()
    await harness.send("/feedback Acme 5/5 great", user=OFFICER_ID)
    harness.clock.advance(days=1)
    await harness.send("/feedback Acme 2/5 unhappy about fees", user=OFFICER_ID)
    async with harness.runtime.services.sessionmaker() as s:
        mine = await recent_feedback(s, [OFFICER_ID], start)
        theirs = await recent_feedback(s, [OTHER_OFFICER_ID], start)
        everyone = await recent_feedback(s, None, start + timedelta(hours=12))
    assert [i.score for i in mine] == [2, 5] and mine[0].client_id == sc.acme
    assert mine[0].satisfaction.falling is True and mine[0].remarks == "2/5 unhappy about fees"
    assert theirs == [] and [i.score for i in everyone] == [2]
