"""PostgreSQL: a session's connection is checked by its own BEGIN, any other one by a ping."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage import Database

# The shared `db` fixture, on PostgreSQL only.
pytestmark = pytest.mark.parametrize(
    "blank_database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def simple_queries(db: Database) -> list[str]:
    """The simple-protocol queries (BEGIN, COMMIT, the ping) of connections opened from now on."""
    seen: list[str] = []

    @event.listens_for(db.engine.sync_engine, "connect")
    def _log(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.driver_connection.add_query_logger(
            lambda record: seen.append(record.query)
        )

    return seen


async def test_a_session_begins_without_a_separate_ping(db: Database) -> None:
    await db.engine.dispose()  # connections opened from here on are logged
    seen = simple_queries(db)
    for _ in range(2):  # the second takes the first's connection from the pool
        async with db.session() as session:
            assert await session.scalar(text("SELECT 2")) == 2
    assert seen == ["BEGIN;", "COMMIT;"] * 2


async def test_a_statement_alone_is_pinged_and_survives_a_restarted_server(db: Database) -> None:
    await db.engine.dispose()
    seen = simple_queries(db)
    assert await db.execute_alone(text("SELECT 1")) == 1
    assert seen == [";"]
    admin = create_async_engine(db.url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await admin.dispose()
    assert await db.execute_alone(text("SELECT 1")) == 1
