"""Alerts: risk alerts deduplicated by key among live rows, and ledgers waiting for Confirm import.

Revision ID: 0006_alerts
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0006_alerts"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("dedup_key", sa.String(96), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("first_seen", fm.UTCDateTime(), nullable=False),
        sa.Column("last_seen", fm.UTCDateTime(), nullable=False),
        sa.Column("snoozed_until", fm.UTCDateTime(), nullable=True),
        sa.Column("resolved_at", fm.UTCDateTime(), nullable=True),
        sa.Column("pushed_severity", sa.String(8), nullable=True),
        sa.Column("acknowledged_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_alerts_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
    )
    op.create_index(
        "uq_alerts_live_dedup_key",
        "alerts",
        ["dedup_key"],
        unique=True,
        sqlite_where=sa.text("state != 'resolved'"),
        postgresql_where=sa.text("state != 'resolved'"),
    )
    op.create_index("ix_alerts_client_state", "alerts", ["client_id", "state"])
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.Column("expires_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_pending_imports_officer_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_pending_imports"),
    )
    op.create_index("ix_pending_imports_officer_id", "pending_imports", ["officer_id"])


def downgrade() -> None:
    op.drop_table("pending_imports")
    op.drop_index("ix_alerts_client_state", table_name="alerts")
    op.drop_index("uq_alerts_live_dedup_key", table_name="alerts")
    op.drop_table("alerts")
