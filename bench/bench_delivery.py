"""Benchmark push delivery (issue 13). Prints figures; run with ``.venv/bin/python bench/bench_delivery.py``.

* ``rate``: pushes due at once, sent by the real Telegram Application (its job queue ticking the
  dispatcher on the wall clock, as in production) to a fake Bot API that enforces Telegram's limits (429
  with ``retry_after`` beyond them). Prints pushes delivered once, duplicates, lost, the achieved rate as
  a share of the allowed one, and the share of calls answered 429. Limits are scaled by ``--scale``
  (default 10: 300 msg/s per bot, 10 per chat, CPU-bound on a loaded machine). The issue's target run,
  10,000 reminders at Telegram's own 30/s per bot and 1/s per chat (~6 minutes)::

      .venv/bin/python bench/bench_delivery.py --only rate --scale 1 --count 10000 --chats 1000

* ``memory``: 100,000 distinct strangers through the per-sender lock and the rate limiter: memory growth.
* ``prune``: 1,000,000 sent rows (SQLite; ``--rows 200000`` for a quicker rehearsal): the retention
  statement's query plan, then dispatcher tick latency without pruning (the baseline) and while
  retention prunes them on the background loop, in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from pydantic import SecretStr
from sqlalchemy import func, insert, select, text

from bot.access import Caller
from bot.dispatcher import Dispatcher
from bot.router import Incoming
from bot.runtime import Runtime
from bot.telegram_app import _Adapter, build_application, start_application, stop_application
from skills.store import OutboxMessage, unit_of_work
from skills.store.outbox import enqueue_many, prune_statement
from tests.conftest import make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock, RecordingTransport


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench_rate(count: int, chats: int, scale: float, batch: int | None) -> None:
    """The production path: the real Application, its job queue ticking the dispatcher every
    ``dispatch_interval`` on the wall clock, pacing from the settings, the fake enforcing the limits."""
    per_second, per_chat = 30.0 * scale, 1.0 * scale
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeBotAPI()
        await fake.start()
        fake.enforce_limits(per_second, per_chat)
        overrides: dict[str, object] = {
            "dispatch_rate_per_second": per_second,
            "dispatch_chat_rate_per_second": per_chat,
            "telegram_bot_token": SecretStr(fake.token),
            "telegram_api_base_url": f"{fake.url}/bot",
            "telegram_api_base_file_url": f"{fake.url}/file/bot",
        }
        if batch:
            overrides["dispatch_batch"] = batch
        settings = make_settings(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), **overrides)
        runtime = await Runtime.create(settings, retriever=False)  # the real clock
        app = build_application(settings, runtime)  # the dispatcher on the job queue, as in production
        try:
            await start_application(app)
            await fake.wait_for_call("setMyCommands", count=2)
            now = datetime.now(UTC)
            async with unit_of_work(runtime.services.sessionmaker) as session:
                await enqueue_many(
                    session,
                    [
                        {
                            "chat_id": 10_000 + i % chats,
                            "kind": "reminder",
                            "text": f"push {i}",
                            "due_at": now,
                            "idempotency_key": f"bench:{i}",
                        }
                        for i in range(count)
                    ],
                )
            t0 = time.perf_counter()
            last_progress, delivered = t0, 0
            while delivered < count:
                await asyncio.sleep(0.05)
                pushes = sum(1 for m in fake.sent if (m.text or "").startswith("push "))
                if pushes > delivered:
                    delivered, last_progress = pushes, time.perf_counter()
                elif time.perf_counter() - last_progress > 60:
                    print(f"rate: stalled at {delivered:,} of {count:,} deliveries")
                    break
            elapsed = last_progress - t0
        finally:
            await stop_application(app)
            await fake.stop()
    calls = sum(1 for name, _ in fake.calls if name == "sendMessage")
    counts = Counter(m.text for m in fake.sent if (m.text or "").startswith("push "))
    once = sum(1 for n in counts.values() if n == 1)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    rate = len(counts) / elapsed if elapsed else 0.0
    print(
        f"rate: {count:,} pushes due at once to {chats:,} chats, limits {per_second:.0f}/s per bot and "
        f"{per_chat:.0f}/s per chat, batch {settings.dispatch_batch}: "
        f"delivered once {once:,}, duplicates {duplicates}, lost {count - len(counts):,}; "
        f"{elapsed:.1f} s = {rate:.1f}/s = {100 * rate / per_second:.1f}% of the allowed rate; "
        f"{fake.limit_answers} of {calls:,} calls answered 429 ({100 * fake.limit_answers / max(calls, 1):.2f}%)"
    )


async def bench_memory(strangers: int) -> None:
    """Distinct strangers through what an update goes through: the adapter's per-sender lock and the real
    router (allowlist, then the rate limiter, which is on), on a real database."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), rate_limit_per_minute=60)
        rt = await Runtime.create(settings, retriever=False, warm_up="skip")
        adapter = _Adapter(rt)
        limiter = rt.router.limiter
        try:

            async def one(user_id: int) -> None:
                async with adapter._lock(user_id):
                    outcome = await rt.router.handle(Incoming(caller=Caller(user_id=user_id), text="hello"))
                assert outcome.intent == "refused"

            for user_id in range(1000):  # warm-up: caches and pools reach their steady size
                await one(5_000_000 + user_id)
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            t0 = time.perf_counter()
            for user_id in range(1_000_000, 1_000_000 + strangers):
                await one(user_id)
            elapsed = time.perf_counter() - t0
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
        finally:
            await rt.close()
    print(
        f"memory: {strangers:,} distinct strangers through the lock and the router in {elapsed:.0f} s → growth "
        f"{(after - before) / 1e6:.3f} MB (locks kept: {len(adapter._locks)}, rate buckets: {len(limiter._buckets)})"
    )


