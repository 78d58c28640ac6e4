"""The objection log (every card shown is a row; "Log it" marks it logged) and the outcomes officers tap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, UTCDateTime

__all__ = ["CardOutcome", "ObjectionLog"]


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


class CardOutcome(Base):
    """What happened when the officer used a card's angle (or a playbook answer) on a call.

    ``verdict`` is ``worked`` (👍), ``failed`` (👎) or ``said`` (💬 only a remark). ``team_key`` is the officer's
    team (their manager's id; a manager's own id; 0 for officers without a manager) so the ranking reads one
    team's evidence with one indexed query. Tier and industry are the client's at the time of the call.
    """

    __tablename__ = "card_outcomes"
    __table_args__ = (
        Index("ix_card_outcomes_team_card", "team_key", "card_id"),
        Index("ix_card_outcomes_officer_created", "officer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"))
    team_key: Mapped[int] = mapped_column(BigInteger, default=0)
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True)
    tier: Mapped[str] = mapped_column(String(16), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    card_id: Mapped[str] = mapped_column(String(64))
    angle: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(8))
    remark: Mapped[str] = mapped_column(Text, default="")
    log_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
