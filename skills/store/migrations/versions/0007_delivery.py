"""Delivery: unreachable officers, periodic-job leases, dispatcher state, an index for outbox retention.

Revision ID: 0007_delivery
Revises: 0001_foundation
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0007_delivery"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("unreachable_since", fm.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("unreachable_reason", sa.String(200), nullable=True))
    op.create_index("ix_outbox_sent", "outbox", ["state", "sent_at"])
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("last_run_at", fm.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_job_leases"),
    )
    op.create_table(
        "dispatcher_state",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("since", fm.UTCDateTime(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("updated_at", fm.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_dispatcher_state"),
    )


def downgrade() -> None:
    op.drop_table("dispatcher_state")
    op.drop_table("job_leases")
    op.drop_index("ix_outbox_sent", table_name="outbox")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("unreachable_reason")
        batch.drop_column("unreachable_since")
