"""Benchmark the objection skill: in-process time from message to card (router → reply), memory.

Runs ≥ 200 distinct objection messages (our dev phrasings, en + zh, with and without a named client)
through the real router on a temporary SQLite database, without and (``--retriever``) with the playbook
retriever loaded. Prints median and p95 per configuration, start-up cost, and memory.
``--eval`` also prints top-1 accuracy on ``knowledge/eval/objection_queries.yaml`` through the router.

    .venv/bin/python bench/bench_objection.py [--retriever] [--eval]
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import yaml

from bot.access import Caller
from bot.router import Incoming
from bot.runtime import Runtime
from skills.objection import SKILL
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow
from tests.conftest import make_settings
from tests.skills.objection.dev_set import DEV

EVAL = Path(__file__).resolve().parents[1] / "knowledge" / "eval" / "objection_queries.yaml"
OFFICER = 2002
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def messages() -> list[str]:
    texts = [t for t, _ in DEV]
    named = [f"Acme: {t}" if i % 2 else f"{t} (Acme)" for i, t in enumerate(texts[:80])]
    return texts + named


async def run(with_retriever: bool, do_eval: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(f"sqlite+aiosqlite:///{tmp}/bench.db", Path(tmp), allowed_user_ids=[OFFICER])
        t0 = time.perf_counter()
        rt = await Runtime.create(settings, retriever=with_retriever)
        await rt.wait_for_retriever()  # measure cards with the retriever fused, not during its background load
        loaded = time.perf_counter() - t0
        async with rt.services.sessionmaker() as s:
            s.add(OfficerRow(id=OFFICER, name="Olga", role="officer", active=True, created_at=NOW))
            await s.flush()
            s.add(Client(name="Acme Trading Co.", aliases=["Acme"], officer_id=OFFICER, tier="quality", deals_count=0,
                         created_at=NOW))  # fmt: skip
            await s.commit()
        t0 = time.perf_counter()
        SKILL.warm()
        warm = time.perf_counter() - t0
        caller = Caller(user_id=OFFICER)
        for text in ("client says the rate is too high", "客户嫌保证金比例太高"):
            await rt.router.handle(Incoming(caller=caller, text=text, now=NOW))
        samples: list[float] = []
        wrong_skill = 0
        texts = messages()
        for text in texts:
            SKILL._cache.clear()  # every message is new to the recogniser
            t0 = time.perf_counter()
            out = await rt.router.handle(Incoming(caller=caller, text=text, now=NOW))
            samples.append((time.perf_counter() - t0) * 1000)
            wrong_skill += out.skill != "objection"
        label = "with retriever" if with_retriever else "no retriever"
        print(f"[{label}] runtime start {loaded:.2f} s, playbook + recogniser training {warm:.2f} s")
        print(f"[{label}] message → card over {len(samples)} distinct objection messages: "
              f"median {statistics.median(samples):.1f} ms, p95 {pct(samples, 0.95):.1f} ms, max {max(samples):.1f} ms "
              f"({wrong_skill} not routed to objection)")  # fmt: skip
        if do_eval and EVAL.exists():
            items = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
            stats: dict[str, list[int]] = {}
            for item in items:
                out = await rt.router.handle(Incoming(caller=caller, text=item["q"], now=NOW))
                got = out.replies[0].data.get("objection_id") if out.skill == "objection" and out.replies else None
                slot = stats.setdefault(f"{item['lang']}/{'null' if item['expected'] is None else 'obj'}", [0, 0])
                slot[0] += got == item["expected"]
                slot[1] += 1
            print(f"[{label}] held-out through the router: "
                  + ", ".join(f"{k} {ok}/{n} = {ok / n:.1%}" for k, (ok, n) in sorted(stats.items())))  # fmt: skip
        await rt.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--retriever", action="store_true", help="also run with the playbook retriever loaded")
    parser.add_argument("--eval", action="store_true", help="print held-out accuracy through the router")
    args = parser.parse_args()
    from knowledge.content import load_playbook
    from skills.objection.recognise import Recogniser

    load_playbook()  # imports and jieba's dictionary outside the measurement
    Recogniser(load_playbook()).recognise("客户嫌利息太高")
    tracemalloc.start()
    probe = Recogniser(load_playbook())
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"recogniser (playbook + TF-IDF + LinearSVC): {current / 1e6:.1f} MB held, peak {peak / 1e6:.1f} MB (tracemalloc)")
    del probe
    asyncio.run(run(False, args.eval))
    if args.retriever:
        SKILL._cache.clear()
        asyncio.run(run(True, args.eval))
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
