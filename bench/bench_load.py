"""Load: simulated officers sending a realistic mix through the real Application and the fake Bot API.

Each officer sends a message, waits for the bot to finish answering, "thinks" 1-3 s, and repeats, for the
given duration. Prints throughput, median/p95 reply latency (update in → every reply sent), errors
(apologies, timeouts), and peak RSS. The playbook model is loaded (objection fusion and Q&A use it).

    .venv/bin/python bench/bench_load.py --officers 50 --seconds 120            # SQLite
    .venv/bin/python bench/bench_load.py --officers 50 --seconds 120 --db pg    # PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.runtime import Runtime
from skills.portfolio.demo import load_demo
from skills.store import unit_of_work
from skills.store.models import Officer
from tests.conftest import make_settings
from tests.fixtures.databases import fresh_database
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot

MIX: list[tuple[str, list[str]]] = [
    ("objection", ["client says 1.2% per month is too expensive", "he won't sign a personal guarantee",
                   "客户嫌保证金比例太高", "我们不想让买方知道", "they say approval takes too long",
                   "客户说银行的额度已经够用了"]),
    ("quote", ["quote 1.2m 90d", "/quote 500000 60d advance 85% rate 7%", "100万 90天 融资比例80%",
               "报价 50万元 60天", "price a $250,000 invoice due in 45 days"]),
    ("reminders", ["remind me tomorrow at 10am to call Acme", "3天后提醒我跟进华东纺织", "/reminders",
                   "in 2 working days chase the signed contract"]),
    ("alerts", ["/alerts", "any red flags on Acme?", "今天有什么风险预警"]),
    ("client", ["/client Acme", "查看华东纺织的客户画像"]),
    ("playbook", ["how do I explain factoring to a sales manager?", "怎么跟客户解释有追索权和无追索权的区别",
                  "what should I do when a buyer is rumoured to be going bankrupt?"]),
]
WEIGHTS = [35, 20, 15, 12, 6, 12]
CHROMA = Path(__file__).resolve().parent.parent / "data" / "chroma"  # the index `make run` builds


class WallClock:
    """The real clock: the rate limiter and reminders see time pass, as in production."""

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    def __call__(self) -> datetime:
        return datetime.now(UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(db: str, officers: int, seconds: float) -> None:
    tmp = Path(tempfile.mkdtemp())
    async with fresh_database("postgres" if db == "pg" else "sqlite", tmp) as url:
        ids = list(range(7001, 7001 + officers))
        settings = make_settings(url, tmp, allowed_user_ids=ids, rate_limit_per_minute=60,
                                 chroma_path=CHROMA)
        prep = await Runtime.create(settings, retriever=False)
        async with unit_of_work(prep.services.sessionmaker) as session:
            for officer in ids:
                session.add(Officer(id=officer, name=f"Officer {officer}", role="officer", active=True,
                                    created_at=Clock().now))
            await session.flush()
            await load_demo(session, officer_ids=ids[:10], today=Clock().now.date())
        await prep.close()

        async with FakeBotAPI() as fake:
            t_start = time.perf_counter()
            async with running_bot(fake, settings, WallClock(), retriever=True) as bot:  # type: ignore[arg-type]
                startup = time.perf_counter() - t_start
                done: dict[int, asyncio.Event] = {}
                durations: list[float] = []
                by_kind: dict[str, list[float]] = {}
                kind_of: dict[int, str] = {}
                kinds: Counter[str] = Counter()
                original = bot.app.process_update

                async def timed(update: Any) -> None:
                    t0 = time.perf_counter()
                    try:
                        await original(update)
                    finally:
                        durations.append(time.perf_counter() - t0)
                        by_kind.setdefault(kind_of.get(update.update_id, "?"), []).append(durations[-1] * 1000)
                        event = done.get(update.update_id)
                        if event is not None:
                            event.set()

                bot.app.process_update = timed  # type: ignore[method-assign]
                timeouts = 0
                deadline = time.perf_counter() + seconds
                rng = random.Random(11)

                async def officer_loop(officer: int) -> None:
                    nonlocal timeouts
                    local = random.Random(officer)
                    await asyncio.sleep(local.uniform(0, 2))
                    while time.perf_counter() < deadline:
                        kind, texts = rng.choices(MIX, WEIGHTS)[0]
                        update = fake.user_sends(officer, local.choice(texts), first_name=f"O{officer}")
                        event = done[update["update_id"]] = asyncio.Event()
                        kind_of[update["update_id"]] = kind
                        try:
                            await asyncio.wait_for(event.wait(), timeout=30)
                            kinds[kind] += 1
                        except TimeoutError:
                            timeouts += 1
                        await asyncio.sleep(local.uniform(1.0, 3.0))

                t0 = time.perf_counter()
                await asyncio.gather(*(officer_loop(o) for o in ids))
                elapsed = time.perf_counter() - t0
        apologies = sum("Sorry, something went wrong" in m.text or "抱歉，我这边出了点问题" in m.text for m in fake.sent)
        limited = sum("faster than I can answer" in m.text or "消息发送太快" in m.text for m in fake.sent)
    ms = [d * 1000 for d in durations]
    print(f"load on {'PostgreSQL' if db == 'pg' else 'SQLite'}: {officers} officers for {seconds:.0f} s")
    print(f"  messages answered: {len(ms)}  throughput: {len(ms) / elapsed:.1f} msg/s  mix: {dict(kinds)}")
    print(f"  reply latency: median {statistics.median(ms):.1f} ms  p95 {pct(ms, 0.95):.1f} ms  max {max(ms):.1f} ms")
    for kind, values in sorted(by_kind.items()):
        print(f"    {kind:<10} n={len(values):<4} median {statistics.median(values):7.1f} ms  p95 {pct(values, 0.95):7.1f} ms")
    print(f"  errors: apologies {apologies}, timeouts {timeouts}, rate-limited {limited}")
    print(f"  start-up (with model): {startup:.1f} s   peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "pg"), default="sqlite")
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    ns = parser.parse_args()
    asyncio.run(run(ns.db, ns.officers, ns.seconds))
