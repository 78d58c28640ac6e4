"""Finding clients by name or alias in what an officer typed, within what the officer may see."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.store.models import Client

__all__ = ["client_names", "find_client_in_text", "visible_clients"]

_SUFFIXES = re.compile(
    r"\b(co\.?|company|ltd\.?|limited|inc\.?|corp\.?|corporation|llc|plc|gmbh|group|trading)\b|"
    r"(有限责任公司|股份有限公司|有限公司|集团|公司)",
    re.I,
)


def client_names(client: Client) -> list[str]:
    """The name, its aliases, and the name without legal suffixes — lower-cased, longest first."""
    names = {client.name.lower(), *(a.lower() for a in client.aliases or [])}
    short = _SUFFIXES.sub("", client.name.lower())
    short = re.sub(r"[\s,.]+", " ", short).strip()
    if len(short) >= 2:
        names.add(short)
    return sorted((n for n in names if n), key=len, reverse=True)


async def visible_clients(session: AsyncSession, officer: Officer) -> Sequence[Client]:
    """Clients this officer may see (their own; a manager's team; everything for an admin)."""
    stmt = select(Client)
    visible = officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    return (await session.scalars(stmt.order_by(Client.id))).all()


def _mentions(text: str, name: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", name):
        return name in text
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


async def find_client_in_text(session: AsyncSession, officer: Officer, text: str) -> Client | None:
    """The visible client whose name or alias appears in ``text`` (longest match wins), or None."""
    lowered = text.lower()
    best: tuple[int, Client] | None = None
    for client in await visible_clients(session, officer):
        for name in client_names(client):
            if _mentions(lowered, name):
                if best is None or len(name) > best[0]:
                    best = (len(name), client)
                break
    return best[1] if best else None
