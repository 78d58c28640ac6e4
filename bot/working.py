"""A "working…" notice on Telegram while a long job runs: a large ledger upload being read and checked, or its
preview's Confirm import button being applied.

The officer sees at once that the file arrived: the chat shows "typing…" (renewed every few seconds, as
Telegram drops a chat action after 5 s) and a "⏳ working…" message naming the rows; when the answer is
ready that same message is edited into it (its text and buttons), so the chat does not keep a stale
notice. An answer that cannot replace it (a photo, a text too long for one message, an edit Telegram
refuses) is sent as usual and the notice is deleted.

Which jobs count as long is the ``WORKING_NOTICE_ROWS`` setting, compared with :func:`ledger_rows` of the
uploaded file (or of the pending file a Confirm import applies).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.keyboard import keyboard
from bot.messages import MESSAGES
from skills.contract import Attachment, Reply
from skills.i18n import t

__all__ = ["Notice", "ledger_rows"]

log = logging.getLogger(__name__)

_ACTION_EVERY = 4.5  # seconds: Telegram shows a chat action for 5 s
_XLSX_BYTES_PER_ROW = 120  # uncompressed sheet XML per ledger row (7-10 cells), to estimate an XLSX's rows
_MAX_TEXT = 4096


def ledger_rows(attachment: Attachment) -> int:
    """The data rows of an uploaded ledger: CSV lines after the header; for XLSX an estimate from the
    sheets' uncompressed size (read from the zip directory, nothing is decompressed); 0 for other files.

    >>> ledger_rows(Attachment("l.csv", b"client,amount\\nAcme,1\\nGlobex,2\\n", "text/csv"))
    2
    """
    name = attachment.file_name.lower()
    content = attachment.content
    if name.endswith((".csv", ".txt", ".tsv")):
        lines = content.count(b"\n") + (0 if content.endswith(b"\n") or not content else 1)
        return max(0, lines - 1)
    if name.endswith((".xlsx", ".xlsm")):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                size = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
        except (zipfile.BadZipFile, OSError):
            return 0
        return size // _XLSX_BYTES_PER_ROW
    return 0


class Notice:
    """The chat action and "working…" message of one long job; :meth:`deliver` puts the answer in its place."""

    def __init__(self, bot: Any, chat_id: int, lang: str) -> None:
        self.bot, self.chat_id, self.lang = bot, chat_id, lang
        self.message: Message | None = None
        self._typing: asyncio.Task[None] | None = None

    async def start(self, key: str, rows: int) -> None:
        """Show "typing…" (kept up until :meth:`deliver`) and send the working message ``key`` naming the rows."""
        self._typing = asyncio.create_task(self._keep_typing(), name=f"typing-{self.chat_id}")
        try:
            self.message = await self.bot.send_message(
                self.chat_id, t(MESSAGES, key, self.lang, rows=f"{rows:,}"), parse_mode=ParseMode.HTML
            )
        except TelegramError as exc:  # the notice is a courtesy: the job and its answer go on without it
            log.info("working notice not sent to %s: %s", self.chat_id, exc)

    async def _keep_typing(self) -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await self.bot.send_chat_action(self.chat_id, ChatAction.TYPING)
            await asyncio.sleep(_ACTION_EVERY)

    async def _stop_typing(self) -> None:
        if self._typing is not None:
            self._typing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._typing

    async def withdraw(self) -> None:
        """Stop "typing…" and delete the notice (the job failed before it had an answer)."""
        await self._stop_typing()
        if self.message is not None:
            with contextlib.suppress(TelegramError):
                await self.message.delete()

    async def deliver(self, replies: list[Reply], send: Callable[[Reply], Awaitable[object]]) -> None:
        """Stop "typing…"; edit the notice into the first reply when it is plain text, send the rest."""
        await self._stop_typing()
        rest = list(replies)
        if self.message is not None:
            first = rest[0] if rest else None
            if first is not None and not first.image and len(first.text) <= _MAX_TEXT and await self._edit(first):
                rest = rest[1:]
            else:
                with contextlib.suppress(TelegramError):
                    await self.message.delete()
        for reply in rest:
            await send(reply)

    async def _edit(self, reply: Reply) -> bool:
        assert self.message is not None
        try:
            await self.message.edit_text(
                reply.text or "✓", parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.buttons)
            )
            return True
        except BadRequest as exc:  # bad HTML, too old to edit…: the answer is sent as a new message
            log.info("working notice not edited (%s); sending the answer anew", exc)
            return False
