"""Chart rendering off the event loop, on ONE thread for the whole process.

matplotlib caches the fonts it has opened per thread; renders spread over ``asyncio.to_thread``'s executor
threads (up to six here) each re-open the 16 MB CJK font on their first chart (about 60 ms of CPU and
9 MB each). Every skill's chart (the client's aging, the portfolio exposure, the objection month report)
goes through :func:`render_off_loop`, so the font is opened once and renders never run concurrently
(matplotlib's font caches are shared by every figure).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["render_off_loop"]


@functools.cache
def _chart_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")


async def render_off_loop(render: Callable[..., bytes], *args: object) -> bytes:
    """Run a blocking chart render (``render(*args)``, returning PNG bytes) on the chart thread."""
    return await asyncio.get_running_loop().run_in_executor(_chart_thread(), render, *args)
