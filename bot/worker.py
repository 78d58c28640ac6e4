"""A background event loop in its own thread, with its own database engine, for periodic skill jobs.

The alert sweep is CPU work in Python (rules over every client); run on the main loop it would stall
officers' replies for as long as it takes. Jobs submitted here run on the worker's loop, with a
sessionmaker bound to that loop, while the main loop keeps answering.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime

from skills.contract import Services
from skills.store.session import make_engine, make_sessionmaker

__all__ = ["BackgroundLoop"]

Job = Callable[[Services, datetime], Awaitable[None]]


class BackgroundLoop:
    """Runs coroutines on a dedicated thread's event loop with its own engine."""

    def __init__(self, services: Services, database_url: str, *, sqlite_synchronous: str = "NORMAL") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="factormate-worker", daemon=True)
        self._thread.start()
        self.engine = asyncio.run_coroutine_threadsafe(self._make_engine(database_url, sqlite_synchronous), self.loop).result()
        self.services = dataclasses.replace(services, sessionmaker=make_sessionmaker(self.engine))

    @staticmethod
    async def _make_engine(url: str, sqlite_synchronous: str):  # type: ignore[no-untyped-def]
        return make_engine(url, sqlite_synchronous=sqlite_synchronous)

    async def run(self, job: Job, now: datetime) -> None:
        """Run ``job(services, now)`` on the worker loop and wait for it without blocking this loop."""
        future = asyncio.run_coroutine_threadsafe(job(self.services, now), self.loop)
        await asyncio.wrap_future(future)

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.engine.dispose(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=30)
        self.loop.close()
