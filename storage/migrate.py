"""Apply the Alembic migrations, from inside a running event loop or before one starts."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.advisory_lock import lock_key
from storage.db import PASSWORD_MASK, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Advisory locks are per database, so one fixed key serves every isobot database on a server.
MIGRATION_LOCK = lock_key("isobot migrations")

log = logging.getLogger("isobot.migrate")

# Start-up's patience with a database server that refuses or does not answer: each try may take
# this long, and the waits between tries double from the first up to the longest.
CONNECT_TRY_SECONDS = 10.0
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 8.0
# PostgreSQL's "the database system is starting up": a container a moment too early.
STARTING_UP = "57P03"
# A server not up yet: refused, no answer, reset, or its name not in DNS until it starts (a
# Compose service).
NOT_UP_YET = (TimeoutError, ConnectionRefusedError, ConnectionResetError, socket.gaierror)


class DatabaseUnavailable(Exception):
    """The database could not be connected to. `reason` is a short phrase with no password in
    it; `transient` says the server was not up (refused, no answer), tried for `waited` s."""

    def __init__(self, reason: str, *, transient: bool, waited: float, sqlite: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.waited = waited
        self.sqlite = sqlite


async def wait_for_database(url: str, patience: float) -> None:
    """Connect to the database at `url` once, to know it can be used before anything else runs.

    A server that refuses the connection or does not answer is tried again, the wait doubling,
    for `patience` seconds, each failure logged in one line; anything else (no such database or
    user, a SQLite folder that cannot be made) fails at once. DatabaseUnavailable either way.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    started = loop.time()
    failures = 0
    while True:
        engine = make_engine(url)
        try:
            async with asyncio.timeout(CONNECT_TRY_SECONDS), engine.connect():
                return
        except Exception as error:
            failures += 1
            reason, transient = explain_failure(error, url)
        finally:
            await engine.dispose()
        remaining = deadline - loop.time()
        if not transient or remaining <= 0:
            raise DatabaseUnavailable(
                reason,
                transient=transient,
                waited=loop.time() - started,
                sqlite=url.startswith("sqlite"),
            )
        wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - 1), MAX_WAIT_SECONDS, remaining)
        log.warning("The database cannot be reached yet (%s); trying again in %.1f s", reason, wait)
        await asyncio.sleep(wait)


def explain_failure(error: BaseException, url: str) -> tuple[str, bool]:
    """Why connecting failed, as a short phrase with no password in it, and whether trying again
    could help: only a PostgreSQL server that refused, did not answer or is starting up."""
    root = _innermost(error)
    postgres = not url.startswith("sqlite")
    transient = postgres and (
        isinstance(root, NOT_UP_YET)
        # Unreachable networks, and "Multiple exceptions" when every address of a name refused.
        or type(root) is OSError
        or getattr(root, "sqlstate", None) == STARTING_UP
    )
    if isinstance(root, TimeoutError):
        reason = f"no answer within {CONNECT_TRY_SECONDS:g} s"
    elif isinstance(root, ConnectionRefusedError) or "Connect call failed" in str(root):
        reason = "connection refused"
    elif isinstance(root, socket.gaierror):
        reason = f"host name not found: {root.strerror}"
    elif isinstance(root, OSError) and root.filename and not isinstance(root, ssl.SSLError):
        reason = f"{root.strerror}: {root.filename}"
    elif isinstance(root, OSError) and root.strerror:
        reason = root.strerror
    else:
        reason = str(root).strip() or type(root).__name__
    password = make_url(url).password
    if password:
        # Drivers do not quote the password today; nothing says one never will.
        reason = reason.replace(str(password), PASSWORD_MASK)
    return reason.splitlines()[0].rstrip("."), transient


def _innermost(error: BaseException) -> BaseException:
    """The driver's or the system's own error under SQLAlchemy's wrappers."""
    seen = {id(error)}
    while (inner := error.__cause__ or error.__context__) is not None and id(inner) not in seen:
        if isinstance(inner, asyncio.CancelledError):  # under asyncio.timeout's TimeoutError
            break
        seen.add(id(inner))
        error = inner
    return error


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

    On SQLite the upgrade runs with foreign keys off, as SQLite's own recipe for rebuilding a
    table says: a rebuild drops the old table, and with them on the drop would first delete its
    rows and fire every ON DELETE of the rows that refer to them (see migration 0007).
    """
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            postgres = connection.dialect.name == "postgresql"
            if connection.dialect.name == "sqlite":
                # Before the transaction: inside one SQLite ignores the pragma. No need to turn
                # them on again: this engine is disposed below, and its connection with it.
                await connection.run_sync(sqlite_foreign_keys_off)
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


def sqlite_foreign_keys_off(connection: Connection) -> None:
    """Turn foreign keys off on this connection, on the driver's cursor: a statement through
    SQLAlchemy would first open the transaction (storage/db.py's `BEGIN IMMEDIATE`)."""
    driver = connection.connection.dbapi_connection
    assert driver is not None  # only a closed or invalidated connection has none
    cursor = driver.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=OFF")
    finally:
        cursor.close()


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
