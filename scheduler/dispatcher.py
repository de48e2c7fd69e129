"""Turns due reminder rows into delivery rows, and moves each reminder on to its next occurrence."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.policy import Policy
from scheduler.schedules import fire_after
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, User, UserStatus

log = logging.getLogger("isobot.dispatcher")

# After a long outage a reminder's backlog is written as missed up to this many occurrences, enough
# for /history's 30 days; older ones are simply skipped over.
MAX_BACKLOG = 40
PRIORITY_REMINDER = 0


def insert_ignoring_duplicates(session: AsyncSession, model: type[Any]) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on either backend: uniqueness keeps work idempotent."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


@dataclass(frozen=True)
class TickResult:
    claimed: int = 0
    queued: int = 0
    missed: int = 0


def _deliveries_for(
    reminder: Reminder, chat_id: int, now: datetime, policy: Policy
) -> tuple[list[dict[str, Any]], datetime]:
    """Delivery rows for every occurrence up to now, and the reminder's next fire time."""
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
        # Several dispatchers may tick at once; each takes rows the others have not locked.
        query = query.with_for_update(skip_locked=True, of=Reminder)
    return [(reminder, chat_id) for reminder, chat_id in (await session.execute(query)).all()]


async def dispatch_batch(
    session: AsyncSession, now: datetime, policy: Policy, batch: int
) -> TickResult:
    """One transaction's work: claim, write deliveries, advance next_fire_at."""
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
    """Dispatch every reminder due at `now`, a batch per transaction."""
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
    if total.claimed:
        log.info(
            "dispatched %d reminders: %d queued, %d missed",
            total.claimed,
            total.queued,
            total.missed,
        )
    return total
