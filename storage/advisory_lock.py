"""A PostgreSQL session-level advisory lock, held on a connection of its own.

A session lock belongs to the connection that took it and ends when that connection does, so it
must not live on a pooled connection that a later session could return, reuse or recycle. Here
it has a connection of its own, from an engine of its own with no pool, in autocommit so that it
never sits idle in a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger("isobot.lock")

# The server drops a client that stopped answering (a dead machine, a cut cable) after about
# idle + interval * count = 11 s instead of the kernel's default two hours, so a standby can
# take over within seconds. SET works through poolers that refuse unknown startup parameters.
_KEEPALIVES = (
    "SELECT set_config('tcp_keepalives_idle', '5', false),"
    " set_config('tcp_keepalives_interval', '2', false),"
    " set_config('tcp_keepalives_count', '3', false),"
    " set_config('application_name', 'isobot lock', false)"
)
# A bigint key shows in pg_locks as two oids, high and low 32 bits, with objsubid 1.
_STILL_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
    " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
    " AND classid::bigint = :high AND objid::bigint = :low)"
)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a name (the same in every process,
    unlike hash())."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class AdvisoryLock:
    """pg_try_advisory_lock(key) on a dedicated connection; lost when that connection is."""

    def __init__(self, url: str, key: int, *, timeout: float = 3.0) -> None:
        self.key = key
        # Bounds connecting and each check: a server that stops answering reads as a lost lock.
        self.timeout = timeout
        self._engine = create_async_engine(
            url, poolclass=NullPool, isolation_level="AUTOCOMMIT", connect_args={"timeout": timeout}
        )
        self._conn: AsyncConnection | None = None
        self.backend_pid: int | None = None  # the holding session, for pg_stat_activity

    async def acquire(self) -> bool:
        """Try once: True when this instance now holds the lock, False when another does or the
        database cannot be reached."""
        try:
            async with asyncio.timeout(self.timeout):
                if self._conn is None:
                    self._conn = await self._engine.connect()
                    await self._conn.execute(text(_KEEPALIVES))
                got = await self._conn.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                )
                if got:
                    self.backend_pid = await self._conn.scalar(text("SELECT pg_backend_pid()"))
        except Exception as error:  # unreachable, refused, timed out: not ours, try later
            log.debug("advisory lock: cannot reach the database (%s)", type(error).__name__)
            await self._discard()
            return False
        return bool(got)

    async def held(self) -> bool:
        """True while the dedicated connection answers and its session still holds the lock."""
        if self._conn is None:
            return False
        high, low = (self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF
        try:
            async with asyncio.timeout(self.timeout):
                still = await self._conn.scalar(_STILL_HELD, {"high": high, "low": low})
        except Exception as error:  # a closed, killed or silent connection: the lock is gone
            log.debug("advisory lock: connection lost (%s)", type(error).__name__)
            await self._discard()
            return False
        if not still:
            await self._discard()
        return bool(still)

    async def release(self) -> None:
        """Give the lock up by ending its session: the server drops a session's locks with it."""
        await self._discard()

    async def _discard(self) -> None:
        conn, self._conn, self.backend_pid = self._conn, None, None
        if conn is None:
            return
        # invalidate() closes the socket without a round trip, which a dead server would not answer.
        with contextlib.suppress(Exception):
            await conn.invalidate()
        with contextlib.suppress(Exception):
            await conn.close()

    async def dispose(self) -> None:
        await self.release()
        await self._engine.dispose()
