"""Pacing to Telegram's limits on a fake clock: near the allowed rate even when the sender wakes late,
never more than the limit in any one-second window, and a chat's pushes spaced by their actual sends."""

from __future__ import annotations

import itertools
import random

from bot.send_limits import WINDOW, SendLimits


class LateClock:
    """A fake monotonic clock whose sleeps overrun by up to ``late`` seconds (a loaded event loop)."""

    def __init__(self, late: float, seed: int = 13) -> None:
        self.now = 0.0
        self.late = late
        self.random = random.Random(seed)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.random.uniform(0, self.late)

    def work(self, seconds: float) -> None:
        self.now += seconds


async def _run(limits: SendLimits, clock: LateClock, sends: int, *, batch: int = 200, gap: float = 0.05) -> list[float]:
    """One sender at a time (the limiter lets senders through one by one), each send taking 5 ms, a
    database round trip of ``gap`` between batches of ``batch`` (claim, mark sent)."""
    times: list[float] = []
    for index in range(sends):
        if index and index % batch == 0:
            clock.work(gap)
        await limits.wait_for_chat(index % 1000)
        await limits.wait_for_bot(index % 1000)
        times.append(clock.now)
        clock.work(0.005)
    return times


def _most_in_one_second(times: list[float], capacity: int) -> float:
    """The shortest span holding ``capacity + 1`` consecutive sends (must exceed one second)."""
    return min(b - a for a, b in zip(times, times[capacity:], strict=False))


async def test_late_wakeups_and_batch_gaps_are_caught_up_without_exceeding_the_limit() -> None:
    clock = LateClock(late=0.03)  # every sleep overruns by 0-30 ms (the old pace lost ~10% to this)
    limits = SendLimits(per_second=30, per_chat_per_second=1, monotonic=clock, sleep=clock.sleep)
    times = await _run(limits, clock, 3000)
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate >= 0.93 * 30, f"{rate:.2f}/s"  # the old pace: 26.9/s (89.6%) here
    assert _most_in_one_second(times, 30) >= WINDOW - 1e-9  # 31 sends never fit in one second (plus slack)


async def test_a_long_stall_is_forgiven_not_burst_out() -> None:
    clock = LateClock(late=0.0)
    limits = SendLimits(per_second=30, per_chat_per_second=0, monotonic=clock, sleep=clock.sleep)
    times = await _run(limits, clock, 60, batch=30, gap=3.0)  # a 3 s stall after 30 sends
    after = [t for t in times if t > times[29]]
    back_to_back = 1 + next(i for i, (a, b) in enumerate(itertools.pairwise(after)) if b - a > 0.01)
    assert 5 <= back_to_back <= 10, "after a stall, about CATCH_UP seconds of sends catch up, then the pace"
    assert _most_in_one_second(times, 30) >= WINDOW - 1e-9


async def test_a_chat_waits_for_its_previous_send_not_for_its_place_in_the_queue() -> None:
    clock = LateClock(late=0.0)
    limits = SendLimits(per_second=30, per_chat_per_second=1, monotonic=clock, sleep=clock.sleep)
    await limits.wait_for_chat(7)
    clock.work(2.0)  # the push waited two seconds for the bot-wide slot (a backlog)...
    await limits.wait_for_bot(7)
    first = clock.now
    await limits.wait_for_chat(7)  # ...so the chat's next push waits from that send, not from the queueing
    await limits.wait_for_bot(7)
    assert clock.now - first >= 1.0 - 1e-9
    limits.hold_chat(8, 3.0)  # 429 retry_after for another chat
    before = clock.now
    await limits.wait_for_chat(8)
    assert clock.now - before >= 3.0 - 1e-9
