"""Objections: the objection log (cards shown, and the ones an officer logged against a client).

Revision ID: 0005_objections
Revises: 0001_foundation
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0005_objections"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "objection_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("objection_id", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.Column("logged_at", fm.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_objection_log_officer_id_officers"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_objection_log_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_objection_log"),
    )
    op.create_index("ix_objection_log_officer_logged", "objection_log", ["officer_id", "logged_at"])
    op.create_index("ix_objection_log_client", "objection_log", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_objection_log_client", table_name="objection_log")
    op.drop_index("ix_objection_log_officer_logged", table_name="objection_log")
    op.drop_table("objection_log")
