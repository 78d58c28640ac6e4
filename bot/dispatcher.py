"""The dispatcher: runs periodic jobs (once per interval across instances), then claims due pushes,
sends them within Telegram's limits, and accounts for every outcome through the outbox repository.

Guarantees (SQLite and PostgreSQL, one or many instances):

* A claim is atomic (``skills.store.outbox.claim``), so two instances never send the same row; a row
  left ``sending`` by a crashed instance is reclaimed after the lease, so nothing is lost. Claims are
  fair across chats (each chat's oldest due push first) and leave chats in flight elsewhere alone.
* Sends are paced to Telegram's limits (``bot.send_limits``); a backlog drains tick after tick, the
  periodic jobs running alongside, so 10,000 due pushes go out near the allowed rate with few 429s. The only
  possible repeats are the documented at-least-once cases: a send that timed out (Telegram may have
  delivered it) and sends in flight or sent-but-unmarked when an instance dies (at most
  ``concurrency + MARK_EVERY - 1``).
* Each send is isolated: whatever one send raises is caught and booked for that push alone; sibling
  sends finish and their successes are marked. Nothing is marked while siblings are in flight.
* A failed attempt (network error, 5xx, timeout, 400/413, an answer we cannot read, a bug) is counted
  with its error and retried with exponential backoff, later pushes to that chat waiting behind it
  (order). After ``max_attempts`` the push is dead-lettered (``failed`` + ``last_error``), the chat's
  next pushes go on, and admins get one summary notice per hour.
* 429 is flow control, not failure: the chat waits ``retry_after``; such a push is never dead-lettered.
* 401 (token revoked) pauses sending: every push stays pending, one line is logged, the shared flag
  is raised for ``doctor`` and ``/healthz``; a periodic ``getMe`` probe resumes sending by itself.
* 403 (blocked) / 400 chat not found: the officer is marked unreachable and their pushes are held
  (no sends, one warning) until they write to the bot again (``bot.access``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from sqlalchemy import select

from bot.logging_setup import instance_id as process_instance_id
from bot.logging_setup import request_id
from bot.messages import MESSAGES
from bot.send_limits import SendLimits
from skills.contract import Button, Services, Skill
from skills.i18n import t
from skills.store import outbox
from skills.store.leases import AUTH_PAUSED, claim_run, clear_flag, last_runs, looks_due, release_run, set_flag
from skills.store.models import Officer, OutboxMessage
from skills.store.reachability import mark_unreachable, unreachable_among
from skills.store.session import unit_of_work

__all__ = [
    "AcceptedUnreadable",
    "AuthSendError",
    "DispatchStats",
    "Dispatcher",
    "PermanentSendError",
    "TransientSendError",
    "Transport",
    "UnreachableChatError",
]

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
# Successful sends are marked in groups of this size: fewer commits, and a crash can repeat at most
# MARK_EVERY - 1 marked-but-unrecorded pushes plus the ``concurrency`` in flight.
MARK_EVERY = 8
PRUNE_JOB = "outbox.prune"
PRUNE_PAUSE = 0.05  # seconds between retention batches
DRAIN_BUDGET = 5.0  # seconds a tick keeps claiming new batches, so periodic jobs are not starved
Job = Callable[[Services, datetime], Awaitable[None]]


class TransientSendError(Exception):
    """The push may succeed later (network error, timeout, 5xx, 429 with ``retry_after`` seconds)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """The push cannot succeed as it is: dead-lettered at once."""


class UnreachableChatError(PermanentSendError):
    """The officer cannot be reached (blocked the bot, chat not found): hold their pushes."""


class AuthSendError(Exception):
    """The bot's token was rejected (401): pause all sending until a call succeeds again."""


class AcceptedUnreadable(Exception):
    """Telegram answered ``ok: true`` but the answer could not be read: delivered, so never re-sent."""


class Transport(Protocol):
    """Where pushes go: Telegram, the console, or a test double.

    A transport may also offer ``async def probe() -> None`` (raising :class:`AuthSendError` while the
    token is refused); without it, a paused dispatcher tests the token with its next send.
    """

    async def send(self, chat_id: int, text: str, buttons: list[list[Button]], image: bytes | None) -> int | None: ...


