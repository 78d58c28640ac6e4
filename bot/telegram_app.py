"""The Telegram adapter: python-telegram-bot ``Application`` wiring, replies, pushes, polling or webhook.

Everything Telegram-specific lives here: turning updates into ``Incoming``, ``Reply`` objects into
messages (HTML, inline keyboards, photos), and outbox rows into pushes via :class:`TelegramTransport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import html
import logging
import os
import re
import signal
import time
import uuid
import weakref
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as timedelta, without deprecation noise

from telegram import (
    BotCommand,
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
from telegram.request import HTTPXRequest

from bot.access import Caller
from bot.config import ConfigError, Settings
from bot.delivery_status import delivery_status
from bot.dispatcher import (
    AcceptedUnreadable,
    AuthSendError,
    Dispatcher,
    TransientSendError,
    UnreachableChatError,
)
from bot.keyboard import keyboard
from bot.logging_setup import instance_id, request_id
from bot.messages import MESSAGES
from bot.router import Incoming, Outcome
from bot.runtime import Runtime
from bot.tls import tls_context
from bot.voice import VoiceNote, VoiceNotes
from bot.working import Notice, ledger_rows
from skills.contract import Attachment, Button, Reply
from skills.i18n import detect_lang, normalise_lang, t

if TYPE_CHECKING:
    from bot.webhook_server import WebhookServer

__all__ = [
    "TelegramTransport",
    "TokenRefusedWhilePolling",
    "build_application",
    "run_telegram",
    "start_application",
    "start_polling",
    "stop_application",
]

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
_TAG = re.compile(r"<[^>]+>")


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


_CHAT_GONE = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated", "bot was kicked")
_answer: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar("telegram_answer", default=None)


class _AnswerAwareRequest(HTTPXRequest):
    """PTB's HTTP request that notes when Telegram answered ``ok: true`` (so an unreadable answer to a
    send is known to be a delivered push, not a failure to retry)."""

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = HTTPXRequest.parse_json_payload(payload)
        seen = _answer.get()
        if seen is not None and isinstance(data, dict) and data.get("ok") is True:
            seen["ok"] = True
        return data


class TokenRefusedWhilePolling(NetworkError):
    """``getUpdates`` answered 401: raised as a network error so PTB's polling loop keeps trying with its
    back-off (1 s, growing to 30 s) instead of ending for good on ``InvalidToken``."""


class _PollingRequest(HTTPXRequest):
    """The ``getUpdates`` connection. A refused token (401: revoked, or rotated while the bot runs) must
    not end polling until a restart: it is logged once, polling backs off and retries, and receiving
    resumes by itself, with one line, when Telegram accepts the token again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refused_since: datetime | None = None

    async def post(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        try:
            result = await super().post(*args, **kwargs)
        except InvalidToken as exc:
            if self.refused_since is None:
                self.refused_since = datetime.now(UTC)
                log.error(
                    "Telegram refused the bot token while polling (401: %s): no updates are received until it "
                    "is accepted again; retrying with back-off. Fix TELEGRAM_BOT_TOKEN (from @BotFather).",
                    exc,
                )
            raise TokenRefusedWhilePolling(f"token refused: {exc}") from exc
        if self.refused_since is not None:
            log.warning(
                "Telegram accepts the bot token again: receiving updates (refused since %s)", self.refused_since
            )
            self.refused_since = None
        return result


def _polling_error(exc: TelegramError) -> None:
    """PTB's polling loop reports each failed ``getUpdates`` here (it retries by itself): a refused token
    was already logged once by :class:`_PollingRequest`; other errors are one warning line, no trace."""
    if not isinstance(exc, TokenRefusedWhilePolling):
        log.warning("polling for updates failed (retrying): %s", exc)


async def start_polling(app: Application, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Start long polling for updates (after :func:`start_application`); survives a refused token."""
    assert app.updater is not None
    await app.updater.start_polling(error_callback=_polling_error, **kwargs)


class TelegramTransport:
    """Sends outbox pushes through the bot, mapping every Telegram answer to the dispatcher's outcomes."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        seen: dict[str, bool] = {}
        token = _answer.set(seen)
        try:
            message = await self._send(chat_id, Reply(text=text, buttons=buttons, image=image))
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise TransientSendError(str(exc), retry_after=seconds) from exc
        except InvalidToken as exc:
            raise AuthSendError(str(exc)) from exc
        except Forbidden as exc:
            raise UnreachableChatError(str(exc)) from exc
        except BadRequest as exc:
            if any(marker in str(exc).lower() for marker in _CHAT_GONE):
                raise UnreachableChatError(str(exc)) from exc
            raise TransientSendError(f"400 {exc}") from exc  # counted, retried, then dead-lettered
        except TelegramError as exc:  # timeouts, dropped connections, 5xx, 413, unreadable non-JSON answers
            raise TransientSendError(str(exc) or type(exc).__name__) from exc
        except Exception as exc:
            if seen.get("ok"):  # Telegram did it; only its answer is malformed: never send it again
                raise AcceptedUnreadable(f"{type(exc).__name__}: {exc}") from exc
            raise
        finally:
            _answer.reset(token)
        return message.message_id

    async def _send(self, chat_id: int, reply: Reply) -> Message:
        try:
            return await send_reply(self.application.bot, chat_id, reply)
        except NetworkError as exc:
            if reply.image is None or not ("413" in str(exc) or "too large" in str(exc).lower()):
                raise
        log.warning("chart too large for Telegram (413); sending the push to %s without it", chat_id)
        return await send_reply(self.application.bot, chat_id, Reply(text=reply.text, buttons=reply.buttons))

    async def probe(self) -> None:
        """Ask Telegram who we are (``getMe``): raises :class:`AuthSendError` while the token is refused."""
        try:
            await self.application.bot.get_me()
        except InvalidToken as exc:
            raise AuthSendError(str(exc)) from exc


class _Adapter:
    """Update handlers bound to a runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        # One lock per sender serialises their updates; weakly held, so a lock lives only while an update
        # of theirs is in flight (100,000 strangers leave nothing behind).
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self.voice = VoiceNotes(runtime)

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = self._locks[user_id] = asyncio.Lock()
        return lock

    async def _route(self, update: Update, incoming: Incoming) -> Outcome:
        """Route under the sender's lock; one log line per update (skill, intent, outcome, latency)."""
        started = time.monotonic()
        outcome: Outcome | None = None
        try:
            async with self._lock(incoming.caller.user_id):
                outcome = await self.runtime.router.handle(incoming)
            return outcome
        finally:
            log.info(
                "update id=%s user=%s skill=%s intent=%s outcome=%s latency_ms=%.0f instance=%s",
                update.update_id,
                incoming.caller.user_id,
                outcome.skill if outcome else "-",
                outcome.intent if outcome else "-",
                "ok" if outcome else "error",
                (time.monotonic() - started) * 1000,
                instance_id(),
            )

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
        notice = await self._working_notice(context.bot, incoming, attachment, "working.import")
        outcome = await self._route_noticed(update, incoming, notice)
        if notice is not None:
            await notice.deliver(outcome.replies, lambda reply: send_reply(context.bot, message.chat_id, reply))
            return
        for reply in outcome.replies:
            await send_reply(context.bot, message.chat_id, reply)

    async def _working_notice(self, bot: Any, incoming: Incoming, ledger: Attachment | None, key: str) -> Notice | None:
        """A started "working…" notice (message ``key``) when ``ledger`` has ``WORKING_NOTICE_ROWS`` rows or more
        and the sender is an officer; None otherwise (no ledger, a small one, or a stranger)."""
        if ledger is None or (rows := ledger_rows(ledger)) < self.settings.working_notice_rows:
            return None
        lang = await self._officer_lang(incoming.caller)
        if lang is None:  # strangers get their refusal, not a notice
            return None
        assert incoming.chat_id is not None
        notice = Notice(bot, incoming.chat_id, lang)
        await notice.start(key, rows)
        return notice

    async def _route_noticed(self, update: Update, incoming: Incoming, notice: Notice | None) -> Outcome:
        """:meth:`_route`; a notice is withdrawn if routing fails, so no "working…" is left in the chat."""
        try:
            return await self._route(update, incoming)
        except BaseException:
            if notice is not None:
                await notice.withdraw()
            raise

    async def _pending_import(self, incoming: Incoming) -> Attachment | None:
        """The ledger a Confirm import button press is about to apply (None for any other button, and when the
        database cannot say: the notice is a courtesy, the router reports the outage)."""
        from sqlalchemy.exc import SQLAlchemyError

        from skills.client.api import confirmed_upload

        try:
            async with self.runtime.services.sessionmaker() as session:
                return await confirmed_upload(session, incoming.payload or "", incoming.caller.user_id)
        except (SQLAlchemyError, OSError) as exc:
            log.info("pending import not looked up for a working notice: %s", exc)
            return None

    async def _officer_lang(self, caller: Caller) -> str | None:
        """The language of an officer allowed to use the bot (as the router will judge it), else None."""
        from skills.store.models import Officer as OfficerRow

        async with self.runtime.services.sessionmaker() as session:
            row = await session.get(OfficerRow, caller.user_id)
        admin = caller.user_id in self.settings.admin_user_ids
        if not (admin or (row.active if row is not None else caller.user_id in self.settings.allowed_user_ids)):
            return None
        return (row.language if row is not None else None) or normalise_lang(caller.language_code) or "en"

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

    async def on_voice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Transcribe a voice note or audio file and route the transcript like typed text."""
        message = update.effective_message
        media = (message.voice or message.audio) if message is not None else None
        if message is None or media is None or update.effective_user is None:
            return
        request_id.set(f"u{update.update_id}")
        duration = media.duration.total_seconds() if isinstance(media.duration, timedelta) else media.duration

        async def fetch() -> bytes:
            return bytes(await (await media.get_file()).download_as_bytearray())  # in memory only, never on disk

        name = getattr(media, "file_name", None) or "voice.ogg"
        note = VoiceNote(media.file_size, duration, media.mime_type, name, fetch)
        async with self._lock(update.effective_user.id):
            for reply in await self.voice.handle(self.caller(update), message.chat_id, note):
                await send_reply(context.bot, message.chat_id, reply)

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
        pending = await self._pending_import(incoming)
        notice = await self._working_notice(context.bot, incoming, pending, "working.apply")
        outcome = await self._route_noticed(update, incoming, notice)
        if notice is not None:  # the result takes the notice's place (the preview keeps its text)
            await notice.deliver(outcome.replies, lambda reply: send_reply(context.bot, chat_id, reply))
            return
        for index, reply in enumerate(outcome.replies):
            if index == 0 and reply.edit and isinstance(message, Message) and not reply.image:
                try:
                    await message.edit_text(reply.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.buttons))
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


class _DrainingIsNotAMisfire(logging.Filter):
    """APScheduler warns at every interval that the dispatcher job is "skipped: maximum number of running
    instances reached" while one tick drains a backlog; that is the design (one tick at a time), not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        return not ("maximum number of running instances" in text and "dispatcher" in str(record.args))


_DRAINING_FILTER = _DrainingIsNotAMisfire()


def _commands(runtime: Runtime, lang: str) -> list[BotCommand]:
    seen: dict[str, BotCommand] = {}
    for skill in runtime.skills:
        for cmd in skill.commands:
            if len(cmd.roles) < 3:  # admin-only commands stay out of the public menu
                continue
            seen.setdefault(cmd.name, BotCommand(cmd.name, (cmd.help_zh if lang == "zh" else cmd.help_en)[:256]))
    return list(seen.values())


def build_application(settings: Settings, runtime: Runtime, *, schedule_dispatcher: bool = True) -> Application:  # type: ignore[type-arg]
    """Compose the PTB Application: every handler, the error handler, start-up and shutdown hooks.

    ``schedule_dispatcher=False`` leaves the dispatcher unscheduled (tests tick it at a fake time).
    """
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set")
    adapter = _Adapter(runtime)
    holder: dict[str, Dispatcher] = {}
    logging.getLogger("apscheduler.scheduler").addFilter(_DRAINING_FILTER)  # a no-op when already there

    async def announce(app: Application) -> None:  # type: ignore[type-arg]
        try:
            await app.bot.set_my_commands(_commands(runtime, "en"))
            await app.bot.set_my_commands(_commands(runtime, "zh"), language_code="zh")
        except TelegramError as exc:  # the menu stays as Telegram last had it; answering does not need it
            log.warning("command menu not updated: %s", exc)
        except Exception:  # nor may anything else here stop the bot (post_shutdown awaits this task)
            log.exception("command menu not updated")
        await _log_startup_digest(settings, runtime, app.bot.username)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        runtime.services.bot_username = app.bot.username or runtime.services.bot_username
        dispatcher = runtime.dispatcher(TelegramTransport(app), background=True)
        holder["dispatcher"] = dispatcher
        app.bot_data["dispatcher"] = dispatcher
        # The command menu and the start-up digest go out beside the first updates, not before them: neither
        # is needed to answer, and together they are three round trips (two to Telegram, one to the database).
        app.bot_data["announce"] = asyncio.create_task(announce(app), name="announce")
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
        announcing: asyncio.Task[None] | None = app.bot_data.pop("announce", None)
        if announcing is not None:
            announcing.cancel()  # nothing to cancel once it is done
            with contextlib.suppress(asyncio.CancelledError):
                await announcing
        await runtime.close()

    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .request(
            _AnswerAwareRequest(
                httpx_kwargs={"verify": tls_context()},
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
                connect_timeout=settings.telegram_timeout,
                pool_timeout=settings.telegram_timeout,
            )
        )
        .get_updates_request(
            _PollingRequest(
                httpx_kwargs={"verify": tls_context()},
                connection_pool_size=1,
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
                connect_timeout=settings.telegram_timeout,
                pool_timeout=settings.telegram_timeout,
            )
        )
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
    app.add_handler(MessageHandler((filters.VOICE | filters.AUDIO) & ~filters.UpdateType.EDITED, adapter.on_voice))
    app.add_error_handler(adapter.on_error)
    return app


async def _log_startup_digest(settings: Settings, runtime: Runtime, username: str | None) -> None:
    """One line at start-up saying who this instance is and the state of delivery it inherits."""
    try:
        async with runtime.services.sessionmaker() as session:
            status = await delivery_status(session, datetime.now(UTC))
    except Exception as exc:  # the digest must never stop start-up
        log.warning("start-up digest unavailable: %s", exc)
        return
    log.info(
        "started instance=%s bot=@%s mode=%s db=%s pushes: oldest waiting %s s, dead letters last hour %d, "
        "unreachable officers %d, paused=%s; limits %.0f/s per bot, %.0f/s per chat, %d attempts",
        instance_id(),
        username or "?",
        "webhook" if settings.webhook_url else "polling",
        "sqlite" if settings.is_sqlite else "postgresql",
        status.oldest_pending_seconds or 0,
        status.dead_letters_last_hour,
        status.unreachable_officers,
        status.paused_since is not None,
        settings.dispatch_rate_per_second,
        settings.dispatch_chat_rate_per_second,
        settings.dispatch_max_attempts,
    )


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job-queue callback: wake the dispatcher (the database says what is due).

    While a backlog drains, the next tick follows at once instead of at the next interval (a tick gives
    periodic jobs their turn every few seconds, and waiting out the interval each time left ~15% of
    Telegram's allowed rate unused); it stops when the application stops.
    """
    assert context.job is not None
    dispatcher: Dispatcher = context.job.data  # type: ignore[assignment]
    draining = False
    while True:
        draining = (await dispatcher.tick(draining=draining)).backlog
        if not draining or not context.application.running:
            return


async def start_application(app: Application) -> None:  # type: ignore[type-arg]
    """Initialise, run ``post_init`` (commands, dispatcher job) and start — what run_polling would do."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()


async def stop_application(app: Application) -> None:  # type: ignore[type-arg]
    """Stop receiving updates, let in-flight handlers finish, run ``post_shutdown``, shut down."""
    if app.updater is not None and app.updater.running:
        try:
            await app.updater.stop()
        except InvalidToken as exc:  # polling ended on a 401 earlier (already logged): nothing left to stop
            log.warning("polling had stopped on a refused token: %s", exc)
    if app.running:
        await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    await app.shutdown()


async def _close_after_failed_start(app: Application, runtime: Runtime) -> None:  # type: ignore[type-arg]
    """Close what a start that failed part-way had opened: the Application's HTTP clients (opened even when the
    hello itself failed, which leaves the Application uninitialised), its jobs and tasks, and the runtime
    (the playbook's load, already under way, is waited for; the database is disposed)."""
    if app.running:
        with contextlib.suppress(Exception):
            await app.stop()
    if "announce" in app.bot_data and app.post_shutdown is not None:
        await app.post_shutdown(app)  # post_init ran: its counterpart cancels the menu task and closes the runtime
    else:
        await runtime.close()
    with contextlib.suppress(Exception):
        await app.shutdown()
    with contextlib.suppress(Exception):
        await app.bot.shutdown()  # a no-op once the Application's shutdown has closed it


async def run_telegram(settings: Settings, *, stop: asyncio.Event | None = None, retriever: bool | None = None) -> int:
    """Run on Telegram: long polling, or webhook mode when WEBHOOK_URL is set. Stops on SIGINT/SIGTERM."""
    runtime = await Runtime.create(
        settings,
        retriever=settings.load_playbook if retriever is None else retriever,
        seed_demo=True,
        preload=bool(settings.webhook_url),  # polling: the playbook loads from the Bot API handshake on (below)
        # Polling: answer at once, warm up meanwhile. Webhook: an instance joining a balanced pool warms up
        # before it listens, so its first requests do not compete with the warm-up for the CPU.
        # Polling starts the warm-up once it is receiving (below), so start-up itself does not compete with it.
        warm_up="now" if settings.webhook_url else "skip",
    )
    app = build_application(settings, runtime)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    server: WebhookServer | None = None
    if not settings.webhook_url:
        # The playbook loads while the Application says hello to Telegram and starts polling: on a real network
        # that is a few round trips of waiting (measured with 100 ms each: ready 1.13 -> 0.86 s, the first reply
        # about the same, 1.14 -> 1.18 s; on localhost, with nothing to wait for, the first reply +0.04-0.10 s).
        # The skills' warm-up still waits until polling has begun (start_background).
        runtime.start_loading()
    try:
        await start_application(app)
    except BaseException as exc:  # Telegram refused the token or was unreachable: close what was opened, then report
        await _close_after_failed_start(app, runtime)
        if isinstance(exc, InvalidToken):  # one line, as for any other bad setting (PTB's message quotes the token)
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN: Telegram refused this token (revoked, or not the one @BotFather gave)"
            ) from None
        raise
    try:
        assert app.updater is not None
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else uuid.uuid4().hex
            from bot.webhook_server import WebhookServer  # aiohttp's server: only in webhook mode

            server = WebhookServer(app, runtime, path=settings.webhook_path, secret=secret)
            await server.start(settings.webhook_listen, settings.webhook_port)
            await app.bot.set_webhook(
                url=f"{settings.webhook_url.rstrip('/')}/{settings.webhook_path}",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("webhook mode on %s:%s/%s", settings.webhook_listen, settings.webhook_port, settings.webhook_path)
        else:
            await start_polling(app, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
            log.info("polling Telegram for updates")
            runtime.start_background()
        await stop.wait()
    finally:
        if server is not None:
            await server.stop()
        await stop_application(app)
    return 0
