"""Foundation figures: /help latency through the real Application and the fake Bot API, start-up, memory.

Prints: median and p95 of the time from an update arriving at the Application (process_update) to the
reply having left it (sendMessage answered), over 200 /help messages; time from start-up to the first
reply; peak RSS. Run: .venv/bin/python bench/bench_foundation.py [--with-playbook]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.fake_bot_api import FakeBotAPI
from tests.fixtures.harness import Clock
from tests.fixtures.telegram import running_bot


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(with_playbook: bool, n: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    settings = make_settings(f"sqlite+aiosqlite:///{tmp / 'bench.db'}", tmp)
    async with FakeBotAPI() as fake:
        t_start = time.perf_counter()
        async with running_bot(fake, settings, Clock(), retriever=with_playbook) as bot:
            fake.user_sends(OFFICER_ID, "/start")
            await fake.wait_for_sent(OFFICER_ID, timeout=120)
            startup = time.perf_counter() - t_start

            durations: list[float] = []
            done = asyncio.Event()
            original = bot.app.process_update

            async def timed(update: object) -> None:
                t0 = time.perf_counter()
                await original(update)
                durations.append(time.perf_counter() - t0)
                done.set()

            bot.app.process_update = timed  # type: ignore[method-assign]
            for _ in range(n):
                done.clear()
                fake.user_sends(OFFICER_ID, "/help")
                await asyncio.wait_for(done.wait(), timeout=30)
    ms = [d * 1000 for d in durations]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"/help through the fake Bot API, {n} messages (update in → reply sent):")
    print(f"  median {statistics.median(ms):.2f} ms   p95 {pct(ms, 0.95):.2f} ms   max {max(ms):.2f} ms")
    print(f"start-up to first reply: {startup:.2f} s ({'with' if with_playbook else 'without'} the playbook model)")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--with-playbook", action="store_true", help="load the retriever and embedding model too")
    parser.add_argument("-n", type=int, default=200)
    ns = parser.parse_args()
    asyncio.run(main(ns.with_playbook, ns.n))
