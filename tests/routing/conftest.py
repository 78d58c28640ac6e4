"""The console officer with the demo portfolio (Acme, Orion, 宏达建材, …), as ``python -m bot ask`` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from skills.contract import Skill
from skills.portfolio.demo import ensure_demo
from skills.registry import load_skills
from tests.conftest import make_settings
from tests.fixtures.harness import Clock, ConsoleHarness


@pytest_asyncio.fixture
async def demo(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path), clock=clock)
    await ensure_demo(h.runtime)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
def demo_skills() -> list[Skill]:
    return load_skills()
