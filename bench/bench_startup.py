"""Start-up and footprint, per embedding backend side by side: what an officer waits for and what the host pays.

For each backend (``onnx``, and ``torch`` when sentence-transformers is installed in this Python):
- cold index build (``python -m bot index`` on an empty Chroma directory);
- ``python -m bot ask --json "/help"`` and a playbook question: wall time of the whole process;
- console: process start → the first reply to /help (``python -m bot chat``);
- Telegram: ``python -m bot run`` against the fake Bot API: process start → first reply, → "playbook
  ready" in the log (model loaded in the background), then a scripted mixed walk-through (help, quotes,
  objection, reminder, alerts, a client card with its chart, playbook questions in en and zh) and the
  bot's RSS afterwards (current and peak, from /proc);
then the aging chart's render time (en/zh) and the size of the virtualenv(s) with the heaviest packages.

Run: ``.venv/bin/python bench/bench_startup.py [--rounds 5] [--venv PATH ...]``. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.fake_bot_api import FakeBotAPI  # noqa: E402

OFFICER = 4242
PLAYBOOK_Q = "how do I explain factoring to a sales manager?"
WALK = [
    ("en", "/help"),
    ("en", "quote 1.2m 90d"),
    ("en", "client says 1.2% per month is too expensive"),
    ("en", "remind me tomorrow 10am to call Acme"),
    ("en", "/alerts"),
    ("en", "/client Acme"),
    ("en", PLAYBOOK_Q),
    ("zh", "客户嫌手续费太高"),
    ("zh", "/client 华东纺织"),
    ("zh", "怎么向销售经理解释保理？"),
    ("zh", "100万 90天 融资比例80%"),
    ("en", "/quote 500000 60d advance 85%"),
]


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _fmt(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.2f}s  p95 {_pct(samples, 0.95):.2f}s  (n={len(samples)})"


def _env(base: dict[str, str], **extra: str) -> dict[str, str]:
    return {**base, **extra}


def _base_env(tmp: Path, backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "CHROMA_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        PTB_TIMEDELTA="1",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        CHROMA_PATH=str(tmp / "chroma"),
        EMBEDDINGS=backend,
        ADMIN_USER_IDS=str(OFFICER),
        ALLOWED_USER_IDS=str(OFFICER),
        LOG_LEVEL="INFO",
        RATE_LIMIT_PER_MINUTE="0",
    )
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return env


def _timed(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(args, env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}")
    return elapsed, out.stdout


def _console_first_reply(env: dict[str, str]) -> float:
    """Process start → the prompt after the reply to /help."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=0,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("/help\n")
    proc.stdin.flush()
    seen, prompts = "", 0
    while prompts < 2:
        ch = proc.stdout.read(1)
        if not ch:
            break
        seen += ch
        prompts = seen.count("> ")
    elapsed = time.perf_counter() - started
    proc.stdin.write("/quit\n")
    proc.stdin.flush()
    proc.wait(timeout=120)
    return elapsed


def _proc_status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0]) // 1024  # MiB
    return out


async def _telegram(env: dict[str, str]) -> dict[str, object]:
    """``python -m bot run`` on the fake Bot API: first reply, model ready, walk-through, RSS."""
    fake = FakeBotAPI()
    await fake.start()
    env = _env(
        env,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=f"{fake.url}/bot",
        TELEGRAM_API_BASE_FILE_URL=f"{fake.url}/file/bot",
    )
    fake.user_sends(OFFICER, "/help")  # waiting in the update queue before the bot even starts
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    ready = asyncio.Event()
    ready_at: list[float] = []

    async def read_log() -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            if b"playbook ready" in raw and not ready_at:
                ready_at.append(time.perf_counter() - started)
                ready.set()

    reader = asyncio.create_task(read_log())
    try:
        await fake.wait_for_sent(OFFICER, count=1, timeout=120)
        first_reply = time.perf_counter() - started
        await asyncio.wait_for(ready.wait(), 120)
        replies: list[float] = []
        for lang, text in WALK:
            before = len(fake.messages_to(OFFICER))
            sent = time.perf_counter()
            fake.user_sends(OFFICER, text, language_code=lang)
            await fake.wait_for_sent(OFFICER, count=before + 1, timeout=120)
            replies.append(time.perf_counter() - sent)
        rss = _proc_status(proc.pid)
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 60)
        reader.cancel()
        await fake.stop()
    return {
        "first_reply_s": round(first_reply, 2),
        "model_ready_s": round(ready_at[0], 2) if ready_at else None,
        "walk_replies": len(replies),
        "walk_reply_median_s": round(statistics.median(replies), 3),
        "walk_reply_max_s": round(max(replies), 3),
        "rss_mib": rss.get("VmRSS"),
        "peak_rss_mib": rss.get("VmHWM"),
    }


