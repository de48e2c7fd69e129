"""Changing and reading a user's course: start date, dose and weight histories, target, end, and
the weekly summary reminder that comes with it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from scheduler.cumulative import (
    DEFAULT_TARGET,
    DoseChange,
    WeightEntry,
)
from scheduler.recurrence import local_day
from scheduler.reminders import cancel_pending, queue_due, replan
from storage.models import Course, CourseDose, CourseWeight, Reminder, ReminderKind, User
from storage.reminders import first_of_kind

_Entry = TypeVar("_Entry", CourseDose, CourseWeight)
# The weekly summary comes on Sunday evening, local time: the end of the week it looks back on.
SUMMARY_DAY_OF_WEEK = 6
SUMMARY_TIME = "18:00"


def user_zone(user: User) -> ZoneInfo:
    # Before a timezone is set, dates are UTC dates; the reminders wait for a zone anyway.
    return ZoneInfo(user.timezone or "UTC")


def end_day(course: Course, zone: ZoneInfo) -> date | None:
    """The local day an ended course ended; None while it runs."""
    return local_day(course.ended_at, zone) if course.ended_at else None


async def course_of(session: AsyncSession, user_id: int) -> Course | None:
    return await session.scalar(select(Course).where(Course.user_id == user_id))


def course_start(course: Course, today: date) -> date:
    """The day the course started, never after the user's today: see settle_dates."""
    return min(course.start_date, today)


async def settled_course(session: AsyncSession, user: User, now: datetime) -> Course | None:
    """The user's course, with settle_dates done: for a handler's session, which commits."""
    course = await course_of(session, user.id)
    if course is not None:
        await settle_dates(session, user, course, now)
    return course


async def settle_dates(session: AsyncSession, user: User, course: Course, now: datetime) -> None:
    """Bring the start, the first dose and the weights back to the user's local today when they
    lie after it.

    A date picked before the user set a timezone is a UTC date: "Today" at 22:00 in Los Angeles
    is tomorrow in UTC. None of these can truly be in the future (the start is the day of the
    first dose, a weight was measured), and left there, the doses of the user's own today would
    fall before the start and never count. A later dose change may lie ahead on purpose, so only
    the first dose, the one the course started on, moves with the start.
    """
    if not user.timezone:
        return
    today = local_day(now, ZoneInfo(user.timezone))
    mine_dose, mine_weight = CourseDose.user_id == user.id, CourseWeight.user_id == user.id
    if course.start_date > today:
        days = [course.start_date, today]
        rows = await session.scalars(
            select(CourseDose).where(mine_dose, CourseDose.effective_from.in_(days))
        )
        by_day = {row.effective_from: row for row in rows}
        if course.start_date in by_day and today not in by_day:
            by_day[course.start_date].effective_from = today
        course.start_date = today
        course.updated_at = now
    ahead = list(
        await session.scalars(
            select(CourseWeight)
            .where(mine_weight, CourseWeight.measured_on >= today)
            .order_by(CourseWeight.created_at, CourseWeight.id)
        )
    )
    if any(row.measured_on > today for row in ahead):
        # All of them say "my weight today": the one entered last stands.
        *older, latest = ahead
        for row in older:
            await session.delete(row)
        await session.flush()
        latest.measured_on = today
        course.updated_at = now
    await session.flush()


async def start_course(session: AsyncSession, user: User, start: date, now: datetime) -> Course:
    """Set the start date, creating the course (with the weekly summary on) the first time.

    Once a course has ended, a start after its own begins a new course (the ended screen asks
    for one so): it runs, with no mg from before tracking, and its weekly summary comes again.
    The new start may come before the day the old one was marked ended, which can only be
    today. Otherwise the start is corrected, and the first dose, entered for the day the course
    started, moves with it."""
    course = await course_of(session, user.id)
    if course is not None:
        if end_day(course, user_zone(user)) is not None and start > course.start_date:
            course.ended_at = None
            course.mg_before_tracking = None
            await set_summary(session, user, True, now)
        else:
            await _move_first_dose(session, user.id, course.start_date, start)
        course.start_date = start
        course.updated_at = now
        await session.flush()
        return course
    course = Course(
        user_id=user.id,
        start_date=start,
        target_mg_per_kg=DEFAULT_TARGET,
        created_at=now,
        updated_at=now,
    )
    session.add(course)
    # On by default once a course is set; only created here, so switching it off stays off.
    if await summary_reminder(session, user.id) is None:
        await set_summary(session, user, True, now)
    await session.flush()
    return course


