"""The objection log: every card shown is a row; "Log it" marks it logged against the client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, UTCDateTime

__all__ = ["ObjectionLog"]


class ObjectionLog(Base):
    """One objection an officer met. ``logged_at`` is set when the officer pressed "Log it".

    Rows with ``logged_at`` unset are the cards shown (they let the buttons find the original message,
    its language, client and runner-up cards without putting them in a 64-byte payload).
    """

    __tablename__ = "objection_log"
    __table_args__ = (
        Index("ix_objection_log_officer_logged", "officer_id", "logged_at"),
        Index("ix_objection_log_client", "client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"))
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True)
    objection_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(2), default="en")
    alternatives: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    logged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
