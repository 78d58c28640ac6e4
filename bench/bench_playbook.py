"""Playbook figures: index build (cold, incremental), answer latency (router → reply), memory with MiniLM loaded.

Run: ``.venv/bin/python bench/bench_playbook.py`` (offline; builds a throw-away index in a temp directory).
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.access import Caller
from bot.config import Settings
from bot.router import Incoming
from bot.runtime import Runtime
from knowledge.evaluation import load_queries
from knowledge.service import build_index, open_knowledge


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def _latency(settings: Settings, retriever: object, texts: list[str], rounds: int) -> list[float]:
    runtime = await Runtime.create(settings, retriever=retriever)  # type: ignore[arg-type]
    caller = Caller(user_id=settings.console_officer_id, console=True, name="Bench")
    try:
        await runtime.router.handle(Incoming(caller=caller, text="/playbook warm up", chat_id=0))
        samples = []
        for _ in range(rounds):
            for text in texts:
                started = time.perf_counter()
                outcome = await runtime.router.handle(Incoming(caller=caller, text=f"/playbook {text}", chat_id=0))
                samples.append((time.perf_counter() - started) * 1000)
                assert outcome.skill == "playbook", outcome.skill
        return samples
    finally:
        await runtime.close()


def main() -> int:
    rss_start = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            chroma_path=Path(tmp) / "chroma",
            telegram_bot_token=None,
        )
        started = time.perf_counter()
        from knowledge.embeddings import make_embeddings

        embeddings = make_embeddings(settings.embeddings)  # EMBEDDINGS=torch for the sentence-transformers one
        embeddings.load()
        model_load = time.perf_counter() - started
        rss_model = _rss_mb()

        started = time.perf_counter()
        book, _, _, cold = build_index(settings.knowledge, embeddings=embeddings)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        _, _, _, warm = build_index(settings.knowledge, embeddings=embeddings)
        warm_s = time.perf_counter() - started

        knowledge = open_knowledge(settings.knowledge, embeddings=embeddings)
        texts = [q.q for q in load_queries(split="all")]
        samples = asyncio.run(_latency(settings, knowledge.hybrid, texts, rounds=2))
        search = []
        for text in texts:
            t0 = time.perf_counter()
            knowledge.hybrid.search(text + " ?", 5)  # uncached query embedding
            search.append((time.perf_counter() - t0) * 1000)
        rss_end = _rss_mb()

    print(f"playbook: {len(book)} entries ({len(book.ids())} ids × en/zh), {cold.embedded} documents embedded")
    print(f"model load ({embeddings.model_id}): {model_load:6.2f} s")
    print(f"index build, cold:      {cold_s:6.2f} s  ({cold.summary()})")
    print(f"index build, unchanged: {warm_s:6.2f} s  ({warm.summary()})")
    print(f"answer latency (router → reply, /playbook, {len(samples)} answers over {len(texts)} eval queries):")
    print(f"  median {statistics.median(samples):6.1f} ms   p95 {_pct(samples, 0.95):6.1f} ms   max {max(samples):6.1f} ms")
    print(f"hybrid search alone (fresh query embedding): median {statistics.median(search):5.1f} ms   "
          f"p95 {_pct(search, 0.95):5.1f} ms")
    print(f"RSS: start {rss_start:6.0f} MB   model loaded {rss_model:6.0f} MB   end {rss_end:6.0f} MB   "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
