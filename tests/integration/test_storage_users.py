from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from storage import Database
from storage.migrate import current_revision
from storage.models import User, UserStatus
from storage.users import FLOW_FORGOTTEN_AFTER, get_user, record_seen, refresh_active

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


async def test_migrations_reach_head(database_url: str) -> None:
    assert await current_revision(database_url) == "0004"


async def test_first_contact_creates_active_user_without_timezone(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, 42, 42, "de", T0)
    async with db.session() as session:
        user = await get_user(session, 42)
    assert user is not None
    assert (user.chat_id, user.language, user.timezone, user.status) == (42, "de", "", "active")
    assert user.created_at == T0
    assert user.last_seen_at == T0


async def test_later_contact_refreshes_last_seen_and_keeps_created(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, 7, 7, "en", T0)
    later = T0 + timedelta(days=3, minutes=5)
    async with db.session() as session:
        await record_seen(session, 7, 7, "", later)
    async with db.session() as session:
        user = await get_user(session, 7)
    assert user is not None
    assert user.created_at == T0
    assert user.last_seen_at == later
    assert user.language == "en"


async def test_blocked_user_writing_again_is_active(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, 9, 9, "en", T0)
        user.status = UserStatus.BLOCKED
    async with db.session() as session:
        await record_seen(session, 9, 9, "en", T0 + timedelta(hours=1))
    async with db.session() as session:
        user = await get_user(session, 9)
    assert user is not None and user.status == UserStatus.ACTIVE


async def test_refresh_active_updates_a_known_active_user_in_place(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, 11, 11, "en", T0)
    later = T0 + timedelta(hours=2)
    assert await refresh_active(db, 11, 1100, "", later)
    assert await refresh_active(db, 11, 1100, "pt", later + timedelta(hours=1))
    async with db.session() as session:
        user = await get_user(session, 11)
    assert user is not None
    assert (user.chat_id, user.language, user.status) == (1100, "pt", UserStatus.ACTIVE)
    assert user.last_seen_at == later + timedelta(hours=1)
    assert user.created_at == T0


async def test_refresh_active_leaves_new_and_blocked_users_to_the_full_path(db: Database) -> None:
    assert not await refresh_active(db, 12, 12, "en", T0)
    async with db.session() as session:
        user = await record_seen(session, 13, 13, "en", T0)
        user.status = UserStatus.BLOCKED
    later = T0 + timedelta(hours=1)
    # A blocked user's return must reschedule their reminders, which this cannot do.
    assert not await refresh_active(db, 13, 13, "en", later)
    async with db.session() as session:
        assert await get_user(session, 12) is None
        blocked = await get_user(session, 13)
    assert blocked is not None
    assert (blocked.status, blocked.last_seen_at) == (UserStatus.BLOCKED, T0)


@pytest.mark.parametrize("blocked", [False, True], ids=["active", "blocked"])
async def test_a_guided_flow_is_forgotten_after_a_long_silence(db: Database, blocked: bool) -> None:
    async with db.session() as session:
        user = await record_seen(session, 14, 14, "en", T0)
        user.awaiting = "remind:dose"
        if blocked:
            user.status = UserStatus.BLOCKED

    async def seen_at(at: datetime) -> str:
        if not await refresh_active(db, 14, 14, "en", at):
            async with db.session() as session:
                await record_seen(session, 14, 14, "en", at)
        async with db.session() as session:
            user = await get_user(session, 14)
        assert user is not None
        return user.awaiting

    # The blocked user's return takes the full path, the active user's the one statement.
    soon = T0 + FLOW_FORGOTTEN_AFTER - timedelta(seconds=1)
    assert await seen_at(soon) == "remind:dose"  # still answering the prompt
    assert await seen_at(soon + FLOW_FORGOTTEN_AFTER + timedelta(seconds=2)) == ""
    async with db.session() as session:
        user = await get_user(session, 14)
        assert user is not None
        user.awaiting = "course:dose"
        if blocked:
            user.status = UserStatus.BLOCKED
    assert await seen_at(soon + 3 * FLOW_FORGOTTEN_AFTER) == ""


async def test_datetimes_come_back_aware_utc_from_any_zone(db: Database) -> None:
    kolkata = datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    async with db.session() as session:
        await record_seen(session, 5, 5, "en", kolkata)
    async with db.session() as session:
        user = await get_user(session, 5)
    assert user is not None
    assert user.last_seen_at.tzinfo is not None
    assert user.last_seen_at.utcoffset() == timedelta(0)
    assert user.last_seen_at == datetime(2026, 1, 1, 2, 30, tzinfo=UTC)


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with db.session() as session:
            session.add(
                User(
                    id=1,
                    chat_id=1,
                    language="",
                    timezone="",
                    status=UserStatus.ACTIVE,
                    # Naive on purpose: the point of the test.
                    created_at=datetime(2026, 1, 1),
                    last_seen_at=datetime(2026, 1, 1),
                )
            )


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    try:
        async with database.engine.connect() as conn:
            journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
            busy = (await conn.execute(text("PRAGMA busy_timeout"))).scalar()
    finally:
        await database.dispose()
    assert (journal, keys) == ("wal", 1)
    assert busy is not None and busy >= 1000
