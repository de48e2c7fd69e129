"""Reading the dose log as days: how many dose occurrences each local day had, and how many were
logged Taken. The input of the cumulative dose (scheduler/cumulative.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.cumulative import DoseDay
from scheduler.doses import dose_logs_since, first_doses
from scheduler.recurrence import local_day, occurrence_on, parse_hhmm
from storage import models

# One occurrence of one dose reminder; a deleted reminder's rows keep None and their instant.
_Key = tuple[int | None, datetime]


async def dose_days(
    session: AsyncSession, user_id: int, zone: ZoneInfo, first: date, now: datetime
) -> list[DoseDay]:
    """Every local day from `first` to today that had a dose occurrence, oldest first.

    An occurrence is one that was dispatched (a first delivery not cancelled: a reminder switched
    off before it went out was no dose owed), or answered, or is still to come today. Counting
    today's later doses keeps a morning Taken from counting as the whole day's dose.
    """
    # A day early in UTC covers every zone's local `first`; the local date filters exactly.
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    found: dict[_Key, tuple[date, bool]] = {}
    for dose in await first_doses(session, user_id, zone, since):
        if dose.status != models.DeliveryStatus.CANCELLED:
            found[(dose.reminder_id, dose.occurrence)] = (dose.day, False)
    for log in await dose_logs_since(session, user_id, since):
        found[(log.reminder_id, log.occurrence)] = (
            log.local_date,
            log.outcome == models.Outcome.TAKEN,
        )
    for key in await _still_to_come_today(session, user_id, zone, now):
        found.setdefault(key, (local_day(now, zone), False))
    return _by_day(found.values(), first)


async def _still_to_come_today(
    session: AsyncSession, user_id: int, zone: ZoneInfo, now: datetime
) -> list[_Key]:
    today = local_day(now, zone)
    active = await session.scalars(
        select(models.Reminder).where(
            models.Reminder.user_id == user_id,
            models.Reminder.kind == models.ReminderKind.DOSE,
            models.Reminder.next_fire_at.is_not(None),
        )
    )
    keys: list[_Key] = []
    for reminder in active:
        occurrence = occurrence_on(parse_hhmm(reminder.local_time), zone, today)
        if occurrence is not None and occurrence > now:
            keys.append((reminder.id, occurrence))
    return keys


def _by_day(occurrences: Iterable[tuple[date, bool]], first: date) -> list[DoseDay]:
    counts: dict[date, list[int]] = {}
    for day, taken in occurrences:
        if day >= first:
            tally = counts.setdefault(day, [0, 0])
            tally[0] += 1
            tally[1] += int(taken)
    return [DoseDay(day, n, t) for day, (n, t) in sorted(counts.items())]
