"""Finding clients by name or alias in what an officer typed, within what the officer may see."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.lazyre import lazy
from skills.store.models import Client

__all__ = ["client_names", "find_client_in_text", "visible_clients"]

_SUFFIXES = re.compile(
    r"\b(co\.?|company|ltd\.?|limited|inc\.?|corp\.?|corporation|llc|plc|gmbh|group|trading)\b|"
    r"(有限责任公司|股份有限公司|有限公司|集团|公司)",
    re.I,
)


_GENERIC = frozenset(
    [
        "china",
        "shanghai",
        "beijing",
        "shenzhen",
        "global",
        "international",
        "united",
        "first",
        "great",
        "golden",
        "general",
        "national",
        "asia",
        "pacific",
        "north",
        "south",
        "east",
        "west",
        "eastern",
        "western",
        "central",
        "royal",
        "grand",
        "smart",
        "metro",
        "world",
    ]
)


def client_names(client: Client) -> list[str]:
    """The name, its aliases, and the name without legal suffixes — lower-cased, longest first."""
    names = {client.name.lower(), *(a.lower() for a in client.aliases or [])}
    short = _SUFFIXES.sub("", client.name.lower())
    short = re.sub(r"[\s,.]+", " ", short).strip()
    if len(short) >= 2:
        names.add(short)
    # "Northwind" for "Northwind Logistics": a distinctive first word is how officers name a client.
    first = short.split(" ")[0] if short else ""
    if len(first) >= 5 and first.isascii() and first.isalpha() and first not in _GENERIC:
        names.add(first)
    return sorted((n for n in names if n), key=len, reverse=True)


async def visible_clients(session: AsyncSession, officer: Officer) -> Sequence[Client]:
    """Clients this officer may see (their own; a manager's team; everything for an admin)."""
    stmt = select(Client)
    visible = officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    return (await session.scalars(stmt.order_by(Client.id))).all()


_CJK = lazy(r"[\u4e00-\u9fff]")


def _mentions(lowered: str, name: str) -> bool:
    """``name`` appears in ``lowered`` as a whole name: Chinese names anywhere; Latin names not inside a
    longer Latin word — but right next to Chinese ("Acme有什么风险") is fine, where ``\\w`` boundaries fail."""
    if name not in lowered:  # cheap screen before any regex
        return False
    if _CJK.search(name):
        return True
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", lowered) is not None


async def find_client_in_text(session: AsyncSession, officer: Officer, text: str) -> Client | None:
    """The visible client whose name or alias appears in ``text`` (longest match wins), or None."""
    lowered = text.lower()
    best: tuple[int, Client] | None = None
    for client in await visible_clients(session, officer):
        for name in client_names(client):
            if best is not None and len(name) <= best[0]:
                break  # names are longest first: nothing shorter can win
            if _mentions(lowered, name):
                best = (len(name), client)
                break
    return best[1] if best else None
