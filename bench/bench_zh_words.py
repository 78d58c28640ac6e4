"""Chinese segmentation figures (:mod:`knowledge.zh_words`): what the first cut costs and what a cut takes.

Each start-up figure comes from a fresh interpreter that imports ``knowledge.zh_words`` and cuts one
sentence: the seconds and the RSS (MiB) the first ``cut`` adds, with the dictionary cache warm (as after
``make install``) and cold (an empty cache folder: jieba's marshal cache in ``TMPDIR``, and this project's
compact table, if the module has one, in a temporary folder). Then, in this process, the time of ``cut``
and ``cut_for_search`` per message over the Chinese and mixed messages of the routing corpus: median / p95.

Run: .venv/bin/python bench/bench_zh_words.py [--rounds 5] [--starts 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Runs in a fresh interpreter; argv[1] is a cache folder for the compact table ('' = the default one).
_FIRST_CUT = r"""
import json, sys, time

def rss() -> float:
    with open('/proc/self/status') as f:
        return int(f.read().split('VmRSS:')[1].split()[0]) / 1024

import numpy  # noqa: F401  (in the bot process anyway; kept out of the figure)
before = rss()
t0 = time.perf_counter()
from knowledge import zh_words
if sys.argv[1]:
    from knowledge import jieba_freq
    jieba_freq.CACHE_DIR = __import__('pathlib').Path(sys.argv[1])
imported = time.perf_counter()
words = zh_words.cut('客户嫌手续费太高，说银行的利率更低')
done = time.perf_counter()
print(json.dumps({'import_s': imported - t0, 'first_cut_s': done - imported, 'rss_mib': rss() - before}))
"""


def _first_cut(cold: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if cold:
            env["TMPDIR"] = tmp
        has_table = (ROOT / "knowledge" / "jieba_freq.py").exists()
        cache = str(Path(tmp) / "cache") if cold and has_table else ""
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_CUT, cache], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _per_call(rounds: int) -> dict[str, tuple[float, float]]:
    from bot.eval_routing import load_corpus
    from knowledge.zh_words import cut, cut_for_search

    texts = [example.text for example in load_corpus("all") if example.lang in ("zh", "mixed")]
    cut(texts[0]), cut_for_search(texts[0])  # the dictionary is loaded outside the measurement
    figures: dict[str, tuple[float, float]] = {}
    for name, fn in (("cut", cut), ("cut_for_search", cut_for_search)):
        times: list[float] = []
        for _ in range(rounds):
            for text in texts:
                t0 = time.perf_counter()
                fn(text)
                times.append((time.perf_counter() - t0) * 1e6)
        times.sort()
        figures[name] = (statistics.median(times), times[int(len(times) * 0.95)])
    print(f"per call over {len(texts)} zh/mixed messages x {rounds}:")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the corpus for the per-call times")
    parser.add_argument("--starts", type=int, default=3, help="fresh interpreters per start-up figure")
    args = parser.parse_args()
    _first_cut(cold=False)  # whatever cache the default location needs is built before the warm figures
    for cold in (False, True):
        runs = [_first_cut(cold) for _ in range(args.starts)]
        label = "cold cache" if cold else "warm cache"
        print(
            f"{label}: import {statistics.median(r['import_s'] for r in runs) * 1000:.0f} ms, "
            f"first cut {statistics.median(r['first_cut_s'] for r in runs) * 1000:.0f} ms, "
            f"RSS +{statistics.median(r['rss_mib'] for r in runs):.1f} MiB (median of {args.starts})"
        )
    for name, (median, p95) in _per_call(args.rounds).items():
        print(f"  {name}: median {median:.0f} µs, p95 {p95:.0f} µs")


if __name__ == "__main__":
    main()
