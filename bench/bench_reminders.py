"""Benchmark the reminders skill: parse latency, dispatcher lag for 10,000 reminders due in one minute,
memory with 100,000 pending reminders. Prints figures; run with ``.venv/bin/python bench/bench_reminders.py``.

Optional: ``--pg`` also measures the dispatcher lag on PostgreSQL at 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import yaml
from sqlalchemy import insert

from bot.runtime import Runtime
from skills.reminders.models import Reminder
from skills.reminders.service import pickup
from skills.reminders.timeparse import parse_reminder
from skills.store.models import Officer as OfficerRow
from tests.conftest import make_settings
from tests.fixtures.harness import RecordingTransport

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "skills" / "reminders" / "corpus.yaml"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_parse(rounds: int = 20) -> None:
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    texts = [(e["text"].removeprefix("/remind "), datetime.fromisoformat(e["now"]), e["tz"]) for e in entries]
    for text, now, tz in texts:  # warm-up (regex compilation, dateparser language data)
        parse_reminder(text, now=now, tz=tz)
    samples = []
    for _ in range(rounds):
        for text, now, tz in texts:
            t0 = time.perf_counter()
            parse_reminder(text, now=now, tz=tz)
            samples.append((time.perf_counter() - t0) * 1000)
    print(f"parse: {len(samples)} messages ({len(texts)} distinct, en+zh) median {statistics.median(samples):.2f} ms, "
          f"p95 {pct(samples, 0.95):.2f} ms, max {max(samples):.2f} ms")


async def _seed(rt: Runtime, count: int, due_from: datetime, spread_s: int) -> None:
    async with rt.services.sessionmaker() as session:
        session.add(OfficerRow(id=7, name="bench", role="officer", active=True, created_at=NOW))
        await session.flush()
        rows = [
            {"officer_id": 7, "client_id": None, "parent_id": None, "text": f"follow up {i}",
             "due_at": due_from + timedelta(seconds=(i * spread_s) // count), "recurrence": None,
             "tz": "Asia/Shanghai", "lang": "en", "urgent": False, "state": "active", "source": "bench",
             "fired_count": 0, "created_at": NOW}
            for i in range(count)
        ]
        for start in range(0, count, 5000):
            await session.execute(insert(Reminder), rows[start : start + 5000])
        await session.commit()


async def bench_lag(url: str, tmp: Path, label: str, count: int = 10_000) -> None:
    rt = await Runtime.create(make_settings(url, tmp), retriever=False)
    try:
        await _seed(rt, count, NOW, 60)
        transport = RecordingTransport()
        dispatcher = rt.dispatcher(transport)
        in_pickup = [0.0]

        job_ = next(j for n, _, j in dispatcher.periodics if n == "reminders.pickup")

        async def timed(services, now):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            await job_(services, now)
            in_pickup[0] += time.perf_counter() - t

        dispatcher.periodics = [(name, iv, timed if name == "reminders.pickup" else job)
                                for name, iv, job in dispatcher.periodics]
        # Simulated clock moves 1 s per tick (the dispatcher's default cadence); wall time is what we measure.
        t0 = time.perf_counter()
        ticks = 0
        while len(transport.pushes) < count and ticks < 600:
            await dispatcher.tick(NOW + timedelta(seconds=ticks))
            ticks += 1
        wall = time.perf_counter() - t0
        print(f"dispatch lag [{label}]: {len(transport.pushes)} of {count} reminders due within one minute sent in "
              f"{wall:.1f} s wall over {ticks} ticks ({len(transport.pushes) / wall:.0f} pushes/s; reminder pickup "
              f"{in_pickup[0]:.1f} s of it, the rest is the outbox dispatcher sending and marking rows); "
              f"last one sent {max(0, ticks - 60)} simulated s after the minute ended")
    finally:
        await rt.close()


def _file_mb(url: str) -> float:
    return os.path.getsize(url.split("///", 1)[1]) / 1e6 if url.startswith("sqlite") else float("nan")


async def bench_memory(url: str, tmp: Path, count: int = 100_000) -> None:
    rt = await Runtime.create(make_settings(url, tmp), retriever=False)
    try:
        await _seed(rt, count, NOW + timedelta(days=1), 86400 * 30)
        tracemalloc.start()
        t0 = time.perf_counter()
        for step in range(10):
            await pickup(rt.services, NOW + timedelta(seconds=step))
        per_pickup = (time.perf_counter() - t0) / 10 * 1000
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = _file_mb(url)
        print(f"memory: {count} pending reminders — pickup (nothing due) {per_pickup:.2f} ms, tracemalloc peak during "
              f"pickups {peak / 1e6:.2f} MB, process max RSS {rss:.0f} MB, SQLite file {size:.1f} MB "
              f"(reminders live in the database, not in memory)")
    finally:
        await rt.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true", help="also measure dispatch lag on PostgreSQL")
    args = parser.parse_args()
    bench_parse()
    with tempfile.TemporaryDirectory() as tmp:
        await bench_lag(f"sqlite+aiosqlite:///{tmp}/lag.db", Path(tmp), "SQLite")
        await bench_memory(f"sqlite+aiosqlite:///{tmp}/mem.db", Path(tmp))
        if args.pg:
            from tests.fixtures.databases import fresh_database

            async with fresh_database("postgres", Path(tmp)) as url:
                await bench_lag(url, Path(tmp), "PostgreSQL")


if __name__ == "__main__":
    asyncio.run(main())
