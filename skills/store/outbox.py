"""The outbox repository: the one module that writes outbox rows.

Skills queue pushes (:func:`enqueue`, :func:`enqueue_many`, :func:`cancel_pending`); the dispatcher
(``bot.dispatcher``) claims them, then records each outcome (:func:`mark_sent`, :func:`retry`,
:func:`release`, :func:`fail`, :func:`hold_chat`), and retention deletes old sent rows (:func:`prune`).
Every function runs in the caller's session and never commits: the caller owns the unit of work.

Row states: ``pending`` → ``sending`` (claimed by one instance) → ``sent``; or back to ``pending`` with a
later ``next_attempt_at`` (retry); ``failed`` is a dead letter (``last_error`` says why); ``held`` waits
for an unreachable officer to write to the bot again; ``cancelled`` was withdrawn before it was sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Delete, and_, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Button
from skills.store.models import OutboxMessage
from skills.store.session import dialect_insert, is_postgres

__all__ = [
    "ERROR_LIMIT",
    "UNREADABLE_ANSWER",
    "SentMark",
    "buttons_from_json",
    "buttons_to_json",
    "cancel_pending",
    "claim",
    "dead_letters_since",
    "enqueue",
    "enqueue_many",
    "fail",
    "hold_chat",
    "mark_sent",
    "oldest_pending",
    "prune",
    "prune_statement",
    "reclaim_stale",
    "release",
    "retry",
    "unhold_chat",
    "unreadable_answers_since",
]

ERROR_LIMIT = 500  # characters of an error kept in ``last_error``
# ``last_error`` of a push Telegram accepted (``ok: true``) with an answer we could not read: marked sent,
# never re-sent (at most once, deliberately: re-sending would duplicate a push that almost surely arrived).
UNREADABLE_ANSWER = "delivered, but Telegram's answer could not be read"
_CHUNK = 500
_PUSH_FIELDS = ("chat_id", "kind", "text", "due_at", "idempotency_key", "buttons", "ref", "image", "created_at")


def buttons_to_json(buttons: list[list[Button]]) -> list[list[dict[str, Any]]]:
    """Buttons as JSON-able rows (``{"label", "payload", "url"}``)."""
    return [[{"label": b.label, "payload": b.payload, "url": b.url} for b in row] for row in buttons]


def buttons_from_json(rows: list[list[dict[str, Any]]] | None) -> list[list[Button]]:
    """The inverse of :func:`buttons_to_json`."""
    return [[Button(b["label"], b.get("payload") or "", b.get("url")) for b in row] for row in rows or []]


def _json_buttons(buttons: Sequence[Sequence[Any]] | None) -> list[list[dict[str, Any]]]:
    """Buttons given as :class:`Button` rows or as already-encoded JSON rows, encoded."""
    return [[buttons_to_json([[b]])[0][0] if isinstance(b, Button) else dict(b) for b in row] for row in buttons or []]


def _row_values(push: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(push) - set(_PUSH_FIELDS)
    if unknown:
        raise TypeError(f"unknown push fields: {sorted(unknown)}")
    due_at = push["due_at"]
    return {
        "chat_id": push["chat_id"],
        "kind": push["kind"],
        "ref": push.get("ref") or "",
        "idempotency_key": push["idempotency_key"],
        "text": push["text"],
        "buttons": _json_buttons(push.get("buttons")),
        "image": push.get("image"),
        "due_at": due_at,
        "next_attempt_at": due_at,
        "state": "pending",
        "attempts": 0,
        "created_at": push.get("created_at") or due_at,
    }


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
    values = _row_values(
        {
            "chat_id": chat_id,
            "kind": kind,
            "text": text,
            "due_at": due_at,
            "idempotency_key": idempotency_key,
            "buttons": buttons,
            "ref": ref,
            "image": image,
        }
    )
    row = OutboxMessage(**values)
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another instance queued the same push a moment ago
        return None
    return row


async def enqueue_many(session: AsyncSession, pushes: Iterable[Mapping[str, Any]]) -> int:
    """Queue many pushes (each given as :func:`enqueue`'s keyword arguments, ``buttons`` as Button rows
    or as JSON rows, optional ``created_at``); returns how many were new.

    Same contract as :func:`enqueue`: a push whose idempotency key is already queued is skipped
    (``ON CONFLICT DO NOTHING`` on the unique key, so an instance racing us is harmless). One statement
    per chunk of 500: 10,000 due reminders are queued in seconds, not minutes.
    """
    rows: dict[str, dict[str, Any]] = {}
    for push in pushes:
        values = _row_values(push)
        rows.setdefault(values["idempotency_key"], values)
    if not rows:
        return 0
    insert_ = dialect_insert(session)
    todo = list(rows.values())
    queued = 0
    for start in range(0, len(todo), _CHUNK):
        stmt = (
            insert_(OutboxMessage)
            .values(todo[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(OutboxMessage.id)
        )
        queued += len((await session.execute(stmt)).all())
    return queued


async def cancel_pending(session: AsyncSession, ref: str) -> int:
    """Cancel pushes for ``ref`` that have not been sent yet (a reminder cancelled, an alert resolved)."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.ref == ref, OutboxMessage.state.in_(("pending", "held")))
        .values(state="cancelled")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------- dispatcher side


