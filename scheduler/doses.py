"""The dose log: answering a reminder, and reading back what happened to each dose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.adherence import DoseRecord, DoseState, dose_state
from scheduler.recurrence import local_day, occurrence_day, occurrence_on, parse_hhmm
from storage import models
from storage.writes import cancel_pending_deliveries, insert_ignoring_duplicates


async def log_outcome(
    session: AsyncSession,
    delivery: models.Delivery,
    outcome: models.Outcome,
    zone: ZoneInfo,
    now: datetime,
) -> bool:
    """Record the answer for the delivery's occurrence; False when it was already answered.

    Its local date is the one it was sent for (in the zone it was sent in, when the delivery
    says; else `zone`), wherever the user is now.
    """
    assert delivery.occurrence is not None and delivery.kind is not None
    wall_time = delivery.local_time or await session.scalar(
        select(models.Reminder.local_time).where(models.Reminder.id == delivery.reminder_id)
    )
    local = parse_hhmm(wall_time) if wall_time else None
    sent_in = ZoneInfo(delivery.timezone) if delivery.timezone else zone
    day = occurrence_day(delivery.occurrence, local, sent_in)
    share = None
    if delivery.kind == models.ReminderKind.DOSE:
        times = await _dose_times_sent(session, delivery, day, sent_in)
        times |= await _dose_times_planned(
            session, delivery.user_id, day, sent_in, today=day >= local_day(now, sent_in)
        )
        share = 1 / len(times) if times else None
    result = await session.execute(
        insert_ignoring_duplicates(session, models.DoseLog).values(
            user_id=delivery.user_id,
            reminder_id=delivery.reminder_id,
            kind=delivery.kind,
            occurrence=delivery.occurrence,
            local_date=day,
            outcome=outcome,
            logged_at=now,
            share=share,
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # Nothing more for this occurrence: a pending snooze or follow-up would only nag.
    # The user's own: once its reminder is deleted, reminder_id is NULL for everyone's rows.
    await cancel_pending_deliveries(
        session,
        now,
        models.Delivery.user_id == delivery.user_id,
        models.Delivery.reminder_id == delivery.reminder_id,
        models.Delivery.occurrence == delivery.occurrence,
    )
    return True


async def _dose_times_sent(
    session: AsyncSession, delivery: models.Delivery, day: date, zone: ZoneInfo
) -> set[str]:
    """The dose times whose reminders went out for `day`, by wall time. A dose's part of the
    day is 1 / the times the day has, not / the reminders there are now: a second time added in
    the evening would halve the day's only dose. By wall time, as a trip west that brought 08:00
    twice made two whole doses, not two halves."""
    assert delivery.occurrence is not None
    # A local day lies within 26 hours of any of its instants.
    near = await session.execute(
        select(models.Delivery.occurrence, models.Delivery.local_time, models.Delivery.timezone)
        .where(
            models.Delivery.user_id == delivery.user_id,
            models.Delivery.kind == models.ReminderKind.DOSE,
            models.Delivery.purpose == models.Purpose.FIRST,
            models.Delivery.occurrence.between(
                delivery.occurrence - timedelta(hours=26), delivery.occurrence + timedelta(hours=26)
            ),
        )
        .distinct()
    )
    return {
        wall or occurrence.isoformat()
        for occurrence, wall, sent_in in near.all()
        if occurrence is not None
        and occurrence_day(
            occurrence, parse_hhmm(wall) if wall else None, ZoneInfo(sent_in) if sent_in else zone
        )
        == day
    }


async def _dose_times_planned(
    session: AsyncSession, user_id: int, day: date, zone: ZoneInfo, *, today: bool
) -> set[str]:
    """The dose times still to come on `day` if it is `today`, as the reminders are planned now
    (in their own zone; `zone` for a row that names none). While the user has paused: every
    time their reminders have on `day`, since a pause silences a day's times without taking
    them away (scheduler/first_deliveries.py records them at the resume)."""
    planned = await session.execute(
        select(
            models.Reminder.local_time,
            models.Reminder.next_fire_at,
            models.Reminder.timezone,
            models.Reminder.created_at,
            models.User.reminders_paused,
        )
        .join(models.User, models.User.id == models.Reminder.user_id)
        .where(
            models.Reminder.user_id == user_id,
            models.Reminder.kind == models.ReminderKind.DOSE,
            models.Reminder.enabled.is_(True),
        )
    )
    times = set()
    for wall, at, planned_in, created, paused in planned.all():
        its_zone = ZoneInfo(planned_in) if planned_in else zone
        if paused:
            # Not a time added later than its occurrence that day: it was no dose time then.
            at = occurrence_on(parse_hhmm(wall), its_zone, day)
            if at is not None and at > created:
                times.add(wall)
        elif today and at is not None and local_day(at, its_zone) == day:
            times.add(wall)
    return times


class DoseOccurrence(NamedTuple):
    """A dose occurrence, the local day it counts for, and what became of it."""

    occurrence: datetime
    day: date
    state: DoseState
    delivery_id: int | None = None  # its first delivery: what an answer is recorded against


async def dose_occurrences(
    session: AsyncSession, user_id: int, zone: ZoneInfo, now: datetime, since: datetime
) -> list[DoseOccurrence]:
    """Every dose occurrence from `since` on that counts, as its delivery and answer left it."""
    today = local_day(now, zone)
    logged = {
        (row.reminder_id, row.occurrence): row
        for row in await dose_logs_since(session, user_id, since)
    }
    found = []
    for dose in await first_doses(session, user_id, zone, since):
        log = logged.pop((dose.reminder_id, dose.occurrence), None)
        state = dose_state(dose.status, log.outcome if log else None, day_over=dose.day < today)
        if state is not None:
            found.append(DoseOccurrence(dose.occurrence, dose.day, state, dose.delivery_id))
    # Answers without a delivery row (none is expected, but the log is the record) still count.
    for log in logged.values():
        state = DoseState.TAKEN if log.outcome == models.Outcome.TAKEN else DoseState.SKIPPED
        found.append(DoseOccurrence(log.occurrence, log.local_date, state))
    return found


async def dose_records(
    session: AsyncSession, user_id: int, zone: ZoneInfo, now: datetime, days: int
) -> list[DoseRecord]:
    """The state of every dose occurrence in the last `days` local days."""
    since = now - timedelta(days=days + 1)
    found = await dose_occurrences(session, user_id, zone, now, since)
    return [DoseRecord(dose.day, dose.state) for dose in found]


async def dose_logs_since(
    session: AsyncSession, user_id: int, since: datetime
) -> Sequence[models.DoseLog]:
    """The user's answers to dose reminders whose occurrence is `since` or later."""
    rows = await session.scalars(
        select(models.DoseLog).where(
            models.DoseLog.user_id == user_id,
            models.DoseLog.kind == models.ReminderKind.DOSE,
            models.DoseLog.occurrence >= since,
        )
    )
    return rows.all()


