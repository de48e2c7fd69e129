"""course tracking, and the day of monthly and weekly reminders

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

from storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _owned_by_user(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("day_of_month", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("day_of_week", sa.Integer(), nullable=True))
    op.create_table(
        "courses",
        *_owned_by_user("courses"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("target_mg_per_kg", sa.Integer(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", name=op.f("uq_courses_user_id")),
    )
    op.create_table(
        "course_doses",
        *_owned_by_user("course_doses"),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("mg_per_day", sa.Float(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint(
            "user_id", "effective_from", name=op.f("uq_course_doses_user_id_effective_from")
        ),
    )
    op.create_table(
        "course_weights",
        *_owned_by_user("course_weights"),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint(
            "user_id", "measured_on", name=op.f("uq_course_weights_user_id_measured_on")
        ),
    )


def downgrade() -> None:
    op.drop_table("course_weights")
    op.drop_table("course_doses")
    op.drop_table("courses")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("day_of_week")
        batch.drop_column("day_of_month")