async def reclaim_stale(session: AsyncSession, *, claimed_before: datetime) -> int:
    """Rows left ``sending`` by a stopped instance (claimed before ``claimed_before``) go back to pending."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < claimed_before)
        .values(state="pending", claimed_by=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def claim(
    session: AsyncSession, *, now: datetime, limit: int, holder: str, per_chat: int | None = None
) -> list[OutboxMessage]:
    """Atomically claim up to ``limit`` due rows for ``holder`` (caller commits), fairly across chats.

    Every chat's oldest due push comes first, then every chat's second one, and so on (at most
    ``per_chat`` per chat): a batch is never a handful of chats whose pushes must trickle out at one a
    second while other officers wait. Chats another instance is sending to right now are left alone,
    so one chat's pushes keep their order and its rate across instances. The claim is one conditional
    ``UPDATE … WHERE state='pending'``; on PostgreSQL the candidates are locked with ``FOR UPDATE SKIP
    LOCKED`` so concurrent instances take disjoint rows without waiting.
    """
    order = (OutboxMessage.next_attempt_at, OutboxMessage.due_at, OutboxMessage.id)
    due = (OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
    in_flight = select(OutboxMessage.chat_id).where(OutboxMessage.state == "sending").scalar_subquery()
    rank = func.row_number().over(partition_by=OutboxMessage.chat_id, order_by=order).label("rank")
    ranked = (
        select(OutboxMessage.id, OutboxMessage.due_at, rank)
        .where(*due, OutboxMessage.chat_id.not_in(in_flight))
        .subquery()
    )
    picked = select(ranked.c.id)
    if per_chat is not None:
        picked = picked.where(ranked.c.rank <= per_chat)
    # across chats by when each push was first due: a push retried after a 429 or an error keeps its place
    # (ordering by next_attempt_at would put its chat behind every other chat's backlog)
    picked = picked.order_by(ranked.c.rank, ranked.c.due_at, ranked.c.id).limit(limit)
    # the window function cannot carry FOR UPDATE itself: lock the picked rows in an outer query
    candidates = select(OutboxMessage.id).where(OutboxMessage.id.in_(picked.scalar_subquery()), *due)
    if is_postgres(session):
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list((await session.scalars(candidates)).all())
    if not ids:
        return []
    claimed = (
        await session.scalars(
            update(OutboxMessage)
            .where(and_(OutboxMessage.id.in_(ids), OutboxMessage.state == "pending"))
            .values(state="sending", claimed_by=holder, claimed_at=now)
            .returning(OutboxMessage.id)
        )
    ).all()
    if not claimed:
        return []
    rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(*order))
    return list(rows.all())


@dataclass(frozen=True, slots=True)
class SentMark:
    """One delivered push: when, Telegram's message id (None if the answer was unreadable), attempts so far."""

    row_id: int
    sent_at: datetime
    message_id: int | None
    attempts: int
    note: str | None = None  # e.g. Telegram accepted the push but its answer could not be read


