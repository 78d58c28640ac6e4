"""Feedback loop: card outcomes (👍/👎/💬 under cards and answers), client feedback, client timeline notes.

Revision ID: 0009_feedback_loop
Revises: 0005_objections
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import skills.store.base as fm

revision = "0009_feedback_loop"
down_revision = "0005_objections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("team_key", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("card_id", sa.String(64), nullable=False),
        sa.Column("angle", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.Column("updated_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_card_outcomes_officer_id_officers"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_card_outcomes_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_card_outcomes"),
    )
    op.create_index("ix_card_outcomes_team_card", "card_outcomes", ["team_key", "card_id"])
    op.create_index("ix_card_outcomes_officer_created", "card_outcomes", ["officer_id", "created_at"])
    op.create_table(
        "client_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_feedback_client_id_clients"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_client_feedback_officer_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_client_feedback"),
    )
    op.create_index("ix_client_feedback_client_created", "client_feedback", ["client_id", "created_at"])
    op.create_index("ix_client_feedback_officer_created", "client_feedback", ["officer_id", "created_at"])
    op.create_table(
        "client_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", fm.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_notes_client_id_clients"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name="fk_client_notes_officer_id_officers"),
        sa.PrimaryKeyConstraint("id", name="pk_client_notes"),
    )
    op.create_index("ix_client_notes_client_created", "client_notes", ["client_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_client_notes_client_created", table_name="client_notes")
    op.drop_table("client_notes")
    op.drop_index("ix_client_feedback_officer_created", table_name="client_feedback")
    op.drop_index("ix_client_feedback_client_created", table_name="client_feedback")
    op.drop_table("client_feedback")
    op.drop_index("ix_card_outcomes_officer_created", table_name="card_outcomes")
    op.drop_index("ix_card_outcomes_team_card", table_name="card_outcomes")
    op.drop_table("card_outcomes")
