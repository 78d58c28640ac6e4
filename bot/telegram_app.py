"""The Telegram adapter: python-telegram-bot ``Application`` wiring, replies, pushes, polling or webhook.

Everything Telegram-specific lives here: turning updates into ``Incoming``, ``Reply`` objects into
messages (HTML, inline keyboards, photos), and outbox rows into pushes via :class:`TelegramTransport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import re
import signal
import uuid
from collections import defaultdict
from datetime import timedelta

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as timedelta, without deprecation noise

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.access import Caller
from bot.config import ConfigError, Settings
from bot.dispatcher import Dispatcher, PermanentSendError, TransientSendError
from bot.logging_setup import request_id
from bot.messages import MESSAGES
from bot.router import Incoming
from bot.runtime import Runtime
from bot.webhook_server import WebhookServer
from skills.contract import Attachment, Button, Reply
from skills.i18n import detect_lang, normalise_lang, t

__all__ = ["TelegramTransport", "build_application", "run_telegram", "start_application", "stop_application"]

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
_TAG = re.compile(r"<[^>]+>")


def keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """Reply buttons → an inline keyboard."""
    rows = [
        [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=b.payload)
            for b in row
        ]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _chunks(text: str, size: int = MAX_MESSAGE) -> list[str]:
    """Split long text on line breaks so each part fits one Telegram message."""
    if len(text) <= size:
        return [text]
    parts, current = [], ""
    for line in text.split("\n"):
        while len(line) > size:
            parts.append(line[:size])
            line = line[size:]
        if len(current) + len(line) + 1 > size:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts


async def send_reply(bot: object, chat_id: int, reply: Reply) -> Message:
    """Send one Reply (photo with caption, or text split to fit), falling back to plain text on bad HTML."""
    markup = keyboard(reply.buttons)
    if reply.image:
        caption = reply.text if len(reply.text) <= MAX_CAPTION else None
        sent = await _html_or_plain(
            lambda text, mode: bot.send_photo(  # type: ignore[attr-defined]
                chat_id, photo=reply.image, caption=text, parse_mode=mode, reply_markup=markup if caption else None
            ),
            caption,
        )
        if caption is not None:
            return sent  # type: ignore[no-any-return]
    parts = _chunks(reply.text)
    sent_msg: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent_msg = await _html_or_plain(
            lambda text, mode, last=last: bot.send_message(  # type: ignore[attr-defined]
                chat_id, text, parse_mode=mode, reply_markup=markup if last else None, disable_web_page_preview=True
            ),
            part,
        )
    assert sent_msg is not None
    return sent_msg


async def _html_or_plain(send, text: str | None):  # type: ignore[no-untyped-def]
    try:
        return await send(text, ParseMode.HTML if text else None)
    except BadRequest as exc:
        if text and "parse" in str(exc).lower():
            log.warning("HTML rejected by Telegram (%s); sending as plain text", exc)
            return await send(_plain(text), None)
        raise


class TelegramTransport:
    """Sends outbox pushes through the bot, mapping Telegram errors to transient/permanent."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        try:
            message = await send_reply(self.application.bot, chat_id, Reply(text=text, buttons=buttons, image=image))
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise TransientSendError(str(exc), retry_after=seconds) from exc
        except (Forbidden, InvalidToken) as exc:
            raise PermanentSendError(str(exc)) from exc
        except BadRequest as exc:
            raise PermanentSendError(str(exc)) from exc
        except NetworkError as exc:  # timeouts, dropped connections, 5xx
            raise TransientSendError(str(exc)) from exc
        except TelegramError as exc:
            raise TransientSendError(str(exc)) from exc
        return message.message_id


