"""Turns due reminder rows into delivery rows, and moves each reminder on to its next occurrence."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    DateTime,
    Enum,
    Insert,
    Integer,
    Row,
    String,
    bindparam,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import Table
from sqlalchemy.sql.selectable import TableValuedAlias

from scheduler.policy import Policy
from scheduler.schedules import fire_after
from storage import Database
from storage.models import (
    Delivery,
    DeliveryStatus,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
    table_of,
)
from storage.types import UTCDateTime

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


def insert_ignoring_duplicates(session: AsyncSession, model: type[Any] | Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on either backend: uniqueness keeps work idempotent."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


@dataclass(frozen=True)
class TickResult:
    claimed: int = 0
    queued: int = 0
    missed: int = 0


# The hot path is SQLAlchemy Core on the tables, not the ORM: no identity map and no unit of
# work, and one INSERT and one UPDATE per batch rather than one UPDATE per reminder. The ORM
# version cost two to three times as much per due reminder (docs/benchmarks.md).
_REMINDERS = table_of(Reminder)
_USERS = table_of(User)
_DELIVERIES = table_of(Delivery)
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

# The delivery columns that differ from row to row; the rest are the same for a whole batch.
_VARYING = ("user_id", "chat_id", "reminder_id", "kind", "occurrence", "status", "late")


class _Batch:
    """One batch's deliveries, column by column, and its reminders' next fire times.

    Columns because PostgreSQL takes each as one array parameter; SQLite gets them as rows.
    """

    __slots__ = ("_now", "_policy", "columns", "next_fire_at", "reminder_ids")

    def __init__(self, now: datetime, policy: Policy) -> None:
        self._now, self._policy = now, policy
        self.columns: dict[str, list[Any]] = {name: [] for name in _VARYING}
        self.reminder_ids: list[int] = []
        self.next_fire_at: list[datetime] = []

    def add(self, reminder: _Due) -> None:
        """A delivery for every occurrence up to now, and the reminder's next fire time."""
        now, columns = self._now, self.columns
        grace, late_after = self._policy.grace(reminder.kind), self._policy.late_after
        occurrence: datetime = reminder.next_fire_at
        written = 0
        while occurrence <= now and written < MAX_BACKLOG:
            overdue = now - occurrence
            columns["user_id"].append(reminder.user_id)
            columns["chat_id"].append(reminder.chat_id)
            columns["reminder_id"].append(reminder.id)
            columns["kind"].append(reminder.kind)
            columns["occurrence"].append(occurrence)
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


async def _claim(session: AsyncSession, now: datetime, batch: int) -> Sequence[Row[Any]]:
    query = (
        select(*_CLAIMED_COLUMNS)
        .join(_USERS, _USERS.c.id == _REMINDERS.c.user_id)
        .where(_REMINDERS.c.next_fire_at <= now, _USERS.c.status == UserStatus.ACTIVE)
        .order_by(_REMINDERS.c.next_fire_at)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Several dispatchers may tick at once; each takes rows the others have not locked.
        # NO KEY UPDATE, not UPDATE: the tick changes no key, so a user's Snooze or Taken,
        # whose foreign key check shares the reminder row, need not wait for the tick.
        query = query.with_for_update(skip_locked=True, key_share=True, of=_REMINDERS)
    return (await session.execute(query)).all()


async def dispatch_batch(
    session: AsyncSession, now: datetime, policy: Policy, batch: int
) -> TickResult:
    """One transaction's work: claim, write deliveries, advance next_fire_at."""
    claimed = await _claim(session, now, batch)
    if not claimed:
        return TickResult()
    work = _Batch(now, policy)
    for row in claimed:
        work.add(_Due._make(row))
    if session.get_bind().dialect.name == "postgresql":
        # A tick need not wait for its commit to reach the disk: if the server crashes first,
        # the claim is lost with the deliveries and the next tick does it again. A delivery is
        # only sent after the sender's own commit, which flushes everything before it.
        await session.execute(_ASYNC_COMMIT)
        await _write_postgres(session, work, now)
    else:
        await _write_sqlite(session, work, now)
    missed = work.missed()
    return TickResult(claimed=len(claimed), queued=len(work) - missed, missed=missed)


_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")


# --- SQLite: one executemany per statement. SQLite runs in this process, so a statement per row
# costs no round trip; what cost was SQLAlchemy preparing each row's parameters (a dict, a
# conversion per column), a third of the tick. So the SQL is compiled once, each value is
# converted by its column's own converter (the stored format stays exactly SQLAlchemy's), values
# that repeat are converted once, and the rows go to the driver as plain tuples.

_SQLITE_INSERT_ORDER = (
    "user_id",
    "chat_id",
    "reminder_id",
    "kind",
    "occurrence",
    "purpose",
    "priority",
    "due_at",
    "status",
    "late",
    "attempts",
    "updated_at",
)


@dataclass(frozen=True)
class _SqliteWrites:
    insert_sql: str
    advance_sql: str
    db_time: Callable[[datetime], Any]
    kinds: dict[ReminderKind, Any]
    statuses: dict[DeliveryStatus, Any]
    flags: dict[bool, Any]
    first: Any


_sqlite_writes: dict[Dialect, _SqliteWrites] = {}


def _sqlite_writes_for(dialect: Dialect) -> _SqliteWrites:
    writes = _sqlite_writes.get(dialect)
    if writes is None:
        writes = _sqlite_writes[dialect] = _compile_sqlite_writes(dialect)
    return writes


def _compile_sqlite_writes(dialect: Dialect) -> _SqliteWrites:
    insert = (
        sqlite.insert(_DELIVERIES)
        .values({name: bindparam(name) for name in _SQLITE_INSERT_ORDER})
        .on_conflict_do_nothing()
        .compile(dialect=dialect)
    )
    advance = (
        update(_REMINDERS)
        .where(_REMINDERS.c.id == bindparam("b_id"))
        .values(next_fire_at=bindparam("b_next"))
        .compile(dialect=dialect)
    )
    # The tuples below are built in these orders.
    assert tuple(insert.positiontup or ()) == _SQLITE_INSERT_ORDER, insert.positiontup
    assert tuple(advance.positiontup or ()) == ("b_next", "b_id"), advance.positiontup

    def converter(name: str) -> Callable[[Any], Any]:
        column_type = _DELIVERIES.c[name].type
        return column_type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)

    kind, status, late, purpose = (converter(n) for n in ("kind", "status", "late", "purpose"))
    return _SqliteWrites(
        insert_sql=insert.string,
        advance_sql=advance.string,
        db_time=converter("occurrence"),
        kinds={k: kind(k) for k in ReminderKind},
        statuses={s: status(s) for s in DeliveryStatus},
        flags={b: late(b) for b in (False, True)},
        first=purpose(Purpose.FIRST),
    )


