"""Writes shared by the reminder engine and the handlers: inserts that let uniqueness make them
idempotent (a snooze among them), what follows when a user blocks the bot, and the sender's
record of what was sent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    DateTime,
    Insert,
    Integer,
    bindparam,
    case,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.schema import Table

from storage.models import (
    Delivery,
    DeliveryStatus,
    DoseLog,
    Outcome,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
    delivery_status_in,
    table_of,
)

_DELIVERIES = table_of(Delivery)


def insert_ignoring_duplicates(session: AsyncSession, model: type[Any] | Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on either backend: uniqueness keeps work idempotent."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


class OfOccurrence(Protocol):
    """What a further delivery of an occurrence copies from one before it."""

    @property
    def user_id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def reminder_id(self) -> int | None: ...
    @property
    def kind(self) -> ReminderKind | None: ...
    @property
    def occurrence(self) -> datetime | None: ...
    @property
    def local_time(self) -> str | None: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def priority(self) -> int: ...


def further_delivery(
    of: OfOccurrence, purpose: Purpose, due_at: datetime, now: datetime
) -> dict[str, object]:
    """The row of another delivery of `of`'s occurrence (its snooze, its follow-up): pending and
    not yet tried. Uniqueness on (reminder, occurrence, purpose) makes each one once."""
    return {
        "user_id": of.user_id,
        "chat_id": of.chat_id,
        "reminder_id": of.reminder_id,
        "kind": of.kind,
        "occurrence": of.occurrence,
        "local_time": of.local_time,
        "timezone": of.timezone,
        "purpose": purpose,
        "priority": of.priority,
        "due_at": due_at,
        "status": DeliveryStatus.PENDING,
        "late": False,
        "attempts": 0,
        "updated_at": now,
    }


async def queue_snooze(
    session: AsyncSession, delivery: Delivery, due_at: datetime, now: datetime
) -> bool:
    """Queue the one snooze an occurrence may have; False when it already had one."""
    result = await session.execute(
        insert_ignoring_duplicates(session, Delivery).values(
            further_delivery(delivery, Purpose.SNOOZE, due_at, now)
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def answer_of(session: AsyncSession, delivery: Delivery) -> Outcome | None:
    """What the user answered for the delivery's occurrence, if anything.

    Once its reminder is deleted, the delivery and any answer keep no reminder id, and NULLs
    are never equal: the answer is then the user's own for that kind at that instant (one
    reminder of a kind fires at a given instant). No unique key can then keep two answers
    made at once (two instances) to one, so this holds the user's row until the caller's
    commit: an answer made meanwhile waits, then finds this one. SQLite needs no lock, as it
    lets one writer in at a time.
    """
    if delivery.reminder_id is None:
        await session.execute(select(User.id).where(User.id == delivery.user_id).with_for_update())
    return await session.scalar(select(DoseLog.outcome).where(_answer_to(delivery)))


async def change_answer(
    session: AsyncSession, delivery: Delivery, was: Outcome, now_is: Outcome
) -> bool:
    """Turn the answer for the delivery's occurrence from `was` into `now_is` (a mis-tapped
    Skip); False when it was not `was` by then (changed meanwhile, or erased)."""
    result = await session.execute(
        update(DoseLog).where(_answer_to(delivery), DoseLog.outcome == was).values(outcome=now_is)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _answer_to(delivery: Delivery) -> ColumnElement[bool]:
    """The answer row for the delivery's occurrence: by its reminder, or once that is deleted,
    by its user and kind (one reminder of a kind fires at a given instant)."""
    if delivery.reminder_id is not None:
        same = DoseLog.reminder_id == delivery.reminder_id
    else:
        same = DoseLog.reminder_id.is_(None) & (DoseLog.user_id == delivery.user_id)
        same &= DoseLog.kind == delivery.kind
    return same & (DoseLog.occurrence == delivery.occurrence)


async def cancel_pending_deliveries(
    session: AsyncSession, now: datetime, *where: ColumnElement[bool]
) -> int:
    """The pending deliveries that match `where`, recorded as cancelled; how many there were."""
    result = await session.execute(
        update(Delivery)
        .where(*where, delivery_status_in(DeliveryStatus.PENDING))
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_blocked(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user blocked the bot: stop their reminders and drop what was waiting for them.

    A broadcast's pending delivery is recorded as blocked, not cancelled: its report counts
    cancelled ones as stopped by an admin, and this one failed for the very reason a 403
    gives. Reminders' deliveries are cancelled, as ever. Either way nothing is sent again.
    """
    await session.execute(update(User).where(User.id == user_id).values(status=UserStatus.BLOCKED))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id).values(next_fire_at=None)
    )
    status = _DELIVERIES.c.status.type
    dropped = case(
        (Delivery.broadcast_id.is_not(None), literal(DeliveryStatus.BLOCKED, status)),
        else_=literal(DeliveryStatus.CANCELLED, status),
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.user_id == user_id, delivery_status_in(DeliveryStatus.PENDING))
        .values(status=dropped, updated_at=now)
    )


