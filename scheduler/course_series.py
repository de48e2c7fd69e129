"""A course's history, read once: its progress, and the cumulative dose day by day as the /course
chart and the report draw it (the rules of scheduler/cumulative.py: only logged Taken doses
count, and the mg taken before tracking began), one point a local day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.courses import course_start, dose_history, end_day, user_zone, weight_history
from scheduler.cumulative import (
    CourseProgress,
    DoseChange,
    DoseDay,
    WeightEntry,
    course_progress,
    latest_weight,
    mg_if_every_dose_taken,
    mg_on_day,
)
from scheduler.dose_days import dose_days
from scheduler.recurrence import local_day
from storage.models import Course, User


@dataclass(frozen=True)
class CourseHistory:
    """What a course's series is made from, read in one session."""

    doses: list[DoseChange]
    weights: list[WeightEntry]
    days: list[DoseDay]


def cumulative_series(
    days: Sequence[DoseDay],
    doses: Sequence[DoseChange],
    start: date,
    last: date,
    kg: float,
    offset_mg: float = 0.0,
) -> list[tuple[date, float]]:
    """(day, cumulative mg/kg by the end of it) for every day `start`..`last`, counted on from
    `offset_mg`; mg/kg uses the one weight given, as /course does with the latest."""
    by_day = {d.local_date: d for d in days}
    total = offset_mg
    series = []
    day = start
    while day <= last:
        found = by_day.get(day)
        if found is not None:
            total += mg_on_day(found, doses)
        series.append((day, total / kg))
        day += timedelta(days=1)
    return series


async def course_history(
    session: AsyncSession, user: User, course: Course, now: datetime
) -> CourseHistory:
    zone = user_zone(user)
    start = course_start(course, local_day(now, zone))
    return CourseHistory(
        doses=await dose_history(session, user.id),
        weights=await weight_history(session, user.id),
        days=await dose_days(session, user.id, zone, start, now),
    )


def tracked_from(history: CourseHistory, start: date, last: date) -> date:
    """The first day of the course with a dose occurrence here, or `last` when none has come
    yet: the mg taken before tracking were taken before this day."""
    found = (d.local_date for d in history.days if start <= d.local_date <= last and d.occurrences)
    return min(found, default=last)


def series_of(
    history: CourseHistory, start: date, last: date, mg_before_tracking: float = 0.0
) -> list[tuple[date, float]]:
    """The series with the latest weight; empty without one.

    With mg taken before tracking, the logged part runs from the first tracked day, counted on
    from that total, and before it goes a straight line from 0 at the start to that total the day
    before: the one estimate drawn (the chart draws it apart), since no day of it was logged.
    """
    weight = latest_weight(history.weights)
    if weight is None or last < start:
        return []
    if mg_before_tracking <= 0:
        return cumulative_series(history.days, history.doses, start, last, weight.kg)
    first = tracked_from(history, start, last)
    logged = cumulative_series(
        history.days, history.doses, first, last, weight.kg, mg_before_tracking
    )
    ramp_end = first - timedelta(days=1)
    if ramp_end < start:
        return logged
    ramp = [(ramp_end, mg_before_tracking / weight.kg)]
    if start < ramp_end:
        ramp.insert(0, (start, 0.0))
    return ramp + logged


def estimated_before(history: CourseHistory, start: date, last: date) -> tuple[date, float] | None:
    """The day before tracking began, and the mg prescribed from the start to it if every dose
    was taken: a figure the user may start from. None without a dose or a day before tracking."""
    first = tracked_from(history, start, last)
    if not history.doses or first <= start:
        return None
    until = first - timedelta(days=1)
    return until, mg_if_every_dose_taken(history.doses, start, until)


def progress_of(
    course: Course, history: CourseHistory, zone: ZoneInfo, now: datetime
) -> CourseProgress:
    """Everything /course and the weekly summary show, from a history already read."""
    today = local_day(now, zone)
    return course_progress(
        start=course_start(course, today),
        today=today,
        ended_on=end_day(course, zone),
        target_mg_per_kg=course.target_mg_per_kg,
        doses=history.doses,
        weights=history.weights,
        days=history.days,
        mg_before_tracking=course.mg_before_tracking or 0.0,
    )


async def load_progress(
    session: AsyncSession, user: User, course: Course, now: datetime
) -> CourseProgress:
    history = await course_history(session, user, course, now)
    return progress_of(course, history, user_zone(user), now)


def course_last_day(user: User, course: Course, now: datetime) -> date:
    """Today, or the day an ended course ended."""
    zone = user_zone(user)
    today = local_day(now, zone)
    ended = end_day(course, zone)
    return min(today, ended) if ended is not None else today
