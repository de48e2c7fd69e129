"""A pause silences reminders; it does not change how many dose times a day has. On real SQLite
and PostgreSQL, with 60 mg a day at 08:00 and 20:00 in Berlin, a Taken on a day that a pause cut
in two counts half the day's mg, whenever the pause began or ended and whenever the answer came.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from scheduler.course_series import load_progress
from scheduler.courses import set_dose, set_weight, start_course
from scheduler.dispatcher import dispatch_due
from scheduler.dose_days import dose_days
from scheduler.doses import log_outcome
from scheduler.policy import Policy
from scheduler.reminders import set_paused, set_times, set_timezone
from storage import Database
from storage.models import Delivery, DeliveryStatus, Outcome, Purpose, ReminderKind
from storage.users import Sighting, get_user, record_seen

USER = 12
BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 3 March 2026, Berlin at UTC+1 with no clock change near.
TUESDAY = date(2026, 3, 3)
MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
EVENING = MORNING + timedelta(hours=12)


class Course:
    """One user's two dose reminders, ticked by the real dispatcher every ten minutes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.now = MORNING - timedelta(days=1, hours=2)

    async def start(self) -> None:
        async with self.db.session() as session:
            user = await record_seen(session, Sighting.once(USER, USER, "en", self.now))
            await set_timezone(session, user, BERLIN, self.now)
            await set_times(session, user, ReminderKind.DOSE, [time(8), time(20)], self.now)
            course = await start_course(session, user, TUESDAY, self.now)
            await set_dose(session, course, 60, TUESDAY, self.now)
            await set_weight(session, course, 60, TUESDAY, self.now)

    async def until(self, end: datetime) -> None:
        """Time passes: what falls due is queued and sent."""
        while self.now < end:
            self.now = min(end, self.now + timedelta(minutes=10))
            await dispatch_due(self.db, self.now, Policy())
            async with self.db.session() as session:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= self.now)
                    .values(status=DeliveryStatus.SENT, sent_at=self.now, updated_at=self.now)
                )

    async def pause(self, paused: bool) -> None:
        async with self.db.session() as session:
            user = await get_user(session, USER)
            assert user is not None
            await set_paused(session, user, paused, self.now)

    async def take(self, occurrence: datetime) -> None:
        """Taken, pressed now on the reminder for `occurrence`."""
        async with self.db.session() as session:
            delivery = await session.scalar(
                select(Delivery).where(
                    Delivery.purpose == Purpose.FIRST, Delivery.occurrence == occurrence
                )
            )
            assert delivery is not None and delivery.status == DeliveryStatus.SENT
            assert await log_outcome(session, delivery, Outcome.TAKEN, BERLIN, self.now)

    async def tuesday_mg(self) -> float:
        async with self.db.session() as session:
            user = await get_user(session, USER)
            assert user is not None
            days = await dose_days(session, USER, BERLIN, TUESDAY, self.now)
            assert days[0].local_date == TUESDAY and days[0].taken == 1
            course = await start_course(session, user, TUESDAY, self.now)
            progress = await load_progress(session, user, course, self.now)
        return progress.cumulative_mg


async def test_a_pause_through_the_morning_leaves_the_evening_dose_half_the_day(
    db: Database,
) -> None:
    course = Course(db)
    await course.start()
    await course.until(MORNING - timedelta(hours=1))
    await course.pause(True)
    await course.until(MORNING + timedelta(hours=2))
    await course.pause(False)
    await course.until(EVENING + timedelta(minutes=5))
    await course.take(EVENING)
    assert await course.tuesday_mg() == pytest.approx(30)


async def test_a_morning_dose_answered_during_a_pause_is_half_the_day(db: Database) -> None:
    course = Course(db)
    await course.start()
    await course.until(MORNING + timedelta(hours=2))
    await course.pause(True)
    await course.until(MORNING + timedelta(hours=3))
    await course.take(MORNING)
    await course.until(MORNING + timedelta(days=1, hours=2))
    await course.pause(False)
    assert await course.tuesday_mg() == pytest.approx(30)


async def test_a_morning_dose_answered_after_a_pause_through_the_evening_is_half_the_day(
    db: Database,
) -> None:
    course = Course(db)
    await course.start()
    await course.until(MORNING + timedelta(hours=2))
    await course.pause(True)
    await course.until(EVENING + timedelta(hours=1))
    await course.pause(False)
    await course.take(MORNING)
    assert await course.tuesday_mg() == pytest.approx(30)


async def test_a_pause_over_whole_days_owes_nothing_and_records_only_its_edges(
    db: Database,
) -> None:
    course = Course(db)
    await course.start()
    await course.until(MORNING + timedelta(hours=2))
    await course.take(MORNING)
    await course.pause(True)
    await course.until(MORNING + timedelta(days=3, hours=2))
    await course.pause(False)
    await course.until(EVENING + timedelta(days=3, minutes=5))
    async with db.session() as session:
        firsts = {
            d.occurrence: d.status
            for d in await session.scalars(
                select(Delivery).where(Delivery.purpose == Purpose.FIRST)
            )
        }
        days = await dose_days(session, USER, BERLIN, TUESDAY, course.now)
    # The silenced times of the pause's first and last days are on record, cancelled; the days
    # between, which no reminder reached, have no rows.
    assert {at for at, status in firsts.items() if status == DeliveryStatus.CANCELLED} == {
        EVENING,
        MORNING + timedelta(days=3),
    }
    assert {at for at, status in firsts.items() if status == DeliveryStatus.SENT} == {
        MORNING - timedelta(days=1),
        EVENING - timedelta(days=1),
        MORNING,
        EVENING + timedelta(days=3),
    }
    # Nothing silenced is owed: Tuesday had one dose to answer, Friday one.
    assert [(d.local_date, d.occurrences, d.taken) for d in days] == [
        (TUESDAY, 1, 1),
        (date(2026, 3, 6), 1, 0),
    ]
    assert await course.tuesday_mg() == pytest.approx(30)