async def _move_first_dose(session: AsyncSession, user_id: int, old: date, new: date) -> None:
    """The dose dated on the old start, when it is the first, to the new start; unless a dose
    is dated on the new start already, or another change lies between the two."""
    rows = list(
        await session.scalars(
            select(CourseDose)
            .where(CourseDose.user_id == user_id)
            .order_by(CourseDose.effective_from)
        )
    )
    if not rows or rows[0].effective_from != old or new == old:
        return
    low, high = min(old, new), max(old, new)
    if any(low <= row.effective_from <= high for row in rows[1:]):
        return
    rows[0].effective_from = new


async def set_dose(
    session: AsyncSession, course: Course, mg_per_day: float, effective_from: date, now: datetime
) -> None:
    """Record the mg/day from a date on; a second change on the same date replaces the first."""
    row = await _entry_on(
        session, course, CourseDose, CourseDose.effective_from, effective_from, now
    )
    row.mg_per_day = mg_per_day
    await session.flush()


async def set_weight(
    session: AsyncSession, course: Course, kg: float, measured_on: date, now: datetime
) -> None:
    """Record a weight; a second one on the same date replaces the first."""
    row = await _entry_on(session, course, CourseWeight, CourseWeight.measured_on, measured_on, now)
    row.kg = kg
    await session.flush()


async def _entry_on(
    session: AsyncSession,
    course: Course,
    model: type[_Entry],
    day_column: InstrumentedAttribute[date],
    day: date,
    now: datetime,
) -> _Entry:
    """The course's dose or weight entry dated `day` (in `day_column`), new when there is none."""
    owned = model.user_id == course.user_id
    row = await session.scalar(select(model).where(owned, day_column == day))
    if row is None:
        row = model(user_id=course.user_id, created_at=now, **{day_column.key: day})
        session.add(row)
    course.updated_at = now
    return row


async def dose_history(
    session: AsyncSession, user_id: int, since: date | None = None
) -> list[DoseChange]:
    """The user's doses in order; with `since`, only those from that day on (a course's own: a
    course started after an ended one has none until its first is entered)."""
    query = select(CourseDose).where(CourseDose.user_id == user_id)
    if since is not None:
        query = query.where(CourseDose.effective_from >= since)
    rows = await session.scalars(query.order_by(CourseDose.effective_from))
    return [DoseChange(r.effective_from, r.mg_per_day) for r in rows]


async def weight_history(session: AsyncSession, user_id: int) -> list[WeightEntry]:
    rows = await session.scalars(
        select(CourseWeight)
        .where(CourseWeight.user_id == user_id)
        .order_by(CourseWeight.measured_on)
    )
    return [WeightEntry(r.measured_on, r.kg) for r in rows]


async def end_course(session: AsyncSession, user: User, course: Course, now: datetime) -> None:
    """Mark the course ended; the weekly summary about it stops with it."""
    course.ended_at = now
    course.updated_at = now
    await set_summary(session, user, False, now)


async def resume_course(session: AsyncSession, user: User, course: Course, now: datetime) -> None:
    """Undo the end: the weekly summary that stopped with the course starts again, as it was
    when the course began (the screen shown next offers to switch it off)."""
    if course.ended_at is None:
        return
    course.ended_at = None
    course.updated_at = now
    await set_summary(session, user, True, now)


async def summary_reminder(session: AsyncSession, user_id: int) -> Reminder | None:
    return await first_of_kind(session, user_id, ReminderKind.WEEKLY_SUMMARY)


async def set_summary(session: AsyncSession, user: User, on: bool, now: datetime) -> None:
    """Switch the weekly summary on or off, creating its reminder when it is first switched on."""
    await queue_due(session, user.id, now)
    reminder = await summary_reminder(session, user.id)
    if reminder is None:
        if not on:
            return
        reminder = Reminder(
            user_id=user.id,
            kind=ReminderKind.WEEKLY_SUMMARY,
            local_time=SUMMARY_TIME,
            day_of_week=SUMMARY_DAY_OF_WEEK,
            created_at=now,
        )
        session.add(reminder)
    reminder.enabled = on
    # An empty zone leaves it unscheduled until /timezone, which reschedules every reminder.
    reminder.timezone = user.timezone
    await session.flush()
    if not on:
        await cancel_pending(session, [reminder.id], now)
    await replan(session, user, ReminderKind.WEEKLY_SUMMARY, now, catch_up=False)
