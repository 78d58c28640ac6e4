"""The ``quotes`` table: every computed quote (so buttons carry only its id), saved ones linked to a client."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, Money, Rate, UTCDateTime, utcnow

__all__ = ["Quote"]


class Quote(Base):
    """One priced deal. ``saved`` turns True when the officer presses "Save to client"."""

    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_client_saved", "client_id", "saved", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("officers.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True)
    saved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    face_value: Mapped[Decimal] = mapped_column(Money)
    tenor_days: Mapped[int] = mapped_column(Integer)
    advance_rate: Mapped[Decimal] = mapped_column(Rate)
    advance: Mapped[Decimal] = mapped_column(Money)
    interest: Mapped[Decimal] = mapped_column(Money)
    service_fee: Mapped[Decimal] = mapped_column(Money)
    net_at_funding: Mapped[Decimal] = mapped_column(Money)
    reserve: Mapped[Decimal] = mapped_column(Money)
    reserve_released: Mapped[Decimal] = mapped_column(Money)
    total_cost: Mapped[Decimal] = mapped_column(Money)
    effective_annual_cost: Mapped[Decimal] = mapped_column(Rate)
    # Every input (as strings, see QuoteTerms.as_dict), which terms were assumed, and the tier used.
    inputs: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    assumed: Mapped[list[str]] = mapped_column(JSONType, default=list)
    tier: Mapped[str] = mapped_column(String(16), default="")
