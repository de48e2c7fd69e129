"""The course on real databases: the dose log read as days, the weekly summary reminder and the
monthly checks, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler.checks import checks_of, set_check
from scheduler.course_series import load_progress
from scheduler.courses import (
    course_of,
    end_course,
    set_dose,
    set_summary,
    set_weight,
    start_course,
    summary_reminder,
)
from scheduler.cumulative import DoseDay
from scheduler.dose_days import dose_days
from scheduler.reminders import set_times, switch_kind_off
from storage import Database, models
from storage.users import Sighting, get_user, record_seen
from tests.seeding import first_delivery

BERLIN = ZoneInfo("Europe/Berlin")
USER = 77
# Wednesday 4 March 2026, 10:00 in Berlin (CET, UTC+1).
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def berlin(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=BERLIN).astimezone(UTC)


async def _user_with_two_daily_doses(db: Database) -> tuple[int, int]:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        user.timezone = "Europe/Berlin"
        (morning, evening), _ = await set_times(
            session, user, models.ReminderKind.DOSE, [time(8, 0), time(20, 0)], NOW
        )
        return morning.id, evening.id


def _delivery(
    reminder_id: int, occurrence: datetime, status: models.DeliveryStatus
) -> models.Delivery:
    return first_delivery(USER, reminder_id, occurrence, status, updated_at=NOW)


def _log(reminder_id: int, occurrence: datetime, outcome: models.Outcome) -> models.DoseLog:
    return models.DoseLog(
        user_id=USER,
        reminder_id=reminder_id,
        kind=models.ReminderKind.DOSE,
        occurrence=occurrence,
        local_date=occurrence.astimezone(BERLIN).date(),
        outcome=outcome,
        logged_at=NOW,
    )


async def test_dose_days_and_cumulative_from_the_log(db: Database) -> None:
    morning, evening = await _user_with_two_daily_doses(db)
    sent, cancelled = models.DeliveryStatus.SENT, models.DeliveryStatus.CANCELLED
    async with db.session() as session:
        session.add_all(
            [
                # 1 March: both taken. 2 March: one taken, one skipped.
                _delivery(morning, berlin(1, 8), sent),
                _delivery(evening, berlin(1, 20), sent),
                _delivery(morning, berlin(2, 8), sent),
                _delivery(evening, berlin(2, 20), sent),
                _log(morning, berlin(1, 8), models.Outcome.TAKEN),
                _log(evening, berlin(1, 20), models.Outcome.TAKEN),
                _log(morning, berlin(2, 8), models.Outcome.TAKEN),
                _log(evening, berlin(2, 20), models.Outcome.SKIPPED),
                # 3 March: the morning one was switched off before it went out, so that day
                # had one dose, and it was taken.
                _delivery(morning, berlin(3, 8), cancelled),
                _delivery(evening, berlin(3, 20), sent),
                _log(evening, berlin(3, 20), models.Outcome.TAKEN),
                # 4 March (today): the morning one taken, the evening one still to come.
                _delivery(morning, berlin(4, 8), sent),
                _log(morning, berlin(4, 8), models.Outcome.TAKEN),
                # Before the course: not counted.
                _delivery(morning, berlin(1, 8).replace(month=2, day=28), sent),
            ]
        )
    async with db.session() as session:
        days = await dose_days(session, USER, BERLIN, date(2026, 3, 1), NOW)
        # These answers recorded no share (as before migration 0006): each Taken is the day's mg
        # shared by the day's occurrences.
        assert days == [
            DoseDay(date(2026, 3, 1), 2, 2, 1.0),
            DoseDay(date(2026, 3, 2), 2, 1, 0.5),
            DoseDay(date(2026, 3, 3), 1, 1, 1.0),
            DoseDay(date(2026, 3, 4), 2, 1, 0.5),
        ]
        user = await get_user(session, USER)
        assert user is not None
        course = await start_course(session, user, date(2026, 3, 1), NOW)
        await set_dose(session, course, 40, date(2026, 3, 1), NOW)
        await set_weight(session, course, 60, date(2026, 3, 1), NOW)
        progress = await load_progress(session, user, course, NOW)
    # 40 + 20 + 40 + 20 = 120 mg; 120 / 60 kg = 2.0 mg/kg.
    assert progress.cumulative_mg == pytest.approx(120)
    assert progress.taken_doses == 5
    assert progress.mg_per_kg == pytest.approx(2.0)
    assert progress.day == 4


async def test_a_course_comes_with_the_weekly_summary_on_sunday_evening(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        user.timezone = "Europe/Berlin"
        await start_course(session, user, date(2026, 3, 1), NOW)
    async with db.session() as session:
        summary = await summary_reminder(session, USER)
        assert summary is not None and summary.enabled
        assert (summary.day_of_week, summary.local_time) == (6, "18:00")
        assert summary.next_fire_at == berlin(8, 18)  # Sunday 8 March, 18:00 CET


async def test_summary_switched_off_stays_off_when_the_course_changes(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        await start_course(session, user, date(2026, 3, 1), NOW)
        await set_summary(session, user, False, NOW)
        await start_course(session, user, date(2026, 3, 2), NOW)
    async with db.session() as session:
        summary = await summary_reminder(session, USER)
        assert summary is not None and not summary.enabled and summary.next_fire_at is None
        course = await course_of(session, USER)
        assert course is not None and course.start_date == date(2026, 3, 2)


async def test_without_a_timezone_the_summary_waits_unscheduled(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        await start_course(session, user, date(2026, 3, 1), NOW)
        summary = await summary_reminder(session, USER)
        assert summary is not None and summary.enabled and summary.next_fire_at is None


async def test_ending_the_course_stops_the_summary(db: Database) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        user.timezone = "Europe/Berlin"
        course = await start_course(session, user, date(2026, 3, 1), NOW)
        await end_course(session, user, course, NOW)
    async with db.session() as session:
        ended = await course_of(session, USER)
        assert ended is not None and ended.ended_at == NOW
        summary = await summary_reminder(session, USER)
        assert summary is not None and not summary.enabled and summary.next_fire_at is None


async def test_monthly_check_on_the_31st_is_scheduled_for_the_months_last_day(
    db: Database,
) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", NOW))
        user.timezone = "Europe/Berlin"
        await set_check(session, user, models.ReminderKind.LABS, 31, time(9, 0), NOW)
        # Changing it keeps one row for the kind.
        await set_check(session, user, models.ReminderKind.LABS, 30, time(9, 30), NOW)
        await set_check(session, user, models.ReminderKind.PREGNANCY_TEST, 1, time(8, 0), NOW)
    async with db.session() as session:
        checks = await checks_of(session, USER)
        labs, pregnancy = (
            checks[models.ReminderKind.LABS],
            checks[models.ReminderKind.PREGNANCY_TEST],
        )
        assert (labs.day_of_month, labs.local_time) == (30, "09:30")
        assert labs.next_fire_at == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # CEST by then
        assert pregnancy.next_fire_at == datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
        again = await get_user(session, USER)
        assert again is not None
        await switch_kind_off(session, again, models.ReminderKind.LABS, NOW)
    async with db.session() as session:
        labs_row = await session.get(models.Reminder, labs.id)
        assert labs_row is not None and not labs_row.enabled and labs_row.next_fire_at is None
