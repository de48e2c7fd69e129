"""Claiming deliveries on real databases: pending to sending once, ended instead when a reminder
must not go out, and rows left in `sending` never sent again (scheduler/claims.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from scheduler import claims
from scheduler.messages import Outgoing
from scheduler.policy import Policy
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, ReminderKind, User
from tests.seeding import add_users_with_reminders, draft_broadcast, first_delivery

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
POLICY = Policy()


async def reminders_due(db: Database, user_ids: range, due_at: datetime) -> list[int]:
    """Each user with a dose reminder whose first delivery is pending, due at `due_at`."""
    await add_users_with_reminders(
        db, user_ids, NOW - timedelta(days=1), next_fire_at=None, local_time="08:00"
    )
    async with db.session() as session:
        reminder_of = dict((await session.execute(select(Reminder.user_id, Reminder.id))).all())
        rows = [first_delivery(i, reminder_of[i], due_at) for i in user_ids]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def statuses(db: Database) -> dict[int, DeliveryStatus]:
    async with db.session() as session:
        return dict((await session.execute(select(Delivery.id, Delivery.status))).all())


async def claim(
    db: Database, ids: list[int], renderers: claims.Renderers | None = None
) -> list[claims.Job]:
    async with db.session() as session:
        return await claims.claim(session, ids, NOW, POLICY, renderers or {})


async def test_a_delivery_is_claimed_once_however_often_it_is_asked_for(db: Database) -> None:
    ids = await reminders_due(db, range(1, 4), NOW)
    jobs = await claim(db, ids)
    assert [job.delivery.id for job in jobs] == ids
    assert all("08:00 isotretinoin dose" in job.message.html for job in jobs)
    assert set((await statuses(db)).values()) == {DeliveryStatus.SENDING}
    assert await claim(db, ids) == []  # a second claim, as a second sender would make
    async with db.session() as session:
        attempts = list(await session.scalars(select(Delivery.attempts)))
    assert attempts == [1, 1, 1]


async def test_what_is_due_lists_reminders_before_broadcasts_and_nothing_early(
    db: Database,
) -> None:
    [early] = await reminders_due(db, range(1, 2), NOW - timedelta(minutes=1))
    [reminder] = await reminders_due(db, range(2, 3), NOW)
    [later] = await reminders_due(db, range(3, 4), NOW + timedelta(seconds=1))
    async with db.session() as session:
        broadcast = draft_broadcast(1, NOW)
        session.add(broadcast)
        await session.flush()
        older = Delivery(
            user_id=1,
            chat_id=1,
            broadcast_id=broadcast.id,
            purpose=Purpose.BROADCAST,
            priority=10,
            due_at=NOW - timedelta(hours=1),
            updated_at=NOW,
        )
        session.add(older)
        await session.flush()
        await session.execute(
            update(Delivery).where(Delivery.id == reminder).values(status=DeliveryStatus.SENT)
        )
    async with db.session() as session:
        due = await claims.due(session, NOW, 10)
    assert due == [(early, 1), (older.id, 1)]
    assert later not in {delivery_id for delivery_id, _ in due}


async def test_a_claim_ends_reminders_that_must_not_go_out(db: Database) -> None:
    [paused, stale, fine] = await reminders_due(db, range(1, 4), NOW)
    async with db.session() as session:
        await session.execute(update(User).where(User.id == 1).values(reminders_paused=True))
        await session.execute(
            update(Delivery)
            .where(Delivery.id == stale)
            .values(due_at=NOW - timedelta(hours=2, seconds=1))
        )
    jobs = await claim(db, [paused, stale, fine])
    assert [job.delivery.id for job in jobs] == [fine]
    assert await statuses(db) == {
        paused: DeliveryStatus.CANCELLED,
        stale: DeliveryStatus.MISSED,
        fine: DeliveryStatus.SENDING,
    }


async def test_a_first_reminder_sent_late_says_so(db: Database) -> None:
    [late] = await reminders_due(db, range(1, 2), NOW - timedelta(minutes=10))
    [job] = await claim(db, [late])
    assert "Late reminder" in job.message.html
    async with db.session() as session:
        assert await session.scalar(select(Delivery.late).where(Delivery.id == late)) is True


async def test_a_renderer_that_has_nothing_to_say_cancels_its_delivery(db: Database) -> None:
    [summary, message] = await reminders_due(db, range(1, 3), NOW)
    async with db.session() as session:
        await session.execute(
            update(Delivery).where(Delivery.id == summary).values(kind=ReminderKind.WEEKLY_SUMMARY)
        )
    seen: list[int] = []

    async def nothing_to_say(session: object, delivery: Delivery) -> Outgoing | None:
        seen.append(delivery.id)
        return None

    jobs = await claim(db, [summary, message], {ReminderKind.WEEKLY_SUMMARY: nothing_to_say})
    assert seen == [summary]
    assert [job.delivery.id for job in jobs] == [message]
    assert (await statuses(db))[summary] == DeliveryStatus.CANCELLED


async def test_rows_left_sending_by_a_crash_become_uncertain_and_are_never_claimed(
    db: Database,
) -> None:
    [in_flight, waiting] = await reminders_due(db, range(1, 3), NOW)
    await claim(db, [in_flight])
    async with db.session() as session:
        assert await claims.recover(session, NOW) == 1
    assert await statuses(db) == {
        in_flight: DeliveryStatus.UNCERTAIN,
        waiting: DeliveryStatus.PENDING,
    }
    assert [job.delivery.id for job in await claim(db, [in_flight, waiting])] == [waiting]
