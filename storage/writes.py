"""Writes shared by the reminder engine and the handlers: inserts that let uniqueness make them
idempotent, and what follows when a user blocks the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import Table

from storage.models import Delivery, DeliveryStatus, Reminder, User, UserStatus


def insert_ignoring_duplicates(session: AsyncSession, model: type[Any] | Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on either backend: uniqueness keeps work idempotent."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


async def mark_blocked(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user blocked the bot: stop their reminders and drop what was waiting for them."""
    await session.execute(update(User).where(User.id == user_id).values(status=UserStatus.BLOCKED))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id).values(next_fire_at=None)
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.user_id == user_id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