async def _write_sqlite(session: AsyncSession, work: _Batch, now: datetime) -> None:
    connection = await session.connection()
    w = _sqlite_writes_for(connection.dialect)
    db_time, kinds, statuses, flags = w.db_time, w.kinds, w.statuses, w.flags
    if len(work):
        first, updated = w.first, db_time(now)
        rows = []
        for user, chat, reminder, kind, occurrence, status, late in zip(
            *work.columns.values(), strict=True
        ):
            at = db_time(occurrence)  # the occurrence is also when it is due
            rows.append(
                (
                    user,
                    chat,
                    reminder,
                    kinds[kind],
                    at,
                    first,
                    PRIORITY_REMINDER,
                    at,
                    statuses[status],
                    flags[late],
                    0,
                    updated,
                )
            )
        await connection.exec_driver_sql(w.insert_sql, rows)
    advances = [
        (db_time(following), reminder)
        for reminder, following in zip(work.reminder_ids, work.next_fire_at, strict=True)
    ]
    await connection.exec_driver_sql(w.advance_sql, advances)


# --- PostgreSQL: a batch travels as a few arrays in one statement each, through unnest. With
# asyncpg's pipelined executemany the server still paid a statement per row.


def _array(name: str, table: Table) -> BindParameter[Any]:
    """An array parameter for a column's values, named apart from the column.

    Enum values are str already and datetimes aware UTC already, so the arrays are of plain
    types: no conversion in Python per element.
    """
    column_type = table.c[name].type
    if isinstance(column_type, Enum | String):
        column_type = String()
    elif isinstance(column_type, UTCDateTime):
        column_type = DateTime(timezone=True)
    # Not the column's own name: SQLAlchemy keeps those for the SET clause.
    return bindparam(f"a_{name}", type_=postgresql.ARRAY(column_type))


def _unnest(names: Sequence[str], table: Table) -> TableValuedAlias:
    arrays = [_array(name, table) for name in names]
    return func.unnest(*arrays).table_valued(*names).render_derived()


_PG_NEW = _unnest(_VARYING, _DELIVERIES)
_PG_INSERT = (
    postgresql.insert(_DELIVERIES)
    .from_select(
        [*_VARYING, "due_at", "purpose", "priority", "attempts", "updated_at"],
        select(
            *_PG_NEW.c,
            _PG_NEW.c.occurrence,
            literal(Purpose.FIRST.value, String()),
            literal(PRIORITY_REMINDER, Integer()),
            literal(0, Integer()),
            bindparam("b_now", type_=DateTime(timezone=True)),
        ),
    )
    .on_conflict_do_nothing()
)
_PG_NEXT = _unnest(("id", "next_fire_at"), _REMINDERS)
_PG_ADVANCE = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id == _PG_NEXT.c.id)
    .values(next_fire_at=_PG_NEXT.c.next_fire_at)
)


async def _write_postgres(session: AsyncSession, work: _Batch, now: datetime) -> None:
    if len(work):
        arrays = {f"a_{name}": values for name, values in work.columns.items()}
        await session.execute(_PG_INSERT, {**arrays, "b_now": now})
    await session.execute(
        _PG_ADVANCE, {"a_id": work.reminder_ids, "a_next_fire_at": work.next_fire_at}
    )


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
