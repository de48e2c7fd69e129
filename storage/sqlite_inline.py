"""aiosqlite's connection, with the calls that cannot wait run in the event loop's own thread.

aiosqlite hands every call (make a cursor, execute, fetch, close it) to a worker thread and
waits for the answer: about 60 µs of CPU and a thread switch each, four of them per statement,
where SQLite itself answers a typical statement of this bot in 3–10 µs. Measured on a
`/remind`, the hand-overs were most of the command's cost (docs/benchmarks.md).

Only two calls can take long: `BEGIN IMMEDIATE`, which waits while another process writes (up
to the busy timeout), and `COMMIT`, when it checkpoints the WAL (copies it into the database
and syncs the disk; in WAL mode with synchronous=NORMAL a commit alone only appends to the WAL).

- `BEGIN IMMEDIATE` is first tried at once with the busy timeout off: the lock is free unless
  another process writes (this process's sessions take turns, storage/db.py), so it nearly
  always succeeds at once; when SQLite answers busy, it goes to the thread and waits there.
- `COMMIT` never checkpoints by itself here (wal_autocheckpoint off), so it runs at once; a
  connection's first commit after `CHECKPOINT_EVERY` seconds goes to the thread instead, with
  a passive checkpoint after it. The WAL then holds at most about a second of writes, where
  SQLite's own rule is 1000 pages; a checkpoint never waits for readers, as before.

Everything else runs inside a transaction this process already holds, so it never waits on a
lock: WAL readers do not block, and the write lock is ours. Measured on a `/remind` (`python -m
bench latency`), each hand-over spared was about a tenth of the command's own CPU.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite

from storage.private_files import prepare_sqlite_file

SLOW_STATEMENTS = ("BEGIN", "COMMIT", "VACUUM")
# How often a connection in use checkpoints the WAL, in seconds.
CHECKPOINT_EVERY = 1.0


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection; calls run at once unless they may wait on the disk or a lock."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], busy_timeout_ms: int) -> None:
        super().__init__(connector, iter_chunk_size=64)
        # Restored after each BEGIN tried at once; the connection's own setting (storage/db.py).
        self._busy_timeout = f"PRAGMA busy_timeout={int(busy_timeout_ms)}"
        self._checkpointed = time.monotonic()

    async def _connect(self) -> InlineConnection:
        # aiosqlite's own, but a connection that cannot be made waits for the worker thread's
        # last answer. Left to answer later, the thread dies with a traceback on stderr if the
        # loop has closed meanwhile: asyncio.run ending on this very error, a database that
        # cannot be opened at start-up, after the bot's one-sentence message.
        if self._connection is None:
            future = asyncio.get_running_loop().create_future()
            self._tx.put_nowait((future, self._connector))
            try:
                self._connection = await future
            except BaseException:
                stopped = self.stop()
                if stopped is not None:
                    await stopped
                raise
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        connection = self._connection
        if connection is None or not self._running:
            raise ValueError("Connection closed")
        if fn == connection.commit:
            now = time.monotonic()
            if now - self._checkpointed < CHECKPOINT_EVERY:
                return fn()
            self._checkpointed = now
            return await super()._execute(_commit_and_checkpoint, connection)
        sql = args[0] if args and isinstance(args[0], str) else ""
        head = sql.lstrip()[:6].upper()
        if head.startswith(SLOW_STATEMENTS):
            if head.startswith("BEGIN") and _began_at_once(
                connection, self._busy_timeout, fn, args, kwargs
            ):
                return None
            return await super()._execute(fn, *args, **kwargs)
        return fn(*args, **kwargs)


def _began_at_once(
    connection: sqlite3.Connection,
    busy_timeout: str,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> bool:
    """Run a BEGIN without waiting for another writer; False when one holds the database."""
    connection.execute("PRAGMA busy_timeout=0")
    try:
        fn(*args, **kwargs)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return False
        raise
    finally:
        connection.execute(busy_timeout)
    return True


def _commit_and_checkpoint(connection: sqlite3.Connection) -> None:
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").close()


def inline_creator(database: str, busy_timeout_ms: int) -> Callable[[], InlineConnection]:
    """An `async_creator` for SQLAlchemy's aiosqlite dialect; `busy_timeout_ms` is the busy
    timeout the connection is given (PRAGMA busy_timeout), restored after a BEGIN at once."""

    def create() -> InlineConnection:
        # Made in the worker thread, used in the loop's: hence check_same_thread off. The calls
        # never overlap: SQLAlchemy's adapter and the thread's queue order them.
        connection = InlineConnection(partial(_connect, database), busy_timeout_ms)
        connection._thread.daemon = True  # as SQLAlchemy sets it for aiosqlite's own
        return connection

    return create


def _connect(database: str) -> sqlite3.Connection:
    # Runs in the worker thread. The file is made private before SQLite first opens it, so no
    # byte of the database, nor of its -wal and -shm files, is ever readable by others.
    prepare_sqlite_file(database)
    connection = sqlite3.connect(database, check_same_thread=False)
    # Checkpoints run in this thread, from `InlineConnection`, never inside a commit made at once.
    connection.execute("PRAGMA wal_autocheckpoint=0").close()
    return connection
