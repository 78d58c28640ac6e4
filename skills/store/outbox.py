"""Enqueue pushes into the outbox. Skills call these; the dispatcher (bot.dispatcher) sends them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Button
from skills.store.models import OutboxMessage

__all__ = ["buttons_from_json", "buttons_to_json", "cancel_pending", "enqueue"]


def buttons_to_json(buttons: list[list[Button]]) -> list[list[dict[str, Any]]]:
    """Buttons as JSON-able rows (``{"label", "payload", "url"}``)."""
    return [[{"label": b.label, "payload": b.payload, "url": b.url} for b in row] for row in buttons]


def buttons_from_json(rows: list[list[dict[str, Any]]] | None) -> list[list[Button]]:
    """The inverse of :func:`buttons_to_json`."""
    return [[Button(b["label"], b.get("payload") or "", b.get("url")) for b in row] for row in rows or []]


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: str,
    text: str,
    due_at: datetime,
    idempotency_key: str,
    buttons: list[list[Button]] | None = None,
    ref: str = "",
    image: bytes | None = None,
) -> OutboxMessage | None:
    """Queue a push; returns the row, or None when one with the same idempotency key already exists.

    The key makes enqueueing idempotent across retries and instances (e.g. ``"reminder:12:2026-11-30T02:00"``).
    Runs in the caller's transaction; never commits.
    """
    existing = await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key))
    if existing is not None:
        return None
    row = OutboxMessage(
        chat_id=chat_id,
        kind=kind,
        ref=ref,
        idempotency_key=idempotency_key,
        text=text,
        buttons=buttons_to_json(buttons or []),
        image=image,
        due_at=due_at,
        next_attempt_at=due_at,
        state="pending",
        attempts=0,
        created_at=due_at,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another instance queued the same push a moment ago
        return None
    return row


async def cancel_pending(session: AsyncSession, ref: str) -> int:
    """Cancel pushes for ``ref`` that have not been sent yet (a reminder cancelled, an alert resolved)."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.ref == ref, OutboxMessage.state == "pending")
        .values(state="cancelled")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
