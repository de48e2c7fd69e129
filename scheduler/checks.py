"""Monthly check reminders: blood tests and pregnancy tests, one reminder of each kind a user."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.reminders import format_hhmm, queue_due, replan
from scheduler.schedules import MONTHLY_KINDS
from storage.models import Reminder, ReminderKind, User

CHECK_KINDS = (ReminderKind.LABS, ReminderKind.PREGNANCY_TEST)


async def checks_of(session: AsyncSession, user_id: int) -> dict[ReminderKind, Reminder]:
    rows = await session.scalars(
        select(Reminder)
        .where(Reminder.user_id == user_id, Reminder.kind.in_(CHECK_KINDS))
        .order_by(Reminder.id)
    )
    found: dict[ReminderKind, Reminder] = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


async def set_check(
    session: AsyncSession,
    user: User,
    kind: ReminderKind,
    day_of_month: int,
    local: time,
    now: datetime,
) -> Reminder:
    """Make the kind's one monthly reminder fire on `day_of_month` at `local`, from now on."""
    if kind not in MONTHLY_KINDS:
        raise ValueError(f"{kind} is not a monthly check")
    await queue_due(session, user.id, now)
    reminder = (await checks_of(session, user.id)).get(kind)
    if reminder is None:
        reminder = Reminder(user_id=user.id, kind=kind, created_at=now)
        session.add(reminder)
    reminder.local_time = format_hhmm(local)
    reminder.day_of_month = day_of_month
    reminder.enabled = True
    reminder.timezone = user.timezone
    await session.flush()
    # A check already due still goes out; the new day is never within half a month of it.
    await replan(session, user, kind, now, catch_up=False)
    return reminder
