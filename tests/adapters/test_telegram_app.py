"""FactorMate on the real python-telegram-bot Application, driven over HTTP through the fake Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from skills.contract import Button
from skills.store import OutboxMessage, unit_of_work
from skills.store.outbox import enqueue
from tests.conftest import ADMIN_ID, OFFICER_ID, STRANGER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot


async def test_stranger_gets_only_the_refusal_with_their_id(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(STRANGER_ID, "/start")
        fake_bot_api.user_sends(STRANGER_ID, "quote 1m 90d")
        sent = await fake_bot_api.wait_for_sent(STRANGER_ID, count=2)
    assert all(str(STRANGER_ID) in m.text for m in sent)
    assert all("only for FactorMate officers" in m.text for m in sent)
    assert all(m.reply_markup is None for m in sent)
    assert len(fake_bot_api.messages_to(STRANGER_ID)) == 2


async def test_refusal_in_chinese_for_a_chinese_telegram_user(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(STRANGER_ID, "你好", language_code="zh-hans")
        (msg,) = await fake_bot_api.wait_for_sent(STRANGER_ID)
    assert "仅供" in msg.text and str(STRANGER_ID) in msg.text


async def test_allowlisted_officer_start_gets_the_welcome(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(OFFICER_ID, "/start", first_name="Lin")
        (msg,) = await fake_bot_api.wait_for_sent(OFFICER_ID)
        fake_bot_api.user_sends(OFFICER_ID, "/lang zh")
        fake_bot_api.user_sends(OFFICER_ID, "/help")
        _, _, zh = await fake_bot_api.wait_for_sent(OFFICER_ID, count=3)
    assert "FactorMate" in msg.text and "Lin" in msg.text and msg.parse_mode == "HTML"
    assert "/help" in msg.text
    assert "保理业务助手" in zh.text


async def test_commands_are_registered_in_english_and_chinese(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        await fake_bot_api.wait_for_call("setMyCommands", count=2)
    names = {c["command"] for c in fake_bot_api.commands[""]}
    assert {"start", "help", "lang", "tz"} <= names
    assert "grant" not in names  # admin-only commands stay out of the public menu
    zh = {c["command"]: c["description"] for c in fake_bot_api.commands["zh"]}
    assert zh["help"] == "功能说明与示例"


async def test_a_refused_command_menu_does_not_stop_the_bot_answering(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    """The menu goes out beside the first updates; Telegram refusing it is logged, and the bot answers."""
    fake_bot_api.fail_next("setMyCommands", status=500, description="Internal Server Error", times=2)
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(OFFICER_ID, "/help")
        (msg,) = await fake_bot_api.wait_for_sent(OFFICER_ID)
    assert "FactorMate" in msg.text


async def test_buttons_are_answered_and_route_back(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(OFFICER_ID, "zzzz qqqq xxxx")
        (question,) = await fake_bot_api.wait_for_sent(OFFICER_ID)
        assert question.buttons, "an unclear message is answered with choices"
        fake_bot_api.user_presses(OFFICER_ID, question, "router:pick:nonexistent")
        await fake_bot_api.wait_for_call("answerCallbackQuery")
        _, expired = await fake_bot_api.wait_for_sent(OFFICER_ID, count=2)
    assert "expired" in expired.text
    assert len(fake_bot_api.callback_answers) == 1


async def test_admin_grants_access_and_the_new_officer_is_served(fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock):
        fake_bot_api.user_sends(ADMIN_ID, f"/grant {STRANGER_ID} officer")
        (granted,) = await fake_bot_api.wait_for_sent(ADMIN_ID)
        fake_bot_api.user_sends(STRANGER_ID, "/start")
        (welcome,) = await fake_bot_api.wait_for_sent(STRANGER_ID)
        fake_bot_api.user_sends(ADMIN_ID, f"/revoke {STRANGER_ID}")
        await fake_bot_api.wait_for_sent(ADMIN_ID, count=2)
        fake_bot_api.user_sends(STRANGER_ID, "/start")
        _, refused = await fake_bot_api.wait_for_sent(STRANGER_ID, count=2)
    assert str(STRANGER_ID) in granted.text
    assert "FactorMate" in welcome.text and "only for" not in welcome.text
    assert "only for FactorMate officers" in refused.text


async def test_push_during_429_is_delivered_once_after_retry_after(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock) as bot:
        fake_bot_api.fail_next("sendMessage", status=429, retry_after=5)
        async with unit_of_work(bot.runtime.services.sessionmaker) as session:
            await enqueue(
                session, chat_id=OFFICER_ID, kind="reminder", text="⏰ Call Acme", due_at=clock.now,
                idempotency_key="test:1", buttons=[[Button("Done", "reminders:done:1")]],
            )
        first = await bot.dispatcher.tick(clock.now)
        assert first.retried == 1 and first.sent == 0
        clock.advance(seconds=4)
        early = await bot.dispatcher.tick(clock.now)
        assert early.sent == 0, "retry_after must be honoured"
        clock.advance(seconds=1)
        later = await bot.dispatcher.tick(clock.now)
        again = await bot.dispatcher.tick(clock.advance(seconds=60))
        async with bot.runtime.services.sessionmaker() as session:
            row = await session.scalar(select(OutboxMessage))
    assert later.sent == 1 and again.sent == 0
    pushes = fake_bot_api.messages_to(OFFICER_ID)
    assert [m.text for m in pushes] == ["⏰ Call Acme"]
    assert pushes[0].button("Done") == "reminders:done:1"
    assert row is not None and row.state == "sent" and row.attempts == 2


async def test_an_unexpected_error_gets_an_apology_and_is_logged(
    fake_bot_api: FakeBotAPI,
    sqlite_url: str,
    tmp_path: Path,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path), clock) as bot:
        async def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("kaboom")

        # skills are module-level singletons: patch through monkeypatch so the next test gets the real one
        monkeypatch.setattr(bot.runtime.router.skills["help"], "handle", boom)
        fake_bot_api.user_sends(OFFICER_ID, "/help")
        (msg,) = await fake_bot_api.wait_for_sent(OFFICER_ID)
    assert "Sorry, something went wrong" in msg.text
    assert any("kaboom" in str(r.exc_info) for r in caplog.records if r.exc_info)


async def test_uploaded_document_reaches_the_router_as_an_attachment(
    fake_bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, clock: Clock
) -> None:
    async with running_bot(fake_bot_api, make_settings(sqlite_url, tmp_path, portfolio={"max_upload_bytes": 100}), clock) as bot:
        seen: list[bytes] = []

        class FileSkill:
            name = "filetest"
            accepts_files = True

            async def handle(self, request, services):  # type: ignore[no-untyped-def]
                from skills.contract import Reply

                seen.append(request.attachment.content)
                return Reply(text=f"got {request.attachment.file_name} ({len(request.attachment.content)} bytes)")

        bot.runtime.router.skills = {"filetest": FileSkill(), **bot.runtime.router.skills}  # type: ignore[dict-item]
        fake_bot_api.user_uploads(OFFICER_ID, "ledger.csv", b"client,amount\nAcme,100\n", mime_type="text/csv")
        (ok,) = await fake_bot_api.wait_for_sent(OFFICER_ID)
        fake_bot_api.user_uploads(OFFICER_ID, "huge.csv", b"x" * 500, mime_type="text/csv")
        _, too_big = await fake_bot_api.wait_for_sent(OFFICER_ID, count=2)
    assert ok.text == "got ledger.csv (23 bytes)" and seen == [b"client,amount\nAcme,100\n"]
    assert "too large" in too_big.text
