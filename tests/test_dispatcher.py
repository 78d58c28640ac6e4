"""The outbox and dispatcher: due pushes are sent once, retried with backoff, kept in order, never dropped."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.dispatcher import Dispatcher, Job, PermanentSendError, TransientSendError, UnreachableChatError
from bot.ratelimit import RateLimiter
from bot.runtime import Runtime
from bot.send_limits import SendLimits
from skills.contract import Button, Services, Skill
from skills.store import OutboxMessage, outbox, unit_of_work
from skills.store.outbox import cancel_pending, enqueue
from tests.conftest import ADMIN_ID, OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness, RecordingTransport


async def _queue(h: ConsoleHarness, n: int, *, chat_id: int = 1, offset: float = 0.0, prefix: str = "p") -> None:
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        for i in range(n):
            await enqueue(
                session,
                chat_id=chat_id,
                kind="test",
                text=f"{prefix}{i}",
                due_at=h.clock.now + timedelta(seconds=offset),
                idempotency_key=f"{prefix}:{chat_id}:{i}",
            )


class FlakyTransport(RecordingTransport):
    """Fails the first ``failures`` sends with the given error."""

    def __init__(self, failures: list[Exception]) -> None:
        super().__init__()
        self.failures = failures

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        if self.failures:
            raise self.failures.pop(0)
        return await super().send(chat_id, text, buttons, image)


async def test_due_push_is_sent_once_and_future_push_waits(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await _queue(h, 1, prefix="now")
    await _queue(h, 1, offset=60, prefix="later")
    await h.tick()
    await h.tick()
    assert [p[1] for p in h.transport.pushes] == ["now0"]
    h.clock.advance(seconds=60)
    await h.tick()
    assert [p[1] for p in h.transport.pushes] == ["now0", "later0"]


async def test_enqueue_is_idempotent_by_key(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await _queue(h, 3)
    await _queue(h, 3)
    async with h.runtime.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


async def test_transient_failures_back_off_and_keep_order_per_chat(harness: ConsoleHarness) -> None:
    h = harness
    transport = FlakyTransport([TransientSendError("timed out")])
    dispatcher = h.runtime.dispatcher(transport, clock=h.clock)
    await _queue(h, 3, chat_id=7)
    await _queue(h, 1, chat_id=8, prefix="other")
    stats = await dispatcher.tick(h.clock.now)
    assert stats.retried == 1
    assert [p[1] for p in transport.pushes] == ["other0"], "another chat is not held up"
    await dispatcher.tick(h.clock.advance(seconds=0.5))
    assert len(transport.pushes) == 1, "backoff: nothing before the retry time"
    await dispatcher.tick(h.clock.advance(seconds=1))
    assert [p[1] for p in transport.pushes if p[0] == 7] == ["p0", "p1", "p2"]


async def test_permanent_failure_is_kept_not_dropped(harness: ConsoleHarness) -> None:
    h = harness
    transport = FlakyTransport([PermanentSendError("Forbidden: bot was blocked by the user")])
    dispatcher = h.runtime.dispatcher(transport, clock=h.clock)
    await _queue(h, 2, chat_id=5)
    stats = await dispatcher.tick(h.clock.now)
    assert stats.failed == 1 and stats.sent == 1
    async with h.runtime.services.sessionmaker() as session:
        failed = (await session.scalars(select(OutboxMessage).where(OutboxMessage.state == "failed"))).all()
    assert len(failed) == 1 and "blocked" in (failed[0].last_error or "")


async def test_cancelled_push_is_not_sent(harness: ConsoleHarness) -> None:
    h = harness
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        await enqueue(session, chat_id=1, kind="t", text="x", due_at=h.clock.now, idempotency_key="k", ref="reminder:1")
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        assert await cancel_pending(session, "reminder:1") == 1
    await h.tick()
    assert h.transport.pushes == []


async def test_push_left_in_flight_by_a_crash_is_delivered_after_the_lease(harness: ConsoleHarness) -> None:
    h = harness
    await _queue(h, 2)
    crashed = h.runtime.dispatcher(RecordingTransport(), clock=h.clock)
    claimed = await crashed.claim(h.clock.now, 10)  # claimed, then the process "dies" before sending
    assert len(claimed) == 2
    await h.tick()
    assert h.transport.pushes == [], "not while the lease holds"
    h.clock.advance(seconds=121)
    await h.tick()
    assert sorted(p[1] for p in h.transport.pushes) == ["p0", "p1"]


async def test_two_dispatchers_on_one_database_send_each_push_once(database_url: str, tmp_path: Path) -> None:
    clock = Clock()
    settings = make_settings(database_url, tmp_path)
    first = await Runtime.create(settings, clock=clock, retriever=False)
    second = await Runtime.create(settings, clock=clock, retriever=False, migrate=False)
    try:
        async with unit_of_work(first.services.sessionmaker) as session:
            for i in range(300):
                await enqueue(
                    session, chat_id=i % 17, kind="t", text=f"m{i}", due_at=clock.now, idempotency_key=f"k{i}"
                )
        t1, t2 = RecordingTransport(), RecordingTransport()
        d1 = first.dispatcher(t1, clock=clock)
        d2 = second.dispatcher(t2, clock=clock)
        d1.batch = d2.batch = 20
        await asyncio.gather(d1.tick(clock.now), d2.tick(clock.now))
        texts = [p[1] for p in t1.pushes + t2.pushes]
        assert len(texts) == 300 and len(set(texts)) == 300
    finally:
        await first.close()
        await second.close()


class PoisonTransport(RecordingTransport):
    """Every send to ``poisoned`` raises an unexpected exception (like ``KeyError: 'date'`` from a bad answer)."""

    def __init__(self, poisoned: int) -> None:
        super().__init__()
        self.poisoned = poisoned
        self.calls: list[tuple[int, str]] = []

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        self.calls.append((chat_id, text))
        await asyncio.sleep(0)  # let siblings run in between, as real sends do
        if chat_id == self.poisoned and text.startswith("p0"):
            raise KeyError("date")
        return await super().send(chat_id, text, buttons, image)


async def _states(h: ConsoleHarness) -> dict[str, tuple[str, int, str | None]]:
    async with h.runtime.services.sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    return {r.idempotency_key: (r.state, r.attempts, r.last_error) for r in rows}


async def test_a_poison_push_is_counted_dead_lettered_and_never_repeats_its_siblings(
    database_url: str, tmp_path: Path, clock: Clock
) -> None:
    settings = make_settings(database_url, tmp_path, dispatch_max_attempts=3)
    h = await ConsoleHarness.create(settings, clock=clock)
    try:
        transport = PoisonTransport(poisoned=7)
        dispatcher = h.runtime.dispatcher(transport, clock=clock)
        for chat in range(1, 9):
            await _queue(h, 2, chat_id=chat)
        await dispatcher.tick(clock.now)
        states = await _states(h)
        assert states["p:7:0"][:2] == ("pending", 1) and "KeyError" in (states["p:7:0"][2] or "")
        assert states["p:7:1"][0] == "pending", "the chat's next push waits behind the failed one"
        assert all(states[f"p:{c}:{i}"][0] == "sent" for c in range(1, 9) if c != 7 for i in range(2))
        for _ in range(6):  # well past the backoff of every retry
            await dispatcher.tick(clock.advance(seconds=60))
        states = await _states(h)
        assert states["p:7:0"][:2] == ("failed", 3) and "KeyError" in (states["p:7:0"][2] or "")
        assert states["p:7:1"][0] == "sent", "later pushes to that chat go on after the dead letter"
        delivered = [(p[0], p[1]) for p in transport.pushes if p[1].startswith("p")]
        assert len(delivered) == len(set(delivered)) == 15, "each delivered once, none ever sent again"
        # one summary notice per admin, not one per push
        notices = [p for p in transport.pushes if p[0] == ADMIN_ID]
        assert len(notices) == 1 and "1 push" in notices[0][1]
    finally:
        await h.close()


async def test_corrupt_buttons_count_as_a_failed_attempt_with_the_error_stored(harness: ConsoleHarness) -> None:
    h = harness
    await _queue(h, 1, chat_id=4)
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None
        row.buttons = [[{"no-label": 1}]]
    stats = await h.dispatcher.tick(h.clock.now)
    assert stats.retried == 1 and h.transport.pushes == []
    state, attempts, error = (await _states(h))["p:4:0"]
    assert (state, attempts) == ("pending", 1) and "KeyError" in (error or "")


class CountingSkill(Skill):
    name = "counting"

    def __init__(self) -> None:
        self.runs: list[datetime] = []

    def periodic(self) -> list[tuple[str, float, Job]]:
        async def job(services: Services, now: datetime) -> None:
            self.runs.append(now)

        return [("counting.job", 60.0, job)]


async def test_a_periodic_job_runs_once_per_interval_across_instances_and_restarts(
    database_url: str, tmp_path: Path
) -> None:
    clock = Clock()
    settings = make_settings(database_url, tmp_path)
    first = await Runtime.create(settings, clock=clock, retriever=False)
    second = await Runtime.create(settings, clock=clock, retriever=False, migrate=False)
    skill = CountingSkill()
    try:
        d1 = Dispatcher(first.services, RecordingTransport(), [skill], instance_id="a", clock=clock)
        d2 = Dispatcher(second.services, RecordingTransport(), [skill], instance_id="b", clock=clock)
        await asyncio.gather(d1.tick(clock.now), d2.tick(clock.now))
        assert len(skill.runs) == 1
        restarted = Dispatcher(first.services, RecordingTransport(), [skill], instance_id="a2", clock=clock)
        await restarted.tick(clock.advance(seconds=30))
        assert len(skill.runs) == 1, "a restart does not reset the interval"
        clock.advance(seconds=31)
        await asyncio.gather(d1.tick(clock.now), d2.tick(clock.now), restarted.tick(clock.now))
        assert len(skill.runs) == 2
    finally:
        await first.close()
        await second.close()


async def test_retention_prunes_only_old_sent_pushes_in_batches(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await _queue(h, 25, chat_id=3, prefix="old")
    await h.tick()
    await _queue(h, 2, chat_id=3, offset=40 * 86400, prefix="future")  # pending: never pruned
    h.clock.advance(days=29)
    await _queue(h, 3, chat_id=3, prefix="recent")
    await h.tick()
    dispatcher = h.dispatcher
    dispatcher.prune_batch, dispatcher.prune_pause = 10, 0.0
    await dispatcher._prune_job(h.runtime.services, h.clock.advance(days=2))
    async with h.runtime.services.sessionmaker() as session:
        left = sorted((await session.scalars(select(OutboxMessage.idempotency_key))).all())
    assert left == sorted([f"future:3:{i}" for i in range(2)] + [f"recent:3:{i}" for i in range(3)])


async def test_send_limits_pace_pushes_per_bot_and_per_chat() -> None:
    now = [0.0]
    sent: list[tuple[float, int]] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limits = SendLimits(per_second=10, per_chat_per_second=1, monotonic=lambda: now[0], sleep=sleep)
    for chat in [1, 1, 2, 3, 1]:
        await limits.wait_for_chat(chat)
        await limits.wait_for_bot(chat)
        sent.append((now[0], chat))
    times_chat_1 = [t for t, c in sent if c == 1]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times_chat_1)), sent
    # the bot-wide window and pace under late wake-ups: tests/test_send_limits.py
    assert sent[-1][0] < 2.6, "no slower than the limits (with their safety margin) require"


def test_rate_limiter_forgets_strangers_beyond_its_bound() -> None:
    limiter = RateLimiter(per_minute=60, burst=2, max_tracked=100)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert [limiter.allow(7, t0) for _ in range(3)] == [True, True, False]
    for stranger in range(10_000, 20_000):
        limiter.allow(stranger, t0)
    assert len(limiter._buckets) == 100


class BlockedTransport(RecordingTransport):
    """Telegram answers 403 for the chats in ``blocked``."""

    def __init__(self, blocked: set[int]) -> None:
        super().__init__()
        self.blocked = blocked
        self.attempts: list[int] = []

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None:
        self.attempts.append(chat_id)
        if chat_id in self.blocked:
            raise UnreachableChatError("Forbidden: bot was blocked by the user")
        return await super().send(chat_id, text, buttons, image)


async def test_an_officer_who_blocked_the_bot_is_held_shown_to_admins_and_served_again(
    harness: ConsoleHarness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await h.send("/help", user=OFFICER_ID)  # the officer exists
    transport = BlockedTransport({OFFICER_ID})
    dispatcher = h.runtime.dispatcher(transport, clock=h.clock)
    await _queue(h, 2, chat_id=OFFICER_ID)
    with caplog.at_level("WARNING"):
        for _ in range(3):
            await _queue(h, 1, chat_id=OFFICER_ID, prefix=f"new{h.clock.now.second}")
            await dispatcher.tick(h.clock.advance(seconds=1))
    assert transport.attempts == [OFFICER_ID], "tried once; then no sends to an unreachable officer"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert len([r for r in caplog.records if "cannot be reached" in r.getMessage()]) == 1
    states = await _states(h)
    assert {s for s, _, _ in states.values()} == {"held"}
    listing = (await h.send("/officers")).replies[0]
    line = next(x for x in listing.text.splitlines() if str(OFFICER_ID) in x)
    assert "unreachable" in line and "blocked" in line
    transport.blocked.clear()
    await h.send("hello", user=OFFICER_ID)  # they unblocked the bot and write again
    await dispatcher.tick(h.clock.advance(seconds=1))
    assert sorted(p[1] for p in transport.pushes) == sorted(k.split(":")[0] + k.split(":")[2] for k in states)
    listing = (await h.send("/officers")).replies[0]
    assert "unreachable" not in listing.text


async def test_a_claim_takes_every_chats_oldest_push_first_and_leaves_chats_in_flight_alone(
    any_db_harness: ConsoleHarness,
) -> None:
    """Pushes queued chat by chat (an alert storm for one officer first) are still claimed fairly: each
    chat's first push, then each chat's second, at most ``per_chat`` each; a chat another instance is
    sending to is not claimed at all (its order and its one-a-second stay intact across instances)."""
    h = any_db_harness
    await _queue(h, 10, chat_id=1, prefix="a")
    await _queue(h, 10, chat_id=2, prefix="b")
    await _queue(h, 1, chat_id=3, prefix="c")
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        rows = await outbox.claim(session, now=h.clock.now, limit=5, holder="one", per_chat=2)
    assert sorted(r.text for r in rows) == ["a0", "a1", "b0", "b1", "c0"]  # not a0…a4: chat 3 waits for no one
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        assert await outbox.claim(session, now=h.clock.now, limit=50, holder="two") == []
        await outbox.release(session, [r.id for r in rows if r.chat_id == 2])
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        again = await outbox.claim(session, now=h.clock.now, limit=50, holder="two", per_chat=3)
    assert [r.text for r in again] == ["b0", "b1", "b2"]  # chat 2 is free again, in order; chat 1 still in flight


async def test_a_push_retried_after_a_429_keeps_its_place_among_other_chats(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    await _queue(h, 3, chat_id=1, prefix="a")
    await _queue(h, 3, chat_id=2, prefix="b")
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        (first,) = await outbox.claim(session, now=h.clock.now, limit=1, holder="one")
        await outbox.retry(session, first, when=h.clock.now + timedelta(seconds=1), error="429", attempts=1)
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        (again,) = await outbox.claim(session, now=h.clock.now + timedelta(seconds=2), limit=1, holder="one")
    assert again.text == "a0", "not behind chat 2's whole backlog"
