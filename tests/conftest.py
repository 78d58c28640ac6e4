"""Shared fixtures: settings on a temporary database (SQLite, and PostgreSQL where it runs), a fake clock,
the console harness, and the fake Telegram Bot API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.config import Settings
from skills.alerts.config import AlertsConfig
from tests.fixtures.databases import fresh_database, pg_available
from tests.fixtures.fake_bot_api import fake_bot_api  # noqa: F401
from tests.fixtures.harness import Clock, ConsoleHarness

# the playbook index built once per test session, for any test that needs the real retriever
from tests.knowledge.conftest import real_knowledge  # noqa: F401

ADMIN_ID = 1001
OFFICER_ID = 2002
OTHER_OFFICER_ID = 3003
STRANGER_ID = 9999


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: no .env, a temp Chroma path, a known admin and two officers."""
    values: dict[str, object] = {
        "database_url": database_url,
        "chroma_path": tmp_path / "chroma",
        "admin_user_ids": [ADMIN_ID],
        "allowed_user_ids": [OFFICER_ID, OTHER_OFFICER_ID],
        "telegram_bot_token": None,
        "rate_limit_per_minute": 0,  # tests send many messages at one fake instant; the limiter has its own test
        # pushes are not paced to Telegram's limits in tests (bench_delivery and test_send_limits cover it)
        "dispatch_rate_per_second": 0,
        "dispatch_chat_rate_per_second": 0,
        # The morning brief (on by default) is its own push; tests of other pushes run without it
        # (tests/skills/alerts/test_brief.py and test_demo_first_start.py turn it on).
        "alerts": AlertsConfig(brief_enabled=False),
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_kind(request: pytest.FixtureRequest) -> str:
    """Run the test on SQLite and on PostgreSQL (skipped with the reason when PostgreSQL is absent)."""
    if request.param == "postgres":
        reason = pg_available()
        if reason:
            pytest.skip(reason)
    return str(request.param)


@pytest_asyncio.fixture
async def database_url(db_kind: str, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(db_kind, tmp_path) as url:
        yield url


@pytest_asyncio.fixture
async def sqlite_url(tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def harness(sqlite_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    """The console harness on a fresh SQLite database, with no playbook retriever."""
    h = await ConsoleHarness.create(make_settings(sqlite_url, tmp_path), clock=clock)
    try:
        yield h
    finally:
        await h.close()


@pytest_asyncio.fixture
async def any_db_harness(database_url: str, tmp_path: Path, clock: Clock) -> AsyncIterator[ConsoleHarness]:
    """The console harness on SQLite and on PostgreSQL."""
    h = await ConsoleHarness.create(make_settings(database_url, tmp_path), clock=clock)
    try:
        yield h
    finally:
        await h.close()
