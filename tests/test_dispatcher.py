"""The outbox and dispatcher: due pushes are sent once, retried with backoff, kept in order, never dropped."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.dispatcher import PermanentSendError, TransientSendError
from bot.runtime import Runtime
from skills.contract import Button
from skills.store import OutboxMessage, unit_of_work
from skills.store.outbox import cancel_pending, enqueue
from tests.conftest import make_settings
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
                await enqueue(session, chat_id=i % 17, kind="t", text=f"m{i}", due_at=clock.now, idempotency_key=f"k{i}")
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
