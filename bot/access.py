"""Who may talk to the bot, with which role and language: the allowlist guard in front of every skill."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer, Role
from skills.i18n import detect_lang, normalise_lang
from skills.store.models import Officer as OfficerRow
from skills.store.reachability import mark_reachable

__all__ = ["Caller", "clean_text", "resolve_officer"]

log = logging.getLogger(__name__)

# Control characters (NUL breaks PostgreSQL text and the parsers' markers), bidi overrides (they can make
# a stored task read backwards) and invisible zero-width spaces are dropped from what officers type;
# tabs, line breaks and the zero-width joiner (part of emoji) stay.
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """What an officer typed, without control characters or bidi overrides, line breaks normalised."""
    return _UNSAFE_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent an update, as the adapter knows it."""

    user_id: int
    name: str = ""
    language_code: str | None = None
    console: bool = False  # the local console / CLI officer
    lang_override: str | None = None  # CLI --lang
    tz_override: str | None = None  # CLI --tz


async def resolve_officer(
    session: AsyncSession,
    caller: Caller,
    text: str,
    *,
    admin_ids: list[int],
    allowed_ids: list[int],
    default_tz: str,
    default_lang: str,
    now: datetime,
) -> Officer | None:
    """Return the officer for ``caller`` (creating their row on first contact), or None if not allowlisted.

    Admins from ``ADMIN_USER_IDS`` and the console officer are always served; a row revoked by an admin
    overrides ``ALLOWED_USER_IDS``. Language: the officer's setting, else Telegram's language_code, else
    the script of the message.
    """
    row = await session.get(OfficerRow, caller.user_id)
    role: Role | None = None
    if caller.console or caller.user_id in admin_ids:
        role = Role.ADMIN
    elif row is not None:
        role = Role(row.role) if row.active else None
    elif caller.user_id in allowed_ids:
        role = Role.OFFICER
    if role is None:
        return None
    if row is None:
        row = OfficerRow(
            id=caller.user_id,
            name=clean_text(caller.name).strip()[:200] or ("Console" if caller.console else str(caller.user_id)),
            role=role.value,
            active=True,
            created_at=now,
        )
        session.add(row)
        await session.flush()
    elif role is Role.ADMIN and row.role != Role.ADMIN.value:
        row.role = Role.ADMIN.value
    if row.unreachable_since is not None and not caller.console:  # they wrote to us: reachable again
        released = await mark_reachable(session, row, now=now)
        log.info("officer %s writes again: %d held pushes released", row.id, released)
    name = clean_text(caller.name).strip()[:200]  # officers.name is VARCHAR(200)
    if name and row.name != name and not caller.console:
        row.name = name
    team: tuple[int, ...] = ()
    if role is Role.MANAGER:
        team = tuple((await session.scalars(select(OfficerRow.id).where(OfficerRow.manager_id == row.id))).all())
    language = (
        caller.lang_override
        or row.language
        or normalise_lang(caller.language_code)
        or detect_lang(text, default=default_lang)
    )
    return Officer(
        id=row.id,
        name=row.name,
        role=role,
        language=language,
        timezone=caller.tz_override or row.timezone or default_tz,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        team_ids=team,
    )
