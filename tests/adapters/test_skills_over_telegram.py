"""Every skill as an officer meets it on Telegram: real Application, fake Bot API, buttons pressed.

The demo portfolio belongs to OFFICER_ID; OTHER_OFFICER_ID must never see it. The playbook retriever is
not loaded here (the objection skill works without it; the playbook skill has its own suite).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skills.portfolio.demo import load_demo
from skills.store import unit_of_work
from skills.store.models import Officer
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI, SentMessage
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import RunningBot, running_bot

pytestmark = pytest.mark.slow


async def _with_demo(bot: RunningBot) -> None:
    async with unit_of_work(bot.runtime.services.sessionmaker) as session:
        for officer in (OFFICER_ID, OTHER_OFFICER_ID):
            if await session.get(Officer, officer) is None:
                session.add(Officer(id=officer, name=str(officer), role="officer", active=True, created_at=bot.clock.now))
        await session.flush()
        await load_demo(session, officer_ids=[OFFICER_ID], today=bot.clock.now.date(), now=bot.clock.now)


async def _say(fake: FakeBotAPI, text: str, *, user: int = OFFICER_ID, lang: str = "en") -> SentMessage:
    before = len(fake.messages_to(user))
    fake.user_sends(user, text, language_code=lang)
    return (await fake.wait_for_sent(user, count=before + 1, timeout=60))[-1]


async def _press(fake: FakeBotAPI, message: SentMessage, label: str, *, user: int = OFFICER_ID) -> SentMessage:
    before_sent, before_edits = len(fake.messages_to(user)), len(fake.edits)
    answers = len(fake.callback_answers)
    fake.user_presses(user, message, message.button(label))
    await fake.wait_for_call("answerCallbackQuery", count=answers + 1, timeout=60)
    await fake._signal.wait_until(  # the reply is either a new message or an edit of this one
        lambda: len(fake.messages_to(user)) > before_sent or len(fake.edits) > before_edits, 60
    )
    if len(fake.messages_to(user)) > before_sent:
        return fake.messages_to(user)[-1]
    return fake.edits[-1]


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock):  # type: ignore[no-untyped-def]
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock) as running:
        await _with_demo(running)
        yield running


async def test_quote_and_its_buttons(bot: RunningBot) -> None:
    fake = bot.fake
    quote = await _say(fake, "quote 1m 90d")
    assert "783,000.00" in quote.text and "17,000.00" in quote.text
    explained = await _press(fake, quote, "Explain for finance")
    assert "8.50%" in explained.text
    compared = await _press(fake, quote, "Compare")
    assert "bank" in compared.text.lower()
    zh = await _say(fake, "100万 90天 融资比例80%", lang="zh")
    assert "783,000.00" in zh.text


async def test_objection_card_and_every_button(bot: RunningBot) -> None:
    fake = bot.fake
    card = await _say(fake, "client says 1.2% per month is too expensive")
    assert len(card.text) <= 700 and card.buttons
    for label in ("Another angle", "Full script", "Client-ready text", "Log it"):
        answer = await _press(fake, card, label)
        assert answer.text, label
    top = await _say(fake, "/objections")
    assert "1" in top.text


async def test_client_profile_arrives_with_an_aging_chart(bot: RunningBot) -> None:
    fake = bot.fake
    before = len(fake.messages_to(OFFICER_ID))
    fake.user_sends(OFFICER_ID, "/client Acme")
    sent = await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60)
    photos = [m for m in sent[before:] if m.method == "sendPhoto"]
    assert photos and photos[0].photo is not None and photos[0].photo.startswith(b"\x89PNG")
    assert "Acme" in " ".join(m.text or "" for m in sent[before:])


async def test_alert_push_is_sent_once_and_acknowledged(bot: RunningBot) -> None:
    fake = bot.fake
    await bot.dispatcher.tick(bot.clock.now)
    cards = ("🟥", "🟨", "📋")  # the demo's first sweep is one digest (issue 14), later ones single cards
    pushes = [m for m in fake.messages_to(OFFICER_ID) if m.text.startswith(cards)]
    assert pushes, "the demo portfolio raises red/yellow cards"
    await bot.dispatcher.tick(bot.clock.advance(minutes=20))
    again = [m for m in fake.messages_to(OFFICER_ID) if m.text.startswith(cards)]
    assert len(again) == len(pushes), "an open alert is not pushed twice"
    acked = await _press(fake, pushes[0], "Acknowledge" if not pushes[0].text.startswith("📋") else "✅ 1")
    assert acked.text
    listing = await _say(fake, "any red flags on Acme?")
    assert "Acme" in listing.text
    assert not [m for m in fake.messages_to(OTHER_OFFICER_ID) if m.text.startswith(cards)]


async def test_reminder_set_delivered_on_time_and_done(bot: RunningBot) -> None:
    fake = bot.fake
    confirm = await _say(fake, "remind me in 2 hours to call Acme")
    assert "call Acme" in confirm.text
    await bot.dispatcher.tick(bot.clock.advance(hours=1))
    assert not [m for m in fake.messages_to(OFFICER_ID) if m.text.startswith("⏰") and "call Acme" in m.text and m is not confirm]
    await bot.dispatcher.tick(bot.clock.advance(hours=1, seconds=1))
    due = [m for m in fake.messages_to(OFFICER_ID) if "call Acme" in m.text and m.buttons and m is not confirm]
    assert len(due) == 1
    done = await _press(fake, due[-1], "Done")
    assert done.text


async def test_another_officer_cannot_see_these_clients(bot: RunningBot) -> None:
    fake = bot.fake
    profile = await _say(fake, "/client Acme", user=OTHER_OFFICER_ID)
    assert "Acme Trading" not in profile.text
    alerts = await _say(fake, "/alerts", user=OTHER_OFFICER_ID)
    assert "Acme" not in alerts.text
    # a forged button for the first officer's client is refused
    fake.user_presses(OTHER_OFFICER_ID, profile, "client:show:1")
    refused = (await fake.wait_for_sent(OTHER_OFFICER_ID, count=3, timeout=60))[-1]
    assert "Acme" not in refused.text


async def test_ledger_upload_preview_then_confirm(bot: RunningBot) -> None:
    fake = bot.fake
    csv = (
        b"client,debtor,invoice_no,amount,currency,issue_date,due_date\n"
        b"\"Acme Trading Co., Ltd.\",Globex,INV-T-1,120000,CNY,2026-10-01,2026-12-30\n"
        b"\"Acme Trading Co., Ltd.\",Globex,INV-T-2,80000,CNY,2026-10-05,2027-01-04\n"
    )
    before = len(fake.messages_to(OFFICER_ID))
    fake.user_uploads(OFFICER_ID, "ledger.csv", csv, mime_type="text/csv")
    preview = (await fake.wait_for_sent(OFFICER_ID, count=before + 1, timeout=60))[-1]
    assert "2" in preview.text and preview.buttons
    confirmed = await _press(fake, preview, "Confirm import")
    assert confirmed.text
    again_before = len(fake.messages_to(OFFICER_ID))
    fake.user_uploads(OFFICER_ID, "ledger.csv", csv, mime_type="text/csv")
    second = (await fake.wait_for_sent(OFFICER_ID, count=again_before + 1, timeout=60))[-1]
    assert "unchanged" in second.text.lower() or "0 new" in second.text.lower()


async def test_chinese_officer_gets_chinese_everywhere(bot: RunningBot) -> None:
    fake = bot.fake
    await _say(fake, "/lang zh")
    for text in ("报价 50万元 60天", "客户嫌手续费太高", "今天有什么风险预警", "3天后提醒我跟进华东纺织"):
        reply = await _say(fake, text, lang="zh")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.text), (text, reply.text)


async def test_inline_mode_offers_client_ready_texts_to_officers_only(bot: RunningBot) -> None:
    fake = bot.fake
    en = fake.user_inline_query(OFFICER_ID, "rate too high")["inline_query"]["id"]
    stranger = fake.user_inline_query(9999, "rate too high")["inline_query"]["id"]
    zh = fake.user_inline_query(OFFICER_ID, "保证金太高", language_code="zh")["inline_query"]["id"]
    await fake.wait_for_call("answerInlineQuery", count=3, timeout=60)
    results = {a["inline_query_id"]: a["results"] for a in fake.inline_answers}
    assert results[en] and results[zh] and results[stranger] == []
    text = results[zh][0]["input_message_content"]["message_text"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