class FirstDose(NamedTuple):
    """One dose occurrence's first delivery, and the local day it fell on."""

    reminder_id: int | None  # None once its reminder was deleted
    occurrence: datetime
    status: models.DeliveryStatus
    day: date
    delivery_id: int


async def first_doses(
    session: AsyncSession, user_id: int, zone: ZoneInfo, since: datetime
) -> list[FirstDose]:
    """The user's first dose deliveries from `since` on, each on the local day of its reminder.

    A deleted reminder's rows fall back to the user's `zone`.
    """
    rows = await session.execute(
        select(
            models.Delivery.reminder_id,
            models.Delivery.occurrence,
            models.Delivery.status,
            func.coalesce(models.Delivery.timezone, models.Reminder.timezone),
            func.coalesce(models.Delivery.local_time, models.Reminder.local_time),
            models.Delivery.id,
        )
        .outerjoin(models.Reminder, models.Reminder.id == models.Delivery.reminder_id)
        .where(
            models.Delivery.user_id == user_id,
            models.Delivery.kind == models.ReminderKind.DOSE,
            models.Delivery.purpose == models.Purpose.FIRST,
            models.Delivery.occurrence >= since,
        )
    )
    found = []
    for reminder_id, occurrence, status, tz, wall_time, delivery_id in rows:
        if occurrence is None:  # not a reminder's delivery; the filter above keeps none
            continue
        local = parse_hhmm(wall_time) if wall_time else None
        day = occurrence_day(occurrence, local, ZoneInfo(tz) if tz else zone)
        found.append(FirstDose(reminder_id, occurrence, status, day, delivery_id))
    return found
