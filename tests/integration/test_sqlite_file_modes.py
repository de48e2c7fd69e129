"""The SQLite data at rest: a folder and files that only the bot's own user can read."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import Database
from storage.migrate import upgrade
from storage.models import User


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask, so only the code's own care can make the files private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("open_umask")
async def test_a_new_database_its_folders_and_wal_files_are_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "isobot" / "isobot.sqlite3"
    await upgrade(url(database))
    db = Database(url(database))
    try:
        async with db.session() as session:
            await session.execute(select(func.count()).select_from(User))
            # Inside a session the WAL files exist: SQLite made them beside the database.
            wal, shm = (database.with_name(database.name + s) for s in ("-wal", "-shm"))
            assert mode(wal) == 0o600
            assert mode(shm) == 0o600
    finally:
        await db.dispose()
    assert mode(tmp_path / "data") == 0o700
    assert mode(database.parent) == 0o700
    assert mode(database) == 0o600


async def test_an_existing_database_open_to_others_is_tightened(tmp_path: Path) -> None:
    database = tmp_path / "isobot.sqlite3"
    # As an earlier version left it: the database and a WAL (another process still has it
    # open, so the WAL stays) readable by every account.
    other = sqlite3.connect(database)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    wal = database.with_name(database.name + "-wal")
    for path in (database, wal):
        path.chmod(0o644)
    try:
        await upgrade(url(database))
        assert mode(database) == 0o600
        assert mode(wal) == 0o600
    finally:
        other.close()


@pytest.mark.usefixtures("open_umask")
async def test_an_existing_folder_keeps_the_mode_the_operator_gave_it(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o750)
    await upgrade(url(folder / "isobot.sqlite3"))
    assert mode(folder) == 0o750
    assert mode(folder / "isobot.sqlite3") == 0o600
