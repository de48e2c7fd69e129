"""Turns due reminder rows into delivery rows, and moves each reminder on to its next occurrence.

The tick claims due reminders across all users; a user's own change claims theirs the same way
first (`dispatch_user`), so that what fell due is queued before the change. The bulk writes are
storage/dispatch_writes.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from scheduler.policy import Policy
from scheduler.schedules import fire_after
from storage import Database
from storage.dispatch_writes import VARYING, commit_without_waiting_for_disk, write_dispatched
from storage.models import DeliveryStatus, Reminder, ReminderKind, User, UserStatus, table_of

log = logging.getLogger("isobot.dispatcher")

# After a long outage a reminder's backlog is written as missed up to this many occurrences, enough
# for /history's 30 days; older ones are simply skipped over.
MAX_BACKLOG = 40
PRIORITY_REMINDER = 0
# Reminders per transaction. PostgreSQL locks only the claimed rows, and fewer, bigger statements
# and commits cost it less per reminder (2000 about a fifth less than 500), so big batches.
# SQLite locks the whole database for writing while a batch runs, so small ones: a user's command
# that writes waits for one batch at most (about 30 ms of 500).
POSTGRES_BATCH = 2000
SQLITE_BATCH = 500
# A user's own reminders per statement: one batch in practice.
_USER_BATCH = 100


@dataclass(frozen=True)
class TickResult:
    claimed: int = 0
    queued: int = 0
    missed: int = 0


_REMINDERS = table_of(Reminder)
_USERS = table_of(User)
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


class _Due(NamedTuple):
    """A claimed reminder as plain fields, in the order of _CLAIMED_COLUMNS.

    A Core Row's attribute access costs about a microsecond, a NamedTuple's a tenth of that, and
    a tick reads each field a few times.
    """

    id: int
    user_id: int
    kind: ReminderKind
    local_time: str
    timezone: str
    day_of_month: int | None
    day_of_week: int | None
    next_fire_at: datetime
    chat_id: int


assert _Due._fields == tuple(column.name for column in _CLAIMED_COLUMNS)

# With no policy the sender judges the grace when it claims a delivery (see _Batch).
_NEVER = timedelta.max


class _Batch:
    """One batch's deliveries, column by column, and its reminders' next fire times.

    Columns because PostgreSQL takes each as one array parameter; SQLite gets them as rows.
    With a policy, an occurrence past its grace is written as missed and one past `late_after`
    as late; without one, every occurrence is written pending, and the sender decides both.
    """

    __slots__ = ("_now", "_policy", "columns", "next_fire_at", "reminder_ids")

    def __init__(self, now: datetime, policy: Policy | None) -> None:
        self._now, self._policy = now, policy
        self.columns: dict[str, list[Any]] = {name: [] for name in VARYING}
        self.reminder_ids: list[int] = []
        self.next_fire_at: list[datetime] = []

    def add(self, reminder: _Due) -> None:
        """A delivery for every occurrence up to now, and the reminder's next fire time."""
        now, columns, policy = self._now, self.columns, self._policy
        grace, late_after = (
            (policy.grace(reminder.kind), policy.late_after)
            if policy is not None
            else (_NEVER, _NEVER)
        )
        occurrence: datetime = reminder.next_fire_at
        written = 0
        while occurrence <= now and written < MAX_BACKLOG:
            overdue = now - occurrence
            columns["user_id"].append(reminder.user_id)
            columns["chat_id"].append(reminder.chat_id)
            columns["reminder_id"].append(reminder.id)
            columns["kind"].append(reminder.kind)
            columns["occurrence"].append(occurrence)
            columns["local_time"].append(reminder.local_time)
            columns["timezone"].append(reminder.timezone)
            columns["status"].append(
                DeliveryStatus.MISSED if overdue > grace else DeliveryStatus.PENDING
            )
            columns["late"].append(overdue > late_after)
            written += 1
            occurrence = fire_after(reminder, occurrence)
        if occurrence <= now:
            occurrence = fire_after(reminder, now)
        self.reminder_ids.append(reminder.id)
        self.next_fire_at.append(occurrence)

    def __len__(self) -> int:
        return len(self.columns["reminder_id"])

    def missed(self) -> int:
        return self.columns["status"].count(DeliveryStatus.MISSED)


