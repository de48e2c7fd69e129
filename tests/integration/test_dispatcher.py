"""The dispatcher on real databases: claims, backlog, and concurrent loops on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from scheduler.dispatcher import dispatch_batch, dispatch_due, dispatch_user
from scheduler.policy import Policy
from scheduler.recurrence import next_fire, parse_hhmm
from storage import Database, models
from storage.migrate import upgrade
from tests.databases import throwaway_postgres

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = Policy()


async def add_users(db: Database, count: int, fire_at: datetime | None, start_id: int = 1) -> None:
    """`count` users with a dose reminder at 14:00 Berlin (12:00 UTC in June), due at `fire_at`."""
    users = [
        {
            "id": start_id + i,
            "chat_id": start_id + i,
            "language": "en",
            "timezone": "Europe/Berlin",
            "status": models.UserStatus.ACTIVE,
            "reminders_paused": False,
            "awaiting": "",
            "created_at": NOW,
            "last_seen_at": NOW,
        }
        for i in range(count)
    ]
    reminders = [
        {
            "user_id": u["id"],
            "kind": models.ReminderKind.DOSE,
            "local_time": "14:00",
            "timezone": "Europe/Berlin",
            "enabled": True,
            "next_fire_at": fire_at,
            "created_at": NOW,
        }
        for u in users
    ]
    async with db.session() as session:
        await session.execute(insert(models.User), users)
        await session.execute(insert(models.Reminder), reminders)


async def count_deliveries(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count(models.Delivery.id))) or 0)


async def test_only_due_reminders_are_dispatched_and_advanced(db: Database) -> None:
    await add_users(db, 3, NOW)
    await add_users(db, 2, NOW + timedelta(hours=1), start_id=100)
    result = await dispatch_due(db, NOW, POLICY)
    assert (result.claimed, result.queued, result.missed) == (3, 3, 0)
    async with db.session() as session:
        reminders = list(
            await session.scalars(select(models.Reminder).order_by(models.Reminder.user_id))
        )
    expected_next = next_fire(parse_hhmm("14:00"), ZoneInfo("Europe/Berlin"), NOW)
    assert [r.next_fire_at for r in reminders[:3]] == [expected_next] * 3
    assert all(r.next_fire_at == NOW + timedelta(hours=1) for r in reminders[3:])


async def test_dispatching_twice_at_the_same_instant_writes_nothing_more(db: Database) -> None:
    await add_users(db, 5, NOW)
    await dispatch_due(db, NOW, POLICY)
    again = await dispatch_due(db, NOW, POLICY)
    assert again.claimed == 0
    assert await count_deliveries(db) == 5


async def test_outage_backlog_is_missed_and_the_latest_within_grace_is_sent(db: Database) -> None:
    # Down for three days: the reminder was due at 14:00 Berlin on each of them.
    first_missed = datetime(2026, 5, 29, 12, 0, tzinfo=UTC)
    await add_users(db, 1, first_missed)
    now = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)  # one hour after today's 14:00 CEST
    result = await dispatch_due(db, now, POLICY)
    assert (result.queued, result.missed) == (1, 3)
    async with db.session() as session:
        rows = list(
            await session.scalars(select(models.Delivery).order_by(models.Delivery.occurrence))
        )
    assert [r.status for r in rows] == [models.DeliveryStatus.MISSED] * 3 + [
        models.DeliveryStatus.PENDING
    ]
    assert rows[-1].late is True


async def test_blocked_and_paused_users_are_not_dispatched(db: Database) -> None:
    await add_users(db, 2, NOW)
    async with db.session() as session:
        blocked = await session.get(models.User, 1)
        assert blocked is not None
        blocked.status = models.UserStatus.BLOCKED
    result = await dispatch_due(db, NOW, POLICY)
    assert result.claimed == 1


async def test_monthly_and_weekly_reminders_move_to_their_own_next_day(db: Database) -> None:
    await add_users(db, 1, None)
    # Monday 1 June 2026, 14:00 in Berlin: a check on the 1st and a summary on Mondays fall due.
    async with db.session() as session:
        await session.execute(
            insert(models.Reminder),
            [
                {
                    "user_id": 1,
                    "kind": kind,
                    "local_time": "14:00",
                    "timezone": "Europe/Berlin",
                    "day_of_month": day_of_month,
                    "day_of_week": day_of_week,
                    "enabled": True,
                    "next_fire_at": NOW,
                    "created_at": NOW,
                }
                for kind, day_of_month, day_of_week in [
                    (models.ReminderKind.LABS, 1, None),
                    (models.ReminderKind.WEEKLY_SUMMARY, None, 0),
                ]
            ],
        )
    result = await dispatch_due(db, NOW, POLICY)
    assert (result.claimed, result.queued) == (2, 2)
    async with db.session() as session:
        moved = dict(
            (
                await session.execute(select(models.Reminder.kind, models.Reminder.next_fire_at))
            ).all()
        )
    assert moved[models.ReminderKind.LABS] == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert moved[models.ReminderKind.WEEKLY_SUMMARY] == datetime(2026, 6, 8, 12, 0, tzinfo=UTC)


async def test_the_tick_stores_deliveries_exactly_as_the_orm_would(db: Database) -> None:
    # The tick writes without the ORM (and on SQLite converts the values itself); every reader
    # compares stored times, so they must be stored in the very same form.
    await add_users(db, 2, NOW)
    await dispatch_due(db, NOW, POLICY)
    async with db.session() as session:
        by_orm = models.Delivery(
            user_id=2,
            chat_id=2,
            reminder_id=None,
            kind=models.ReminderKind.DOSE,
            occurrence=NOW,
            purpose=models.Purpose.SNOOZE,
            priority=0,
            due_at=NOW,
            status=models.DeliveryStatus.PENDING,
            late=False,
            attempts=0,
            updated_at=NOW,
        )
        session.add(by_orm)
    columns = "kind, occurrence, purpose, priority, due_at, status, late, attempts, updated_at"
    async with db.engine.connect() as conn:
        raw = (
            await conn.exec_driver_sql(f"SELECT purpose, {columns} FROM deliveries ORDER BY id")
        ).all()
    by_tick = [row[1:] for row in raw if row[0] == "first"]
    assert len(by_tick) == 2
    [orm_row] = [row[1:] for row in raw if row[0] == "snooze"]
    for tick_row in by_tick:
        # purpose aside, which differs on purpose.
        assert tick_row[:2] + tick_row[3:] == orm_row[:2] + orm_row[3:]


async def test_a_users_change_queues_their_backlog_pending_for_the_sender_to_judge(
    db: Database,
) -> None:
    """What a change finds due is queued first, as the tick would, but the grace and the late
    mark are left to the sender: the change may cancel what is pending (docs/reliability.md)."""
    await add_users(db, 2, NOW - timedelta(days=2))  # two days past the dose's grace
    async with db.session() as session:
        loaded = await session.scalar(select(models.Reminder).where(models.Reminder.user_id == 1))
        assert loaded is not None
        await dispatch_user(session, 1, NOW)
        # The reminder the change already holds knows where it moved.
        expected_next = next_fire(parse_hhmm("14:00"), ZoneInfo("Europe/Berlin"), NOW)
        assert loaded.next_fire_at == expected_next
    async with db.session() as session:
        queued = list(
            await session.scalars(select(models.Delivery).order_by(models.Delivery.occurrence))
        )
        untouched = await session.scalar(
            select(models.Reminder).where(models.Reminder.user_id == 2)
        )
    assert [(d.user_id, d.status, d.late) for d in queued] == [
        (1, models.DeliveryStatus.PENDING, False)
    ] * 3
    assert [d.occurrence for d in queued] == [NOW - timedelta(days=2 - n) for n in range(3)]
    assert untouched is not None
    assert untouched.next_fire_at == NOW - timedelta(days=2)


async def test_a_users_change_with_nothing_due_writes_nothing(db: Database) -> None:
    await add_users(db, 1, NOW + timedelta(minutes=1))
    async with db.session() as session:
        await dispatch_user(session, 1, NOW)
    assert await count_deliveries(db) == 0


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with throwaway_postgres() as url:
        await upgrade(url)
        yield url


@pytest.mark.postgres
async def test_two_dispatchers_share_due_reminders_each_exactly_once(postgres_url: str) -> None:
    setup = Database(postgres_url)
    await add_users(setup, 1000, NOW)
    await setup.dispose()
    # Two engines, as two processes would have; small batches so the loops interleave.
    first, second = Database(postgres_url), Database(postgres_url)
    claimed: dict[str, int] = {"first": 0, "second": 0}

    async def loop(name: str, db: Database) -> None:
        while True:
            async with db.session() as session:
                result = await dispatch_batch(session, NOW, POLICY, batch=25)
                # Hold the lock a moment, as a slow transaction would, so the other loop must skip.
                await asyncio.sleep(0.005)
            claimed[name] += result.claimed
            if result.claimed == 0:
                return

    await asyncio.gather(loop("first", first), loop("second", second))
    assert sum(claimed.values()) == 1000
    assert min(claimed.values()) > 0, claimed
    async with first.session() as session:
        per_reminder = (
            await session.execute(
                select(models.Delivery.reminder_id, func.count()).group_by(
                    models.Delivery.reminder_id
                )
            )
        ).all()
    await first.dispose()
    await second.dispose()
    assert len(per_reminder) == 1000
    assert {count for _, count in per_reminder} == {1}
