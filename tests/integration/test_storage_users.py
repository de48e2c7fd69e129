from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from storage import Database
from storage.migrate import current_revision
from storage.models import User, UserStatus
from storage.users import (
    FLOW_FORGOTTEN_AFTER,
    WRITING_FORGOTTEN_AFTER,
    Sighting,
    get_user,
    record_seen,
    refresh_active,
    refresh_loaded,
    refresh_seen_many,
)
from tests.schema_versions import head
from tests.seeding import insert_rows, user_row

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


async def test_migrations_reach_head(database_url: str) -> None:
    assert await current_revision(database_url) == head()


async def test_first_contact_creates_active_user_without_timezone(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, Sighting.once(42, 42, "de", T0))
    async with db.session() as session:
        user = await get_user(session, 42)
    assert user is not None
    assert (user.chat_id, user.language, user.timezone, user.status) == (42, "de", "", "active")
    assert user.created_at == T0
    assert user.last_seen_at == T0


async def test_later_contact_refreshes_last_seen_and_keeps_created(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, Sighting.once(7, 7, "en", T0))
    later = T0 + timedelta(days=3, minutes=5)
    async with db.session() as session:
        await record_seen(session, Sighting.once(7, 7, "", later))
    async with db.session() as session:
        user = await get_user(session, 7)
    assert user is not None
    assert user.created_at == T0
    assert user.last_seen_at == later
    assert user.language == "en"


async def test_blocked_user_writing_again_is_active(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(9, 9, "en", T0))
        user.status = UserStatus.BLOCKED
    async with db.session() as session:
        await record_seen(session, Sighting.once(9, 9, "en", T0 + timedelta(hours=1)))
    async with db.session() as session:
        again = await get_user(session, 9)
    assert again is not None and again.status == UserStatus.ACTIVE


async def test_refresh_active_updates_a_known_active_user_in_place(db: Database) -> None:
    async with db.session() as session:
        await record_seen(session, Sighting.once(11, 11, "en", T0))
    later = T0 + timedelta(hours=2)
    assert await refresh_active(db, Sighting.once(11, 1100, "", later))
    assert await refresh_active(db, Sighting.once(11, 1100, "pt", later + timedelta(hours=1)))
    async with db.session() as session:
        user = await get_user(session, 11)
    assert user is not None
    assert (user.chat_id, user.language, user.status) == (1100, "pt", UserStatus.ACTIVE)
    assert user.last_seen_at == later + timedelta(hours=1)
    assert user.created_at == T0


async def test_refresh_active_leaves_new_and_blocked_users_to_the_full_path(db: Database) -> None:
    assert not await refresh_active(db, Sighting.once(12, 12, "en", T0))
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(13, 13, "en", T0))
        user.status = UserStatus.BLOCKED
    later = T0 + timedelta(hours=1)
    # A blocked user's return must reschedule their reminders, which this cannot do.
    assert not await refresh_active(db, Sighting.once(13, 13, "en", later))
    async with db.session() as session:
        assert await get_user(session, 12) is None
        blocked = await get_user(session, 13)
    assert blocked is not None
    assert (blocked.status, blocked.last_seen_at) == (UserStatus.BLOCKED, T0)


@pytest.mark.parametrize("blocked", [False, True], ids=["active", "blocked"])
async def test_a_guided_flow_is_forgotten_after_a_long_silence(db: Database, blocked: bool) -> None:
    async with db.session() as session:
        await record_seen(session, Sighting.once(14, 14, "en", T0))

    async def waiting_for(flow: str) -> None:
        async with db.session() as session:
            user = await get_user(session, 14)
            assert user is not None
            user.awaiting = flow
            if blocked:
                user.status = UserStatus.BLOCKED

    async def seen_at(at: datetime) -> str:
        if not await refresh_active(db, Sighting.once(14, 14, "en", at)):
            async with db.session() as session:
                await record_seen(session, Sighting.once(14, 14, "en", at))
        async with db.session() as session:
            user = await get_user(session, 14)
        assert user is not None
        return user.awaiting

    # The blocked user's return takes the full path, the active user's the one statement.
    await waiting_for("remind:dose")
    soon = T0 + FLOW_FORGOTTEN_AFTER - timedelta(seconds=1)
    assert await seen_at(soon) == "remind:dose"  # still answering the prompt
    assert await seen_at(soon + FLOW_FORGOTTEN_AFTER + timedelta(seconds=2)) == ""
    await waiting_for("course:dose")
    assert await seen_at(soon + 3 * FLOW_FORGOTTEN_AFTER) == ""
    # An admin's broadcast text takes longer to write: its wait outlasts the others'.
    await waiting_for("broadcast:7")
    later = soon + 3 * FLOW_FORGOTTEN_AFTER + timedelta(hours=23)
    assert await seen_at(later) == "broadcast:7"
    assert await seen_at(later + WRITING_FORGOTTEN_AFTER + timedelta(seconds=1)) == ""


async def test_refresh_active_counts_the_silence_up_to_the_first_unwritten_update(
    db: Database,
) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(15, 15, "en", T0))
        user.awaiting = "remind:dose"
    # A noted update 29 minutes after the prompt broke the silence; written only now, at 40.
    first = T0 + FLOW_FORGOTTEN_AFTER - timedelta(minutes=1)
    assert await refresh_active(db, Sighting(15, 15, "", first, T0 + timedelta(minutes=40)))
    async with db.session() as session:
        stored = await get_user(session, 15)
    assert stored is not None and stored.awaiting == "remind:dose"


