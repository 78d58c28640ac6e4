"""Feedback-loop figures: how long a card-outcome tap takes to store and re-rank, over a seeded history.

Builds a runtime on a temporary SQLite file (PostgreSQL with ``--pg``), seeds 50 officers in 5 teams, 200
clients and ``--history`` outcomes (default 20,000) spread over the 20 cards, then times ``--n`` taps
(default 500): each is ``outcomes.record`` (the upsert) plus ``outcomes.angle_order`` (the team's tallies →
the ranking), in one session, committed — what a 👍/👎 press costs before the reply is drawn. Prints
median / p95 / max, and the ranking's pure part alone.

Run: .venv/bin/python bench/bench_feedback.py [--n 500] [--history 20000] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.runtime import Runtime
from skills.objection import outcomes
from skills.objection.cards import CATEGORY
from skills.objection.learning import LearningParams, Tally, rank_angles
from skills.objection.models import CardOutcome
from skills.store.models import Client, Officer
from tests.conftest import make_settings
from tests.fixtures.databases import fresh_database, pg_available

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
TIERS = ("quality", "potential", "risk")
INDUSTRIES = ("textiles", "food", "electronics", "logistics", "chemicals")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(url: str, n: int, history: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runtime = await Runtime.create(make_settings(url, Path(tmp)), retriever=False)
        maker = runtime.services.sessionmaker
        rnd = random.Random(16)
        cards = sorted(CATEGORY)
        async with maker() as s:
            managers = [Officer(id=100 + t, name=f"M{t}", role="manager", created_at=NOW) for t in range(5)]
            s.add_all(managers)
            await s.flush()
            officers = [Officer(id=1000 + i, name=f"O{i}", role="officer", manager_id=100 + i % 5, created_at=NOW)
                        for i in range(50)]  # fmt: skip
            s.add_all(officers)
            await s.flush()
            clients = [Client(name=f"C{i}", officer_id=1000 + i % 50, tier=TIERS[i % 3],
                              industry=INDUSTRIES[i % 5], created_at=NOW) for i in range(200)]  # fmt: skip
            s.add_all(clients)
            await s.flush()
            for k in range(history):
                c = clients[rnd.randrange(200)]
                s.add(CardOutcome(officer_id=c.officer_id, team_key=100 + (c.officer_id - 1000) % 5, client_id=c.id,
                                  tier=c.tier, industry=c.industry, card_id=rnd.choice(cards), angle=rnd.choice("ab"),
                                  verdict=rnd.choice(("worked", "failed", "failed", "said")), remark="", log_id=None,
                                  lang="en", created_at=NOW - timedelta(minutes=k), updated_at=NOW))  # fmt: skip
            await s.commit()
            client_ids = [c.id for c in clients]
        params = LearningParams()
        timings: list[float] = []
        rerank: list[float] = []
        for i in range(n):
            async with maker() as s:
                client = await s.get(Client, client_ids[i % 200])
                await s.get(Officer, client.officer_id)  # the router has loaded the officer in this session
                card = cards[i % len(cards)]
                start = time.perf_counter()
                await outcomes.record(s, officer_id=client.officer_id, card_id=card, angle="ab"[i % 2],
                                      verdict="failed" if i % 3 else "worked", client=client, log_id=10_000_000 + i,
                                      lang="en", now=NOW)  # fmt: skip
                ranked_at = time.perf_counter()
                order = await outcomes.angle_order(s, client.officer_id, card, ["a", "b"], outcomes.segment_of(client),
                                                   params)  # fmt: skip
                rerank.append((time.perf_counter() - ranked_at) * 1000)
                await s.commit()
                timings.append((time.perf_counter() - start) * 1000)
                assert order
        tallies = [Tally(a, t, ind, 3, 5) for a in "ab" for t in TIERS for ind in INDUSTRIES]
        start = time.perf_counter()
        for _ in range(10_000):
            rank_angles(["a", "b"], tallies, tier="risk", industry="food", params=params)
        pure_us = (time.perf_counter() - start) / 10_000 * 1e6
        print(f"[{label}] {history:,} outcomes seeded; {n} taps (record + re-rank + commit): "
              f"median {statistics.median(timings):.2f} ms, p95 {pct(timings, 0.95):.2f} ms, "
              f"max {max(timings):.2f} ms; re-rank (query + ranking) median {statistics.median(rerank):.2f} ms, "
              f"p95 {pct(rerank, 0.95):.2f} ms; pure ranking {pure_us:.1f} µs; load {os.getloadavg()[0]:.1f}")  # fmt: skip
        await runtime.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database("sqlite", Path(tmp)) as url:
            await run(url, args.n, args.history, "sqlite")
        if args.pg and pg_available() is None:
            async with fresh_database("postgres", Path(tmp)) as url:
                await run(url, args.n, args.history, "postgres")


if __name__ == "__main__":
    asyncio.run(main())
