"""SQLite: statements in the loop's thread, waits in the worker's, writers in turn."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from storage import Database, sqlite_inline
from storage.db import SQLITE_BUSY_TIMEOUT_MS, make_engine
from storage.users import Sighting, record_seen

T0 = datetime(2026, 1, 1, tzinfo=UTC)


# The shared `db` fixture, on SQLite only; its file is tmp_path / "isobot.sqlite3".
pytestmark = pytest.mark.parametrize("blank_database_url", ["sqlite"], indirect=True)


def trace_threads(db: Database) -> list[tuple[str, bool]]:
    """Each statement the bot's connections run from now on: its first words, and whether it
    ran in the event loop's thread."""
    seen: list[tuple[str, bool]] = []
    loop_thread = threading.get_ident()

    @event.listens_for(db.engine.sync_engine, "connect")
    def _trace(dbapi_connection: Any, _record: Any) -> None:
        raw: sqlite3.Connection = dbapi_connection.driver_connection._conn
        raw.set_trace_callback(
            lambda sql: seen.append(
                (" ".join(sql.split()[:2]).upper(), threading.get_ident() == loop_thread)
            )
        )

    return seen


async def test_statements_begin_and_commit_run_in_the_loop_thread_when_nothing_waits(
    db: Database,
) -> None:
    seen = trace_threads(db)
    for _ in range(2):
        async with db.session() as session:
            await session.execute(text("SELECT count(*) FROM users"))
    assert {words for words, _ in seen} >= {"BEGIN IMMEDIATE", "SELECT COUNT(*)", "COMMIT"}
    assert all(in_loop for words, in_loop in seen if not words.startswith("PRAGMA"))
    async with db.session() as session:  # the BEGIN tried at once left the busy timeout as set
        assert await session.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
        # A commit made at once never checkpoints: that is left to the worker thread.
        assert await session.scalar(text("PRAGMA wal_autocheckpoint")) == 0


async def test_the_wal_is_checkpointed_in_the_worker_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "CHECKPOINT_EVERY", 0.0)  # every commit, not each second
    seen = trace_threads(db)
    async with db.session() as session:
        await record_seen(session, Sighting.once(1, 1, "en", T0))
    # The commit went to the worker, and the WAL was copied into the database there.
    assert ("COMMIT", False) in seen
    assert ("PRAGMA WAL_CHECKPOINT(PASSIVE)", False) in seen


async def test_another_process_writing_does_not_block_the_event_loop(
    db: Database, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "isobot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def write() -> None:
        async with db.session() as session:
            await session.execute(text("UPDATE users SET language = 'x' WHERE id = 0"))

    counting = asyncio.create_task(ticker())
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writing.done()  # waiting for the other writer, in the worker thread
    ticks_while_waiting = ticks
    other.execute("COMMIT")  # only reachable if the loop kept running
    await asyncio.wait_for(writing, timeout=5)
    counting.cancel()
    other.close()
    assert ticks_while_waiting >= 5
    async with db.session() as session:  # it waited with the busy timeout, and keeps it
        assert await session.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS


async def test_sessions_of_one_process_take_turns(db: Database) -> None:
    open_now = most = 0

    async def one(i: int) -> None:
        nonlocal open_now, most
        async with db.session() as session:
            open_now += 1
            most = max(most, open_now)
            await asyncio.sleep(0)
            await record_seen(session, Sighting.once(i, i, "en", T0))
            open_now -= 1

    await asyncio.gather(*(one(i) for i in range(1, 41)))
    async with db.session() as session:
        count = await session.scalar(text("SELECT count(*) FROM users"))
    assert (most, count) == (1, 40)


async def test_a_file_that_cannot_be_opened_leaves_no_worker_thread_behind(
    tmp_path: Path, blank_database_url: str
) -> None:
    # At start-up this error ends asyncio.run at once: a worker thread still running would
    # answer a closed loop and print a traceback after the bot's one-sentence message.
    (tmp_path / "data").write_text("a file where the folder should be")
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'isobot.sqlite3'}")
    before = set(threading.enumerate())
    try:
        with pytest.raises(NotADirectoryError):
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
