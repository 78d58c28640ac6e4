"""The client's own voice: satisfaction scores with remarks, and the notes on the client's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, UTCDateTime

__all__ = ["ClientFeedback", "ClientNote"]


class ClientFeedback(Base):
    """One piece of client feedback: satisfaction 1–5 (None until the officer picks it) and the remarks."""

    __tablename__ = "client_feedback"
    __table_args__ = (
        Index("ix_client_feedback_client_created", "client_id", "created_at"),
        Index("ix_client_feedback_officer_created", "officer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"))
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"))
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    remarks: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClientNote(Base):
    """An entry on the client's timeline (a post-call memo), with what was read from it in ``data``."""

    __tablename__ = "client_notes"
    __table_args__ = (Index("ix_client_notes_client_created", "client_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"))
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"))
    kind: Mapped[str] = mapped_column(String(16), default="memo")
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
