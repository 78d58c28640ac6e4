"""The reminders table: one row per reminder (a one-off, a series, or a snoozed occurrence of either)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, UTCDateTime, utcnow

__all__ = ["ACTIVE", "CANCELLED", "DONE", "FIRED", "SNOOZED", "Reminder"]

ACTIVE, FIRED, DONE, CANCELLED, SNOOZED = "active", "fired", "done", "cancelled", "snoozed"


class Reminder(Base):
    """A follow-up an officer asked for. ``due_at`` (UTC) is the next time it fires while ``state='active'``.

    A one-off goes active → fired (pushed) → done, or → snoozed (a new one-off row with ``parent_id``
    takes over). A series (``recurrence`` set) stays active; each pickup moves ``due_at`` to the next
    occurrence, and a snoozed occurrence is a separate one-off row, so the series never shifts.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True, index=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recurrence: Mapped[str | None] = mapped_column(String(120), nullable=True)
    tz: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    lang: Mapped[str] = mapped_column(String(8), default="en")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    source: Mapped[str] = mapped_column(String(32), default="chat")
    fired_count: Mapped[int] = mapped_column(Integer, default=0)
    last_fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
