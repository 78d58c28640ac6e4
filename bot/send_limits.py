"""Telegram's published send limits, applied before each push: about 30 messages a second per bot and
one a second per chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).

Bot-wide, two rules together:

* **the window** (the guarantee): no window of ``WINDOW`` seconds (one second plus a little slack for
  network jitter) ever holds more than ``per_second`` sends. The last ``per_second`` send times are
  kept; a send waits until the oldest of them leaves the window.
* **the pace** (the shape): sends are spaced ``1/per_second`` apart on a schedule, not from whenever the
  previous sender happened to wake. A sender that wakes late (a busy event loop, a slow database
  commit between two batches) does not push the whole schedule back: the next sends go at once until
  the schedule is caught up, the window still holding them to the limit. Only a stall longer than
  ``CATCH_UP`` seconds is forgiven rather than caught up, so a long stall never turns into a burst.

Per chat: a chat's next send waits ``CHAT_MARGIN/per_chat_per_second`` after its previous send was let
through (not after it was queued, so a chat's pushes that waited for the bot-wide slot cannot bunch up).

The clock and the sleep are injectable (tests run on a fake clock).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable

__all__ = ["CATCH_UP", "CHAT_MARGIN", "WINDOW", "SendLimits"]

# One second plus slack: a send and the one ``per_second`` places later are at least this far apart when
# they leave us, so jitter on the way to Telegram (up to the slack) cannot put both into one second there.
WINDOW = 1.04
CATCH_UP = 0.25  # seconds of lost schedule a late sender may catch up (at most ~8 sends back to back at 30/s)
CHAT_MARGIN = 1.1  # a chat gets one push per 1.1 s (Telegram: about one per second)
_MAX_CHATS = 4096  # per-chat times kept; older ones are long past and carry no information


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
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.capacity = max(1, math.floor(per_second)) if per_second > 0 else 0
        self.chat_interval = CHAT_MARGIN / per_chat_per_second if per_chat_per_second > 0 else 0.0
        self.monotonic = monotonic
        self.sleep = sleep
        self._schedule = -math.inf  # when the next send is due on the pace
        self._recent: deque[float] = deque(maxlen=self.capacity or 1)  # the last ``capacity`` send times
        self._bot_turn = asyncio.Lock()
        self._chat_free_at: OrderedDict[int, float] = OrderedDict()

    async def wait_for_chat(self, chat_id: int) -> None:
        """Wait until ``chat_id`` may receive its next message (its previous one went far enough back)."""
        wait = self._chat_free_at.get(chat_id, 0.0) - self.monotonic()
        if wait > 0:
            await self.sleep(wait)

    async def wait_for_bot(self, chat_id: int | None = None) -> None:
        """Wait for the bot-wide slot, then count the send (for ``chat_id`` too): call it right before
        sending, after :meth:`wait_for_chat`, so no bot-wide slot is spent waiting for a chat."""
        if self.interval:
            async with self._bot_turn:
                now = self.monotonic()
                due = max(self._schedule, now - CATCH_UP)
                if len(self._recent) == self.capacity:
                    due = max(due, self._recent[0] + WINDOW)
                if due > now:
                    await self.sleep(due - now)
                    now = self.monotonic()
                self._schedule = due + self.interval
                self._recent.append(now)
        if chat_id is not None and self.chat_interval:
            self._note_chat(chat_id, self.monotonic() + self.chat_interval)

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        """Telegram asked us to wait (429 ``retry_after``) for this chat."""
        if seconds > 0:
            self._note_chat(chat_id, self.monotonic() + seconds)

    def _note_chat(self, chat_id: int, free_at: float) -> None:
        self._chat_free_at[chat_id] = max(free_at, self._chat_free_at.pop(chat_id, 0.0))
        while len(self._chat_free_at) > _MAX_CHATS:
            self._chat_free_at.popitem(last=False)
