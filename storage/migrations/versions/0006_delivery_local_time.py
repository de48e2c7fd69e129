"""deliveries.local_time: the reminder's wall time when its occurrence was dispatched

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
    # Nullable: rows from before keep NULL, and their texts use their reminder's time as before.
    op.add_column("deliveries", sa.Column("local_time", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("local_time")
