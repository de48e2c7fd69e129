"""Users, reminders, deliveries and broadcasts written as the bot stores them: one factory for
the tests and the benchmarks.

`bench/` imports it too; the bot's own packages never do. Rows are plain dicts for bulk
`insert()`, so that a benchmark can stream a million of them in chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from storage import Database
from storage.models import (
    Audience,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
)

Row = dict[str, Any]
CHUNK = 2_000


def user_row(
    user_id: int,
    at: datetime,
    *,
    timezone: str = "UTC",
    status: UserStatus = UserStatus.ACTIVE,
    paused: bool = False,
    created_at: datetime | None = None,
) -> Row:
    """A user whose private chat has their own id, last seen at `at` (and created then, unless
    `created_at` says otherwise)."""
    return {
        "id": user_id,
        "chat_id": user_id,
        "language": "en",
        "timezone": timezone,
        "status": status,
        "reminders_paused": paused,
        "awaiting": "",
        "created_at": at if created_at is None else created_at,
        "last_seen_at": at,
    }


def reminder_row(
    user_id: int,
    at: datetime,
    *,
    next_fire_at: datetime | None,
    local_time: str | None = None,
    kind: ReminderKind = ReminderKind.DOSE,
    timezone: str = "UTC",
    enabled: bool = True,
) -> Row:
    """A daily reminder created at `at`. Unless `local_time` is given it is the wall-clock time
    of `next_fire_at` in `timezone`, so the two agree as the bot would store them."""
    if local_time is None:
        if next_fire_at is None:
            raise ValueError("a reminder with no next_fire_at needs its local_time")
        local_time = next_fire_at.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    return {
        "user_id": user_id,
        "kind": kind,
        "local_time": local_time,
        "timezone": timezone,
        "enabled": enabled,
        "next_fire_at": next_fire_at,
        "created_at": at,
    }


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


async def insert_rows(
    db: Database, users: Iterable[Row], reminders: Iterable[Row] = (), chunk: int = CHUNK
) -> None:
    """The users, then the reminders, `chunk` rows per session: a generator of a million rows is
    never held in memory at once."""
    for model, rows in ((User, users), (Reminder, reminders)):
        for batch in _chunks(rows, chunk):
            async with db.session() as session:
                await session.execute(insert(model), batch)


async def add_users_with_reminders(
    db: Database,
    user_ids: Iterable[int],
    at: datetime,
    *,
    next_fire_at: datetime | None,
    local_time: str | None = None,
    kind: ReminderKind = ReminderKind.DOSE,
    timezone: str = "UTC",
) -> list[int]:
    """Each user with one reminder of `kind`, all alike; returns the ids."""
    ids = list(user_ids)
    await insert_rows(
        db,
        (user_row(i, at, timezone=timezone) for i in ids),
        (
            reminder_row(
                i,
                at,
                next_fire_at=next_fire_at,
                local_time=local_time,
                kind=kind,
                timezone=timezone,
            )
            for i in ids
        ),
    )
    return ids


async def insert_due_reminders(db: Database, user_ids: Iterable[int], due: datetime) -> None:
    """One daily sunscreen reminder per user in UTC, due at `due`; sunscreen has no follow-up,
    so each user should get exactly one message."""
    await add_users_with_reminders(db, user_ids, due, next_fire_at=due, kind=ReminderKind.SUNSCREEN)


def draft_broadcast(admin_id: int, at: datetime, text_html: str = "hello") -> Broadcast:
    """A broadcast to everyone, written by `admin_id` and not yet queued."""
    return Broadcast(
        admin_id=admin_id,
        admin_chat_id=admin_id,
        text_html=text_html,
        audience=Audience.ALL,
        status=BroadcastStatus.DRAFT,
        total=0,
        created_at=at,
        updated_at=at,
    )


def first_delivery(
    user_id: int,
    reminder_id: int | None,
    occurrence: datetime,
    status: DeliveryStatus = DeliveryStatus.PENDING,
    *,
    updated_at: datetime | None = None,
) -> Delivery:
    """The first delivery of a dose reminder's occurrence, due at it, to the user's own chat."""
    return Delivery(
        user_id=user_id,
        chat_id=user_id,
        reminder_id=reminder_id,
        kind=ReminderKind.DOSE,
        occurrence=occurrence,
        purpose=Purpose.FIRST,
        priority=0,
        due_at=occurrence,
        status=status,
        updated_at=updated_at or occurrence,
    )
