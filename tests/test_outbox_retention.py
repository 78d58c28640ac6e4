"""Retention stays off the table scan: the prune statement finds old sent rows through the
(state, sent_at) index and deletes them by primary key (SQLite's query plan, as the bench prints it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from skills.store.outbox import prune_statement
from tests.fixtures.harness import ConsoleHarness


async def test_the_prune_statement_uses_the_sent_index_and_the_primary_key(harness: ConsoleHarness) -> None:
    h = harness
    statement = prune_statement(sent_before=h.clock.now - timedelta(days=30), batch=200)
    async with h.runtime.services.sessionmaker() as session:
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " | ".join(str(row[-1]) for row in (await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all())
    assert "ix_outbox_sent (state=? AND sent_at<?)" in plan, plan
    assert "INTEGER PRIMARY KEY" in plan, plan
    assert "SCAN outbox" not in plan, plan
