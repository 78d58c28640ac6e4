"""Alert rows (one per live condition, deduplicated by key) and ledgers waiting for Confirm import."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, Money, UTCDateTime

__all__ = ["ALERT_STATES", "LIVE_STATES", "Alert", "Application", "OfficerBrief", "PendingImport", "TierChange"]

ALERT_STATES = ("open", "acknowledged", "snoozed", "resolved")
LIVE_STATES = ("open", "acknowledged", "snoozed")


class Alert(Base):
    """A red/yellow condition on a client. ``dedup_key`` is unique among alerts that are not resolved.

    ``pushed_severity`` is the worst severity already pushed: the same condition is not pushed again
    while live; a worsening (yellow → red) is.
    """

    __tablename__ = "alerts"
    # Also ``uq_alerts_live_dedup_key``: unique ``dedup_key`` WHERE ``state != 'resolved'``, made by migration
    # 0006 on both databases (the migrations own the schema). It is not declared here: a ``postgresql_where``
    # makes SQLAlchemy load its PostgreSQL dialect (~70 ms) at every start, SQLite ones included.
    __table_args__ = (Index("ix_alerts_client_state", "client_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"))
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))  # red | yellow
    dedup_key: Mapped[str] = mapped_column(String(96))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | acknowledged | snoozed | resolved
    figures: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    pushed_severity: Mapped[str | None] = mapped_column(String(8), nullable=True)
    acknowledged_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    worsened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # last yellow → red


class TierChange(Base):
    """A client's tier moved (quality / potential / risk): for the morning brief and the portfolio movers."""

    __tablename__ = "tier_changes"
    __table_args__ = (Index("ix_tier_changes_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"), index=True)
    old: Mapped[str] = mapped_column(String(16))
    new: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class OfficerBrief(Base):
    """An officer's morning-brief setting (no row: the defaults) and the last brief sent."""

    __tablename__ = "officer_briefs"

    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "08:30" local; None: the default
    last_brief_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # officer-local date
    last_brief_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Application(Base):
    """A financing application (融资申请) with its first-feedback deadline in working days (the SLA)."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_state_due", "state", "feedback_due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"), index=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    feedback_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | cancelled
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="chat")  # chat | button | import
    note: Mapped[str] = mapped_column(Text, default="")


class PendingImport(Base):
    """An uploaded ledger waiting for the officer's Confirm import (button payloads carry only its id)."""

    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
