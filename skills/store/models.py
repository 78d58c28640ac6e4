"""Core tables every skill relies on: officers, clients, the outbox, conversations, the audit log.

Skill-specific tables live in their skill package (``skills/<name>/models.py``) on the same ``Base``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, Money, UTCDateTime, utcnow

__all__ = ["AuditEntry", "Client", "Conversation", "DispatcherState", "JobLease", "Officer", "OutboxMessage"]


class Officer(Base):
    """A person allowed to use the bot, keyed by Telegram user id (the console officer uses id 0)."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="officer")  # officer | manager | admin
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # None: follow Telegram / script
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None: settings default
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "22:00" local
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "08:00" local
    manager_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("officers.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when Telegram says the officer cannot be reached (blocked the bot, chat not found); pushes to
    # them are held until they write to the bot again, which clears it.
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unreachable_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Client(Base):
    """A financed company (the seller). The portfolio skill extends it through its own tables."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), index=True)
    industry: Mapped[str] = mapped_column(String(100), default="")
    tier: Mapped[str] = mapped_column(String(16), default="potential")  # quality | potential | risk
    tier_reason: Mapped[str] = mapped_column(Text, default="")
    credit_limit: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    deals_count: Mapped[int] = mapped_column(Integer, default=0)  # funded deals so far (first-deal waiver)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """A push that must reach an officer. Rows are claimed, sent, then marked sent; never silently dropped."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_sent", "state", "sent_at"),  # retention: prune old sent rows without a scan
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)  # officer's Telegram id
    kind: Mapped[str] = mapped_column(String(32))  # reminder | alert | tier | system
    ref: Mapped[str] = mapped_column(String(64), default="")  # e.g. "reminder:12", "alert:7"
    # Unique per logical push: enqueueing the same push twice is a no-op.
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[list[dict[str, Any]]]] = mapped_column(JSONType, default=list)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending | sending | sent | failed (dead letter, see last_error) | held (officer unreachable) | cancelled
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobLease(Base):
    """When a periodic job last ran, across all instances: claimed before running, so it runs once per interval."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)  # instance that ran it last
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DispatcherState(Base):
    """Shared dispatcher flags that operators must see (``doctor``, ``/healthz``): e.g. paused on a 401."""

    __tablename__ = "dispatcher_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)  # "auth_paused"
    since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None: not in that state
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Conversation(Base):
    """Per-officer chat state: an open multi-step conversation and the client last talked about."""

    __tablename__ = "conversations"

    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), primary_key=True)
    skill: Mapped[str | None] = mapped_column(String(32), nullable=True)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recent_client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recent_client_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditEntry(Base):
    """Who did what that matters: grants, revocations, imports."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
