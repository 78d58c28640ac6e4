"""The background-loaded retriever: nothing waits for it but a search, and a failed load is reported."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from knowledge.lazy import LazyRetriever, RetrieverUnavailable
from knowledge.retrieval import Passage


class _Slow:
    """A retriever whose construction blocks until the test releases it."""

    playbook = "the book"

    def __init__(self, release: threading.Event) -> None:
        assert release.wait(5), "test never released the load"

    def search(self, query: str, k: int = 5, *, lang: str | None = None, kind: str | None = None) -> list[Passage]:
        return [Passage("obj.rate-too-high", lang or "en", kind or "objection", "Rate", query, 1.0)]


def test_nothing_loads_until_started_or_searched() -> None:
    loads: list[int] = []
    lazy = LazyRetriever(lambda _progress: loads.append(1) or _Slow(_released()))  # type: ignore[func-returns-value]
    assert not lazy.ready and loads == []
    assert lazy.search("rate", 1, lang="en")[0].id == "obj.rate-too-high"
    assert lazy.ready and loads == [1]
    lazy.search("again")
    assert loads == [1]  # loaded once


async def test_a_search_before_the_model_is_ready_waits_for_it() -> None:
    release = threading.Event()
    lazy = LazyRetriever(lambda _progress: _Slow(release))
    lazy.start()
    searching = asyncio.create_task(asyncio.to_thread(lazy.search, "rate too high", 1, lang="en"))
    await asyncio.sleep(0.05)  # the search is blocked on the load, not failed
    assert not searching.done() and not lazy.ready and lazy.loading
    release.set()
    hits = await asyncio.wait_for(searching, 5)
    assert [h.id for h in hits] == ["obj.rate-too-high"] and lazy.ready and not lazy.loading
    assert lazy.playbook == "the book"  # attributes of the real retriever pass through


async def test_a_failed_load_is_raised_to_every_search_with_its_cause() -> None:
    def broken(_progress: object) -> _Slow:
        raise OSError("index directory is read-only")

    lazy = LazyRetriever(broken)
    with pytest.raises(RetrieverUnavailable, match="read-only"):
        await lazy.wait()
    assert lazy.failed and not lazy.ready
    with pytest.raises(RetrieverUnavailable, match="read-only"):
        lazy.search("rate")


def _released() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


async def test_closing_stops_a_load_at_its_next_step() -> None:
    steps: list[int] = []
    first_step = threading.Event()

    def long_build(progress: Callable[[int, int], None]) -> _Slow:
        for n in range(1000):  # a cold index build, batch by batch
            steps.append(n)
            first_step.set()
            progress(n * 64, 64_000)
            threading.Event().wait(0.01)
        return _Slow(_released())

    lazy = LazyRetriever(long_build)
    lazy.start()
    assert await asyncio.to_thread(first_step.wait, 5)
    await asyncio.wait_for(lazy.finish(), 5)
    assert lazy.failed and len(steps) < 1000