def _due_query(now: datetime, batch: int) -> Select[Any]:
    return (
        select(*_CLAIMED_COLUMNS)
        .join(_USERS, _USERS.c.id == _REMINDERS.c.user_id)
        .where(_REMINDERS.c.next_fire_at <= now)
        .order_by(_REMINDERS.c.next_fire_at)
        .limit(batch)
    )


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def _claim(session: AsyncSession, now: datetime, batch: int) -> Sequence[Row[Any]]:
    query = _due_query(now, batch).where(_USERS.c.status == UserStatus.ACTIVE)
    if _is_postgres(session):
        # Several dispatchers may tick at once; each takes rows the others have not locked.
        # NO KEY UPDATE, not UPDATE: the tick changes no key, so a user's Snooze or Taken,
        # whose foreign key check shares the reminder row, need not wait for the tick.
        query = query.with_for_update(skip_locked=True, key_share=True, of=_REMINDERS)
    return (await session.execute(query)).all()


async def _claim_for_user(
    session: AsyncSession, user_id: int, now: datetime, batch: int
) -> Sequence[Row[Any]]:
    # Whatever the user's status: the sender cancels what a blocked user must not get.
    query = _due_query(now, batch).where(_REMINDERS.c.user_id == user_id)
    if _is_postgres(session):
        query = query.with_for_update(of=_REMINDERS)  # wait for a tick that holds them
    return (await session.execute(query)).all()


async def _dispatch(
    session: AsyncSession, claimed: Sequence[Row[Any]], now: datetime, policy: Policy | None
) -> _Batch:
    work = _Batch(now, policy)
    for row in claimed:
        work.add(_Due._make(row))
    await write_dispatched(session, work, now, PRIORITY_REMINDER)
    return work


async def dispatch_batch(
    session: AsyncSession, now: datetime, policy: Policy, batch: int
) -> TickResult:
    """One transaction's work: claim, write deliveries, advance next_fire_at."""
    claimed = await _claim(session, now, batch)
    if not claimed:
        return TickResult()
    if _is_postgres(session):
        # A tick need not wait for its commit to reach the disk: if the server crashes first,
        # the claim is lost with the deliveries and the next tick does it again. A delivery is
        # only sent after the sender's own commit, which flushes everything before it.
        await commit_without_waiting_for_disk(session)
    work = await _dispatch(session, claimed, now, policy)
    missed = work.missed()
    return TickResult(claimed=len(claimed), queued=len(work) - missed, missed=missed)


async def dispatch_due(
    db: Database, now: datetime, policy: Policy, batch: int | None = None
) -> TickResult:
    """Dispatch every reminder due at `now`, a batch per transaction."""
    if batch is None:
        batch = POSTGRES_BATCH if db.is_postgres else SQLITE_BATCH
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


async def dispatch_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Queue the user's occurrences that fell due but were not dispatched yet, in the caller's
    transaction, as the tick would; every one pending, for the sender to judge its grace.

    The user's reminders loaded in the session are told their new next fire time.
    """
    await session.flush()  # a Core select does not flush the session's changes itself
    while claimed := await _claim_for_user(session, user_id, now, _USER_BATCH):
        work = await _dispatch(session, claimed, now, None)
        for reminder_id, following in zip(work.reminder_ids, work.next_fire_at, strict=True):
            loaded = session.sync_session.identity_map.get(identity_key(Reminder, reminder_id))
            if loaded is not None:
                set_committed_value(loaded, "next_fire_at", following)
        if len(claimed) < _USER_BATCH:
            break
