"""Everything stored about one user, table by table: to export it and to erase it.

The tables are found from the models, not listed by hand, so a table added later is exported and
erased without anyone remembering to: a row belongs to a user through its `user_id` column, or
through the column named in OWNER_COLUMNS. A table with neither must be named in SHARED_TABLES,
and a test fails until it is, so nothing personal can slip past both.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Delete, Table, Update, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    delivery_status_in,
)

OWNER_COLUMNS = {"users": "id", "broadcasts": "admin_id"}
# Rows about other people too, whose owner is taken out rather than the row: a broadcast's
# deliveries are its recipients' records, and deleting it would take them along.
ANONYMISED: dict[str, dict[str, Any]] = {
    "broadcasts": {"admin_id": 0, "admin_chat_id": 0, "progress_message_id": None}
}
# Tables that hold nothing about any one person.
SHARED_TABLES: frozenset[str] = frozenset()
EXPORT_FORMAT = "isobot-export"
EXPORT_VERSION = 1


def owner_column(table: Table) -> Column[Any] | None:
    """The column that names the user a row of `table` belongs to, if it has one."""
    return table.columns.get(OWNER_COLUMNS.get(table.name, "user_id"))


def personal_tables() -> list[tuple[Table, Column[Any]]]:
    """Every table with rows that belong to a user, parents before children."""
    found = []
    for table in Base.metadata.sorted_tables:
        column = owner_column(table)
        if column is not None:
            found.append((table, column))
    return found


async def rows_of(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about the user, by table name, in primary-key order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table, column in personal_tables():
        query = select(table).where(column == user_id).order_by(*table.primary_key.columns)
        found[table.name] = [dict(row._mapping) for row in await session.execute(query)]
    return found


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot export a {type(value).__name__}")


def export_document(user_id: int, rows: dict[str, list[dict[str, Any]]], now: datetime) -> bytes:
    """The JSON a user receives from /export."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "user_id": user_id,
        "tables": rows,
    }
    return json.dumps(document, default=_plain, ensure_ascii=False, indent=2).encode("utf-8")


async def erase_user(session: AsyncSession, user_id: int, now: datetime) -> int:
    """Delete every row that belongs to the user, in every table; the number of rows. A
    broadcast that reached anyone loses its admin instead (see ANONYMISED), and stops if it is
    still going out; a draft is deleted.

    Children first, so nothing depends on a foreign key's cascade (SQLite needs its pragma for
    that). Deleting a reminder stops its pending deliveries, which are deleted with it.
    """
    deleted = await _release_broadcasts(session, user_id, now)
    for table, column in reversed(personal_tables()):
        statement: Update | Delete
        if table.name in ANONYMISED:
            statement = update(table).where(column == user_id).values(ANONYMISED[table.name])
        else:
            statement = delete(table).where(column == user_id)
        result = await session.execute(statement)
        deleted += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return deleted


async def broadcasts_going_out(session: AsyncSession, admin_id: int) -> list[tuple[int, int, int]]:
    """The admin's broadcasts still going out that show a progress message: their ids, chats and
    progress messages, which an erasure leaves with no one to update them."""
    rows = await session.execute(
        select(Broadcast.id, Broadcast.admin_chat_id, Broadcast.progress_message_id).where(
            Broadcast.admin_id == admin_id,
            Broadcast.status == BroadcastStatus.SENDING,
            Broadcast.progress_message_id.is_not(None),
        )
    )
    return [(row.id, row.admin_chat_id, row.progress_message_id) for row in rows]


async def _release_broadcasts(session: AsyncSession, admin_id: int, now: datetime) -> int:
    """Before an admin's broadcasts lose their admin: drafts, which reached no one, are deleted
    (how many), and one still going out stops, as /broadcast_cancel would stop it, since no one
    is left to report to."""
    mine = Broadcast.admin_id == admin_id
    going = select(Broadcast.id).where(mine, Broadcast.status == BroadcastStatus.SENDING)
    await session.execute(
        update(Delivery)
        .where(Delivery.broadcast_id.in_(going), delivery_status_in(DeliveryStatus.PENDING))
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
    await session.execute(
        update(Broadcast)
        .where(mine, Broadcast.status == BroadcastStatus.SENDING)
        .values(status=BroadcastStatus.CANCELLED, updated_at=now)
    )
    drafts = await session.execute(
        delete(Broadcast).where(mine, Broadcast.status == BroadcastStatus.DRAFT)
    )
    return int(drafts.rowcount or 0)  # type: ignore[attr-defined]
