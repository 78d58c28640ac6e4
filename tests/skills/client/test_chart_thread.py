"""Charts render off the event loop on one thread (matplotlib opens the CJK font once per thread)."""

from __future__ import annotations

import asyncio
import threading
from decimal import Decimal

from skills.client.chart import aging_chart
from skills.render import render_off_loop


async def test_every_chart_renders_on_the_one_chart_thread_not_the_loop() -> None:
    def where() -> bytes:
        return threading.current_thread().name.encode()

    names = await asyncio.gather(*(render_off_loop(where) for _ in range(8)))
    assert len(set(names)) == 1 and names[0].startswith(b"chart")
    assert names[0] != threading.current_thread().name.encode()
    aging = {"current": Decimal(1000), "1-30": Decimal(0), "31-60": Decimal(0), "61-90": Decimal(0), "90+": Decimal(50)}
    png = await render_off_loop(aging_chart, aging, "CNY", "zh", "华东纺织")
    assert png.startswith(b"\x89PNG")
