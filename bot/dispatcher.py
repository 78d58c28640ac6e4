"""The dispatcher: runs skills' periodic jobs, then claims due outbox rows, sends them, marks them sent.

The database is the source of truth; the job queue (or the console loop) only wakes the dispatcher.
Claims are atomic (``UPDATE … WHERE state='pending' … RETURNING``; on PostgreSQL the candidates are
picked with ``FOR UPDATE SKIP LOCKED``), so several instances never send the same row twice. A row
left in ``sending`` by a crashed instance is reclaimed after a lease, so a push is delivered at least
once; the only possible duplicates are the sends in flight or sent-but-not-yet-marked at the moment
of a crash (at most ``concurrency + MARK_EVERY - 1`` = 15). Transient failures back off (Telegram's ``retry_after`` is honoured exactly)
and keep per-chat order; permanent failures are kept as ``failed`` rows and logged, never dropped.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, bindparam, select, update

from skills.contract import Button, Services, Skill
from skills.store.models import OutboxMessage
from skills.store.outbox import buttons_from_json
from skills.store.session import is_postgres

__all__ = ["DispatchStats", "Dispatcher", "PermanentSendError", "TransientSendError", "Transport"]

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
# Successful sends are marked in groups of this size: fewer commits, and a crash can repeat at most
# MARK_EVERY - 1 marked-but-unrecorded pushes plus the ``concurrency`` in flight.
MARK_EVERY = 8
Job = Callable[[Services, datetime], Awaitable[None]]


class TransientSendError(Exception):
    """The push may succeed later (network error, timeout, 5xx, 429 with ``retry_after`` seconds)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """The push cannot succeed as it is (the officer blocked the bot, the chat does not exist)."""


class Transport(Protocol):
    """Where pushes go: Telegram, the console, or a test double."""

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None: ...