class _Adapter:
    """Update handlers bound to a runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    @staticmethod
    def caller(update: Update) -> Caller:
        user = update.effective_user
        assert user is not None
        return Caller(user_id=user.id, name=user.full_name or "", language_code=user.language_code)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Route a text message, command or uploaded document."""
        message = update.effective_message
        if message is None or update.effective_user is None:
            return
        request_id.set(f"u{update.update_id}")
        attachment = None
        if message.document is not None:
            attachment = await self._download(message)
        incoming = Incoming(
            caller=self.caller(update),
            text=message.text or message.caption or "",
            attachment=attachment,
            chat_id=message.chat_id,
        )
        async with self._locks[update.effective_user.id]:
            outcome = await self.runtime.router.handle(incoming)
            for reply in outcome.replies:
                await send_reply(context.bot, message.chat_id, reply)

    async def _download(self, message: Message) -> Attachment | None:
        document = message.document
        assert document is not None
        limit = self.settings.portfolio.max_upload_bytes
        if document.file_size is not None and document.file_size > limit:
            return Attachment(file_name=document.file_name or "file", content=b"", mime_type="x-too-large")
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
        if len(content) > limit:
            return Attachment(file_name=document.file_name or "file", content=b"", mime_type="x-too-large")
        return Attachment(file_name=document.file_name or "file", content=content, mime_type=document.mime_type)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Route a button press; always answer the callback query."""
        query = update.callback_query
        if query is None:
            return
        request_id.set(f"u{update.update_id}")
        await query.answer()
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        incoming = Incoming(caller=self.caller(update), payload=query.data or "", chat_id=chat_id)
        async with self._locks[query.from_user.id]:
            outcome = await self.runtime.router.handle(incoming)
            for index, reply in enumerate(outcome.replies):
                if index == 0 and reply.edit and isinstance(message, Message) and not reply.image:
                    try:
                        await message.edit_text(
                            reply.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.buttons)
                        )
                        continue
                    except BadRequest as exc:  # "message is not modified" or too old to edit: send anew
                        log.info("edit failed (%s); sending a new message", exc)
                await send_reply(context.bot, chat_id, reply)

    async def on_inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Inline mode (``@bot rate too high`` in any chat): allowlisted officers only."""
        query = update.inline_query
        if query is None:
            return
        results = await self.runtime.router.inline(self.caller(update), query.query)
        articles = [
            InlineQueryResultArticle(
                id=r.id[:64],
                title=r.title,
                description=r.description,
                input_message_content=InputTextMessageContent(r.text),
            )
            for r in results[:10]
        ]
        await query.answer(articles, cache_time=0, is_personal=True)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error with its trace first, then apologise to the officer."""
        log.error("Exception while handling an update:", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            user = update.effective_user
            text = update.effective_message.text if update.effective_message else ""
            lang = normalise_lang(user.language_code if user else None) or detect_lang(text or "")
            try:
                await context.bot.send_message(update.effective_chat.id, t(MESSAGES, "apology", lang))
            except TelegramError:
                log.warning("could not send the apology")


def _commands(runtime: Runtime, lang: str) -> list[BotCommand]:
    seen: dict[str, BotCommand] = {}
    for skill in runtime.skills:
        for cmd in skill.commands:
            if len(cmd.roles) < 3:  # admin-only commands stay out of the public menu
                continue
            seen.setdefault(cmd.name, BotCommand(cmd.name, (cmd.help_zh if lang == "zh" else cmd.help_en)[:256]))
    return list(seen.values())


def build_application(
    settings: Settings, runtime: Runtime, *, schedule_dispatcher: bool = True
) -> Application:  # type: ignore[type-arg]
    """Compose the PTB Application: every handler, the error handler, start-up and shutdown hooks.

    ``schedule_dispatcher=False`` leaves the dispatcher unscheduled (tests tick it at a fake time).
    """
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set")
    adapter = _Adapter(runtime)
    holder: dict[str, Dispatcher] = {}

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await app.bot.set_my_commands(_commands(runtime, "en"))
        await app.bot.set_my_commands(_commands(runtime, "zh"), language_code="zh")
        runtime.services.bot_username = app.bot.username or runtime.services.bot_username
        dispatcher = runtime.dispatcher(TelegramTransport(app), background=True)
        holder["dispatcher"] = dispatcher
        app.bot_data["dispatcher"] = dispatcher
        if app.job_queue is not None and schedule_dispatcher:
            app.job_queue.run_repeating(
                _tick,
                interval=settings.dispatch_interval,
                first=0.1,
                name="dispatcher",
                data=dispatcher,
                job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
            )

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await runtime.close()

    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .read_timeout(settings.telegram_timeout)
        .write_timeout(settings.telegram_timeout)
        .connect_timeout(settings.telegram_timeout)
        .pool_timeout(settings.telegram_timeout)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(CallbackQueryHandler(adapter.on_callback))
    app.add_handler(InlineQueryHandler(adapter.on_inline))
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.Document.ALL | filters.COMMAND) & ~filters.UpdateType.EDITED, adapter.on_message
        )
    )
    app.add_error_handler(adapter.on_error)
    return app


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job-queue callback: wake the dispatcher (the database says what is due)."""
    assert context.job is not None
    dispatcher: Dispatcher = context.job.data  # type: ignore[assignment]
    await dispatcher.tick()


async def start_application(app: Application) -> None:  # type: ignore[type-arg]
    """Initialise, run ``post_init`` (commands, dispatcher job) and start — what run_polling would do."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()


async def stop_application(app: Application) -> None:  # type: ignore[type-arg]
    """Stop receiving updates, let in-flight handlers finish, run ``post_shutdown``, shut down."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    await app.shutdown()


async def run_telegram(settings: Settings, *, stop: asyncio.Event | None = None, retriever: bool | None = None) -> int:
    """Run on Telegram: long polling, or webhook mode when WEBHOOK_URL is set. Stops on SIGINT/SIGTERM."""
    runtime = await Runtime.create(
        settings,
        retriever=settings.load_playbook if retriever is None else retriever,
        seed_demo=True,
        # Polling: answer at once, warm up meanwhile. Webhook: an instance joining a balanced pool warms up
        # before it listens, so its first requests do not compete with the warm-up for the CPU.
        warm_up="now" if settings.webhook_url else "background",
    )
    app = build_application(settings, runtime)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    server: WebhookServer | None = None
    await start_application(app)
    try:
        assert app.updater is not None
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else uuid.uuid4().hex
            server = WebhookServer(app, runtime, path=settings.webhook_path, secret=secret)
            await server.start(settings.webhook_listen, settings.webhook_port)
            await app.bot.set_webhook(
                url=f"{settings.webhook_url.rstrip('/')}/{settings.webhook_path}",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("webhook mode on %s:%s/%s", settings.webhook_listen, settings.webhook_port, settings.webhook_path)
        else:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
            log.info("polling Telegram for updates")
        await stop.wait()
    finally:
        if server is not None:
            await server.stop()
        await stop_application(app)
    return 0
