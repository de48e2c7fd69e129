"""Queries on reminders, built once with bound parameters.

A statement is cheap to run from SQLAlchemy's cache, not to build: building these on every call
was a third of a /remind's own CPU. scheduler/reminders.py says what they are for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import models

_DELIVERIES = models.table_of(models.Delivery)
_KIND_ORDER = {kind: index for index, kind in enumerate(models.ReminderKind)}

_OF_USER = (
    select(models.Reminder)
    .where(models.Reminder.user_id == bindparam("user_id"))
    .order_by(models.Reminder.local_time)
)
# Core, on the table: no ORM compilation.
_LAST_OF_KIND = (
    select(_DELIVERIES.c.occurrence, _DELIVERIES.c.reminder_id)
    .where(
        _DELIVERIES.c.user_id == bindparam("user_id"),
        _DELIVERIES.c.kind == bindparam("kind"),
        _DELIVERIES.c.purpose == models.Purpose.FIRST,
        _DELIVERIES.c.status != models.DeliveryStatus.CANCELLED,
        _DELIVERIES.c.occurrence.is_not(None),
    )
    .order_by(_DELIVERIES.c.occurrence.desc())
    .limit(1)
)
# The kind's last occurrence and its reminder, as two uncorrelated subqueries, which both
# backends run once per statement: read beside the reminders of that kind.
_LAST_AT = _LAST_OF_KIND.with_only_columns(_DELIVERIES.c.occurrence).scalar_subquery()
_LAST_ID = _LAST_OF_KIND.with_only_columns(_DELIVERIES.c.reminder_id).scalar_subquery()
_OF_KIND_WITH_LAST = _OF_USER.where(models.Reminder.kind == bindparam("kind")).add_columns(
    _LAST_AT, _LAST_ID
)
# A user, each of their reminders of a kind (none: one row, with NULLs), and the kind's last
# occurrence, in one statement.
_USER_AND_KIND = (
    select(models.User, models.Reminder, _LAST_AT, _LAST_ID)
    .outerjoin(
        models.Reminder,
        and_(models.Reminder.user_id == models.User.id, models.Reminder.kind == bindparam("kind")),
    )
    .where(models.User.id == bindparam("user_id"))
    .order_by(models.Reminder.local_time)
)

# An occurrence and the reminder it belonged to (None once that reminder was deleted).
LastRow = tuple[datetime, int | None]


async def reminders_of(session: AsyncSession, user_id: int) -> list[models.Reminder]:
    """The user's reminders by kind, then time."""
    return _by_kind_and_time(await session.scalars(_OF_USER, {"user_id": user_id}))


def _by_kind_and_time(reminders: Iterable[models.Reminder]) -> list[models.Reminder]:
    return sorted(reminders, key=lambda r: (_KIND_ORDER[r.kind], r.local_time))


async def last_occurrence_row(
    session: AsyncSession, user_id: int, kind: models.ReminderKind
) -> LastRow | None:
    """The latest first reminder of the kind that went out or was owed: anything not
    cancelled."""
    params: dict[str, object] = {"user_id": user_id, "kind": kind}
    # Without autoflush: deliveries are never ORM objects, so none can be waiting, and a moved
    # time is then written once, with its next fire time, not in an UPDATE of its own first.
    with session.no_autoflush:
        row = (await session.execute(_LAST_OF_KIND, params)).first()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


async def reminders_and_last(
    session: AsyncSession, user_id: int, kind: models.ReminderKind, *, refresh: bool = False
) -> tuple[list[models.Reminder], LastRow | None]:
    """The user's reminders of `kind` by time, and the kind's `last_occurrence_row`, in one
    statement; `refresh` reloads the reminders the session holds already."""
    params = {"user_id": user_id, "kind": kind}
    rows = (
        await session.execute(
            _OF_KIND_WITH_LAST, params, execution_options={"populate_existing": refresh}
        )
    ).all()
    if not rows:  # no reminder to carry it, yet a deleted one may have gone out
        return [], await last_occurrence_row(session, user_id, kind)
    at, reminder_id = rows[0][1], rows[0][2]
    return [row[0] for row in rows], None if at is None else (at, reminder_id)


async def user_and_reminders(
    session: AsyncSession, user_id: int, kind: models.ReminderKind
) -> tuple[models.User | None, list[models.Reminder], LastRow | None]:
    """The user (None if unknown), their reminders of `kind` by time, and the kind's
    `last_occurrence_row`, in one statement."""
    rows = (await session.execute(_USER_AND_KIND, {"user_id": user_id, "kind": kind})).all()
    if not rows:
        return None, [], None
    at, reminder_id = rows[0][2], rows[0][3]
    reminders = [row[1] for row in rows if row[1] is not None]
    return rows[0][0], reminders, None if at is None else (at, reminder_id)


async def first_of_kind(
    session: AsyncSession, user_id: int, kind: models.ReminderKind
) -> models.Reminder | None:
    """The user's reminder of a kind that keeps one (a check, the check-in): the oldest."""
    return await session.scalar(
        select(models.Reminder)
        .where(models.Reminder.user_id == user_id, models.Reminder.kind == kind)
        .order_by(models.Reminder.id)
        .limit(1)
    )


async def reminded_since(session: AsyncSession, user_id: int, since: datetime) -> bool:
    """Whether a reminder (each asks with its buttons: taken? done?) went to the user after
    `since`."""
    found = await session.scalar(
        select(_DELIVERIES.c.id)
        .where(
            _DELIVERIES.c.user_id == user_id,
            _DELIVERIES.c.kind.is_not(None),
            _DELIVERIES.c.sent_at > since,
        )
        .limit(1)
    )
    return found is not None
