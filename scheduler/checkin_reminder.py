"""The weekly check-in reminder: one per user, off until the user switches it on."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.reminders import format_hhmm, queue_due, replan, switch_kind_off
from storage.models import Reminder, ReminderKind, User


async def checkin_reminder(session: AsyncSession, user_id: int) -> Reminder | None:
    return await session.scalar(
        select(Reminder)
        .where(Reminder.user_id == user_id, Reminder.kind == ReminderKind.CHECKIN)
        .order_by(Reminder.id)
        .limit(1)
    )


async def set_weekly_checkin(
    session: AsyncSession, user: User, day_of_week: int, local: time, now: datetime
) -> Reminder:
    """Ask every week on `day_of_week` (0 = Monday) at the local time `local`, from now on."""
    if not 0 <= day_of_week <= 6:
        raise ValueError(f"no weekday {day_of_week}")
    await queue_due(session, user.id, now)
    reminder = await checkin_reminder(session, user.id)
    if reminder is None:
        reminder = Reminder(user_id=user.id, kind=ReminderKind.CHECKIN, created_at=now)
        session.add(reminder)
    reminder.local_time = format_hhmm(local)
    reminder.day_of_week = day_of_week
    reminder.enabled = True
    # An empty zone leaves it unscheduled until /timezone, which reschedules every reminder.
    reminder.timezone = user.timezone
    await session.flush()
    # One already due still goes out; a new day never comes within half a week of it.
    await replan(session, user, ReminderKind.CHECKIN, now, catch_up=False)
    return reminder


async def switch_weekly_checkin_off(session: AsyncSession, user: User, now: datetime) -> None:
    """Stop asking; the day and time are kept for when it is switched on again."""
    await switch_kind_off(session, user, ReminderKind.CHECKIN, now)
