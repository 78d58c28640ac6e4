"""Portfolio tables: debtors (the client's buyers), invoices (receivables) and credit events.

Clients are the core ``clients`` table (``skills.store.models.Client``); these tables point at it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from skills.store.base import Base, JSONType, Money, UTCDateTime, utcnow

__all__ = ["EVENT_KINDS", "PAID_TO", "CreditEvent", "CreditNote", "Debtor", "Invoice"]

EVENT_KINDS = (
    "bankruptcy_rumour",
    "negative_disclosure",
    "lawsuit",
    "rating_downgrade",
    "tax_default",  # 欠税
    "enforcement",  # 失信被执行人 / 限制高消费
    "equity_freeze",  # 股权冻结 / 股权出质
    "registry_abnormal",  # 经营异常名录
    "director_change",  # 法定代表人 / 董事变更
)

PAID_TO = ("factor", "client")  # who received the debtor's payment: the factor's collection account, or the client


class Debtor(Base):
    """A buyer who owes clients money; core enterprises (核心企业) anchor a supply chain."""

    __tablename__ = "debtors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    is_core: Mapped[bool] = mapped_column(Boolean, default=False)
    industry: Mapped[str] = mapped_column(String(100), default="")
    rating: Mapped[str] = mapped_column(String(16), default="")


class Invoice(Base):
    """One receivable: a client's invoice on a debtor. Identity is (client, invoice number)."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("client_id", "number", name="uq_invoices_client_id_number"),
        Index("ix_invoices_client_due", "client_id", "due_date"),
        Index("ix_invoices_client_paid", "client_id", "paid_date"),
        Index("ix_invoices_debtor_id", "debtor_id"),
        Index("ix_invoices_paid_to", "paid_to", "paid_date"),
        Index("ix_invoices_original_issue", "original_issue_date"),
        # covers the history GROUP BY (first issue, invoices, collections per client): an index-only scan
        Index("ix_invoices_client_history", "client_id", "issue_date", "paid_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"))
    debtor_id: Mapped[int] = mapped_column(Integer, ForeignKey("debtors.id"))
    number: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    paid_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    paid_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    advanced_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    paid_to: Mapped[str | None] = mapped_column(String(16), nullable=True)  # one of PAID_TO; None: not stated
    # The dates the invoice first arrived with, kept when a later import moves them (re-dating): None = never moved.
    original_issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    original_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class CreditNote(Base):
    """A credit note (贷项通知单 / 红字发票) a client issued to a debtor: it reduces what the debtor owes.

    Identity is (client, credit-note number); ``amount`` is positive (the size of the reduction)."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("client_id", "number", name="uq_credit_notes_client_id_number"),
        Index("ix_credit_notes_client_issue", "client_id", "issue_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"))
    debtor_id: Mapped[int] = mapped_column(Integer, ForeignKey("debtors.id"))
    number: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    issue_date: Mapped[date] = mapped_column(Date)


class CreditEvent(Base):
    """Credit news about a client or a debtor: bankruptcy rumour, negative disclosure, lawsuit, downgrade."""

    __tablename__ = "credit_events"
    __table_args__ = (Index("ix_credit_events_on", "on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True, index=True)
    debtor_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("debtors.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # one of EVENT_KINDS
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
