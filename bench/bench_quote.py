"""Quote figures: in-process latency of one-line quotes through the real router (router → reply).

Builds a runtime on a temporary SQLite file (and on PostgreSQL at 127.0.0.1:5432 when it answers, with
``--pg``), seeds a few clients, then sends 1,000 one-line quotes (English and Chinese, with and without
terms, some naming a client) through ``Router.handle`` and prints median / p95 / max latency, the pure
engine's cost per ``price()`` call, a ``/quotes`` baseline (router + one query, no pricing), the recogniser's cost per ``score()``, tracemalloc peak for 100
quotes and peak RSS. Every quote is also stored in the ``quotes`` table, as in production.

Run: .venv/bin/python bench/bench_quote.py [--n 1000] [--pg]
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
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.access import Caller
from bot.router import Incoming
from bot.runtime import Runtime
from skills.quote.logic import price
from skills.quote.parse import quote_score
from skills.store.models import Client
from tests.conftest import make_settings
from tests.fixtures.databases import fresh_database, pg_available

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MESSAGES = [
    "quote 1.2m 90d",
    "/quote 500000 60d advance 85% rate 7%",
    "price a $250,000 invoice due in 45 days",
    "100万 90天 融资比例80%",
    "报价 50万元 60天",
    "quote Acme 2m 60d",
    "quote 1m 90d act/365 in arrears",
    "100万 90天 利随本清 无追索权",
    "quote 800k 45d discount 1% per 30 days",
    "100万 90天 每30天贴息1%",
    "quote 2m 120d fee 0.3% min 2000 USD",
    "报价 华东纺织 一百万 九十天",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(url: str, tmp: Path, n: int, label: str) -> None:
    runtime = await Runtime.create(make_settings(url, tmp), clock=lambda: NOW, retriever=False)
    try:
        caller = Caller(user_id=0, console=True)
        await runtime.router.handle(Incoming(caller=caller, text="/help", now=NOW))  # creates the officer row
        async with runtime.services.sessionmaker() as s:
            s.add_all([
                Client(name="Acme Trading Co.", aliases=["Acme"], officer_id=0, tier="quality", deals_count=2, created_at=NOW),
                Client(name="华东纺织有限公司", aliases=["华东纺织"], officer_id=0, tier="risk", deals_count=0, created_at=NOW),
            ])  # fmt: skip
            await s.commit()
        for text in MESSAGES:  # warm-up (imports, caches)
            await runtime.router.handle(Incoming(caller=caller, text=text, now=NOW))
        times: list[float] = []
        for i in range(n):
            text = MESSAGES[i % len(MESSAGES)]
            t0 = time.perf_counter()
            out = await runtime.router.handle(Incoming(caller=caller, text=text, now=NOW))
            times.append((time.perf_counter() - t0) * 1000)
            assert out.skill == "quote" and "net_at_funding" in out.replies[0].data, (text, out.as_json())
        base: list[float] = []
        for _ in range(200):  # the router's own cost (officer, conversation, commit) for a trivial command
            t0 = time.perf_counter()
            await runtime.router.handle(Incoming(caller=caller, text="/quotes", now=NOW))
            base.append((time.perf_counter() - t0) * 1000)
        tracemalloc.start()
        for i in range(100):
            await runtime.router.handle(Incoming(caller=caller, text=MESSAGES[i % len(MESSAGES)], now=NOW))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"[{label}] one-line quotes router→reply over {n}: median {statistics.median(times):.2f} ms, "
              f"p95 {pct(times, 0.95):.2f} ms, max {max(times):.2f} ms")  # fmt: skip
        print(f"[{label}] baseline /quotes (list, no pricing) over 200: median {statistics.median(base):.2f} ms, "
              f"p95 {pct(base, 0.95):.2f} ms")  # fmt: skip
        print(f"[{label}] tracemalloc peak over 100 quotes: {peak / 1024:.0f} KiB")
    finally:
        await runtime.close()


def engine_figures() -> None:
    t0 = time.perf_counter()
    for i in range(20000):
        price(1_000_000 + i, 90, advance_rate="0.8", annual_rate="0.06", fee_rate="0.005")
    per_price = (time.perf_counter() - t0) / 20000 * 1e6
    t0 = time.perf_counter()
    for i in range(5000):
        quote_score(MESSAGES[i % len(MESSAGES)])
    per_score = (time.perf_counter() - t0) / 5000 * 1e6
    print(f"[engine] price(): {per_price:.1f} µs per call · score(): {per_score:.1f} µs per message")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL at 127.0.0.1:5432")
    args = parser.parse_args()
    engine_figures()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        async with fresh_database("sqlite", tmp) as url:
            await run(url, tmp, args.n, "sqlite")
        if args.pg:
            reason = pg_available()
            if reason:
                print(f"[postgres] skipped: {reason}")
            else:
                async with fresh_database("postgres", tmp) as url:
                    await run(url, tmp, args.n, "postgres")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: {rss / 1024:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
