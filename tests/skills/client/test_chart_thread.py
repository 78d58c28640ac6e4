"""Charts render off the event loop on one thread (matplotlib opens the CJK font once per thread)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from skills.client.chart import aging_chart
from skills.render import render_off_loop

ROOT = Path(__file__).resolve().parents[3]


async def test_every_chart_renders_on_the_one_chart_thread_not_the_loop() -> None:
    def where() -> bytes:
        return threading.current_thread().name.encode()

    names = await asyncio.gather(*(render_off_loop(where) for _ in range(8)))
    assert len(set(names)) == 1 and names[0].startswith(b"chart")
    assert names[0] != threading.current_thread().name.encode()
    aging = {"current": Decimal(1000), "1-30": Decimal(0), "31-60": Decimal(0), "61-90": Decimal(0), "90+": Decimal(50)}
    png = await render_off_loop(aging_chart, aging, "CNY", "zh", "华东纺织")
    assert png.startswith(b"\x89PNG")


# A fresh interpreter, so "first import" means what it means for a bot just started: it records which thread
# imports matplotlib, then shows a profile card (and, in the second case, warms the charts first).
_PROBE = textwrap.dedent(
    """
    import json, sys, threading
    first = {}

    class Spy:
        def find_spec(self, name, path=None, target=None):
            if name == "matplotlib" and name not in first:
                first[name] = threading.current_thread().name
            return None

    sys.meta_path.insert(0, Spy())
    if sys.argv[1] == "warm":
        from skills.render import warm_charts

        warm_charts()
        warm_charts()  # once per process
        first["warmed"] = "matplotlib" in sys.modules
    from bot.cli import main

    sys.argv = ["bot", "ask", "--json", "/client Acme"]
    code = main()
    print(json.dumps(first))
    """
)


@pytest.mark.parametrize("warm", ["cold", "warm"])
def test_the_first_chart_imports_matplotlib_on_the_chart_thread_not_the_event_loop(tmp_path: Path, warm: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}",
        "ALLOWED_USER_IDS": "",
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, warm], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    first = json.loads(lines[-1])
    assert first["matplotlib"].startswith("chart"), first  # never MainThread, where the event loop runs
    assert first.get("warmed", True)
    card = json.loads("\n".join(lines[:-1]))
    assert card["skill"] == "client" and card["intent"] == "profile"


def test_charts_that_cannot_be_prepared_do_not_stop_the_warm_up(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import skills.render

    def broken() -> None:
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(skills.render, "_warmed", False)
    monkeypatch.setattr(skills.render, "_draw_once", broken)
    skills.render.warm_charts()  # logs and returns: the other skills' warm-ups still run
    assert "charts not prepared at start: ImportError" in caplog.text
