"""Applications recorded by a ledger import (an "application date" / 申请日期 column, with an optional amount).

Each distinct (client, date, amount) in the file becomes an application exactly as ``/apply`` records it
(:func:`skills.alerts.applications.record_application`: the first-feedback deadline in working days and its
reminder), received at the start of that day in the client's officer's time zone. Idempotent: an
application of the same client on the same local day for the same amount (from any source) is not recorded
again, so importing the ledger twice records nothing the second time. An application whose deadline had
already passed when it was imported is history: it is recorded (and shows in the brief as due) but not
escalated to the manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from skills.alerts.applications import record_application
from skills.alerts.models import Application
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from skills.config import SkillsConfig

__all__ = ["new_applications", "record_imported_applications"]


async def _existing(session: AsyncSession, ids: list[int]) -> list[tuple[int, datetime, Decimal | None]]:
    stmt = select(Application.client_id, Application.received_at, Application.amount).where(
        Application.client_id.in_(ids), Application.state != "cancelled"
    )
    return [(c, r, a) for c, r, a in (await session.execute(stmt)).all()]


def _recorded(existing: list[tuple[int, datetime, Decimal | None]], cid: int, on: date, amount: Decimal | None,
              zone: ZoneInfo) -> bool:  # fmt: skip
    return any(
        c == cid and r.astimezone(zone).date() == on and (a is None) == (amount is None) and (a is None or a == amount)
        for c, r, a in existing
    )


async def _zones(session: AsyncSession, config: SkillsConfig, ids: list[int]) -> dict[int, tuple[Client, str, str]]:
    """Client id -> (client, its officer's time zone, language)."""
    clients = {c.id: c for c in (await session.scalars(select(Client).where(Client.id.in_(ids)))).all()}
    officer_ids = sorted({c.officer_id for c in clients.values()})
    officers = {o.id: o for o in (await session.scalars(select(OfficerRow).where(OfficerRow.id.in_(officer_ids))))}
    out: dict[int, tuple[Client, str, str]] = {}
    for cid, client in clients.items():
        officer = officers.get(client.officer_id)
        tz = (officer.timezone if officer else None) or config.default_timezone
        lang = (officer.language if officer else None) or config.default_language
        out[cid] = (client, tz, lang)
    return out


async def new_applications(
    session: AsyncSession, config: SkillsConfig, applications: Iterable[tuple[int, str, date, Decimal | None]]
) -> int:
    """How many of the import's applications (of clients that exist already) are not recorded yet (read-only)."""
    wanted = {(cid, on, amount) for cid, _, on, amount in applications}
    if not wanted:
        return 0
    ids = sorted({cid for cid, _, _ in wanted})
    zones = await _zones(session, config, ids)
    existing = await _existing(session, ids)
    return sum(
        1
        for cid, on, amount in wanted
        if cid in zones and not _recorded(existing, cid, on, amount, ZoneInfo(zones[cid][1]))
    )


async def record_imported_applications(
    session: AsyncSession,
    config: SkillsConfig,
    applications: Iterable[tuple[int, str, date, Decimal | None]],
    *,
    now: datetime,
) -> list[int]:
    """Record the import's applications ``(client id, client name, date, amount)``; returns the new ids."""
    wanted = {(cid, on, amount) for cid, _, on, amount in applications}
    if not wanted:
        return []
    ids = sorted({cid for cid, _, _ in wanted})
    zones = await _zones(session, config, ids)
    existing = await _existing(session, ids)
    created: list[int] = []
    for cid, on, amount in sorted(wanted, key=lambda w: (w[0], w[1], w[2] or Decimal(0))):
        if cid not in zones:
            continue
        client, tz, lang = zones[cid]
        zone = ZoneInfo(tz)
        if _recorded(existing, cid, on, amount, zone):
            continue
        received = datetime.combine(on, time(0, 0), tzinfo=zone).astimezone(now.tzinfo)
        row = await record_application(
            session,
            config,
            officer_id=client.officer_id,
            client=client,
            amount=amount,
            received_at=min(received, now),
            tz=tz,
            lang=lang,
            source="import",
        )
        if row.feedback_due_at <= now:  # history: the deadline passed before the bot knew; no manager escalation
            row.escalated_at, row.note = now, "imported after its first-feedback deadline"
        existing.append((cid, row.received_at, amount))
        created.append(row.id)
    return created