@dataclass(slots=True)
class DispatchStats:
    """What one tick did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    periodic_runs: list[str] = field(default_factory=list)


class Dispatcher:
    """Claims and sends due pushes; runs the skills' periodic jobs on their intervals."""

    def __init__(
        self,
        services: Services,
        transport: Transport,
        skills: list[Skill],
        *,
        instance_id: str | None = None,
        batch: int = 50,
        concurrency: int = 8,
        lease: timedelta = timedelta(seconds=120),
        clock: Callable[[], datetime] | None = None,
        run_job: Callable[[Job, datetime], Awaitable[None]] | None = None,
    ) -> None:
        self.services = services
        self.transport = transport
        self.instance_id = instance_id or f"fm-{uuid.uuid4().hex[:8]}"
        self.batch = batch
        self.concurrency = concurrency
        self.lease = lease
        self.clock = clock or services.clock
        self.periodics = [job for skill in skills for job in skill.periodic()]
        self._last_run: dict[str, datetime] = {}
        self._lock = asyncio.Lock()
        # How periodic jobs run: on this loop by default, or on a background loop (bot.worker).
        self.run_job = run_job or (lambda job, now: job(self.services, now))

    async def tick(self, now: datetime | None = None) -> DispatchStats:
        """Run due periodic jobs, then send every due push. Safe to call concurrently (serialised)."""
        async with self._lock:
            now = now or self.clock()
            stats = DispatchStats()
            for name, interval, job in self.periodics:
                last = self._last_run.get(name)
                if last is not None and (now - last).total_seconds() < interval:
                    continue
                self._last_run[name] = now
                try:
                    await self.run_job(job, now)
                    stats.periodic_runs.append(name)
                except Exception:  # one failing job must not stop pushes; it is logged with its trace
                    log.exception("periodic job %s failed", name)
            await self._drain(now, stats)
            return stats

    async def _drain(self, now: datetime, stats: DispatchStats) -> None:
        await self._reclaim_stale(now)
        for _ in range(1000):
            rows = await self.claim(now, self.batch)
            if not rows:
                return
            await self._send_batch(rows, now, stats)

    async def _reclaim_stale(self, now: datetime) -> None:
        """Rows left ``sending`` by a crashed instance go back to pending after the lease."""
        async with self.services.sessionmaker() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < now - self.lease)
                .values(state="pending", claimed_by=None)
            )
            await session.commit()
            if result.rowcount:  # type: ignore[attr-defined]
                log.warning("reclaimed %d pushes left in flight by a stopped instance", result.rowcount)  # type: ignore[attr-defined]

    async def claim(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Atomically claim up to ``limit`` due rows for this instance, oldest first."""
        async with self.services.sessionmaker() as session:
            candidates = (
                select(OutboxMessage.id)
                .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.due_at, OutboxMessage.id)
                .limit(limit)
            )
            if is_postgres(session):
                candidates = candidates.with_for_update(skip_locked=True)
            ids = list((await session.scalars(candidates)).all())
            if not ids:
                return []
            claimed = (
                await session.scalars(
                    update(OutboxMessage)
                    .where(and_(OutboxMessage.id.in_(ids), OutboxMessage.state == "pending"))
                    .values(state="sending", claimed_by=self.instance_id, claimed_at=now)
                    .returning(OutboxMessage.id)
                )
            ).all()
            await session.commit()
            if not claimed:
                return []
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.id.in_(claimed))
                    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.due_at, OutboxMessage.id)
                )
            ).all()
            return list(rows)

    async def _send_batch(self, rows: list[OutboxMessage], now: datetime, stats: DispatchStats) -> None:
        by_chat: OrderedDict[int, list[OutboxMessage]] = OrderedDict()
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        gate = asyncio.Semaphore(self.concurrency)
        sent: list[dict[str, object]] = []  # marked in small groups: one UPDATE per MARK_EVERY sends

        async def chat_worker(chat_rows: list[OutboxMessage]) -> None:
            for index, row in enumerate(chat_rows):
                async with gate:
                    retry_at = await self._send_one(row, now, stats, sent)
                if len(sent) >= MARK_EVERY:
                    await self._mark_sent(sent)
                if retry_at is not None:  # keep order: later pushes to this chat wait behind the failed one
                    await self._release([r.id for r in chat_rows[index + 1 :]], retry_at)
                    return

        try:
            await asyncio.gather(*(chat_worker(chat_rows) for chat_rows in by_chat.values()))
        finally:
            await self._mark_sent(sent)

    async def _mark_sent(self, sent: list[dict[str, object]]) -> None:
        """Mark the sends so far as sent, in one statement (drains ``sent``)."""
        if not sent:
            return
        marks = list(sent)
        sent.clear()
        table = OutboxMessage.__table__
        async with self.services.sessionmaker() as session:
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(
                    state="sent",
                    sent_at=bindparam("sent"),
                    telegram_message_id=bindparam("message_id"),
                    attempts=bindparam("tries"),
                ),
                marks,
            )
            await session.commit()

    async def _send_one(
        self, row: OutboxMessage, now: datetime, stats: DispatchStats, sent: list[dict[str, object]]
    ) -> datetime | None:
        """Send one row (a success is added to ``sent``); return when to retry it if it must wait, else None."""
        try:
            message_id = await self.transport.send(row.chat_id, row.text, buttons_from_json(row.buttons), row.image)
        except TransientSendError as exc:
            delay = exc.retry_after if exc.retry_after is not None else min(2.0**row.attempts, MAX_BACKOFF)
            when = now + timedelta(seconds=delay)
            await self._retry_later(row, when, str(exc))
            stats.retried += 1
            log.info("push %s to %s deferred %.1fs: %s", row.id, row.chat_id, delay, exc)
            return when
        except PermanentSendError as exc:
            await self._mark(row.id, state="failed", last_error=str(exc)[:500], attempts=row.attempts + 1)
            stats.failed += 1
            log.error("push %s to %s failed permanently: %s", row.id, row.chat_id, exc)
            return None
        sent.append({"row_id": row.id, "sent": self.clock(), "message_id": message_id, "tries": row.attempts + 1})
        stats.sent += 1
        return None

    async def _retry_later(self, row: OutboxMessage, when: datetime, error: str) -> None:
        async with self.services.sessionmaker() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(
                    state="pending",
                    attempts=row.attempts + 1,
                    next_attempt_at=when,
                    last_error=error[:500],
                    claimed_by=None,
                )
            )
            # Later pushes to the same chat must not overtake this one.
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.chat_id == row.chat_id,
                    OutboxMessage.state == "pending",
                    OutboxMessage.next_attempt_at < when,
                    OutboxMessage.id != row.id,
                )
                .values(next_attempt_at=when)
            )
            await session.commit()

    async def _release(self, ids: list[int], not_before: datetime) -> None:
        if not ids:
            return
        async with self.services.sessionmaker() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.state == "sending")
                .values(state="pending", claimed_by=None, next_attempt_at=not_before)
            )
            await session.commit()

    async def _mark(self, row_id: int, **values: object) -> None:
        async with self.services.sessionmaker() as session:
            await session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
            await session.commit()
