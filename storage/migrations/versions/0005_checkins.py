"""check-ins: the PHQ-2 mood screen and side effects

The weekly check-in reminder is a Reminder of kind "checkin": the kind column is a string, so it
needs no change here.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SIDE_EFFECTS = ("dry_lips_skin", "dry_eyes", "nosebleeds", "joint_back_pain", "headache", "sexual")


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("phq_interest", sa.Integer(), nullable=True),
        sa.Column("phq_mood", sa.Integer(), nullable=True),
        sa.Column("self_harm_thoughts", sa.Boolean(), nullable=True),
        *(sa.Column(name, sa.String(length=16), nullable=True) for name in SIDE_EFFECTS),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index("ix_checkins_user_id_started_at", "checkins", ["user_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_checkins_user_id_started_at", table_name="checkins")
    op.drop_table("checkins")
