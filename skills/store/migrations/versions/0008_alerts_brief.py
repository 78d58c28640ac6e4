"""Alerts: worsening time, tier changes, morning-brief settings, financing applications with their SLA.

Revision ID: 0008_alerts_brief
Revises: 0006_alerts
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0008_alerts_brief"
down_revision = "0006_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("worsened_at", fm.UTCDateTime(), nullable=True))
    op.create_table(
        "tier_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("old", sa.String(16), nullable=False),
        sa.Column("new", sa.String(16), nullable=False),
        sa.Column("at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_tier_changes_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_tier_changes"),
    )
    op.create_index("ix_tier_changes_at", "tier_changes", ["at"])
    op.create_index("ix_tier_changes_client_id", "tier_changes", ["client_id"])
    op.create_table(
        "officer_briefs",
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("at", sa.String(5), nullable=True),
        sa.Column("last_brief_on", sa.Date(), nullable=True),
        sa.Column("last_brief_at", fm.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_officer_briefs_officer_id_officers"),
        sa.PrimaryKeyConstraint("officer_id", name="pk_officer_briefs"),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", fm.Money(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("received_at", fm.UTCDateTime(), nullable=False),
        sa.Column("feedback_due_at", fm.UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("answered_at", fm.UTCDateTime(), nullable=True),
        sa.Column("escalated_at", fm.UTCDateTime(), nullable=True),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_applications_client_id_clients"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_applications_officer_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
    )
    op.create_index("ix_applications_state_due", "applications", ["state", "feedback_due_at"])
    op.create_index("ix_applications_client_id", "applications", ["client_id"])
    op.create_index("ix_applications_officer_id", "applications", ["officer_id"])


def downgrade() -> None:
    op.drop_table("applications")
    op.drop_table("officer_briefs")
    op.drop_index("ix_tier_changes_client_id", table_name="tier_changes")
    op.drop_index("ix_tier_changes_at", table_name="tier_changes")
    op.drop_table("tier_changes")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("worsened_at")
