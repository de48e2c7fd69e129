"""aiosqlite's connection, with the calls that cannot wait run in the event loop's own thread.

aiosqlite hands every call (make a cursor, execute, fetch, close it) to a worker thread and
waits for the answer: about 60 µs of CPU and a thread switch each, four of them per statement,
where SQLite itself answers a typical statement of this bot in 3–10 µs. Measured on a
`/remind`, the hand-overs were most of the command's cost (docs/benchmarks.md).

Only two calls can take long, and they still go to the thread: `BEGIN IMMEDIATE`, which waits
while another process writes (up to the busy timeout), and `COMMIT`, which may checkpoint the
WAL and sync the disk. Everything else runs inside a transaction this process already holds, so
it never waits on a lock: WAL readers do not block, and the write lock is ours.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite

from storage.private_files import prepare_sqlite_file

SLOW_STATEMENTS = ("BEGIN", "COMMIT", "VACUUM")


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection; calls run at once unless they may wait on the disk or a lock."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None or not self._running:
            raise ValueError("Connection closed")
        if _may_wait(self._connection, fn, args):
            return await super()._execute(fn, *args, **kwargs)
        return fn(*args, **kwargs)


def _may_wait(
    connection: sqlite3.Connection, fn: Callable[..., Any], args: tuple[Any, ...]
) -> bool:
    if fn == connection.commit:
        return True
    sql = args[0] if args else None
    return isinstance(sql, str) and sql.lstrip().upper().startswith(SLOW_STATEMENTS)


def inline_creator(database: str) -> Callable[[], InlineConnection]:
    """An `async_creator` for SQLAlchemy's aiosqlite dialect."""

    def create() -> InlineConnection:
        # Made in the worker thread, used in the loop's: hence check_same_thread off. The calls
        # never overlap: SQLAlchemy's adapter and the thread's queue order them.
        connection = InlineConnection(partial(_connect, database), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy sets it for aiosqlite's own
        return connection

    return create


def _connect(database: str) -> sqlite3.Connection:
    # Runs in the worker thread. The file is made private before SQLite first opens it, so no
    # byte of the database, nor of its -wal and -shm files, is ever readable by others.
    prepare_sqlite_file(database)
    return sqlite3.connect(database, check_same_thread=False)
