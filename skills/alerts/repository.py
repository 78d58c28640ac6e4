"""Alert queries within what an officer may see. Repositories add/flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.alerts.messages import MESSAGES
from skills.alerts.models import Alert
from skills.contract import Officer, Request, SkillError
from skills.i18n import t
from skills.store.base import is_row_id
from skills.store.clients import find_client_in_text
from skills.store.models import Client

__all__ = ["button_client", "count_snoozed", "find_client", "get_visible_alert", "get_visible_client", "visible_alerts"]


find_client = find_client_in_text  # one client lookup for every skill (skills.store.clients)


def _shown(now: datetime):  # type: ignore[no-untyped-def]
    """Live alerts an officer should see now: open, acknowledged, or snoozed with the snooze over."""
    return or_(
        Alert.state.in_(("open", "acknowledged")),
        and_(Alert.state == "snoozed", Alert.snoozed_until <= now),
    )


async def visible_alerts(
    session: AsyncSession, officer: Officer, now: datetime, *, client_id: int | None = None, limit: int = 200
) -> list[tuple[Alert, Client]]:
    """Alerts the officer may see and should see now, red first, newest first within a severity."""
    stmt = (
        select(Alert, Client)
        .join(Client, Client.id == Alert.client_id)
        .where(_shown(now))
        .order_by(case((Alert.severity == "red", 0), else_=1), Alert.first_seen.desc(), Alert.id)
        .limit(limit)
    )
    visible = officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    if client_id is not None:
        stmt = stmt.where(Alert.client_id == client_id)
    return [(a, c) for a, c in (await session.execute(stmt)).all()]


async def count_snoozed(session: AsyncSession, officer: Officer, now: datetime, *, client_id: int | None = None) -> int:
    """How many of the officer's alerts are snoozed and still hidden."""
    stmt = (
        select(func.count(Alert.id))
        .join(Client, Client.id == Alert.client_id)
        .where(Alert.state == "snoozed", Alert.snoozed_until > now)
    )
    visible = officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    if client_id is not None:
        stmt = stmt.where(Alert.client_id == client_id)
    return int(await session.scalar(stmt) or 0)


async def get_visible_alert(session: AsyncSession, officer: Officer, alert_id: int) -> tuple[Alert, Client] | None:
    """The alert and its client when this officer may see it, else None (a forged id gets nothing)."""
    if not is_row_id(alert_id):
        return None
    row = (
        await session.execute(
            select(Alert, Client).join(Client, Client.id == Alert.client_id).where(Alert.id == alert_id)
        )
    ).first()
    if row is None:
        return None
    alert, client = row
    visible = officer.visible_officer_ids()
    if visible is not None and client.officer_id not in visible:
        return None
    return alert, client


async def button_client(request: Request, args: list[str]) -> Client:
    """The client a button payload names (``alerts:<action>:<client_id>``), refused unless the officer may see it."""
    try:
        client = await get_visible_client(request.db, request.officer, int(args[0]))
    except (IndexError, ValueError):
        client = None
    if client is None:
        raise SkillError(t(MESSAGES, "alert.not_found", request.lang), data={"refused": True})
    return client


async def get_visible_client(session: AsyncSession, officer: Officer, client_id: int) -> Client | None:
    """The client when this officer may see it, else None."""
    client = await session.get(Client, client_id) if is_row_id(client_id) else None
    if client is None:
        return None
    visible = officer.visible_officer_ids()
    if visible is not None and client.officer_id not in visible:
        return None
    return client
