"""Telegram's published send limits, applied before each push: about 30 messages a second per bot and
one a second per chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).

Each limit is a strict spacing (a token bucket of depth one): the n-th send waits until ``1/rate`` after
the previous one, so no one-second window ever holds more than ``rate`` sends and a backlog of 10,000
drains at a steady rate instead of bursting into 429s. The clock and the sleep are injectable.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

__all__ = ["SendLimits"]

# Slack, so scheduling jitter (a send delayed by a busy loop lands next to the following one) does not
# pack rate+1 sends into one second at Telegram's end: the bot-wide pace is 97% of the configured rate,
# a chat's 83% (one chat rarely has more than a few pushes at once).
_MARGIN = 1.03
_CHAT_MARGIN = 1.2
_MAX_CHATS = 4096  # per-chat slots kept; older ones are long free and carry no information


class SendLimits:
    """Waits for a free slot for one chat and for the bot as a whole (``0`` disables a limit)."""

    def __init__(
        self,
        *,
        per_second: float,
        per_chat_per_second: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = _MARGIN / per_second if per_second > 0 else 0.0
        self.chat_interval = _CHAT_MARGIN / per_chat_per_second if per_chat_per_second > 0 else 0.0
        self.monotonic = monotonic
        self.sleep = sleep
        self._next_free = 0.0
        self._bot_turn = asyncio.Lock()
        self._chat_next_free: OrderedDict[int, float] = OrderedDict()

    async def wait_for_chat(self, chat_id: int) -> None:
        """Wait until ``chat_id`` may receive its next message, and book that slot."""
        if not self.chat_interval:
            return
        now = self.monotonic()
        start = max(now, self._chat_next_free.pop(chat_id, 0.0))
        self._chat_next_free[chat_id] = start + self.chat_interval
        while len(self._chat_next_free) > _MAX_CHATS:
            self._chat_next_free.popitem(last=False)
        if start > now:
            await self.sleep(start - now)

    async def wait_for_bot(self) -> None:
        """Wait for the bot-wide slot (call after :meth:`wait_for_chat`, so no bot slot is wasted waiting).

        Senders pass one at a time and the next slot is counted from when the previous sender actually
        woke (less half a slot of tolerance): after the loop stalls, sends resume spaced out instead of
        bursting to catch up.
        """
        if not self.interval:
            return
        async with self._bot_turn:
            now = self.monotonic()
            slot = max(now, self._next_free)
            if slot > now:
                await self.sleep(slot - now)
            # waking a little late (under half a slot) costs no throughput; a longer stall restarts the pace
            self._next_free = max(slot, self.monotonic() - self.interval / 2) + self.interval

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        """Telegram asked us to wait (429 ``retry_after``) for this chat."""
        if seconds > 0:
            until = self.monotonic() + seconds
            self._chat_next_free[chat_id] = max(until, self._chat_next_free.pop(chat_id, 0.0))
