"""Several upgrades at once on one empty database, as when instances start together: each waits
its turn, and the later ones find the schema at head."""

from __future__ import annotations

import asyncio

import pytest

from storage.migrate import upgrade
from tests.databases import throwaway_postgres
from tests.schema_versions import head, recorded_versions


async def three_upgrades_at_once(url: str) -> list[BaseException | None]:
    # One event loop: each upgrade's Alembic yields to the others at every round trip, so
    # unless something serialises them their statements interleave. Unserialised on PostgreSQL
    # they wait on each other for ever, hence the timeout (generous: it takes about a second).
    async with asyncio.timeout(60):
        return await asyncio.gather(*(upgrade(url) for _ in range(3)), return_exceptions=True)


@pytest.mark.postgres
async def test_three_upgrades_at_once_on_an_empty_postgres_database_all_succeed() -> None:
    async with throwaway_postgres() as url:
        assert await three_upgrades_at_once(url) == [None, None, None]
        assert await recorded_versions(url) == [head()]


async def test_three_upgrades_at_once_on_an_empty_sqlite_file_all_succeed(sqlite_url: str) -> None:
    assert await three_upgrades_at_once(sqlite_url) == [None, None, None]
    assert await recorded_versions(sqlite_url) == [head()]
