"""Chart rendering off the event loop, on ONE thread for the whole process.

matplotlib caches the fonts it has opened per thread; renders spread over ``asyncio.to_thread``'s executor
threads (up to six here) each re-open the 16 MB CJK font on their first chart (about 60 ms of CPU and
9 MB each). Every skill's chart (the client's aging, the portfolio exposure, the objection month report)
goes through :func:`render_off_loop`, so the font is opened once and renders never run concurrently
(matplotlib's font caches are shared by every figure).

The chart modules are imported on the chart thread too (each call site hands over a function that imports
its chart module when called): the first chart's import of matplotlib (~0.2 s) would otherwise stall the
event loop, and every other officer's reply with it. :func:`warm_charts` does that import, registers the CJK
font and draws a tiny figure once per process (the client skill's warm-up calls it), so an officer's first
chart after a start is as quick as the next (the first profile card on Telegram: ~0.39 s → ~0.10 s).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["render_off_loop", "warm_charts"]

log = logging.getLogger(__name__)

_warm_lock = threading.Lock()
_warmed = False


@functools.cache
def _chart_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")


async def render_off_loop(render: Callable[..., bytes], *args: object) -> bytes:
    """Run a blocking chart render (``render(*args)``, returning PNG bytes) on the chart thread."""
    return await asyncio.get_running_loop().run_in_executor(_chart_thread(), render, *args)


def _draw_once() -> None:
    """On the chart thread: matplotlib (Agg) imported, the CJK font registered and opened, one figure drawn."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from skills.chart_font import cjk_font

    font = cjk_font()
    fig = Figure(figsize=(1.0, 1.0), dpi=20)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar(["a"], [1.0])
    ax.set_title("账龄 aging", **({"fontfamily": [font]} if font else {}))
    fig.savefig(io.BytesIO(), format="png")


def warm_charts() -> None:
    """Prepare the chart thread (blocking; once per process, later calls return at once)."""
    global _warmed
    with _warm_lock:
        if not _warmed:
            try:
                _chart_thread().submit(_draw_once).result()
            except Exception as exc:  # the first chart asked for will meet (and report) it; the warm-up goes on
                log.warning("charts not prepared at start: %s: %s", type(exc).__name__, exc)
            _warmed = True
