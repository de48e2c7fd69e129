"""users.awaiting: room for a warning sign's check-in and the guided flow it interrupted

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite keeps no length for VARCHAR, and rebuilding the users table there would cascade
    # to every table that refers to it: only PostgreSQL has a limit to widen.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "users",
            "awaiting",
            type_=sa.String(64),
            existing_type=sa.String(32),
            existing_nullable=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "users",
            "awaiting",
            type_=sa.String(32),
            existing_type=sa.String(64),
            existing_nullable=False,
            postgresql_using="left(awaiting, 32)",
        )
