"""PostgreSQL connections: checked as they leave the pool, and one statement without BEGIN."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from storage import Database
from storage.users import Sighting, get_user, record_seen

# The shared `db` fixture, on PostgreSQL only.
pytestmark = pytest.mark.parametrize(
    "blank_database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def test_a_connection_the_server_ended_is_replaced_without_a_failed_session(
    db: Database,
) -> None:
    async with db.session() as session:
        await session.execute(text("SELECT 1"))  # one connection now waits in the pool
    admin = create_async_engine(db.url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        ended = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await admin.dispose()
    assert ended >= 1
    async with db.session() as session:
        assert await session.scalar(text("SELECT 2")) == 2


async def test_execute_alone_runs_outside_a_transaction_and_leaves_sessions_transactional(
    db: Database,
) -> None:
    # VACUUM refuses to run inside a transaction block: this passes only without BEGIN.
    await db.execute_alone(text("VACUUM users"))
    async with db.session() as session:
        await record_seen(session, Sighting.once(6, 6, "en", T0))
    changed = await db.execute_alone(text("UPDATE users SET language = 'x' WHERE id = 6"))
    assert changed == 1

    # The connection went back to the pool transactional again: a failed session leaves nothing.
    async def fails_after_writing() -> None:
        async with db.session() as session:
            await record_seen(session, Sighting.once(5, 5, "en", T0))
            raise RuntimeError("undo")

    with pytest.raises(RuntimeError):
        await fails_after_writing()
    async with db.session() as session:
        assert await get_user(session, 5) is None
