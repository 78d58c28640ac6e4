"""Operators see delivery trouble: ``doctor`` and ``/healthz`` report a paused dispatcher, dead letters,
late pushes, and give the right fix when the Chroma server is down."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

from bot.doctor import _delivery, _index
from bot.webhook_server import health
from skills.store import unit_of_work
from skills.store.leases import AUTH_PAUSED, clear_flag, set_flag
from skills.store.outbox import UNREADABLE_ANSWER, SentMark, enqueue, mark_sent
from tests.conftest import make_settings
from tests.fixtures.harness import ConsoleHarness


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_doctor_and_healthz_report_a_paused_dispatcher_until_it_resumes(any_db_harness: ConsoleHarness) -> None:
    h = any_db_harness
    settings = h.runtime.settings
    ok_check = await _delivery(settings)
    assert ok_check.ok and "dead letters in the last hour: 0" in ok_check.detail
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        await set_flag(session, AUTH_PAUSED, now=h.clock.now, detail="Unauthorized")
    paused = await _delivery(settings)
    assert not paused.ok and "PAUSED" in paused.detail and "Unauthorized" in paused.detail
    assert "TELEGRAM_BOT_TOKEN" in paused.fix
    healthy, report = await health(h.runtime)
    assert not healthy and report["dispatcher"]["paused"] is True
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        await clear_flag(session, AUTH_PAUSED, now=h.clock.now)
    assert (await _delivery(settings)).ok
    _, report = await health(h.runtime)
    assert report["dispatcher"]["paused"] is False and report["instance"]


async def test_doctor_says_when_pushes_are_late(harness: ConsoleHarness) -> None:
    h = harness
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        await enqueue(
            session, chat_id=1, kind="t", text="x", due_at=h.clock.now.replace(year=2020), idempotency_key="k"
        )
    late = await _delivery(h.runtime.settings)
    assert not late.ok and "oldest waiting push" in late.detail and "instance running" in late.fix


async def test_doctor_names_the_chroma_server_when_it_is_down(tmp_path: Path) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", tmp_path, chroma_host="127.0.0.1", chroma_port=_free_port()
    )
    check = await _index(settings)
    assert not check.ok and "Chroma server" in check.detail
    assert "CHROMA_HOST" in check.fix and "bot index" not in check.fix


async def test_doctor_and_healthz_count_pushes_whose_answer_could_not_be_read(harness: ConsoleHarness) -> None:
    h = harness
    async with unit_of_work(h.runtime.services.sessionmaker) as session:
        row = await enqueue(session, chat_id=1, kind="t", text="x", due_at=h.clock.now, idempotency_key="u1")
        assert row is not None
        await session.flush()
        note = f"{UNREADABLE_ANSWER}: KeyError: 'date'"
        # sent "now" by the wall clock: doctor reads the wall clock, /healthz the runtime's (earlier) one
        await mark_sent(session, [SentMark(row.id, datetime.now(UTC), None, 1, note=note)])
    check = await _delivery(h.runtime.settings)
    assert check.ok and "unreadable answer in the last day: 1" in check.detail
    _, report = await health(h.runtime)
    assert report["dispatcher"]["unreadable_answers_last_day"] == 1
