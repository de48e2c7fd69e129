"""First deliveries written outside the dispatcher's tick: a catch-up owed at once, and the dose
times a pause silenced.

A pause silences reminders; it does not change the dose times a day has. A Taken is worth the
day's mg shared by the times whose first delivery is on record that day (scheduler/doses.py), so
at a resume the times silenced on the pause's first and last local days are recorded, cancelled:
a cancelled occurrence is no dose owed (scheduler/adherence.py). The days between, which no
reminder reached, hold no answer to share, and so no rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.dispatcher import PRIORITY_REMINDER
from scheduler.recurrence import local_day, occurrence_on, parse_hhmm
from storage import models
from storage.writes import insert_ignoring_duplicates


async def queue_owed(
    session: AsyncSession, user: models.User, reminder: models.Reminder, at: datetime, now: datetime
) -> None:
    """The reminder's occurrence owed since a change, to go out at `at`."""
    await _write(session, [_first_delivery(reminder, user.chat_id, at, now)])


async def record_silenced(
    session: AsyncSession, user: models.User, reminders: Sequence[models.Reminder], now: datetime
) -> None:
    """At a resume: the dose times the pause kept from going out on the local day it began
    (after the last first dose delivery, which it followed) and on today, as cancelled."""
    doses = [
        r for r in reminders if r.kind == models.ReminderKind.DOSE and r.enabled and r.timezone
    ]
    if not doses:
        return
    began = await session.scalar(
        select(func.max(models.Delivery.occurrence)).where(
            models.Delivery.user_id == user.id,
            models.Delivery.kind == models.ReminderKind.DOSE,
            models.Delivery.purpose == models.Purpose.FIRST,
        )
    )
    rows = []
    for reminder in doses:
        zone = ZoneInfo(reminder.timezone)
        since = reminder.created_at if began is None else max(began, reminder.created_at)
        wall = parse_hhmm(reminder.local_time)
        for day in {local_day(since, zone), local_day(now, zone)}:
            at = occurrence_on(wall, zone, day)
            if at is not None and since < at <= now:
                row = _first_delivery(reminder, user.chat_id, at, now)
                rows.append(row | {"status": models.DeliveryStatus.CANCELLED})
    await _write(session, rows)


async def _write(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    if rows:
        await session.execute(insert_ignoring_duplicates(session, models.Delivery).values(rows))


def _first_delivery(
    reminder: models.Reminder, chat_id: int, occurrence: datetime, now: datetime
) -> dict[str, object]:
    return {
        "user_id": reminder.user_id,
        "chat_id": chat_id,
        "reminder_id": reminder.id,
        "kind": reminder.kind,
        "occurrence": occurrence,
        "local_time": reminder.local_time,
        "timezone": reminder.timezone,
        "purpose": models.Purpose.FIRST,
        "priority": PRIORITY_REMINDER,
        "due_at": occurrence,
        "status": models.DeliveryStatus.PENDING,
        "late": False,
        "attempts": 0,
        "updated_at": now,
    }
