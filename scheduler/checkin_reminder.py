"""The weekly check-in reminder: one per user, off until the user switches it on."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.reminders import set_periodic, switch_kind_off
from storage.models import Reminder, ReminderKind, User
from storage.reminders import first_of_kind


async def checkin_reminder(session: AsyncSession, user_id: int) -> Reminder | None:
    return await first_of_kind(session, user_id, ReminderKind.CHECKIN)


async def set_weekly_checkin(
    session: AsyncSession, user: User, day_of_week: int, local: time, now: datetime
) -> Reminder:
    """Ask every week on `day_of_week` (0 = Monday) at the local time `local`, from now on."""
    if not 0 <= day_of_week <= 6:
        raise ValueError(f"no weekday {day_of_week}")
    return await set_periodic(
        session, user, ReminderKind.CHECKIN, local, now, day_of_week=day_of_week
    )


async def switch_weekly_checkin_off(session: AsyncSession, user: User, now: datetime) -> None:
    """Stop asking; the day and time are kept for when it is switched on again."""
    await switch_kind_off(session, user, ReminderKind.CHECKIN, now)
