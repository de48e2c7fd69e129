"""Reading the dose log as days: how many dose occurrences each local day had, and how many were
logged Taken. The input of the cumulative dose (scheduler/cumulative.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
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
    found: dict[_Key, _Occurrence] = {}
    for dose in await first_doses(session, user_id, zone, since):
        if dose.status != models.DeliveryStatus.CANCELLED:
            found[(dose.reminder_id, dose.occurrence)] = _Occurrence(dose.day)
    for log in await dose_logs_since(session, user_id, since):
        if log.outcome == models.Outcome.TAKEN:
            found[(log.reminder_id, log.occurrence)] = _Occurrence(log.local_date, True, log.share)
        else:
            found[(log.reminder_id, log.occurrence)] = _Occurrence(log.local_date)
    for key in await _still_to_come_today(session, user_id, zone, now):
        found.setdefault(key, _Occurrence(local_day(now, zone)))
    return _by_day(found.values(), first)


class _Occurrence(NamedTuple):
    day: date
    taken: bool = False
    share: float | None = None  # of a Taken, when its answer recorded it


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


def _by_day(occurrences: Iterable[_Occurrence], first: date) -> list[DoseDay]:
    days: dict[date, list[_Occurrence]] = {}
    for occurrence in occurrences:
        if occurrence.day >= first:
            days.setdefault(occurrence.day, []).append(occurrence)
    return [_dose_day(day, found) for day, found in sorted(days.items())]


def _dose_day(day: date, found: list[_Occurrence]) -> DoseDay:
    taken = [o for o in found if o.taken]
    # A Taken answered before its share was recorded is the day's mg shared by its occurrences.
    unrecorded = 1 / max(len(found), len(taken), 1)
    shares = [unrecorded if o.share is None else o.share for o in taken]
    # A day counts one day's dose at most (the reminders may change between a dose and its
    # answer), unless it had more occurrences than doses a day, as a day a trip west stretched:
    # then each dose it had.
    most = max(1.0, len(found) * min(shares, default=1.0))
    return DoseDay(day, len(found), len(taken), min(sum(shares), most))
