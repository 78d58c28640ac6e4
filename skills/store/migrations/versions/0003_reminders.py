"""Reminders: follow-ups by chat, one-off and recurring.

Revision ID: 0003_reminders
Revises: 0001_foundation
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0003_reminders"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", fm.UTCDateTime(), nullable=False),
        sa.Column("recurrence", sa.String(120), nullable=True),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("fired_count", sa.Integer(), nullable=False),
        sa.Column("last_fired_at", fm.UTCDateTime(), nullable=True),
        sa.Column("last_due_at", fm.UTCDateTime(), nullable=True),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_reminders_officer_id_officers"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_reminders_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
    )
    op.create_index("ix_reminders_officer_id", "reminders", ["officer_id"])
    op.create_index("ix_reminders_client_id", "reminders", ["client_id"])
    op.create_index("ix_reminders_due", "reminders", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_due", table_name="reminders")
    op.drop_index("ix_reminders_client_id", table_name="reminders")
    op.drop_index("ix_reminders_officer_id", table_name="reminders")
    op.drop_table("reminders")
