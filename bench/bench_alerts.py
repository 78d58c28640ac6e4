"""Alerts figures: metrics + rule sweep over 1,000 clients / 200,000 invoices, and /alerts, /client latency.

For SQLite (a temp file) and PostgreSQL (a fresh database at 127.0.0.1:5432, skipped when absent):
loads part A's demo portfolio at ``scale=50`` (1,000 clients × 200 invoices), then prints
- compute_metrics for all clients (median/p95 of 5 runs),
- the first sweep (creates every alert and queues its push) and steady-state sweeps (median/p95 of 5),
- tracemalloc peak of one sweep, and peak RSS,
- /alerts and /client reply latency through the real router (median/p95 over 40 requests each; the
  /client reply renders the aging chart).

Run: .venv/bin/python bench/bench_alerts.py [--scale 50] [--invoices 200] [--only sqlite|postgres]
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
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sqlalchemy import func, select

from bot.access import Caller
from bot.router import Incoming
from bot.runtime import Runtime
from skills.alerts.models import Alert
from skills.alerts.service import sweep_clients
from skills.portfolio.demo import load_demo
from skills.portfolio.metrics import compute_metrics
from skills.store.models import Client
from skills.store.session import unit_of_work
from tests.conftest import OFFICER_ID, OTHER_OFFICER_ID, make_settings
from tests.fixtures.databases import fresh_database, pg_available

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Mon 09:00 in Shanghai


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def show(label: str, values: list[float]) -> None:
    print(
        f"  {label:<38} median {statistics.median(values) * 1000:8.1f} ms   p95 {pct(values, 0.95) * 1000:8.1f} ms   (n={len(values)})"
    )


async def bench(kind: str, scale: int, invoices: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    db: AbstractAsyncContextManager[str] = fresh_database(kind, tmp)
    async with db as url:
        settings = make_settings(url, tmp)
        runtime = await Runtime.create(settings, clock=lambda: NOW, retriever=False)
        try:
            sm = runtime.services.sessionmaker
            t0 = time.perf_counter()
            async with unit_of_work(sm) as s:
                summary = await load_demo(
                    s,
                    officer_ids=[OFFICER_ID, OTHER_OFFICER_ID],
                    today=NOW.date(),
                    scale=scale,
                    invoices_per_client=invoices,
                    now=NOW,
                )
            print(
                f"\n[{kind}] loaded {summary.clients} clients, {summary.invoices} invoices, {summary.events} events "
                f"in {time.perf_counter() - t0:.1f} s"
            )

            runs: list[float] = []
            for _ in range(5):
                async with sm() as s:
                    t0 = time.perf_counter()
                    metrics = await compute_metrics(s, as_of=NOW.date())
                    runs.append(time.perf_counter() - t0)
            show(f"compute_metrics ({len(metrics)} clients)", runs)

            async with unit_of_work(sm) as s:
                t0 = time.perf_counter()
                first = await sweep_clients(s, runtime.services.config, NOW)
                elapsed = time.perf_counter() - t0
            print(
                f"  first sweep (metrics+rules+{len(first.created)} alerts+{first.pushes} pushes): {elapsed * 1000:.0f} ms "
                f"— {first.findings} findings on {first.clients} clients"
            )
            runs = []
            for i in range(5):
                async with unit_of_work(sm) as s:
                    if i == 0:
                        tracemalloc.start()
                    t0 = time.perf_counter()
                    result = await sweep_clients(s, runtime.services.config, NOW)
                    runs.append(time.perf_counter() - t0)
                    if i == 0:
                        _, peak = tracemalloc.get_traced_memory()
                        tracemalloc.stop()
            show("steady sweep (metrics + rules + upsert)", runs)
            print(f"  steady sweep: {result.pushes} new pushes, tracemalloc peak {peak / 2**20:.1f} MiB")
            async with sm() as s:
                live = await s.scalar(select(func.count(Alert.id)).where(Alert.state != "resolved"))
                name = await s.scalar(select(Client.name).where(Client.officer_id == OFFICER_ID).order_by(Client.id))
            print(f"  live alerts: {live}")

            caller = Caller(user_id=OFFICER_ID, name="Olivia")
            for label, text in (
                ("/alerts (officer, ~500 clients)", "/alerts"),
                ("/alerts <client>", f"/alerts {name}"),
                ("/client <client> (with chart)", f"/client {name}"),
                ("查看<client>的客户画像", f"查看{name}的客户画像"),
            ):
                await runtime.router.handle(Incoming(caller=caller, text=text, now=NOW))  # warm-up
                runs = []
                for _ in range(40):
                    t0 = time.perf_counter()
                    out = await runtime.router.handle(Incoming(caller=caller, text=text, now=NOW))
                    runs.append(time.perf_counter() - t0)
                assert out.skill in ("alerts", "client"), out.skill
                show(label, runs)
        finally:
            await runtime.close()


async def main(scale: int, invoices: int, kinds: list[str]) -> None:
    for kind in kinds:
        await bench(kind, scale, invoices)
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50, help="demo scale: 20 clients per unit")
    parser.add_argument("--invoices", type=int, default=200, help="invoices per client")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args()
    kinds = [k for k in ("sqlite", "postgres") if not args.only or k == args.only]
    if "postgres" in kinds and (reason := pg_available()):  # probes with its own event loop
        print(f"[postgres] skipped: {reason}")
        kinds.remove("postgres")
    asyncio.run(main(args.scale, args.invoices, kinds))