def bench_walk(backend: str, chroma: Path) -> dict[str, object]:
    """Only the Telegram run (first reply, model ready, walk-through, RSS) on an index already built."""
    with tempfile.TemporaryDirectory(prefix=f"fm-walk-{backend}-") as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(chroma, tmp / "chroma")
        env = _base_env(tmp, backend)
        _timed([sys.executable, "-m", "bot", "ask", "--json", "/help"], env)  # migrates, seeds the demo
        return asyncio.run(_telegram(env))


def bench_backend(backend: str, rounds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix=f"fm-start-{backend}-") as tmp_name:
        tmp = Path(tmp_name)
        env = _base_env(tmp, backend)
        py = [sys.executable, "-m", "bot"]
        index_s, _ = _timed([*py, "index"], env)
        _timed([*py, "ask", "--json", "/help"], env)  # creates and migrates the database, seeds the demo
        help_s = [_timed([*py, "ask", "--json", "/help"], env)[0] for _ in range(rounds)]
        question_s, answer = [], ""
        for _ in range(max(3, rounds // 2)):
            seconds, answer = _timed([*py, "ask", "--json", PLAYBOOK_Q], env)
            question_s.append(seconds)
        skill = json.loads(answer).get("skill")
        console_s = [_console_first_reply(env) for _ in range(max(3, rounds // 2))]
        telegram = asyncio.run(_telegram(env))
    return {
        "backend": backend,
        "index_cold_s": round(index_s, 2),
        "ask_help": help_s,
        "ask_question": question_s,
        "ask_question_skill": skill,
        "console_first_reply": console_s,
        "telegram": telegram,
    }


def bench_chart(rounds: int = 40) -> dict[str, float | str]:
    """The aging chart as the client card renders it (``render_off_loop``: the chart thread), en and zh.

    Wall time is what the officer waits for; the chart thread's CPU time is what it costs on an idle
    machine (on a loaded one the wall time is several times the CPU time).
    """
    from skills.client.chart import aging_chart, cjk_font
    from skills.render import render_off_loop

    aging = {
        "current": Decimal(850000),
        "1-30": Decimal(120000),
        "31-60": Decimal(0),
        "61-90": Decimal(5000),
        "90+": Decimal(30000),
    }
    cpu: list[float] = []

    def timed(*args: object) -> bytes:
        started = time.thread_time()
        png = aging_chart(*args)  # type: ignore[arg-type]
        cpu.append(time.thread_time() - started)
        return png

    async def run() -> tuple[float, list[float]]:
        started = time.perf_counter()
        await render_off_loop(timed, aging, "CNY", "zh", "华东纺织")
        first = time.perf_counter() - started
        walls = []
        for n in range(rounds):
            t0 = time.perf_counter()
            await render_off_loop(timed, aging, "CNY", "zh" if n % 2 else "en", "华东纺织" if n % 3 else "Acme Trading")
            walls.append(time.perf_counter() - t0)
        return first, walls

    first, samples = asyncio.run(run())
    steady_cpu = cpu[1:]
    return {
        "font": cjk_font() or "none",
        "first_ms": first * 1000,
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": _pct(samples, 0.95) * 1000,
        "cpu_median_ms": statistics.median(steady_cpu) * 1000,
        "cpu_p95_ms": _pct(steady_cpu, 0.95) * 1000,
    }


def _du(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            fp = Path(dirpath) / name
            if not fp.is_symlink():
                total += fp.stat().st_size
    return total


def venv_sizes(venv: Path, top: int = 12) -> tuple[int, list[tuple[str, int]]]:
    site = next((venv / "lib").glob("python3*/site-packages"))
    parts = [
        (p.name, _du(p) if p.is_dir() else p.stat().st_size)
        for p in site.iterdir()
        if not p.name.endswith((".dist-info", ".pth")) and p.name != "__pycache__"
    ]
    parts.sort(key=lambda x: -x[1])
    return _du(venv), parts[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="onnx,torch")
    parser.add_argument("--venv", type=Path, action="append", help="virtualenv(s) to size (default: this one)")
    parser.add_argument(
        "--walk-only",
        type=Path,
        metavar="CHROMA_DIR",
        help="only the Telegram walk-through and its RSS, on a copy of this built index (e.g. data/chroma)",
    )
    parser.add_argument("--chart-only", action="store_true", help="only the aging chart's render time")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.chart_only:
        chart = bench_chart()
        print(
            f"aging chart ({chart['font']}): first {chart['first_ms']:.0f} ms, median {chart['median_ms']:.0f} ms, "
            f"p95 {chart['p95_ms']:.0f} ms wall; CPU median {chart['cpu_median_ms']:.0f} ms, "
            f"p95 {chart['cpu_p95_ms']:.0f} ms (load {os.getloadavg()[0]:.2f})"
        )
        return
    if args.walk_only:
        for backend in args.backends.split(","):
            if backend == "torch" and importlib.util.find_spec("sentence_transformers") is None:
                continue
            tg = bench_walk(backend, args.walk_only)
            print(
                f"{backend}: telegram start → 1st reply {tg['first_reply_s']}s, model ready {tg['model_ready_s']}s; "
                f"walk-through {tg['walk_replies']} replies, median {tg['walk_reply_median_s']}s, "
                f"max {tg['walk_reply_max_s']}s; RSS after {tg['rss_mib']} MiB, peak {tg['peak_rss_mib']} MiB"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return
    results = []
    for backend in args.backends.split(","):
        if backend == "torch" and importlib.util.find_spec("sentence_transformers") is None:
            print("torch: skipped (sentence-transformers not installed here; make install-torch)")
            continue
        r = bench_backend(backend, args.rounds)
        results.append(r)
        tg = r["telegram"]
        assert isinstance(tg, dict)
        print(f"\n== {backend}")
        print(f"index build, cold          {r['index_cold_s']:.2f}s")
        print(f"ask --json /help           {_fmt(r['ask_help'])}")  # type: ignore[arg-type]
        print(f"ask --json <question>      {_fmt(r['ask_question'])}  → skill {r['ask_question_skill']}")  # type: ignore[arg-type]
        print(f"console: start → 1st reply {_fmt(r['console_first_reply'])}")  # type: ignore[arg-type]
        print(f"telegram: start → 1st reply {tg['first_reply_s']}s; start → model ready {tg['model_ready_s']}s")
        print(
            f"telegram walk-through: {tg['walk_replies']} replies, median {tg['walk_reply_median_s']}s, "
            f"max {tg['walk_reply_max_s']}s; RSS after {tg['rss_mib']} MiB, peak {tg['peak_rss_mib']} MiB"
        )
    chart = bench_chart()
    print(
        f"\naging chart ({chart['font']}): first {chart['first_ms']:.0f} ms, median {chart['median_ms']:.0f} ms, "
        f"p95 {chart['p95_ms']:.0f} ms wall; CPU median {chart['cpu_median_ms']:.0f} ms, p95 {chart['cpu_p95_ms']:.0f} ms "
        f"(load {os.getloadavg()[0]:.2f})"
    )
    for venv in args.venv or [Path(sys.prefix)]:
        total, parts = venv_sizes(venv)
        print(
            f"\n{venv}: {total / 1e9:.2f} GB; largest: "
            + ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in parts)
        )
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "startup.json").write_text(json.dumps({"backends": results, "chart": chart}, indent=2, default=str))


if __name__ == "__main__":
    main()
