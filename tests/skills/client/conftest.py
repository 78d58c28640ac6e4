"""The alerts scenario (``data.py``) is a one-month ledger: these tests are about cards, pushes and buttons,
so the minimum-history gate and the morning brief are off here; ``test_history.py``, ``test_brief.py`` and
``test_demo_first_start.py`` run with the defaults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from skills.alerts.config import AlertsConfig
from tests.conftest import make_settings
from tests.fixtures.harness import Clock, ConsoleHarness

NO_HISTORY_GATE = AlertsConfig(
    min_history_months=0,
    min_history_invoices=0,
    min_history_collections=0,
    small_book_invoices=0,
    brief_enabled=False,
)


@pytest_asyncio.fixture
async def harness(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path, alerts=NO_HISTORY_GATE), clock=clock)
    try:
        yield h
    finally:
        await h.close()


@pytest_asyncio.fixture
async def any_db_harness(database_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    h = await ConsoleHarness.create(make_settings(database_url, tmp_path, alerts=NO_HISTORY_GATE), clock=clock)
    try:
        yield h
    finally:
        await h.close()
