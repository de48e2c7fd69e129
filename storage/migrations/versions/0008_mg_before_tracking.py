"""courses.mg_before_tracking: the mg taken before the user began logging doses with the bot

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, so existing courses need no value: NULL counts as nothing taken before.
    op.add_column("courses", sa.Column("mg_before_tracking", sa.Float(), nullable=True))


def downgrade() -> None:
    # Batch mode: SQLite before 3.35 cannot drop a column in place.
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("mg_before_tracking")
