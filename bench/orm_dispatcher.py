"""The dispatcher as it was before the Core rewrite, kept so a benchmark can run both side by side.

It loads each due reminder as an ORM object, lets the unit of work flush one UPDATE per reminder,
and builds `ZoneInfo` and parses "HH:MM" again for every occurrence. Not used by the bot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.dispatcher import (
    MAX_BACKLOG,
    PRIORITY_REMINDER,
    TickResult,
    insert_ignoring_duplicates,
)
from scheduler.policy import Policy
from scheduler.recurrence import next_fire, next_monthly_fire, next_weekly_fire, parse_hhmm
from scheduler.schedules import MONTHLY_KINDS, WEEKLY_KINDS
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, User, UserStatus


def fire_after(reminder: Reminder, after: datetime) -> datetime:
    """scheduler.schedules.fire_after as it was: no caches."""
    local, zone = parse_hhmm(reminder.local_time), ZoneInfo(reminder.timezone)
    if reminder.kind in MONTHLY_KINDS:
        assert reminder.day_of_month is not None
        return next_monthly_fire(reminder.day_of_month, local, zone, after)
    if reminder.kind in WEEKLY_KINDS:
        assert reminder.day_of_week is not None
        return next_weekly_fire(reminder.day_of_week, local, zone, after)
    return next_fire(local, zone, after)


def _deliveries_for(
    reminder: Reminder, chat_id: int, now: datetime, policy: Policy
) -> tuple[list[dict[str, Any]], datetime]:
    occurrence = reminder.next_fire_at
    assert occurrence is not None
    rows: list[dict[str, Any]] = []
    while occurrence <= now and len(rows) < MAX_BACKLOG:
        overdue = now - occurrence
        missed = overdue > policy.grace(reminder.kind)
        rows.append(
            {
                "user_id": reminder.user_id,
                "chat_id": chat_id,
                "reminder_id": reminder.id,
                "kind": reminder.kind,
                "occurrence": occurrence,
                "purpose": Purpose.FIRST,
                "priority": PRIORITY_REMINDER,
                "due_at": occurrence,
                "status": DeliveryStatus.MISSED if missed else DeliveryStatus.PENDING,
                "late": overdue > policy.late_after,
                "attempts": 0,
                "updated_at": now,
            }
        )
        occurrence = fire_after(reminder, occurrence)
    if occurrence <= now:
        occurrence = fire_after(reminder, now)
    return rows, occurrence


async def _claim(session: AsyncSession, now: datetime, batch: int) -> list[tuple[Reminder, int]]:
    query = (
        select(Reminder, User.chat_id)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.next_fire_at <= now, User.status == UserStatus.ACTIVE)
        .order_by(Reminder.next_fire_at)
        .limit(batch)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Reminder)
    return [(reminder, chat_id) for reminder, chat_id in (await session.execute(query)).all()]


async def dispatch_batch(
    session: AsyncSession, now: datetime, policy: Policy, batch: int
) -> TickResult:
    claimed = await _claim(session, now, batch)
    rows: list[dict[str, Any]] = []
    for reminder, chat_id in claimed:
        new_rows, following = _deliveries_for(reminder, chat_id, now, policy)
        rows += new_rows
        reminder.next_fire_at = following
    if rows:
        await session.execute(insert_ignoring_duplicates(session, Delivery), rows)
    missed = sum(1 for r in rows if r["status"] == DeliveryStatus.MISSED)
    return TickResult(claimed=len(claimed), queued=len(rows) - missed, missed=missed)


async def dispatch_due(db: Database, now: datetime, policy: Policy, batch: int = 500) -> TickResult:
    total = TickResult()
    while True:
        async with db.session() as session:
            result = await dispatch_batch(session, now, policy, batch)
        total = TickResult(
            total.claimed + result.claimed,
            total.queued + result.queued,
            total.missed + result.missed,
        )
        if result.claimed < batch:
            break
    return total
