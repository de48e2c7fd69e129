"""Apply the Alembic migrations, from inside a running event loop or before one starts."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.advisory_lock import lock_key
from storage.db import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Advisory locks are per database, so one fixed key serves every isobot database on a server.
MIGRATION_LOCK = lock_key("isobot migrations")

log = logging.getLogger("isobot.migrate")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`.

    The async Alembic template calls asyncio.run(), which fails inside a running loop; handing
    Alembic a connection through run_sync works both before PTB's loop starts and inside it.

    Instances started together each upgrade at start-up. On PostgreSQL each first waits for the
    others (see _wait_for_other_upgrades), so one migrates and the rest find the schema at head.
    SQLite needs nothing: `BEGIN IMMEDIATE` (storage/db.py) already lets one writer in at a time.
    """
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                # A snapshot per statement, so that Alembic, once let in, sees what the previous
                # holder committed; REPEATABLE READ, should the server default to it, would take
                # its snapshot at the lock, before that commit.
                await connection.execution_options(isolation_level="READ COMMITTED")
            async with connection.begin():
                if postgres:
                    await _wait_for_other_upgrades(connection)
                await connection.run_sync(
                    lambda sync: command.upgrade(alembic_config(sync), revision)
                )
    finally:
        await engine.dispose()


async def _wait_for_other_upgrades(connection: AsyncConnection) -> None:
    """Take the migration lock for this transaction, waiting while another upgrade holds it.

    Unlocked, concurrent upgraders of an empty database each create alembic_version and all but
    one fail on PostgreSQL's catalog; in one process they would also share Alembic's module-level
    proxies, which are not safe to interleave. A transaction-level lock needs no unlock: the
    commit or rollback ends it, and a dead upgrader's connection takes it along.
    """
    key = {"key": MIGRATION_LOCK}
    if await connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), key):
        return
    log.info("Another instance is migrating the database; waiting for it to finish.")
    await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)


async def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()
