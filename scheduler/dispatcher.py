"""Turns due reminder rows into delivery rows, and moves each reminder on to its next occurrence."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Row, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import Table

from scheduler.policy import Policy
from scheduler.schedules import fire_after
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, User, UserStatus

log = logging.getLogger("isobot.dispatcher")

# After a long outage a reminder's backlog is written as missed up to this many occurrences, enough
# for /history's 30 days; older ones are simply skipped over.
MAX_BACKLOG = 40
PRIORITY_REMINDER = 0


def insert_ignoring_duplicates(session: AsyncSession, model: type[Any] | Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on either backend: uniqueness keeps work idempotent."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


@dataclass(frozen=True)
class TickResult:
    claimed: int = 0
    queued: int = 0
    missed: int = 0


# The hot path is SQLAlchemy Core on the tables, not the ORM: no identity map, no unit of work,
# one bulk INSERT and one executemany UPDATE per batch. The ORM version cost about four times as
# much per due reminder (docs/benchmarks.md).
_REMINDERS = Reminder.__table__
_USERS = User.__table__
_DELIVERIES = Delivery.__table__
_CLAIMED_COLUMNS = (
    _REMINDERS.c.id,
    _REMINDERS.c.user_id,
    _REMINDERS.c.kind,
    _REMINDERS.c.local_time,
    _REMINDERS.c.timezone,
    _REMINDERS.c.day_of_month,
    _REMINDERS.c.day_of_week,
    _REMINDERS.c.next_fire_at,
    _USERS.c.chat_id,
)
# By primary key, executed once with every claimed reminder's parameters.
_ADVANCE = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id == bindparam("b_id"))
    .values(next_fire_at=bindparam("b_next", type_=_REMINDERS.c.next_fire_at.type))
)


def _deliveries_for(
    reminder: Row[Any], now: datetime, policy: Policy
) -> tuple[list[dict[str, Any]], datetime]:
    """Delivery rows for every occurrence up to now, and the reminder's next fire time."""
    occurrence: datetime = reminder.next_fire_at
    grace = policy.grace(reminder.kind)
    rows: list[dict[str, Any]] = []
    while occurrence <= now and len(rows) < MAX_BACKLOG:
        overdue = now - occurrence
        rows.append(
            {
                "user_id": reminder.user_id,
                "chat_id": reminder.chat_id,
                "reminder_id": reminder.id,
                "kind": reminder.kind,
                "occurrence": occurrence,
                "purpose": Purpose.FIRST,
                "priority": PRIORITY_REMINDER,
                "due_at": occurrence,
                "status": DeliveryStatus.MISSED if overdue > grace else DeliveryStatus.PENDING,
                "late": overdue > policy.late_after,
                "attempts": 0,
                "updated_at": now,
            }
        )
        occurrence = fire_after(reminder, occurrence)
    if occurrence <= now:
        occurrence = fire_after(reminder, now)
    return rows, occurrence


async def _claim(session: AsyncSession, now: datetime, batch: int) -> Sequence[Row[Any]]:
    query = (
        select(*_CLAIMED_COLUMNS)
        .join(_USERS, _USERS.c.id == _REMINDERS.c.user_id)
        .where(_REMINDERS.c.next_fire_at <= now, _USERS.c.status == UserStatus.ACTIVE)
        .order_by(_REMINDERS.c.next_fire_at)
        .limit(batch)
    )
    if session.bind.dialect.name == "postgresql":
        # Several dispatchers may tick at once; each takes rows the others have not locked.
        query = query.with_for_update(skip_locked=True, of=_REMINDERS)
    return (await session.execute(query)).all()


async def dispatch_batch(
    session: AsyncSession, now: datetime, policy: Policy, batch: int
) -> TickResult:
    """One transaction's work: claim, write deliveries, advance next_fire_at."""
    claimed = await _claim(session, now, batch)
    if not claimed:
        return TickResult()
    rows: list[dict[str, Any]] = []
    advances: list[dict[str, Any]] = []
    for reminder in claimed:
        new_rows, following = _deliveries_for(reminder, now, policy)
        rows += new_rows
        advances.append({"b_id": reminder.id, "b_next": following})
    if rows:
        await session.execute(insert_ignoring_duplicates(session, _DELIVERIES), rows)
    await session.execute(_ADVANCE, advances)
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
