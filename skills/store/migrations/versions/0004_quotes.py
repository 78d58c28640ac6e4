"""Quotes: every computed quote, saved ones linked to a client.

Revision ID: 0004_quotes
Revises: 0001_foundation
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0004_quotes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("saved", sa.Boolean(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.Column("saved_at", fm.UTCDateTime(), nullable=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("face_value", fm.Money(), nullable=False),
        sa.Column("tenor_days", sa.Integer(), nullable=False),
        sa.Column("advance_rate", fm.Rate(), nullable=False),
        sa.Column("advance", fm.Money(), nullable=False),
        sa.Column("interest", fm.Money(), nullable=False),
        sa.Column("service_fee", fm.Money(), nullable=False),
        sa.Column("net_at_funding", fm.Money(), nullable=False),
        sa.Column("reserve", fm.Money(), nullable=False),
        sa.Column("reserve_released", fm.Money(), nullable=False),
        sa.Column("total_cost", fm.Money(), nullable=False),
        sa.Column("effective_annual_cost", fm.Rate(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("assumed", sa.JSON(), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_quotes_officer_id_officers"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_quotes_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
    )
    op.create_index("ix_quotes_officer_id", "quotes", ["officer_id"])
    op.create_index("ix_quotes_client_saved", "quotes", ["client_id", "saved", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_quotes_client_saved", table_name="quotes")
    op.drop_index("ix_quotes_officer_id", table_name="quotes")
    op.drop_table("quotes")
