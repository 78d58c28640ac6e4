"""Routing figures: the time the router takes to decide where a free-text message goes (skill work excluded).

Builds the runtime on a temporary SQLite file with the demo portfolio (20 clients, so the client skill's
name lookup runs against a real table), then times ``Router.decide`` — every skill's recogniser, the client
name lookup, the classifier and the policy — over every message of the routing corpus (train + held-out),
``--rounds`` times. Prints median / p95 / max per decision (wall clock, and CPU time of this process — the
figure to compare on a shared, loaded machine), the classifier's training time at start-up, and peak RSS.

Run: .venv/bin/python bench/bench_routing.py [--rounds 5]
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
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.arbiter import _Classifier
from bot.eval_routing import load_corpus
from bot.runtime import Runtime
from skills.contract import Officer, Request, Role
from skills.i18n import detect_lang
from skills.portfolio.demo import ensure_demo
from tests.conftest import make_settings

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


async def main(rounds: int) -> None:
    corpus = load_corpus("all")
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), load_playbook=False)
        runtime = await Runtime.create(settings, retriever=False)
        try:
            await ensure_demo(runtime)
            router = runtime.router
            started = time.perf_counter()
            cfg = router.arbiter.config
            _Classifier.train(list(router.skills.values()), cfg.recogniser_weight, cfg.regularisation)  # cold, no cache
            training = time.perf_counter() - started
            times: list[float] = []
            cpu: list[float] = []
            async with runtime.services.sessionmaker() as session:
                for _ in range(rounds):
                    for example in corpus:
                        officer = Officer(0, "Console", Role.ADMIN, detect_lang(example.text), "Asia/Shanghai")
                        request = Request(officer=officer, text=example.text, now=NOW, session=session)
                        t0, c0 = time.perf_counter(), time.process_time()
                        await router.decide(request)
                        times.append((time.perf_counter() - t0) * 1000)
                        cpu.append((time.process_time() - c0) * 1000)
        finally:
            await runtime.close()
    times.sort()
    cpu.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"routing decisions: {len(times)} ({len(corpus)} messages × {rounds} rounds), load {os.getloadavg()[0]:.1f}")
    print(f"  wall: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")
    cpu_p95 = cpu[int(len(cpu) * 0.95) - 1]
    print(f"  CPU:  median {statistics.median(cpu):.2f} ms, p95 {cpu_p95:.2f} ms, max {cpu[-1]:.2f} ms")
    print(f"  classifier training without its cache (cold start): {training:.2f} s")
    print(f"  peak RSS: {rss:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
