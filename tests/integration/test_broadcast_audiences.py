"""Who a broadcast reaches, and queueing it in bulk, on real databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from scheduler.broadcast import count_recipients, enqueue, progress, stop
from storage import Database, models
from tests.seeding import Row, draft_broadcast, reminder_row, user_row

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ADMIN = 900


def _user(
    user_id: int, status: models.UserStatus = models.UserStatus.ACTIVE, paused: bool = False
) -> Row:
    return user_row(
        user_id,
        NOW,
        timezone="Europe/Berlin",
        status=status,
        paused=paused,
        created_at=NOW - timedelta(days=90),
    )


def _reminder(user_id: int, enabled: bool = True) -> Row:
    return reminder_row(
        user_id,
        NOW,
        next_fire_at=None,
        local_time="08:00",
        timezone="Europe/Berlin",
        enabled=enabled,
    )


def _dose_delivery(user_id: int, days_ago: int) -> Row:
    at = NOW - timedelta(days=days_ago)
    return {
        "user_id": user_id,
        "chat_id": user_id,
        "reminder_id": None,
        "kind": models.ReminderKind.DOSE,
        "occurrence": at,
        "purpose": models.Purpose.FIRST,
        "priority": 0,
        "due_at": at,
        "status": models.DeliveryStatus.SENT,
        "late": False,
        "attempts": 1,
        "updated_at": at,
    }


async def population(db: Database) -> None:
    """1 in treatment, 2 paused, 3 finished 20 days ago, 4 finished 5 days ago, 5 never
    had a dose reminder, 6 blocked and in treatment, ADMIN."""
    async with db.session() as session:
        await session.execute(
            insert(models.User),
            [
                _user(1),
                _user(2, paused=True),
                _user(3),
                _user(4),
                _user(5),
                _user(6, status=models.UserStatus.BLOCKED),
                _user(ADMIN),
            ],
        )
        await session.execute(
            insert(models.Reminder),
            [_reminder(1), _reminder(2), _reminder(3, enabled=False), _reminder(6)],
        )
        await session.execute(
            insert(models.Delivery),
            [
                _dose_delivery(1, 1),
                _dose_delivery(3, 20),
                _dose_delivery(4, 5),
                _dose_delivery(2, 30),
            ],
        )


async def test_each_audience_reaches_the_right_users(db: Database) -> None:
    await population(db)
    async with db.session() as session:
        counts = {
            audience: await count_recipients(session, audience, NOW, {ADMIN})
            for audience in models.Audience
        }
    assert counts == {
        models.Audience.ALL: 6,  # everyone but the blocked user
        models.Audience.IN_TREATMENT: 1,  # user 1; paused user 2 is not reminded now
        models.Audience.AFTER_COURSE: 2,  # user 3 (20 days) and paused user 2 (30 days)
        models.Audience.ADMINS: 1,
    }


async def test_a_course_said_to_be_over_counts_as_after_the_course(db: Database) -> None:
    await population(db)
    async with db.session() as session:
        await session.execute(
            insert(models.Course),
            [
                {
                    "user_id": 1,
                    "start_date": date(2026, 1, 1),
                    "target_mg_per_kg": 120,
                    "ended_at": NOW - timedelta(days=1),
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
        )
    async with db.session() as session:
        after = await count_recipients(session, models.Audience.AFTER_COURSE, NOW, {ADMIN})
        during = await count_recipients(session, models.Audience.IN_TREATMENT, NOW, {ADMIN})
    assert (after, during) == (3, 0)


async def test_enqueue_writes_one_delivery_per_recipient_and_stop_cancels_the_rest(
    db: Database,
) -> None:
    await population(db)
    async with db.session() as session:
        broadcast = draft_broadcast(ADMIN, NOW)
        session.add(broadcast)
        await session.flush()
        total = await enqueue(session, broadcast, NOW, {ADMIN})
        broadcast_id = broadcast.id
    assert total == 6
    async with db.session() as session:
        rows = list(
            await session.scalars(
                select(models.Delivery).where(models.Delivery.broadcast_id == broadcast_id)
            )
        )
        assert {r.user_id for r in rows} == {1, 2, 3, 4, 5, ADMIN}
        assert all(r.status == models.DeliveryStatus.PENDING and r.due_at == NOW for r in rows)
        assert all(r.priority > 0 for r in rows)  # behind reminders
        loaded = await session.get(models.Broadcast, broadcast_id)
        assert loaded is not None and loaded.status == models.BroadcastStatus.SENDING
        assert await stop(session, loaded, NOW) == 6
        state = await progress(session, broadcast_id)
    assert (state.total, state.cancelled, state.pending, state.finished) == (6, 6, 0, True)
    async with db.session() as session:
        again = await session.scalar(select(func.count()).select_from(models.Delivery))
    assert again == 4 + 6
