"""Recording each call's outcome on real databases: sent with Telegram's id and a dose's
follow-up queued; a block stops the user's reminders; only a failure that proves nothing was
sent is retried (scheduler/recording.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from scheduler import claims, recording
from scheduler.policy import Policy
from scheduler.recording import Result
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, User, UserStatus
from tests.integration.test_claims import NOW, reminders_due

POLICY = Policy()
SENT_AT = NOW + timedelta(seconds=1)


async def claimed(db: Database, ids: list[int]) -> list[claims.Job]:
    async with db.session() as session:
        return await claims.claim(session, ids, NOW, POLICY, {})


async def record(db: Database, results: list[Result]) -> None:
    async with db.session() as session:
        await recording.record(session, results, SENT_AT, POLICY, max_attempts=5)


async def rows(db: Database) -> dict[int, Delivery]:
    async with db.session() as session:
        return {d.id: d for d in await session.scalars(select(Delivery))}


async def test_a_sent_dose_reminder_is_recorded_and_gets_its_follow_up(db: Database) -> None:
    ids = await reminders_due(db, range(1, 3), NOW)
    jobs = await claimed(db, ids)
    await record(db, [Result(job, 500 + job.delivery.id, None) for job in jobs])
    await record(db, [Result(job, 500 + job.delivery.id, None) for job in jobs])  # again
    found = await rows(db)
    for delivery_id in ids:
        sent = found.pop(delivery_id)
        assert (sent.status, sent.telegram_message_id) == (DeliveryStatus.SENT, 500 + delivery_id)
        assert sent.sent_at == NOW  # when the claim started it, not when it was recorded
    follow_ups = sorted(found.values(), key=lambda d: d.user_id)
    assert [(d.user_id, d.purpose, d.status) for d in follow_ups] == [
        (1, Purpose.FOLLOW_UP, DeliveryStatus.PENDING),
        (2, Purpose.FOLLOW_UP, DeliveryStatus.PENDING),
    ]
    assert {d.due_at for d in follow_ups} == {NOW + POLICY.follow_up_after}


async def test_a_block_stops_the_users_reminders_and_what_waits_for_them(db: Database) -> None:
    [blocked, waiting, other] = await reminders_due(db, range(1, 4), NOW)
    async with db.session() as session:
        second = await session.get(Delivery, waiting)
        assert second is not None
        second.user_id = second.chat_id = 1  # a second message waiting for the same user
    [job] = await claimed(db, [blocked])
    await record(db, [Result(job, None, Forbidden("Forbidden: bot was blocked by the user"))])
    found = await rows(db)
    assert found[blocked].status == DeliveryStatus.BLOCKED
    assert found[blocked].error == "Forbidden: bot was blocked by the user"
    assert found[waiting].status == DeliveryStatus.CANCELLED
    assert found[other].status == DeliveryStatus.PENDING
    async with db.session() as session:
        user = await session.get(User, 1)
        reminders = list(await session.scalars(select(Reminder).where(Reminder.user_id == 1)))
    assert user is not None and user.status == UserStatus.BLOCKED
    assert [r.next_fire_at for r in reminders] == [None]


async def test_only_failures_that_prove_nothing_was_sent_are_retried(db: Database) -> None:
    ids = await reminders_due(db, range(1, 5), NOW)
    outage, timeout, refused, too_many = await claimed(db, ids)
    await record(
        db,
        [
            Result(outage, None, NetworkError("Bad Gateway")),  # Telegram answered 5xx
            Result(timeout, None, TimedOut()),
            Result(refused, None, BadRequest("Chat not found")),
            Result(too_many, None, RetryAfter(3)),
        ],
    )
    found = await rows(db)
    retried = found[outage.delivery.id]
    # The first attempt failed: the next comes 2 s later.
    assert (retried.status, retried.due_at) == (
        DeliveryStatus.PENDING,
        SENT_AT + timedelta(seconds=2),
    )
    assert found[timeout.delivery.id].status == DeliveryStatus.UNCERTAIN
    assert found[refused.delivery.id].status == DeliveryStatus.FAILED
    again = found[too_many.delivery.id]
    assert (again.status, again.due_at) == (DeliveryStatus.PENDING, NOW)
    assert not [d for d in found.values() if d.purpose == Purpose.FOLLOW_UP]
