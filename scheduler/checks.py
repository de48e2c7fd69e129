"""Monthly check reminders: blood tests and pregnancy tests, one reminder of each kind a user."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.reminders import set_periodic
from scheduler.schedules import MONTHLY_KINDS
from storage.models import Reminder, ReminderKind, User

# The monthly checks, in the order they are listed.
CHECK_KINDS = tuple(kind for kind in ReminderKind if kind in MONTHLY_KINDS)


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
    return await set_periodic(session, user, kind, local, now, day_of_month=day_of_month)
