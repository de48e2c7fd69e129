"""Answers to a reminder message whose reminder was deleted since: recorded once, on SQLite and
PostgreSQL, though no unique key covers them (their reminder id is NULL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scheduler.dispatcher import dispatch_due
from scheduler.doses import log_outcome
from scheduler.policy import Policy
from scheduler.reminders import delete_reminder, set_times, set_timezone
from storage import Database
from storage.models import Delivery, DoseLog, Outcome, ReminderKind
from storage.users import Sighting, get_user, record_seen
from storage.writes import answer_of

KOLKATA = ZoneInfo("Asia/Kolkata")
KOLKATA_0800 = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)
BEFORE = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


async def _sent_then_deleted(db: Database, user_id: int) -> int:
    """A user's 08:00 dose reminder, sent at 08:00 and then deleted; its delivery's id."""
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(user_id, user_id, "en", BEFORE))
        await set_timezone(session, user, KOLKATA, BEFORE)
        [reminder], _ = await set_times(session, user, ReminderKind.DOSE, [time(8, 0)], BEFORE)
        reminder_id = reminder.id
    await dispatch_due(db, KOLKATA_0800, Policy())
    async with db.session() as session:
        owner = await get_user(session, user_id)
        assert owner is not None
        assert await delete_reminder(session, owner, reminder_id, KOLKATA_0800)
    async with db.session() as session:
        delivery = await session.scalar(select(Delivery).where(Delivery.user_id == user_id))
        assert delivery is not None and delivery.reminder_id is None
        return delivery.id


async def test_two_answers_made_at_once_are_recorded_once(db: Database) -> None:
    """Two instances handle a double tap at once: the second waits for the first, then sees
    its answer, as a unique key would make it."""
    delivery_id = await _sent_then_deleted(db, 7)
    first_read = asyncio.Event()

    async def press(first: bool) -> Outcome | None:
        async with db.session() as session:
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None
            if not first:
                await first_read.wait()
            previous = await answer_of(session, delivery)
            if first:
                first_read.set()
                await asyncio.sleep(0.3)  # the second reads now, before this commits
            if previous is None:
                assert await log_outcome(session, delivery, Outcome.TAKEN, KOLKATA, KOLKATA_0800)
            return previous

    assert await asyncio.gather(press(True), press(False)) == [None, Outcome.TAKEN]
    async with db.session() as session:
        assert len((await session.scalars(select(DoseLog))).all()) == 1


async def test_another_users_answer_at_the_same_instant_is_not_theirs(db: Database) -> None:
    """Everyone's 08:00 in Kolkata is the same instant; one user's answer is no other's."""
    mine, theirs = await _sent_then_deleted(db, 7), await _sent_then_deleted(db, 8)
    async with db.session() as session:
        delivery = await session.get(Delivery, theirs)
        assert delivery is not None
        await log_outcome(session, delivery, Outcome.SKIPPED, KOLKATA, KOLKATA_0800)
    async with db.session() as session:
        delivery = await session.get(Delivery, mine)
        assert delivery is not None
        assert await answer_of(session, delivery) is None
