"""deliveries.local_time and .timezone: the reminder's wall time and zone when its occurrence was
dispatched; dose_log.share: the part of the day's dose an answered dose was

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: rows from before keep NULL, and are read with their reminder's time and zone,
    # and their day's share, as before.
    op.add_column("deliveries", sa.Column("local_time", sa.String(length=5), nullable=True))
    op.add_column("deliveries", sa.Column("timezone", sa.String(length=64), nullable=True))
    op.add_column("dose_log", sa.Column("share", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dose_log") as batch:
        batch.drop_column("share")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("timezone")
        batch.drop_column("local_time")
