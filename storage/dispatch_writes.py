"""The dispatcher's bulk writes: a batch of first deliveries, and the next fire time of each
reminder they came from, in as few statements as each backend allows.

The hot path is SQLAlchemy Core on the tables, not the ORM: no identity map and no unit of work,
and one INSERT and one UPDATE per batch rather than one UPDATE per reminder. The ORM version cost
two to three times as much per due reminder (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    BindParameter,
    DateTime,
    Enum,
    Integer,
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

from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, ReminderKind, table_of
from storage.types import UTCDateTime

# The delivery columns that differ from row to row, in this order; the rest are the same for a
# whole batch. The occurrence is also when a delivery is due.
VARYING = (
    "user_id",
    "chat_id",
    "reminder_id",
    "kind",
    "occurrence",
    "status",
    "late",
    "local_time",
    "timezone",
)

_REMINDERS = table_of(Reminder)
_DELIVERIES = table_of(Delivery)


class DispatchedBatch(Protocol):
    """A batch of first deliveries, column by column, and its reminders' next fire times."""

    @property
    def columns(self) -> Mapping[str, Sequence[Any]]:
        """The deliveries' columns named in VARYING."""

    @property
    def reminder_ids(self) -> Sequence[int]: ...

    @property
    def next_fire_at(self) -> Sequence[datetime]: ...


async def write_dispatched(
    session: AsyncSession, batch: DispatchedBatch, now: datetime, priority: int
) -> None:
    """Insert the first deliveries (an occurrence already there is left alone) and move each
    reminder on to its next fire time."""
    write = _write_postgres if session.get_bind().dialect.name == "postgresql" else _write_sqlite
    await write(session, batch, now, priority)


async def commit_without_waiting_for_disk(session: AsyncSession) -> None:
    """PostgreSQL: this transaction's commit returns before it reaches the disk."""
    await session.execute(_ASYNC_COMMIT)


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
    "local_time",
    "timezone",
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


async def _write_sqlite(
    session: AsyncSession, batch: DispatchedBatch, now: datetime, priority: int
) -> None:
    connection = await session.connection()
    w = _sqlite_writes_for(connection.dialect)
    db_time, kinds, statuses, flags = w.db_time, w.kinds, w.statuses, w.flags
    deliveries = batch.columns
    if deliveries[VARYING[0]]:
        first, updated = w.first, db_time(now)
        rows = []
        for user, chat, reminder, kind, occurrence, status, late, local_time, zone in zip(
            *(deliveries[name] for name in VARYING), strict=True
        ):
            at = db_time(occurrence)  # the occurrence is also when it is due
            rows.append(
                (
                    user,
                    chat,
                    reminder,
                    kinds[kind],
                    at,
                    local_time,
                    zone,
                    first,
                    priority,
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
        for reminder, following in zip(batch.reminder_ids, batch.next_fire_at, strict=True)
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


_PG_NEW = _unnest(VARYING, _DELIVERIES)
_PG_INSERT = (
    postgresql.insert(_DELIVERIES)
    .from_select(
        [*VARYING, "due_at", "purpose", "priority", "attempts", "updated_at"],
        select(
            *_PG_NEW.c,
            _PG_NEW.c.occurrence,
            literal(Purpose.FIRST.value, String()),
            bindparam("b_priority", type_=Integer()),
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


async def _write_postgres(
    session: AsyncSession, batch: DispatchedBatch, now: datetime, priority: int
) -> None:
    if batch.columns[VARYING[0]]:
        arrays = {f"a_{name}": batch.columns[name] for name in VARYING}
        await session.execute(_PG_INSERT, {**arrays, "b_now": now, "b_priority": priority})
    advances = {"a_id": batch.reminder_ids, "a_next_fire_at": batch.next_fire_at}
    await session.execute(_PG_ADVANCE, advances)
