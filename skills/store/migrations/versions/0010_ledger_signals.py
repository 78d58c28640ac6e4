"""Ledger signals: credit notes (dilution), who received a payment (misdirected payments), the dates an invoice
first arrived with (re-dating), and indexes for the sweep's scans.

Revision ID: 0010_ledger_signals
Revises: 0002_portfolio
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0010_ledger_signals"
down_revision = "0002_portfolio"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("paid_to", sa.String(16), nullable=True))
        batch.add_column(sa.Column("original_issue_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("original_due_date", sa.Date(), nullable=True))
    op.create_index("ix_invoices_paid_to", "invoices", ["paid_to", "paid_date"])
    op.create_index("ix_invoices_original_issue", "invoices", ["original_issue_date"])
    op.create_index("ix_invoices_client_history", "invoices", ["client_id", "issue_date", "paid_date"])
    op.create_table(
        "credit_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("amount", fm.Money(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_credit_notes_client_id_clients"),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtors.id"], name="fk_credit_notes_debtor_id_debtors"),
        sa.PrimaryKeyConstraint("id", name="pk_credit_notes"),
        sa.UniqueConstraint("client_id", "number", name="uq_credit_notes_client_id_number"),
    )
    op.create_index("ix_credit_notes_client_issue", "credit_notes", ["client_id", "issue_date"])


def downgrade() -> None:
    op.drop_index("ix_credit_notes_client_issue", table_name="credit_notes")
    op.drop_table("credit_notes")
    op.drop_index("ix_invoices_client_history", table_name="invoices")
    op.drop_index("ix_invoices_original_issue", table_name="invoices")
    op.drop_index("ix_invoices_paid_to", table_name="invoices")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("original_due_date")
        batch.drop_column("original_issue_date")
        batch.drop_column("paid_to")