async def mark_sent(session: AsyncSession, marks: Sequence[SentMark]) -> None:
    """Mark delivered pushes ``sent`` in one statement."""
    if not marks:
        return
    table = OutboxMessage.__table__
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(
            state="sent",
            sent_at=bindparam("at"),
            telegram_message_id=bindparam("message_id"),
            attempts=bindparam("tries"),
            last_error=bindparam("note"),
        ),
        [
            {"row_id": m.row_id, "at": m.sent_at, "message_id": m.message_id, "tries": m.attempts, "note": m.note}
            for m in marks
        ],
    )


async def retry(session: AsyncSession, row: OutboxMessage, *, when: datetime, error: str, attempts: int) -> None:
    """Put a push back to ``pending`` until ``when``; later pushes to the same chat wait behind it (order)."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id)
        .values(
            state="pending", attempts=attempts, next_attempt_at=when, last_error=error[:ERROR_LIMIT], claimed_by=None
        )
    )
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == row.chat_id,
            OutboxMessage.state == "pending",
            OutboxMessage.next_attempt_at < when,
            OutboxMessage.id != row.id,
        )
        .values(next_attempt_at=when)
    )


async def release(session: AsyncSession, ids: Sequence[int], *, not_before: datetime | None = None) -> None:
    """Give claimed, unsent pushes back (unchanged attempts), optionally not before ``not_before``."""
    if not ids:
        return
    values: dict[str, Any] = {"state": "pending", "claimed_by": None}
    if not_before is not None:
        values["next_attempt_at"] = not_before
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(list(ids)), OutboxMessage.state == "sending").values(**values)
    )


async def fail(session: AsyncSession, row_id: int, *, error: str, attempts: int, at: datetime) -> None:
    """Dead-letter a push: ``failed`` with its last error; it is never sent again."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(state="failed", last_error=error[:ERROR_LIMIT], attempts=attempts, claimed_by=None, claimed_at=at)
    )


async def hold_chat(session: AsyncSession, chat_id: int, *, reason: str, ids: Sequence[int] = ()) -> int:
    """Hold every unsent push to an unreachable chat (pending ones, and the claimed ``ids``)."""
    condition = OutboxMessage.state == "pending"
    if ids:
        condition = condition | (OutboxMessage.id.in_(list(ids)) & (OutboxMessage.state == "sending"))
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, condition)
        .values(state="held", claimed_by=None, last_error=reason[:ERROR_LIMIT])
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def unhold_chat(session: AsyncSession, chat_id: int, *, now: datetime) -> int:
    """The officer is reachable again: their held pushes are due now."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.state == "held")
        .values(state="pending", next_attempt_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def prune_statement(*, sent_before: datetime, batch: int) -> Delete:
    """The retention statement: up to ``batch`` sent rows older than ``sent_before``, found through the
    ``ix_outbox_sent`` (state, sent_at) index and deleted by primary key (no table scan)."""
    ids = (
        select(OutboxMessage.id).where(OutboxMessage.state == "sent", OutboxMessage.sent_at < sent_before).limit(batch)
    )
    return (
        delete(OutboxMessage)
        .where(OutboxMessage.id.in_(ids.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )


async def prune(session: AsyncSession, *, sent_before: datetime, batch: int) -> int:
    """Delete up to ``batch`` pushes sent before ``sent_before`` (retention); returns how many."""
    result = await session.execute(prune_statement(sent_before=sent_before, batch=batch))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def dead_letters_since(session: AsyncSession, since: datetime) -> int:
    """How many pushes were dead-lettered since ``since`` (``claimed_at`` is the time of the last attempt)."""
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state == "failed", OutboxMessage.claimed_at >= since)
    )
    return int(count or 0)


async def unreadable_answers_since(session: AsyncSession, since: datetime) -> int:
    """How many pushes sent since ``since`` got an ``ok: true`` answer we could not read (see
    :data:`UNREADABLE_ANSWER`); found through the (state, sent_at) index."""
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.state == "sent",
            OutboxMessage.sent_at >= since,
            OutboxMessage.last_error.like(f"{UNREADABLE_ANSWER}%"),
        )
    )
    return int(count or 0)


async def oldest_pending(session: AsyncSession) -> datetime | None:
    """Due time of the oldest push not yet sent (pending or in flight), or None."""
    return await session.scalar(
        select(func.min(OutboxMessage.due_at)).where(OutboxMessage.state.in_(("pending", "sending")))
    )
