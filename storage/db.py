"""The async engine and sessions, with the SQLite settings that make it safe under load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Executable, event, exc, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_

from storage.sqlite_inline import inline_creator

SQLITE_BUSY_TIMEOUT_MS = 10_000
# What a password in a URL becomes wherever the URL is shown (SQLAlchemy's own mask).
PASSWORD_MASK = "***"
# libpq's sslmode values, all of which asyncpg's `ssl` takes by the same names.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")

# The task that opened the innermost session still open in this context. The task, not a flag:
# a task created inside a session copies the context, yet holds no session of its own.
_session_owner: ContextVar[asyncio.Task[Any] | None] = ContextVar("session_owner", default=None)


def session_open() -> bool:
    """Whether the running task is inside `Database.session()`: nothing slow may run there, on
    SQLite least of all, where a session holds the process's one writer turn."""
    owner = _session_owner.get()
    return owner is not None and owner is asyncio.current_task()


def asyncpg_url(url: str) -> str:
    """`url` with libpq's `?sslmode=` given to asyncpg as `?ssl=`; any other URL as it is.

    Managed PostgreSQL hands out libpq URLs with `sslmode=require`, which pg_dump and psql need,
    while asyncpg takes an unknown `sslmode` as a keyword it refuses (a TypeError at connect) and
    libpq refuses `ssl`. asyncpg's `ssl` takes libpq's mode names (disable, allow, prefer,
    require, verify-ca, verify-full), so renaming it lets one URL serve the bot and the tools.
    ValueError for a mode that is none of them.
    """
    if "sslmode=" not in url:  # the common case, without parsing
        return url
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() != "asyncpg":
        return url
    mode = parsed.query.get("sslmode")
    if mode is None:
        return url
    last = mode if isinstance(mode, str) else mode[-1]
    if last not in SSL_MODES:
        raise ValueError(f"sslmode must be {', '.join(SSL_MODES[:-1])} or {SSL_MODES[-1]}")
    parsed = parsed.difference_update_query(["sslmode"])
    if "ssl" not in parsed.query:  # asyncpg's own, when both are given
        parsed = parsed.update_query_dict({"ssl": last})
    return parsed.render_as_string(hide_password=False)


def masked_url(url: str) -> str:
    """`url` as it may be shown to an operator or logged: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        # Not a URL SQLAlchemy can read; its scheme alone says enough, and hides what follows.
        return url.partition("://")[0] + "://..."


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite with WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE`.
    A libpq `sslmode` is read as asyncpg's `ssl` (asyncpg_url)."""
    url = asyncpg_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database or ":memory:"
        kwargs.setdefault("async_creator", inline_creator(database, SQLITE_BUSY_TIMEOUT_MS))
        engine = create_async_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(url, **kwargs)
    _ping_on_checkout(engine)
    return engine


def _ping_on_checkout(engine: AsyncEngine) -> None:
    """Test each connection as it leaves the pool, so a restarted server costs no failed update.

    SQLAlchemy's `pool_pre_ping` on asyncpg opens a transaction for the ping (for pgbouncer's
    transaction mode, not used here): three round trips on every checkout, about a sixth of a
    command's. The same check in one round trip, as SQLAlchemy documents for pool events.

    A connection taken inside `Database.session()` (`session_open()`) is checked with its own
    BEGIN instead: the adapter would send it before the first statement anyway, and a dead
    connection fails it just as it fails the ping, so a session costs one round trip less.
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        try:
            if session_open() and dbapi_connection.isolation_level != "autocommit":
                # SQLAlchemy's asyncpg adapter begins lazily, with this; once begun, it sends
                # no other BEGIN, and COMMIT or ROLLBACK end this transaction as theirs.
                await_(dbapi_connection._start_transaction())
            else:
                dbapi_connection.run_async(lambda connection: connection.fetchrow(";"))
        except Exception as error:
            # The pool drops this connection and checks out (or opens) another.
            raise exc.DisconnectionError() from error


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so that the "begin" hook below decides
        # how: a deferred BEGIN upgrades to a write lock mid-transaction and fails with "database is
        # locked" under concurrent writers.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # On the driver's cursor: `exec_driver_sql` cost about 40 µs more a session, all of it
        # SQLAlchemy's execution machinery (a /remind's session is about 1 ms).
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        finally:
            cursor.close()


class Database:
    """One engine and its session factory, shared by the whole process."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and every session here writes (`BEGIN IMMEDIATE`).
        # Queueing this process's sessions on a lock hands the database over the moment it is
        # free; left to SQLite, the waiting ones sleep in its busy handler (1, 2, 5, 10... ms).
        self._writer = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error.

        Read or write, let it close, and only then talk to Telegram: `session_open()` tells the
        Bot API transport (bot/session_guard.py) when a call would start inside one.
        """
        owner = _session_owner.set(asyncio.current_task())
        try:
            if self._writer is not None:
                # A session opened inside another would wait for ever; fail as SQLite's own
                # timeout would.
                async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
                    await self._writer.acquire()
            try:
                async with self.sessions() as session, session.begin():
                    yield session
            finally:
                if self._writer is not None:
                    self._writer.release()
        finally:
            _session_owner.reset(owner)

    async def execute_alone(
        self, statement: Executable, params: dict[str, Any] | None = None
    ) -> int:
        """One statement (with its bound `params`) as a transaction of its own; the rows it
        changed. On PostgreSQL it runs in autocommit, which spares the BEGIN and COMMIT round
        trips.
        """
        if self._writer is not None:
            async with self.session() as session:
                return int((await session.execute(statement, params)).rowcount)  # type: ignore[attr-defined]
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            return int((await connection.execute(statement, params)).rowcount)

    async def dispose(self) -> None:
        await self.engine.dispose()
