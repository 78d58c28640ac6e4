"""Portfolio benchmarks: metrics over 1,000 clients / 200,000 invoices, and a 50,000-row CSV import.

Run: ``.venv/bin/python bench/bench_portfolio.py [--runs 5] [--import-runs 3] [--no-pg] [--progress]``. Prints median/p95 seconds and peak
Python memory (tracemalloc) per step, on SQLite (temp file) and on PostgreSQL at 127.0.0.1:5432 when it answers;
``--progress`` also times first imports alternately without and with the CLI's progress callbacks.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select

from bot.progress import Progress
from skills.contract import Officer, Role
from skills.portfolio.config import PortfolioConfig
from skills.portfolio.demo import load_demo
from skills.portfolio.importer import apply_import, plan_import
from skills.portfolio.metrics import compute_metrics
from skills.portfolio.models import Debtor, Invoice
from skills.store.migrate import upgrade
from skills.store.models import Client
from skills.store.session import make_engine, make_sessionmaker

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 1, tzinfo=UTC)
CONSOLE = Officer(id=0, name="Console", role=Role.ADMIN, language="en", timezone="Asia/Shanghai")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


async def timed(
    fn: Callable[[], Awaitable[Any]], runs: int, *, trace: Callable[[], Awaitable[Any]] | None = None
) -> tuple[list[float], int, Any]:
    """Wall times of ``runs`` untraced calls, then one more call of ``trace`` (default ``fn``) under
    tracemalloc for its peak Python allocation (bytes) — traced runs are slow, so they are not timed."""
    times: list[float] = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    await (trace or fn)()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return times, peak, result


def report(label: str, times: list[float], peak: int) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    mem = f"peak py-mem {peak / 2**20:7.1f} MiB" if peak else "peak py-mem     n/a"
    print(f"  {label:<44} median {statistics.median(times):7.3f} s  p95 {p95:7.3f} s  {mem}  (n={len(times)})")


def write_ledger(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "client",
                "debtor",
                "debtor_core",
                "invoice_no",
                "amount",
                "issue_date",
                "due_date",
                "paid_amount",
                "paid_date",
                "disputed",
                "advanced_amount",
                "credit_limit",
            ]
        )
        for n in range(rows):
            client = f"Bench Client {n % 500:03d}"
            issue = TODAY - timedelta(days=rng.randint(0, 360))
            due = issue + timedelta(days=rng.choice((30, 60, 90)))
            amount = rng.randint(10, 500) * 100
            paid = issue + timedelta(days=rng.randint(20, 120))
            paid_ok = paid <= TODAY and rng.random() < 0.8
            out.writerow(
                [
                    client,
                    f"Bench Debtor {rng.randint(0, 199):03d}",
                    "yes" if n % 50 == 0 else "",
                    f"INV-{n:06d}",
                    f"{amount:,}.00",
                    issue.isoformat(),
                    due.strftime("%Y/%m/%d"),
                    f"{amount}" if paid_ok else "",
                    paid.isoformat() if paid_ok else "",
                    "",
                    f"{amount * 0.8:.2f}",
                    "5000000",
                ]
            )


async def bench_db(kind: str, url: str, runs: int, tmp: Path, import_runs: int = 3, progress: bool = False) -> None:
    print(f"\n== {kind} ==")
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    try:

        async def load() -> Any:
            async with sm() as s:
                summary = await load_demo(s, officer_ids=[0], today=TODAY, scale=50, invoices_per_client=200, now=NOW)
                await s.commit()
                return summary

        async def no_trace() -> None:
            return None

        times, peak, summary = await timed(load, 1, trace=no_trace)
        print(f"  loaded {summary.clients} clients / {summary.invoices} invoices")
        report("demo load (scale 50 × 200 invoices)", times, peak)

        async def metrics() -> Any:
            async with sm() as s:
                return await compute_metrics(s, as_of=TODAY)

        await metrics()  # warm caches
        times, peak, result = await timed(metrics, runs)
        report(f"compute_metrics, all {len(result)} clients", times, peak)

        ledger = tmp / f"ledger-{kind}.csv"
        write_ledger(ledger, 50_000)
        content = ledger.read_bytes()
        print(f"  ledger: 50,000 rows, {len(content) / 2**20:.1f} MiB")

        async def do_import(shown: io.StringIO | None = None) -> Any:
            """Preview and apply the ledger; with ``shown``, through the CLI's progress callbacks (off a terminal,
            so their quarter lines are written there) as ``python -m bot import`` does."""
            checked = Progress("checking", unit="rows", stream=shown) if shown is not None else None
            written = Progress("writing", unit="rows", stream=shown) if shown is not None else None
            async with sm() as s:
                plan = await plan_import(
                    s, CONSOLE, ledger.name, content, today=TODAY, config=PortfolioConfig(), progress=checked
                )
                assert not plan.rejected and plan.error is None, plan.summary()
                applied = await apply_import(s, plan, now=NOW, progress=written)
                await s.commit()
                return applied

        async def forget_import() -> None:
            """Delete what the ledger created, so the next run is a first import again (not timed)."""
            async with sm() as s:
                ids = select(Client.id).where(Client.name.like("Bench Client %")).scalar_subquery()
                await s.execute(delete(Invoice).where(Invoice.client_id.in_(ids)))
                await s.execute(delete(Client).where(Client.name.like("Bench Client %")))
                await s.execute(delete(Debtor).where(Debtor.name.like("Bench Debtor %")))
                await s.commit()

        async def forget_and_import() -> Any:
            await forget_import()
            return await do_import()

        firsts: list[float] = []
        for n in range(import_runs):
            if n:
                await forget_import()
            last = n == import_runs - 1
            times, peak, applied = await timed(do_import, 1, trace=forget_and_import if last else no_trace)
            firsts += times
        report(f"import 50k rows, first time ({applied.invoices_new} new)", firsts, peak)
        times, peak, applied = await timed(do_import, import_runs)
        report(f"import 50k rows again ({applied.invoices_unchanged} unchanged)", times, peak)
        if progress:
            # First imports alternately without and with the progress callbacks, so drift hits both alike.
            plain: list[float] = []
            shown: list[float] = []
            lines = io.StringIO()
            for _ in range(import_runs):
                for out, into in ((None, plain), (lines, shown)):
                    await forget_import()
                    start = time.perf_counter()
                    await do_import(out)
                    into.append(time.perf_counter() - start)
            report("import 50k rows, first time, no progress", plain, 0)
            report("import 50k rows, first time, with progress", shown, 0)
            print(f"  progress lines written per import: {len(lines.getvalue().splitlines()) // import_runs}")
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=3, help="first imports and re-imports timed")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--progress", action="store_true", help="also time imports with and without progress callbacks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        sqlite = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        await bench_db("sqlite", sqlite, args.runs, tmp, args.import_runs, args.progress)
        if not args.no_pg:
            import asyncpg

            name = f"fm_bench_{uuid.uuid4().hex[:8]}"
            try:
                admin = await asyncpg.connect(PG_ADMIN, timeout=3)
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                print(f"\nPostgreSQL skipped: {exc}")
                return
            await admin.execute(f'CREATE DATABASE "{name}"')
            await admin.close()
            try:
                await bench_db(
                    "postgresql",
                    f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
                    args.runs,
                    tmp,
                    args.import_runs,
                    args.progress,
                )
            finally:
                admin = await asyncpg.connect(PG_ADMIN)
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()
    print(f"\nmax RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
