"""A retriever that loads in the background: start-up and commands never wait for the embedding model.

:class:`LazyRetriever` wraps a loader (``knowledge.service.open_retriever``). :meth:`start` runs it on a
thread (the bot does this at start-up); a search before it has finished waits for it (or starts it
first, in the CLI), so an early question is answered a little later rather than failing. If loading
failed, every search raises :class:`RetrieverUnavailable` with the cause.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from knowledge.retrieval import Passage, Retriever

__all__ = ["LazyRetriever", "LoadCancelled", "RetrieverUnavailable"]

log = logging.getLogger(__name__)


class RetrieverUnavailable(RuntimeError):
    """The playbook retriever could not be loaded (the cause is chained and was logged)."""


class LoadCancelled(Exception):
    """Raised inside a load (from its progress callback) when the owner is closing."""


class LazyRetriever:
    """A :class:`Retriever` whose real retriever is built on first need or on a background thread.

    ``load`` receives a ``progress`` callback to call between steps (e.g. per embedded batch); it raises
    :class:`LoadCancelled` once :meth:`finish` asked the load to stop, so closing never waits for a
    whole cold index build (the index is incremental: the next start carries on).
    """

    def __init__(self, load: Callable[[Callable[[int, int], None]], Retriever]) -> None:
        self._load = load
        self._cancel = threading.Event()
        self._future: Future[Retriever] | None = None
        self._lock = threading.Lock()
        self.started_at: float | None = None
        self.load_seconds: float | None = None
        self.demanded = False  # the load was started by a search waiting for it, not ahead of need

    def start(self, *, demanded: bool = False) -> Future[Retriever]:
        """Begin loading on a thread (once); returns the future of the loaded retriever. ``demanded``: a search
        is waiting for it (recorded in :attr:`demanded` when this call starts the load).

        The thread is not a daemon: native code (onnxruntime, Chroma) must not be cut off mid-call when the
        process exits, so the owner calls :meth:`finish` (``Runtime.close`` does) or the interpreter joins it.
        """
        with self._lock:
            if self._future is None:
                self._future = Future()
                self.demanded = demanded
                self.started_at = time.perf_counter()
                threading.Thread(target=self._run, args=(self._future,), name="playbook-loader").start()
            return self._future

    def _run(self, future: Future[Retriever]) -> None:
        try:
            retriever = self._load(self._check_cancel)
        except LoadCancelled as exc:
            log.info("playbook load stopped: the bot is closing")
            future.set_exception(exc)
        except BaseException as exc:  # any failure is kept and re-raised to each search, never lost
            log.error("playbook retriever failed to load: %s: %s", type(exc).__name__, exc, exc_info=True)
            future.set_exception(exc)
        else:
            self.load_seconds = time.perf_counter() - (self.started_at or time.perf_counter())
            future.set_result(retriever)

    def _check_cancel(self, _done: int = 0, _total: int = 0) -> None:
        if self._cancel.is_set():
            raise LoadCancelled("closing")

    @property
    def started(self) -> bool:
        """Loading has begun (or ended)."""
        return self._future is not None

    @property
    def loading(self) -> bool:
        """Started and not finished yet (a caller that can do without it may choose not to wait)."""
        future = self._future
        return future is not None and not future.done()

    @property
    def ready(self) -> bool:
        """Loaded and usable (False while loading, before the start, or after a failure)."""
        future = self._future
        return future is not None and future.done() and future.exception() is None

    @property
    def failed(self) -> bool:
        future = self._future
        return future is not None and future.done() and future.exception() is not None

    def get(self, timeout: float | None = None) -> Retriever:
        """The loaded retriever, waiting for (or starting) the load."""
        try:
            return self.start(demanded=True).result(timeout)
        except TimeoutError:
            raise
        except Exception as exc:
            raise RetrieverUnavailable(f"the playbook could not be loaded: {type(exc).__name__}: {exc}") from exc

    async def wait(self) -> Retriever:
        """Await the loaded retriever without blocking the event loop."""
        try:
            return await asyncio.wrap_future(self.start(demanded=True))
        except Exception as exc:
            raise RetrieverUnavailable(f"the playbook could not be loaded: {type(exc).__name__}: {exc}") from exc

    async def finish(self, *, cancel: bool = True) -> None:
        """Wait for a load under way to end (asking it to stop at its next step unless ``cancel=False``)."""
        future = self._future
        if future is not None and not future.done():
            if cancel:
                self._cancel.set()
            await asyncio.wait([asyncio.wrap_future(future)])

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        """Search, waiting for the load if it is still under way."""
        return self.get().search(query, k, lang=lang, kind=kind)

    def __getattr__(self, name: str) -> Any:
        # Attributes of the real retriever (e.g. ``playbook``) are reached through it, once loaded.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)
