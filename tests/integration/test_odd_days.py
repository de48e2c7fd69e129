"""Days that are not 24 hours, on real databases: a spring gap across midnight (America/Nuuk,
30 March 2024) and a skipped date (Pacific/Apia, 30 December 2011). Each local date keeps its one
dose in the dose days, the cumulative mg/kg and /history's records."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from scheduler.course_series import load_progress
from scheduler.courses import set_dose, set_weight, start_course
from scheduler.dispatcher import dispatch_due
from scheduler.dose_days import dose_days
from scheduler.doses import dose_records, log_outcome
from scheduler.policy import Policy
from scheduler.recurrence import occurrence_day
from scheduler.reminders import set_times, set_timezone
from storage import Database
from storage.models import Delivery, DeliveryStatus, DoseLog, Outcome, Purpose, ReminderKind
from storage.users import Sighting, get_user, record_seen

USER = 9
NUUK, APIA = ZoneInfo("America/Nuuk"), ZoneInfo("Pacific/Apia")


async def take_every_dose(
    db: Database, zone: ZoneInfo, times: list[time], start: datetime, end: datetime
) -> None:
    """A user in `zone` with dose reminders at `times`, every one sent and taken, hour by hour."""
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", start))
        await set_timezone(session, user, zone, start)
        await set_times(session, user, ReminderKind.DOSE, times, start)
    at = start
    while at <= end:
        await dispatch_due(db, at, Policy())
        async with db.session() as session:
            due = await session.scalars(
                select(Delivery).where(Delivery.status == DeliveryStatus.PENDING)
            )
            for delivery in due:
                delivery.status = DeliveryStatus.SENT
                await log_outcome(session, delivery, Outcome.TAKEN, zone, at)
        at += timedelta(hours=1)


async def progress_over(db: Database, zone: ZoneInfo, first: date, now: datetime) -> tuple:
    async with db.session() as session:
        user = await get_user(session, USER)
        assert user is not None
        course = await start_course(session, user, first, now)
        await set_dose(session, course, 60, first, now)
        await set_weight(session, course, 60, first, now)
        days = await dose_days(session, USER, zone, first, now)
        progress = await load_progress(session, user, course, now)
        records = await dose_records(session, USER, zone, now, 10)
    return days, progress, records


async def test_a_gap_across_midnight_keeps_one_dose_a_date(db: Database) -> None:
    # 23:30 on 30 March 2024 does not happen in Nuuk: it fires at 00:00 on the 31st.
    start = datetime(2024, 3, 28, 12, 0, tzinfo=UTC)
    end = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)
    await take_every_dose(db, NUUK, [time(23, 30)], start, end)
    async with db.session() as session:
        logged = {log.local_date for log in await session.scalars(select(DoseLog))}
    assert logged == {date(2024, 3, 28), date(2024, 3, 29), date(2024, 3, 30), date(2024, 3, 31)}
    days, progress, records = await progress_over(db, NUUK, date(2024, 3, 28), end)
    assert [(d.local_date, d.occurrences, d.taken) for d in days] == [
        (date(2024, 3, 28), 1, 1),
        (date(2024, 3, 29), 1, 1),
        (date(2024, 3, 30), 1, 1),
        (date(2024, 3, 31), 1, 1),
        (date(2024, 4, 1), 1, 0),  # today's, still to come
    ]
    # Four days of 60 mg at 60 kg.
    assert progress.cumulative_mg == pytest.approx(240)
    assert progress.mg_per_kg == pytest.approx(4.0)
    assert sorted(r.local_date for r in records) == [
        date(2024, 3, 28),
        date(2024, 3, 29),
        date(2024, 3, 30),
        date(2024, 3, 31),
    ]


async def test_two_reminders_inside_one_gap_both_go_out(db: Database) -> None:
    start = datetime(2024, 3, 30, 12, 0, tzinfo=UTC)
    end = datetime(2024, 3, 31, 6, 0, tzinfo=UTC)
    await take_every_dose(db, NUUK, [time(23, 15), time(23, 45)], start, end)
    async with db.session() as session:
        firsts = list(
            await session.scalars(select(Delivery).where(Delivery.purpose == Purpose.FIRST))
        )
    landing = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert sorted((d.occurrence, d.status) for d in firsts) == [
        (landing, DeliveryStatus.SENT),
        (landing, DeliveryStatus.SENT),
    ]
    days, _, _ = await progress_over(db, NUUK, date(2024, 3, 30), end)
    assert (days[0].local_date, days[0].occurrences, days[0].taken) == (date(2024, 3, 30), 2, 2)


async def test_a_skipped_date_owes_no_dose(db: Database) -> None:
    # Apia went from 29 December 2011 straight to the 31st.
    start = datetime(2011, 12, 28, 0, 0, tzinfo=UTC)
    end = datetime(2012, 1, 1, 0, 0, tzinfo=UTC)
    await take_every_dose(db, APIA, [time(8, 0)], start, end)
    days, progress, _ = await progress_over(db, APIA, date(2011, 12, 28), end)
    taken = [(d.local_date, d.occurrences, d.taken) for d in days if d.taken]
    assert taken == [
        (date(2011, 12, 28), 1, 1),
        (date(2011, 12, 29), 1, 1),
        (date(2011, 12, 31), 1, 1),
        (date(2012, 1, 1), 1, 1),
    ]
    assert progress.cumulative_mg == pytest.approx(240)


def test_the_date_an_occurrence_counts_for() -> None:
    landing = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert occurrence_day(landing, time(23, 30), NUUK) == date(2024, 3, 30)
    assert occurrence_day(landing, time(0, 0), NUUK) == date(2024, 3, 31)
    assert occurrence_day(landing, None, NUUK) == date(2024, 3, 31)
    berlin_gap = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:30 lands on 03:00, same date
    assert occurrence_day(berlin_gap, time(2, 30), ZoneInfo("Europe/Berlin")) == date(2026, 3, 29)
    # A gap that starts at midnight: Sunday's 00:30 lands on Sunday's 01:00, and is Sunday's.
    beirut_gap = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert occurrence_day(beirut_gap, time(0, 30), ZoneInfo("Asia/Beirut")) == date(2026, 3, 29)
