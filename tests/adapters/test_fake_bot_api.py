"""The fake Bot API drives the real python-telegram-bot ``Application`` over HTTP on localhost."""

from __future__ import annotations

import asyncio
import datetime as dtm
import os
import socket
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, Conflict, EndPointNotFound, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from tests.fixtures.fake_bot_api import FakeBotAPI, fake_bot_api

__all__ = ["fake_bot_api"]  # re-exported so pytest finds the fixture here without a conftest

USER = 4242


def build_app(fake: FakeBotAPI) -> Application:
    """A real PTB Application pointed at the fake, with echo/callback/document/inline handlers."""
    app = (
        ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot").build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("✅ Approve", callback_data="approve:1")],
                [InlineKeyboardButton("Docs", url="https://example.com/docs")],
            ]
        )
        await update.effective_message.reply_text("echo: " + " ".join(context.args or []), reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("done")
        await query.edit_message_text(f"chose {query.data}")

    async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.document is not None
        data = await (await message.document.get_file()).download_as_bytearray()
        await message.reply_text(f"got {len(data)} bytes of {message.document.file_name}")

    async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        assert query is not None
        await query.answer(
            [InlineQueryResultArticle("r1", f"Result {query.query}", InputTextMessageContent(query.query))],
            cache_time=0,
        )

    app.add_handler(CommandHandler("echo", echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(InlineQueryHandler(inline))
    return app


@asynccontextmanager
async def polling(fake: FakeBotAPI) -> AsyncIterator[Application]:
    app = build_app(fake)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@asynccontextmanager
async def bare_bot(fake: FakeBotAPI, token: str | None = None) -> AsyncIterator[Bot]:
    bot = Bot(token or fake.token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot")
    async with bot:
        yield bot


@pytest.mark.asyncio
async def test_command_callback_document_and_inline_round_trip(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with polling(fake) as app:
        assert app.bot.username == "FactorMateBot"

        update = fake.user_sends(USER, "/echo hello world")
        assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
        [reply] = await fake.wait_for_sent(chat_id=USER)
        assert reply.method == "sendMessage"
        assert reply.text == "echo: hello world"
        assert reply.buttons == [[("✅ Approve", "approve:1")], [("Docs", "https://example.com/docs")]]
        assert reply.button("Approve") == "approve:1"

        fake.user_presses(USER, reply, reply.button("Approve"))
        [edit_params] = await fake.wait_for_call("editMessageText")
        assert fake.callback_answers[0]["text"] == "done"
        assert edit_params["message_id"] == reply.message_id
        assert fake.edits[-1].text == "chose approve:1"
        assert fake.current_message(USER, reply.message_id)["text"] == "chose approve:1"  # type: ignore[index]

        content = b"%PDF-1.4 fake invoice" * 10
        fake.user_uploads(USER, "invoice.pdf", content, mime_type="application/pdf")
        sent = await fake.wait_for_sent(chat_id=USER, count=2)
        assert sent[-1].text == f"got {len(content)} bytes of invoice.pdf"

        fake.user_inline_query(USER, "acme")
        [answer] = await fake.wait_for_call("answerInlineQuery")
        assert answer["results"][0]["id"] == "r1"
        assert answer["results"][0]["title"] == "Result acme"
        assert fake.inline_answers == [answer]

    # user's message id 1, bot reply 2, upload 3, bot reply 4: ids increase per chat
    assert [m.message_id for m in fake.messages_to(USER)] == [2, 4]
    assert not fake.unknown_calls
    assert fake.pending_updates == []  # the final getUpdates on stop confirmed everything


@pytest.mark.asyncio
async def test_photo_and_document_uploads_keep_bytes(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        photo_message = await bot.send_photo(USER, photo=b"\x89PNG fake", caption="chart")
        doc_message = await bot.send_document(USER, document=b"a,b\n1,2\n", filename="report.csv")
        assert photo_message.caption == "chart"
        assert photo_message.photo[-1].file_size == len(b"\x89PNG fake")
        assert doc_message.document is not None and doc_message.document.file_name == "report.csv"
        downloaded = await (await bot.get_file(doc_message.document.file_id)).download_as_bytearray()
        await bot.send_chat_action(USER, "typing")
    photo, document = fake.sent
    assert (photo.method, photo.text, photo.photo) == ("sendPhoto", "chart", b"\x89PNG fake")
    assert (document.method, document.file_name, document.document) == ("sendDocument", "report.csv", b"a,b\n1,2\n")
    assert bytes(downloaded) == b"a,b\n1,2\n"
    assert fake.chat_actions[0]["action"] == "typing"


@pytest.mark.asyncio
async def test_fail_next_429_raises_retry_after(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    fake.fail_next("sendMessage", retry_after=1)
    async with bare_bot(fake) as bot:
        # PTB 22.x returns int (with a PTBDeprecationWarning, emitted already when RetryAfter is built)
        # unless PTB_TIMEDELTA opts into timedelta; the project turns warnings into errors, so silence it here.
        with warnings.catch_warnings(), pytest.raises(RetryAfter) as caught:
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            await bot.send_message(USER, "hi")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            retry_after = caught.value.retry_after
        if os.getenv("PTB_TIMEDELTA", "false").lower().strip() in ("true", "1"):
            assert retry_after == dtm.timedelta(seconds=1)
        else:
            assert retry_after == 1
        assert "Flood control exceeded" in str(caught.value)
        message = await bot.send_message(USER, "hi again")  # only the next call failed
    assert message.text == "hi again"
    assert [name for name, _ in fake.calls].count("sendMessage") == 2
    assert [m.text for m in fake.sent] == ["hi again"]


@pytest.mark.asyncio
async def test_server_error_delay_and_dropped_connection(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        fake.fail_next("sendMessage", status=500, description="Internal Server Error", times=2)
        for _ in range(2):
            with pytest.raises(NetworkError, match="Internal Server Error"):
                await bot.send_message(USER, "x")

        fake.fail_with_delay("sendMessage", 1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "slow", read_timeout=0.2)
        # like real Telegram, the slow call still takes effect after the client gave up
        sent = await fake.wait_for_sent(chat_id=USER, timeout=5)
        assert [m.text for m in sent] == ["slow"]

        fake.drop_connection("getMe")
        with pytest.raises(NetworkError) as caught:
            await bot.get_me()
        assert not isinstance(caught.value, TimedOut)
        assert (await bot.get_me()).username == "FactorMateBot"


@pytest.mark.asyncio
async def test_validation_errors_look_like_telegram(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        message = await bot.send_message(USER, "same")
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("same", chat_id=USER, message_id=message.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("new", chat_id=USER, message_id=999)
        assert await bot.delete_message(USER, message.message_id)
        assert fake.deleted == [(USER, message.message_id)]
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(
                USER, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]])
            )
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("frobnicate", api_kwargs={"a": 1})
    assert fake.unknown_calls == [("frobnicate", {"a": 1})]

    calls_before = len(fake.calls)
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=f"{fake.url}/bot"):  # initialize() calls getMe
            pass
    assert len(fake.calls) == calls_before  # rejected before reaching any method


@pytest.mark.asyncio
async def test_commands_and_webhook_registration_recorded(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        await bot.set_my_commands([("start", "Start"), ("help", "Help")])
        await bot.set_my_commands([("start", "Начать")], language_code="ru")
        assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
        assert [c.description for c in await bot.get_my_commands(language_code="ru")] == ["Начать"]
        await bot.delete_my_commands(language_code="ru")
        assert set(fake.commands) == {""}

        assert await bot.set_webhook("https://bot.example/hook", secret_token="s3cret", max_connections=5)
        assert fake.webhook is not None
        assert fake.webhook["url"] == "https://bot.example/hook"
        assert fake.webhook["secret_token"] == "s3cret"
        assert fake.webhook["max_connections"] == 5
        info = await bot.get_webhook_info()
        assert info.url == "https://bot.example/hook"

        fake.user_sends(USER, "queued while webhook is public")  # non-loopback: stays pending, not delivered
        assert (await bot.get_webhook_info()).pending_update_count == 1
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        assert await bot.delete_webhook(drop_pending_updates=True)
        assert fake.webhook is None
        assert await bot.get_updates() == ()
    assert [name for name, _ in fake.calls].count("setWebhook") == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.asyncio
async def test_webhook_mode_delivers_updates_with_secret(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    port = _free_port()
    app = build_app(fake)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url="https://bot.example/hook",
        secret_token="s3cret",
    )
    try:
        assert fake.webhook is not None and fake.webhook["secret_token"] == "s3cret"
        fake.webhook_delivery_url = f"http://127.0.0.1:{port}/hook"

        fake.user_sends(USER, "/echo via webhook")
        [(_, status)] = await fake.wait_for_webhook_deliveries()
        assert status == 200
        [reply] = await fake.wait_for_sent(chat_id=USER)
        assert reply.text == "echo: via webhook"

        forged = fake.user_sends(USER, "/echo forged")
        status = await fake.deliver_to_webhook(forged, secret="wrong")
        assert status == 403
        with pytest.raises(ValueError, match="non-loopback"):
            await fake.deliver_to_webhook(forged, url="https://bot.example/hook")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.mark.asyncio
async def test_wait_for_sent_times_out_with_summary(fake_bot_api: FakeBotAPI) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        await bot.send_message(USER, "only one")
    with pytest.raises(TimeoutError, match=r"(?s)expected >= 2 message\(s\).*'only one'"):
        await fake.wait_for_sent(chat_id=USER, count=2, timeout=0.2)
    with pytest.raises(TimeoutError, match="sendPhoto"):
        await fake.wait_for_call("sendPhoto", timeout=0.1)


@pytest.mark.asyncio
async def test_get_updates_long_polls_until_an_update_arrives() -> None:
    async with FakeBotAPI(token="77:ABC") as fake, aiohttp.ClientSession() as session:
        loop = asyncio.get_running_loop()
        started = loop.time()
        poll = asyncio.ensure_future(session.post(f"{fake.url}/bot77:ABC/getUpdates", data={"timeout": "5"}))
        await fake.wait_for_call("getUpdates")
        fake.user_sends(USER, "wake up")
        async with await poll as response:
            body = await response.json()
        assert loop.time() - started < 4
        assert body["ok"] is True
        assert [u["message"]["text"] for u in body["result"]] == ["wake up"]

        confirm = await session.post(f"{fake.url}/bot77:ABC/getUpdates", data={"offset": "2", "timeout": "0"})
        assert (await confirm.json())["result"] == []
        assert fake.pending_updates == []
