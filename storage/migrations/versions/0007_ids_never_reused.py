"""ids never reused on SQLite: reminders, broadcasts, deliveries and check-ins become AUTOINCREMENT

Their ids go out to Telegram in button data and message texts, and a message outlives its row
(/delete erases it, a new /broadcast replaces the draft). Without AUTOINCREMENT, SQLite gives a
new row max(id) + 1, which is the id of the highest row just deleted, and an old button then acts
on the new row. PostgreSQL's sequences never reuse an id: nothing to do there.

SQLite cannot add AUTOINCREMENT to a table, so each is rebuilt (Alembic's batch mode: a copy with
the same columns, rows, indexes, constraints and foreign keys, then swapped in for the old). The
rebuild drops the old table, and with foreign keys enforced that drop would first delete its rows
and fire their ON DELETE actions: SET NULL on every delivery and dose of a reminder, CASCADE on
every delivery of a broadcast. So it runs only with enforcement off, as storage.migrate.upgrade
runs it, and refuses otherwise. Ids deleted before this migration may be given out once more; no
table remembers them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Parents first, though with foreign keys off the order does not matter.
TABLES = ("reminders", "broadcasts", "deliveries", "checkins")


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "migration 0007 rebuilds tables on SQLite and must run with foreign keys off, or "
            "dropping the old tables would null or delete the rows that refer to them: run "
            "`python -m bot migrate`, which turns them off for the upgrade"
        )
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass  # nothing to alter: leaving the block copies the table with its new options
