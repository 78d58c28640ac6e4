"""Portfolio: debtors, invoices, credit events.

Revision ID: 0002_portfolio
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0002_portfolio"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "debtors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("is_core", sa.Boolean(), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("rating", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_debtors"),
        sa.UniqueConstraint("name", name="uq_debtors_name"),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("amount", fm.Money(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("paid_amount", fm.Money(), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=True),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("advanced_amount", fm.Money(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_invoices_client_id_clients"),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtors.id"], name="fk_invoices_debtor_id_debtors"),
        sa.PrimaryKeyConstraint("id", name="pk_invoices"),
        sa.UniqueConstraint("client_id", "number", name="uq_invoices_client_id_number"),
    )
    op.create_index("ix_invoices_client_due", "invoices", ["client_id", "due_date"])
    op.create_index("ix_invoices_client_paid", "invoices", ["client_id", "paid_date"])
    op.create_index("ix_invoices_debtor_id", "invoices", ["debtor_id"])
    op.create_table(
        "credit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("debtor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_credit_events_client_id_clients"),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtors.id"], name="fk_credit_events_debtor_id_debtors"),
        sa.PrimaryKeyConstraint("id", name="pk_credit_events"),
    )
    op.create_index("ix_credit_events_on", "credit_events", ["on"])
    op.create_index("ix_credit_events_client_id", "credit_events", ["client_id"])
    op.create_index("ix_credit_events_debtor_id", "credit_events", ["debtor_id"])


def downgrade() -> None:
    op.drop_table("credit_events")
    op.drop_table("invoices")
    op.drop_table("debtors")