# (delivery id, Telegram's message id, when it was sent)
SentRow = tuple[int, int | None, datetime]


async def mark_sent(session: AsyncSession, rows: Sequence[SentRow]) -> None:
    """These deliveries were sent: one statement for them all, in the caller's transaction.

    The sender records a few dozen at a time, many times a second at a paid broadcast's cap,
    so the rows skip SQLAlchemy's preparation of each one: on PostgreSQL they travel as three
    arrays, on SQLite as plain tuples to the driver, each value converted by its column's own
    converter (the stored format stays SQLAlchemy's).
    """
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        ids, messages, times = (list(column) for column in zip(*rows, strict=True))
        await connection.execute(_PG_MARK_SENT, {"a_id": ids, "a_message": messages, "a_at": times})
        return
    sql, order, constants, at = _sqlite_mark_sent(connection.dialect)
    converted: dict[datetime, Any] = {}
    params = []
    for delivery_id, message, when in rows:
        if when not in converted:  # a group shares a few times at most
            converted[when] = at(when)
        values = {**constants, "b_id": delivery_id, "b_message": message, "b_at": converted[when]}
        params.append(tuple(values[name] for name in order))
    await connection.exec_driver_sql(sql, params)


_PG_SENT = (
    func.unnest(
        bindparam("a_id", type_=postgresql.ARRAY(Integer())),
        bindparam("a_message", type_=postgresql.ARRAY(BigInteger())),
        bindparam("a_at", type_=postgresql.ARRAY(DateTime(timezone=True))),
    )
    .table_valued("id", "message", "at")
    .render_derived()
)
_PG_MARK_SENT = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == _PG_SENT.c.id)
    .values(
        status=DeliveryStatus.SENT,
        telegram_message_id=_PG_SENT.c.message,
        sent_at=_PG_SENT.c.at,
        updated_at=_PG_SENT.c.at,
        error=None,
    )
)
_SqliteMarkSent = tuple[str, tuple[str, ...], dict[str, Any], Callable[[datetime], Any]]
_sqlite_statements: dict[Dialect, _SqliteMarkSent] = {}


def _sqlite_mark_sent(dialect: Dialect) -> _SqliteMarkSent:
    """The UPDATE's SQL, the names of its parameters in order, the values of those that are the
    same for every row (converted), and the time columns' converter."""
    found = _sqlite_statements.get(dialect)
    if found is None:
        compiled = (
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id == bindparam("b_id"))
            .values(
                status=DeliveryStatus.SENT,
                telegram_message_id=bindparam("b_message"),
                sent_at=bindparam("b_at"),
                updated_at=bindparam("b_at"),
                error=None,
            )
            .compile(dialect=dialect)
        )
        order = tuple(compiled.positiontup or ())
        assert set(order) == {"status", "error", "b_id", "b_message", "b_at"}, order
        status, convert = (
            _DELIVERIES.c[name].type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
            for name in ("status", "sent_at")
        )
        constants = {"status": status(DeliveryStatus.SENT), "error": None}
        found = _sqlite_statements[dialect] = (compiled.string, order, constants, convert)
    return found
