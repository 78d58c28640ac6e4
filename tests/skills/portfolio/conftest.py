"""Helpers for portfolio tests: officers as the router would build them, and ledger fixtures on disk."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from skills.contract import Officer, Role
from skills.portfolio.importer import ImportPlan, apply_import, plan_import
from skills.store.models import Officer as OfficerRow
from tests.conftest import ADMIN_ID, OFFICER_ID, OTHER_OFFICER_ID

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def officer(officer_id: int = OFFICER_ID, role: Role = Role.OFFICER, lang: str = "en") -> Officer:
    return Officer(id=officer_id, name=str(officer_id), role=role, language=lang, timezone="Asia/Shanghai")


ADMIN = officer(ADMIN_ID, Role.ADMIN)
OFFICER = officer(OFFICER_ID)
OTHER = officer(OTHER_OFFICER_ID)


async def seed_officers(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        for oid, role in ((ADMIN_ID, "admin"), (OFFICER_ID, "officer"), (OTHER_OFFICER_ID, "officer")):
            session.add(OfficerRow(id=oid, name=str(oid), role=role, active=True, created_at=NOW))
        await session.commit()


async def import_file(
    sessionmaker: async_sessionmaker[AsyncSession], who: Officer, name: str, content: bytes | None = None
) -> ImportPlan:
    """Plan and (if it may be applied) apply a ledger in one unit of work; return the plan."""
    data = content if content is not None else (DATA / name).read_bytes()
    async with sessionmaker() as session:
        plan = await plan_import(session, who, name, data, today=TODAY)
        if plan.can_apply:
            await apply_import(session, plan, now=NOW)
        await session.commit()
    return plan