async def _ticks_while(
    dispatcher: Dispatcher, rt: Runtime, clock: Clock, *, until: asyncio.Future[None] | None, ticks: int, tag: str
) -> list[float]:
    """Tick latencies (ms), each tick sending one freshly queued push, until ``until`` is done and at
    least ``ticks`` ticks ran."""
    samples: list[float] = []
    index = 0
    while (until is not None and not until.done()) or index < ticks:
        async with unit_of_work(rt.services.sessionmaker) as session:
            await enqueue_many(
                session,
                [
                    {
                        "chat_id": 7,
                        "kind": "t",
                        "text": f"{tag} {index}",
                        "due_at": clock.now,
                        "idempotency_key": f"{tag}:{index}",
                    }
                ],
            )
        t1 = time.perf_counter()
        await dispatcher.tick(clock.now)
        samples.append((time.perf_counter() - t1) * 1000)
        index += 1
        await asyncio.sleep(0.02)
    return samples


def _describe(samples: list[float]) -> str:
    return (
        f"{len(samples)} ticks, median {statistics.median(samples):.1f} ms, p95 {pct(samples, 0.95):.1f} ms, "
        f"max {max(samples):.1f} ms"
    )


async def bench_prune(rows: int, ticks: int, batch: int | None) -> None:
    """Tick latency without pruning (the baseline) and while retention prunes ``rows`` old sent rows on
    the background loop, in one run on one database, so the two are comparable under the same load."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = Clock()
        overrides: dict[str, object] = {"outbox_prune_batch": batch} if batch else {}
        settings = make_settings(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), **overrides)
        rt = await Runtime.create(settings, clock=clock, retriever=False)
        try:
            old = clock.now - timedelta(days=60)
            t0 = time.perf_counter()
            chunk = 20_000
            for start in range(0, rows, chunk):
                async with unit_of_work(rt.services.sessionmaker) as session:
                    await session.execute(
                        insert(OutboxMessage),
                        [
                            {
                                "chat_id": i % 500,
                                "kind": "reminder",
                                "ref": "",
                                "idempotency_key": f"old:{i}",
                                "text": "x" * 200,
                                "buttons": [],
                                "due_at": old,
                                "next_attempt_at": old,
                                "state": "sent",
                                "attempts": 1,
                                "sent_at": old,
                                "created_at": old,
                            }
                            for i in range(start, min(rows, start + chunk))
                        ],
                    )
            print(f"prune: seeded {rows:,} sent rows older than 30 days in {time.perf_counter() - t0:.1f} s")
            async with rt.services.sessionmaker() as session:
                statement = prune_statement(
                    sent_before=clock.now - timedelta(days=30), batch=settings.outbox_prune_batch
                )
                compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
                plan = (await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all()
            print("prune: query plan: " + "; ".join(str(row[-1]) for row in plan))

            transport = RecordingTransport()
            # the baseline: the same dispatcher work, but retention finds nothing old enough to delete
            baseline = rt.dispatcher(transport, clock=clock, background=True)
            baseline.retention = timedelta(days=36_500)
            await baseline.tick(clock.now)
            await baseline.wait_pruned()
            quiet = await _ticks_while(baseline, rt, clock, until=None, ticks=ticks, tag="quiet")

            clock.advance(seconds=baseline.prune_interval + 1)  # the retention lease is due again
            dispatcher = rt.dispatcher(transport, clock=clock, background=True)
            t0 = time.perf_counter()
            await dispatcher.tick(clock.now)  # claims the retention lease and starts it on the background loop
            pruning = dispatcher._pruning
            assert pruning is not None
            busy = await _ticks_while(dispatcher, rt, clock, until=pruning, ticks=ticks, tag="live")
            await pruning
            prune_s = time.perf_counter() - t0
            async with rt.services.sessionmaker() as session:
                left = await session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "sent")
                )
            print(
                f"prune: {rows:,} old sent rows pruned in {prune_s:.1f} s on the background loop "
                f"({settings.outbox_prune_batch} per statement, {dispatcher.prune_pause * 1000:.0f} ms apart; "
                f"left: {left - len(transport.pushes)})"
            )
            print(f"prune: ticks without pruning (baseline): {_describe(quiet)}")
            print(f"prune: ticks while pruning:               {_describe(busy)}")
        finally:
            await rt.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["rate", "memory", "prune"])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument(
        "--scale", type=float, default=10.0, help="limits × scale (1: Telegram's own 30/s per bot, 1/s per chat)"
    )
    parser.add_argument("--batch", type=int, default=0, help="DISPATCH_BATCH for the rate run (0: the setting's)")
    parser.add_argument("--strangers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--ticks", type=int, default=200, help="ticks measured without pruning (the baseline)")
    parser.add_argument("--prune-batch", type=int, default=0, help="OUTBOX_PRUNE_BATCH (0: the setting's)")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    if args.only in (None, "memory"):
        asyncio.run(bench_memory(args.strangers))
    if args.only in (None, "rate"):
        asyncio.run(bench_rate(args.count, args.chats, args.scale, args.batch or None))
    if args.only in (None, "prune"):
        asyncio.run(bench_prune(args.rows, ticks=args.ticks, batch=args.prune_batch or None))


if __name__ == "__main__":
    main()
