"""/export holds every row about the user and nobody else's; /delete leaves none behind.

On a real SQLite file and a real PostgreSQL database.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from scheduler.checkin_reminder import set_weekly_checkin
from scheduler.checks import set_check
from scheduler.courses import set_dose, set_weight, start_course
from scheduler.reminders import set_times
from storage import Database
from storage.checkins import start_checkin
from storage.models import (
    Base,
    Broadcast,
    BroadcastStatus,
    DeliveryStatus,
    DoseLog,
    Outcome,
    ReminderKind,
    Severity,
)
from storage.personal_data import (
    SHARED_TABLES,
    erase_user,
    export_document,
    owner_column,
    personal_tables,
    rows_of,
)
from storage.users import Sighting, get_user, record_seen
from tests.seeding import first_delivery

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
ALICE, BOB = 501, 502


async def give_everything(db: Database, user_id: int) -> None:
    """A user with a row in every table: reminders, checks, a course, deliveries, the log."""
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(user_id, user_id, "en", NOW))
        user.timezone = "Europe/Berlin"
        [dose], _ = await set_times(session, user, ReminderKind.DOSE, [time(8, 0)], NOW)
        await set_check(session, user, ReminderKind.LABS, 31, time(9, 0), NOW)
        course = await start_course(session, user, date(2026, 3, 1), NOW)
        await set_dose(session, course, 40, date(2026, 3, 1), NOW)
        await set_weight(session, course, 68.5, date(2026, 3, 1), NOW)
        await set_weekly_checkin(session, user, 6, time(18, 0), NOW)
        checkin = await start_checkin(session, user_id, date(2026, 3, 20), NOW)
        checkin.phq_interest, checkin.phq_mood, checkin.headache = 1, 2, Severity.MILD
        occurrence = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
        session.add(
            first_delivery(user_id, dose.id, occurrence, DeliveryStatus.SENT, updated_at=NOW)
        )
        session.add(
            DoseLog(
                user_id=user_id,
                reminder_id=dose.id,
                kind=ReminderKind.DOSE,
                occurrence=occurrence,
                local_date=date(2026, 3, 20),
                outcome=Outcome.TAKEN,
                logged_at=NOW,
            )
        )
        session.add(
            Broadcast(
                admin_id=user_id,
                admin_chat_id=user_id,
                text_html="Hello all",
                status=BroadcastStatus.DRAFT,
                total=0,
                created_at=NOW,
                updated_at=NOW,
            )
        )


async def rows_per_table(db: Database, user_id: int) -> dict[str, int]:
    counts = {}
    async with db.session() as session:
        for table, column in personal_tables():
            query = select(func.count()).select_from(table).where(column == user_id)
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts


def test_every_table_is_either_personal_or_declared_shared() -> None:
    for table in Base.metadata.sorted_tables:
        assert owner_column(table) is not None or table.name in SHARED_TABLES, (
            f"table {table.name!r} has no owner column: name it in OWNER_COLUMNS or SHARED_TABLES"
        )


async def test_the_test_user_has_a_row_in_every_personal_table(db: Database) -> None:
    await give_everything(db, ALICE)
    counts = await rows_per_table(db, ALICE)
    assert all(count > 0 for count in counts.values()), counts
    assert {
        "users",
        "reminders",
        "deliveries",
        "dose_log",
        "courses",
        "course_doses",
        "course_weights",
        "broadcasts",
        "checkins",
    } <= set(counts)


async def test_export_is_valid_json_with_the_users_rows_and_nobody_elses(db: Database) -> None:
    await give_everything(db, ALICE)
    await give_everything(db, BOB)
    async with db.session() as session:
        rows = await rows_of(session, ALICE)
    document: dict[str, Any] = json.loads(export_document(ALICE, rows, NOW).decode("utf-8"))
    assert document["format"] == "isobot-export"
    assert document["user_id"] == ALICE
    tables = document["tables"]
    assert tables["users"] == [
        {**tables["users"][0], "id": ALICE, "timezone": "Europe/Berlin", "chat_id": ALICE}
    ]
    assert {r["kind"] for r in tables["reminders"]} == {"dose", "labs", "weekly_summary", "checkin"}
    [checkin] = tables["checkins"]
    assert (checkin["phq_interest"], checkin["phq_mood"], checkin["headache"]) == (1, 2, "mild")
    assert [r["day_of_month"] for r in tables["reminders"] if r["kind"] == "labs"] == [31]
    assert tables["courses"][0]["start_date"] == "2026-03-01"
    assert tables["course_doses"][0]["mg_per_day"] == 40
    assert tables["course_weights"][0]["kg"] == 68.5
    assert tables["dose_log"][0]["outcome"] == "taken"
    assert tables["deliveries"][0]["occurrence"] == "2026-03-20T07:00:00+00:00"
    assert tables["broadcasts"][0]["text_html"] == "Hello all"
    for name, found in tables.items():
        column = "id" if name == "users" else "admin_id" if name == "broadcasts" else "user_id"
        assert found, f"{name} is empty"
        assert {row[column] for row in found} == {ALICE}, name


async def test_erase_deletes_every_row_of_the_user_and_only_theirs(db: Database) -> None:
    await give_everything(db, ALICE)
    await give_everything(db, BOB)
    bob_before = await rows_per_table(db, BOB)
    async with db.session() as session:
        deleted = await erase_user(session, ALICE, NOW)
    assert deleted == sum(bob_before.values())
    assert set((await rows_per_table(db, ALICE)).values()) == {0}
    assert await rows_per_table(db, BOB) == bob_before


async def test_after_erasure_the_user_comes_back_as_new(db: Database) -> None:
    await give_everything(db, ALICE)
    async with db.session() as session:
        await erase_user(session, ALICE, NOW)
    later = NOW + timedelta(days=1)
    async with db.session() as session:
        await record_seen(session, Sighting.once(ALICE, ALICE, "en", later))
    async with db.session() as session:
        user = await get_user(session, ALICE)
        assert user is not None
        assert (user.created_at, user.timezone) == (later, "")
        rows = await rows_of(session, ALICE)
    assert {name for name, found in rows.items() if found} == {"users"}


async def test_erase_of_a_user_without_rows_deletes_nothing(db: Database) -> None:
    async with db.session() as session:
        assert await erase_user(session, 999, NOW) == 0
