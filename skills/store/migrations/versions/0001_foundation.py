"""Foundation: officers, clients, outbox, conversations, audit log.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("quiet_start", sa.String(5), nullable=True),
        sa.Column("quiet_end", sa.String(5), nullable=True),
        sa.Column("manager_id", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["manager_id"], ["officers.id"], name="fk_officers_manager_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_officers"),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("tier_reason", sa.Text(), nullable=False),
        sa.Column("credit_limit", fm.Money(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("deals_count", sa.Integer(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_clients_officer_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
    )
    op.create_index("ix_clients_officer_id", "clients", ["officer_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=True),
        sa.Column("due_at", fm.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", fm.UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", fm.UTCDateTime(), nullable=True),
        sa.Column("sent_at", fm.UTCDateTime(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
    )
    op.create_index("ix_outbox_chat_id", "outbox", ["chat_id"])
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_at"])
    op.create_table(
        "conversations",
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("skill", sa.String(32), nullable=True),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.Column("expires_at", fm.UTCDateTime(), nullable=True),
        sa.Column("recent_client_id", sa.Integer(), nullable=True),
        sa.Column("recent_client_at", fm.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_conversations_officer_id_officers"),
        sa.PrimaryKeyConstraint("officer_id", name="pk_conversations"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", fm.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )


def downgrade() -> None:
    for table in ("audit_log", "conversations", "outbox", "clients", "officers"):
        op.drop_table(table)