class _Result(Enum):
    SENT = "sent"
    RETRY = "retry"  # counted attempt, back off
    WAIT = "wait"  # 429: not counted
    DEAD = "dead_letter"
    UNREACHABLE = "unreachable"
    AUTH = "auth_paused"


@dataclass(slots=True)
class DispatchStats:
    """What one tick did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0  # dead-lettered
    held: int = 0
    paused: bool = False
    pruned: int = 0
    periodic_runs: list[str] = field(default_factory=list)
    backlog: bool = False  # the drain budget ran out with pushes still due: tick again at once


@dataclass(slots=True)
class _Batch:
    """Bookkeeping shared by the chat workers of one claimed batch."""

    now: datetime
    started: float
    sent: list[outbox.SentMark] = field(default_factory=list)


class Dispatcher:
    """Claims and sends due pushes; runs the periodic jobs on their intervals."""

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
        max_attempts: int = 8,
        limits: SendLimits | None = None,
        auth_probe_seconds: float = 30.0,
        admin_ids: list[int] | None = None,
        retention: timedelta = timedelta(days=30),
        prune_batch: int = 200,
        prune_interval: float = 300.0,
    ) -> None:
        self.services = services
        self.transport = transport
        self.instance_id = instance_id or process_instance_id()
        self.batch = batch
        self.concurrency = concurrency
        self.lease = lease
        self.clock = clock or services.clock
        self.max_attempts = max(1, max_attempts)
        self.limits = limits or SendLimits(per_second=0, per_chat_per_second=0)
        self.auth_probe_seconds = auth_probe_seconds
        self.admin_ids = list(admin_ids or [])
        self.retention = retention
        self.prune_batch = prune_batch
        self.periodics: list[tuple[str, float, Job]] = [job for skill in skills for job in skill.periodic()]
        self.prune_interval = prune_interval
        self.prune_pause = PRUNE_PAUSE
        self._pruning: asyncio.Future[None] | None = None
        self.paused_since: datetime | None = None
        self._auth_error = ""
        self._last_probe: datetime | None = None
        self._last_reclaim: datetime | None = None
        self._lock = asyncio.Lock()
        # How periodic jobs run: on this loop by default, or on a background loop (bot.worker).
        self.run_job = run_job or (lambda job, now: job(self.services, now))

    # ------------------------------------------------------------------------------------------ tick

    async def tick(self, now: datetime | None = None, *, draining: bool = False) -> DispatchStats:
        """Run due periodic jobs, then send every due push. Safe to call concurrently (serialised).

        ``draining``: the previous tick left a backlog (:attr:`DispatchStats.backlog`). The periodic jobs
        then run alongside the sending instead of before it (what they queue waits behind the backlog
        anyway), so a backlog drains at the allowed rate without a pause every few seconds.
        """
        async with self._lock:
            now = now or self.clock()
            stats = DispatchStats()
            async with self.services.sessionmaker() as session:  # one read; claims only for what looks due
                leases = await last_runs(session)
            jobs = self._run_periodics(now, stats, leases)
            if draining:
                running = asyncio.ensure_future(jobs)
            else:
                await jobs
            try:
                await self._start_pruning(now, leases)
                if await self._may_send(now):
                    await self._drain(now, stats)
            finally:
                if draining:
                    await running
            stats.paused = self.paused_since is not None
            if stats.failed:
                await self._notify_admins(now)
            return stats

    async def _run_periodics(self, now: datetime, stats: DispatchStats, leases: dict[str, datetime | None]) -> None:
        for name, interval, job in self.periodics:
            if not looks_due(leases.get(name), now=now, interval=interval):
                continue
            try:
                async with unit_of_work(self.services.sessionmaker) as session:
                    due = await claim_run(session, name, now=now, interval=interval, holder=self.instance_id)
                if due:
                    await self.run_job(job, now)
                    stats.periodic_runs.append(name)
            except Exception:  # one failing job must not stop pushes; it is logged with its trace
                log.exception("periodic job %s failed", name)
                await self._release(name)

    async def _release(self, name: str) -> None:
        """A failed job's claim is given back so the next tick retries it (if the database answers by then)."""
        try:
            async with unit_of_work(self.services.sessionmaker) as session:
                await release_run(session, name, holder=self.instance_id)
        except Exception as exc:  # still down: the lease runs out after its interval instead
            log.warning("periodic job %s: claim not released (%s); it runs again after its interval", name, exc)

    async def _drain(self, now: datetime, stats: DispatchStats) -> None:
        if self._last_reclaim is None or (now - self._last_reclaim) >= self.lease / 4:
            # a write, so not every tick: rows of a stopped instance wait their lease anyway
            async with unit_of_work(self.services.sessionmaker) as session:
                reclaimed = await outbox.reclaim_stale(session, claimed_before=now - self.lease)
            self._last_reclaim = now
            if reclaimed:
                log.warning("reclaimed %d pushes left in flight by a stopped instance", reclaimed)
        started = time.monotonic()
        per_chat = self._per_chat_claim()
        while time.monotonic() - started < DRAIN_BUDGET:
            rows = await self.claim(now, self.batch)
            if not rows:
                return
            await self._send_batch(rows, now, stats)
            if self.paused_since is not None:
                return
            capped = per_chat is not None and max(Counter(r.chat_id for r in rows).values()) >= per_chat
            if len(rows) < self.batch and not capped:
                return  # everything due was in this batch: no empty claim (the next tick finds newcomers)
        stats.backlog = True

    async def claim(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Atomically claim up to ``limit`` due rows for this instance, oldest first; hold unreachable chats'."""
        async with unit_of_work(self.services.sessionmaker) as session:
            rows = await outbox.claim(
                session, now=now, limit=limit, holder=self.instance_id, per_chat=self._per_chat_claim()
            )
            if not rows:
                return []
            away = await unreachable_among(session, {r.chat_id for r in rows})
            for chat_id, reason in away.items():
                await outbox.hold_chat(
                    session, chat_id, reason=reason, ids=[r.id for r in rows if r.chat_id == chat_id]
                )
        return [r for r in rows if r.chat_id not in away]

    def _per_chat_claim(self) -> int | None:
        """Pushes one chat may have in a batch: what its own limit lets out within a drain budget, so a
        batch never waits long on a few chats (None: no per-chat limit, every due push may come)."""
        if not self.limits.chat_interval:
            return None
        return max(1, math.ceil(DRAIN_BUDGET / self.limits.chat_interval))

    # ------------------------------------------------------------------------------------------ sending

    async def _send_batch(self, rows: list[OutboxMessage], now: datetime, stats: DispatchStats) -> None:
        by_chat: OrderedDict[int, list[OutboxMessage]] = OrderedDict()
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        gate = asyncio.Semaphore(self.concurrency)
        batch = _Batch(now=now, started=time.monotonic())

        async def chat_worker(chat_rows: list[OutboxMessage]) -> None:
            for index, row in enumerate(chat_rows):
                rest = [r.id for r in chat_rows[index:]]
                if self.paused_since is not None or time.monotonic() - batch.started > self.lease.total_seconds() / 2:
                    await self._book(outbox.release, rest)  # paused, or the claim is getting old: give back
                    return
                await self.limits.wait_for_chat(row.chat_id)
                async with gate:
                    await self.limits.wait_for_bot(row.chat_id)  # counted as late as possible: the send follows at once
                    result, when = await self._send_one(row, batch, stats, later=rest[1:])
                if len(batch.sent) >= MARK_EVERY:
                    await self._flush(batch)
                if result in (_Result.RETRY, _Result.WAIT):  # keep order: the chat's next pushes wait
                    await self._book(outbox.release, rest[1:], not_before=when)
                    return
                if result in (_Result.AUTH, _Result.UNREACHABLE):
                    return  # _send_one released (paused) or held (unreachable) this push and the chat's rest

        results = await asyncio.gather(*(chat_worker(r) for r in by_chat.values()), return_exceptions=True)
        # every worker has settled: mark what was delivered (a failure to record it is logged; the
        # rows stay "sending" and are retried after the lease: at-least-once, never lost)
        for outcome in results:
            if isinstance(outcome, BaseException):
                log.error("dispatcher bookkeeping failed", exc_info=outcome)
        await self._flush(batch)

    async def _send_one(
        self, row: OutboxMessage, batch: _Batch, stats: DispatchStats, *, later: list[int]
    ) -> tuple[_Result, datetime | None]:
        """Send one push and book its outcome; never raises for the push's own failure.

        ``later`` are this chat's next claimed pushes: released too when sending pauses, held too when
        the officer turns out unreachable.
        """
        token = request_id.set(f"push{row.id}")
        started = time.monotonic()
        attempts = row.attempts + 1
        result, error, when = _Result.SENT, "", None
        try:
            message_id = await self.transport.send(
                row.chat_id, row.text, outbox.buttons_from_json(row.buttons), row.image
            )
            batch.sent.append(outbox.SentMark(row.id, self.clock(), message_id, attempts))
            stats.sent += 1
        except AcceptedUnreadable as exc:
            error = f"{outbox.UNREADABLE_ANSWER}: {exc}"
            batch.sent.append(outbox.SentMark(row.id, self.clock(), None, attempts, note=error[: outbox.ERROR_LIMIT]))
            stats.sent += 1
        except AuthSendError as exc:
            result, error = _Result.AUTH, str(exc)
            await self._pause(batch.now, error)
            await self._book(outbox.release, [row.id, *later])
        except UnreachableChatError as exc:
            result, error = _Result.UNREACHABLE, str(exc)
            stats.held += await self._unreachable(row, batch.now, error, ids=[row.id, *later])
        except PermanentSendError as exc:
            result, error = _Result.DEAD, str(exc)
            await self._book(outbox.fail, row.id, error=error, attempts=attempts, at=batch.now)
            stats.failed += 1
        except TransientSendError as exc:
            error = str(exc) or type(exc).__name__
            if exc.retry_after is not None:  # flood control: wait as told, not a failed attempt
                result, when = _Result.WAIT, batch.now + timedelta(seconds=exc.retry_after)
                self.limits.hold_chat(row.chat_id, exc.retry_after)
                await self._book(outbox.retry, row, when=when, error=error, attempts=attempts)
                stats.retried += 1
            else:
                result, when = await self._failed_attempt(row, batch.now, error, attempts, stats)
        except Exception as exc:  # a bug, corrupt buttons, an answer we cannot parse: one failed attempt
            error = f"{type(exc).__name__}: {exc}"
            log.warning("push %s raised %s", row.id, error, exc_info=True)
            result, when = await self._failed_attempt(row, batch.now, error, attempts, stats)
        log.info(
            "push id=%s kind=%s chat=%s outcome=%s attempt=%d latency_ms=%.0f instance=%s%s",
            row.id,
            row.kind,
            row.chat_id,
            result.value,
            attempts,
            (time.monotonic() - started) * 1000,
            self.instance_id,
            f" error={error[:200]!r}" if error else "",
        )
        request_id.reset(token)
        return result, when

    async def _failed_attempt(
        self, row: OutboxMessage, now: datetime, error: str, attempts: int, stats: DispatchStats
    ) -> tuple[_Result, datetime | None]:
        if attempts >= self.max_attempts:
            await self._book(outbox.fail, row.id, error=error, attempts=attempts, at=now)
            stats.failed += 1
            log.warning("push %s to %s dead-lettered after %d attempts: %s", row.id, row.chat_id, attempts, error)
            return _Result.DEAD, None
        when = now + timedelta(seconds=min(2.0 ** (attempts - 1), MAX_BACKOFF))
        await self._book(outbox.retry, row, when=when, error=error, attempts=attempts)
        stats.retried += 1
        return _Result.RETRY, when

    async def _book(self, operation: Callable[..., Awaitable[object]], *args: object, **kwargs: object) -> None:
        """Run one outbox write in its own unit of work."""
        async with unit_of_work(self.services.sessionmaker) as session:
            await operation(session, *args, **kwargs)

    async def _flush(self, batch: _Batch) -> None:
        """Mark the deliveries so far as sent, in one statement (drains ``batch.sent``)."""
        if not batch.sent:
            return
        marks = list(batch.sent)
        batch.sent.clear()
        await self._book(outbox.mark_sent, marks)

    # ------------------------------------------------------------------------------------------ states

    async def _unreachable(self, row: OutboxMessage, now: datetime, error: str, *, ids: list[int]) -> int:
        reason = f"unreachable: {error}"[:200]
        async with unit_of_work(self.services.sessionmaker) as session:
            newly = await mark_unreachable(session, row.chat_id, reason=reason, now=now)
            held = await outbox.hold_chat(session, row.chat_id, reason=reason, ids=ids)
        if newly:
            log.warning(
                "officer %s cannot be reached (%s): pushes held until they write to the bot", row.chat_id, error
            )
        return held

    async def _pause(self, now: datetime, error: str) -> None:
        if self.paused_since is None:
            self.paused_since, self._auth_error, self._last_probe = now, error, now
            log.error(
                "Telegram rejected the bot token (401: %s): sending paused, every push stays pending. "
                "Fix TELEGRAM_BOT_TOKEN (from @BotFather); sending resumes by itself once Telegram accepts it.",
                error,
            )
        async with unit_of_work(self.services.sessionmaker) as session:
            await set_flag(session, AUTH_PAUSED, now=now, detail=error[:500])

    async def _may_send(self, now: datetime) -> bool:
        """While paused, probe the token every ``auth_probe_seconds``; resume when it is accepted."""
        if self.paused_since is None:
            return True
        probe = getattr(self.transport, "probe", None)
        if probe is None:
            self.paused_since = None  # no probe: the next send tests the token
            return True
        if self._last_probe is not None and (now - self._last_probe).total_seconds() < self.auth_probe_seconds:
            return False
        self._last_probe = now
        try:
            await probe()
        except AuthSendError as exc:
            self._auth_error = str(exc)
            return False
        except Exception as exc:  # network trouble: still paused, try again later
            log.info("token probe failed: %s", exc)
            return False
        log.warning("Telegram accepts the bot token again: sending resumed (paused since %s)", self.paused_since)
        self.paused_since = None
        async with unit_of_work(self.services.sessionmaker) as session:
            await clear_flag(session, AUTH_PAUSED, now=now)
        return True

    # ------------------------------------------------------------------------------------------ admin

    async def _notify_admins(self, now: datetime) -> None:
        """One summary push per admin per hour about dead letters (never one per push)."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        try:
            async with unit_of_work(self.services.sessionmaker) as session:
                count = await outbox.dead_letters_since(session, now - timedelta(hours=1))
                if not count:
                    return
                admins = set(self.admin_ids)
                admins.update(
                    (
                        await session.scalars(
                            select(Officer.id).where(Officer.role == "admin", Officer.active.is_(True))
                        )
                    ).all()
                )
                langs = dict(
                    (await session.execute(select(Officer.id, Officer.language).where(Officer.id.in_(admins)))).all()
                )
                pushes = [
                    {
                        "chat_id": admin,
                        "kind": "system",
                        "text": t(MESSAGES, "dead_letters", langs.get(admin) or "en", count=count),
                        "due_at": now,
                        "idempotency_key": f"dead-letters:{admin}:{hour.isoformat()}",
                    }
                    for admin in sorted(admins)
                    if admin  # the console officer (0) reads the log
                ]
                await outbox.enqueue_many(session, pushes)
        except Exception:
            log.exception("could not queue the dead-letter notice for admins")

    async def _start_pruning(self, now: datetime, leases: dict[str, datetime | None]) -> None:
        """Start retention in the background when its lease is due; the tick never waits for it."""
        if self._pruning is not None and not self._pruning.done():
            return
        if not looks_due(leases.get(PRUNE_JOB), now=now, interval=self.prune_interval):
            return
        try:
            async with unit_of_work(self.services.sessionmaker) as session:
                due = await claim_run(
                    session, PRUNE_JOB, now=now, interval=self.prune_interval, holder=self.instance_id
                )
        except Exception:
            log.exception("could not claim the retention job")
            return
        if due:
            self._pruning = asyncio.ensure_future(self.run_job(self._prune_job, now))
            self._pruning.add_done_callback(_log_failure)

    async def wait_pruned(self) -> None:
        """Wait for a retention run in progress (tests, shutdown)."""
        if self._pruning is not None:
            await asyncio.gather(self._pruning, return_exceptions=True)

    async def _prune_job(self, services: Services, now: datetime) -> None:
        """Retention: delete sent pushes older than ``retention``, in small batches with a pause between
        them, so the dispatcher's own writes (claims, marks) get the database in between (SQLite has one
        writer at a time)."""
        total = 0
        while True:
            async with unit_of_work(services.sessionmaker) as session:
                deleted = await outbox.prune(session, sent_before=now - self.retention, batch=self.prune_batch)
            total += deleted
            if deleted < self.prune_batch:
                break
            await asyncio.sleep(self.prune_pause)
        if total:
            log.info("retention: pruned %d sent pushes older than %s", total, self.retention)


def _log_failure(future: asyncio.Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("retention job failed", exc_info=future.exception())
