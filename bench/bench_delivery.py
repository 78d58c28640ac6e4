"""Benchmark push delivery (issue 13). Prints figures; run with ``.venv/bin/python bench/bench_delivery.py``.

* ``rate``: 10,000 pushes due at once, sent by the real Telegram Application to a fake Bot API that
  enforces Telegram's limits (429 with ``retry_after`` beyond them). Reports deliveries per push, the
  achieved rate against the allowed one, and the share of calls answered 429. Limits are scaled by
  ``--scale`` (default 10: 300 msg/s per bot, 10 per chat) so the run takes ~35 s instead of ~6 minutes;
  ``--scale 1`` uses Telegram's own 30/s and 1/s.
* ``memory``: 100,000 distinct strangers through the per-sender lock and the rate limiter: memory growth.
* ``prune``: 1,000,000 sent rows (SQLite): dispatcher tick latency while retention prunes them on the
  background loop.
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
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import func, insert, select

from bot.ratelimit import RateLimiter
from bot.runtime import Runtime
from bot.telegram_app import _Adapter
from skills.store import OutboxMessage, unit_of_work
from skills.store.outbox import enqueue_many
from tests.conftest import make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock, RecordingTransport
from tests.fixtures.telegram import running_bot


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench_rate(count: int, chats: int, scale: float) -> None:
    per_second, per_chat = 30.0 * scale, 1.0 * scale
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeBotAPI()
        await fake.start()
        fake.enforce_limits(per_second, per_chat)
        settings = make_settings(
            f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            Path(tmp),
            dispatch_rate_per_second=per_second,
            dispatch_chat_rate_per_second=per_chat,
            dispatch_batch=200,
        )
        clock = Clock(datetime.now(UTC))
        try:
            async with running_bot(fake, settings, clock) as bot:
                await fake.wait_for_call("setMyCommands", count=2)
                now = clock.now
                async with unit_of_work(bot.runtime.services.sessionmaker) as session:
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
                calls_before = len([c for c in fake.calls if c[0] == "sendMessage"])
                t0 = time.perf_counter()
                while True:
                    clock.set(datetime.now(UTC))
                    await bot.dispatcher.tick(clock.now)
                    async with bot.runtime.services.sessionmaker() as session:
                        left = await session.scalar(
                            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state != "sent")
                        )
                    if not left:
                        break
                    await asyncio.sleep(0.05)
                elapsed = time.perf_counter() - t0
        finally:
            await fake.stop()
    calls = len([c for c in fake.calls if c[0] == "sendMessage"]) - calls_before
    counts = Counter(m.text for m in fake.sent if (m.text or "").startswith("push "))
    once = sum(1 for n in counts.values() if n == 1)
    rate = count / elapsed
    print(
        f"rate: {count:,} pushes to {chats:,} chats, limits {per_second:.0f}/s per bot and {per_chat:.0f}/s per chat: "
        f"delivered {len(counts):,} (exactly once: {once:,}, max per push {max(counts.values())}), "
        f"{elapsed:.1f} s = {rate:.0f}/s = {100 * rate / per_second:.1f}% of the allowed rate; "
        f"{fake.limit_answers} of {calls:,} calls answered 429 ({100 * fake.limit_answers / max(calls, 1):.2f}%)"
    )


async def bench_memory(strangers: int) -> None:
    adapter = _Adapter(SimpleNamespace(settings=None))  # type: ignore[arg-type]
    limiter = RateLimiter(per_minute=60, burst=15)
    now = datetime(2026, 11, 30, tzinfo=UTC)

    async def one(user_id: int) -> None:
        async with adapter._lock(user_id):
            limiter.allow(user_id, now)

    for user_id in range(1000):  # warm-up: the structures reach their steady size
        await one(user_id)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for user_id in range(1_000_000, 1_000_000 + strangers):
        await one(user_id)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"memory: {strangers:,} distinct strangers → growth {(after - before) / 1e6:.3f} MB "
        f"(locks kept: {len(adapter._locks)}, rate buckets kept: {len(limiter._buckets)})"
    )


async def bench_prune(rows: int, ticks: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = Clock()
        settings = make_settings(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp))
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
            print(f"prune: seeded {rows:,} sent rows in {time.perf_counter() - t0:.1f} s")
            transport = RecordingTransport()
            dispatcher = rt.dispatcher(transport, clock=clock, background=True)
            t0 = time.perf_counter()
            await dispatcher.tick(clock.now)  # claims the retention lease and starts it on the background loop
            pruning = dispatcher._pruning
            assert pruning is not None
            samples: list[float] = []
            index = 0
            while not pruning.done() or index < ticks:
                async with unit_of_work(rt.services.sessionmaker) as session:
                    await enqueue_many(
                        session,
                        [
                            {
                                "chat_id": 7,
                                "kind": "t",
                                "text": f"live {index}",
                                "due_at": clock.now,
                                "idempotency_key": f"live:{index}",
                            }
                        ],
                    )
                t1 = time.perf_counter()
                await dispatcher.tick(clock.now)
                samples.append((time.perf_counter() - t1) * 1000)
                index += 1
                await asyncio.sleep(0.02)
            await pruning
            prune_s = time.perf_counter() - t0
            async with rt.services.sessionmaker() as session:
                left = await session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "sent")
                )
            print(
                f"prune: {rows:,} old sent rows pruned in {prune_s:.1f} s on the background loop (left: {left - len(transport.pushes)}); "
                f"{len(samples)} ticks meanwhile, each sending one push: median {statistics.median(samples):.1f} ms, "
                f"p95 {pct(samples, 0.95):.1f} ms, max {max(samples):.1f} ms"
            )
        finally:
            await rt.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["rate", "memory", "prune"])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--strangers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    if args.only in (None, "memory"):
        asyncio.run(bench_memory(args.strangers))
    if args.only in (None, "rate"):
        asyncio.run(bench_rate(args.count, args.chats, args.scale))
    if args.only in (None, "prune"):
        asyncio.run(bench_prune(args.rows, ticks=50))


if __name__ == "__main__":
    main()
