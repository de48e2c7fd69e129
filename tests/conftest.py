from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import session_guard
from storage import Database
from storage.migrate import upgrade
from tests.databases import throwaway_postgres


@pytest.fixture(autouse=True)
def no_bot_call_inside_a_session() -> Iterator[None]:
    """Every test fails if a Bot API call starts while its task has a database session open:
    on SQLite that call would hold every other chat's writes up (bot/session_guard.py)."""
    with session_guard.strict() as violations:
        yield
    assert not violations, f"Bot API calls made inside a database session: {violations}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def blank_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no schema yet: a real SQLite file, and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}"
        return
    async with throwaway_postgres() as url:
        yield url


@pytest.fixture
async def database_url(blank_database_url: str) -> str:
    """A migrated, empty database: a real SQLite file, and a real PostgreSQL database."""
    await upgrade(blank_database_url)
    return blank_database_url


@pytest.fixture
async def postgres_db_url() -> AsyncIterator[str]:
    """A migrated, empty PostgreSQL database alone, for what SQLite cannot do."""
    async with throwaway_postgres() as url:
        await upgrade(url)
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}"