async def _user_with_flow(db: Database, user_id: int, *, blocked: bool = False) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(user_id, user_id, "en", T0))
        user.awaiting = "remind:dose"
        if blocked:
            user.status = UserStatus.BLOCKED


async def test_refresh_loaded_returns_the_refreshed_user_and_none_for_anyone_else(
    db: Database,
) -> None:
    await _user_with_flow(db, 16)
    await _user_with_flow(db, 17, blocked=True)
    late = T0 + FLOW_FORGOTTEN_AFTER + timedelta(minutes=1)
    async with db.session() as session:
        user = await refresh_loaded(session, Sighting.once(16, 1600, "pt", late))
        assert user is not None
        assert (user.chat_id, user.language, user.last_seen_at, user.awaiting) == (
            1600,
            "pt",
            late,
            "",
        )
        assert await refresh_loaded(session, Sighting.once(17, 17, "en", late)) is None
        assert await refresh_loaded(session, Sighting.once(18, 18, "en", late)) is None
    async with db.session() as session:
        blocked = await get_user(session, 17)
    assert blocked is not None and blocked.last_seen_at == T0


async def test_refresh_loaded_brings_a_user_the_session_holds_up_to_date(db: Database) -> None:
    await _user_with_flow(db, 19)
    late = T0 + FLOW_FORGOTTEN_AFTER + timedelta(minutes=1)
    async with db.session() as session:
        held = await get_user(session, 19)
        assert held is not None and held.awaiting == "remind:dose"
        refreshed = await refresh_loaded(session, Sighting.once(19, 1900, "pt", late))
        assert refreshed is held
        assert (held.chat_id, held.language, held.last_seen_at, held.awaiting) == (
            1900,
            "pt",
            late,
            "",
        )


async def test_many_sightings_are_written_for_known_active_users_only(db: Database) -> None:
    for user_id in (21, 22, 23):
        await _user_with_flow(db, user_id, blocked=user_id == 23)
    soon = T0 + timedelta(minutes=5)
    sightings = [
        Sighting(21, 2100, "pt", soon, soon + timedelta(seconds=1)),
        Sighting(22, 22, "", soon, soon),  # no language sent: the known one stays
        Sighting(23, 23, "en", soon, soon),  # blocked: the full path's, so untouched here
        Sighting(24, 24, "en", soon, soon),  # new: likewise
    ]
    async with db.session() as session:
        others = await refresh_seen_many(session, sightings)
    assert [s.user_id for s in others] == [23, 24]
    async with db.session() as session:
        users = {u: await get_user(session, u) for u in (21, 22, 23, 24)}
    first, second, blocked, new = users.values()
    assert first is not None and second is not None and blocked is not None and new is None
    assert (first.chat_id, first.language, first.last_seen_at) == (
        2100,
        "pt",
        soon + timedelta(seconds=1),
    )
    assert (second.language, second.awaiting) == ("en", "remind:dose")
    assert (blocked.status, blocked.last_seen_at) == (UserStatus.BLOCKED, T0)


async def test_many_sightings_forget_a_flow_only_after_a_long_silence(db: Database) -> None:
    await _user_with_flow(db, 31)
    await _user_with_flow(db, 32)
    late = T0 + FLOW_FORGOTTEN_AFTER + timedelta(seconds=1)
    in_time = T0 + FLOW_FORGOTTEN_AFTER - timedelta(seconds=1)
    async with db.session() as session:
        await refresh_seen_many(
            session,
            [
                Sighting(31, 31, "en", late, late),
                # The first update came in time; the latest, later, does not count.
                Sighting(32, 32, "en", in_time, late + timedelta(minutes=5)),
            ],
        )
    async with db.session() as session:
        forgotten, kept = await get_user(session, 31), await get_user(session, 32)
    assert forgotten is not None and forgotten.awaiting == ""
    assert kept is not None and kept.awaiting == "remind:dose"


async def test_many_sightings_never_undo_a_later_write(db: Database) -> None:
    await _user_with_flow(db, 41)
    # An update of the user's own wrote at two hours (and kept the flow it had just started);
    # the write of an earlier noted sighting comes after it.
    later = T0 + timedelta(hours=2)
    assert await refresh_active(db, Sighting.once(41, 41, "en", later))
    async with db.session() as session:
        user = await get_user(session, 41)
        assert user is not None
        user.awaiting = "remind:sunscreen"
    noted = T0 + timedelta(hours=1)
    async with db.session() as session:
        await refresh_seen_many(session, [Sighting(41, 41, "en", noted, noted)])
    async with db.session() as session:
        user = await get_user(session, 41)
    assert user is not None
    assert (user.last_seen_at, user.awaiting) == (later, "remind:sunscreen")


async def test_many_sightings_go_past_one_statements_limit_on_parameters(db: Database) -> None:
    ids = range(1_000, 2_500)
    await insert_rows(db, (user_row(i, T0, timezone="") for i in ids))
    later = T0 + timedelta(minutes=5)
    sightings = [Sighting(i, i, "", later, later) for i in [*ids, 9_999]]
    async with db.session() as session:
        others = await refresh_seen_many(session, sightings)
    assert [s.user_id for s in others] == [9_999]
    async with db.session() as session:
        seen = await session.scalar(
            select(func.count()).select_from(User).where(User.last_seen_at == later)
        )
    assert seen == len(ids)


async def test_datetimes_come_back_aware_utc_from_any_zone(db: Database) -> None:
    kolkata = datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    async with db.session() as session:
        await record_seen(session, Sighting.once(5, 5, "en", kolkata))
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
