"""Many users with a reminder due at one instant, written in bulk as the bot would store them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert

from storage import Database
from storage.models import Reminder, ReminderKind, User, UserStatus

CHUNK = 2_000


async def insert_due_reminders(db: Database, user_ids: range, due: datetime) -> None:
    """One daily sunscreen reminder per user, due at `due` in UTC; sunscreen has no follow-up,
    so each user should get exactly one message."""
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start : start + CHUNK]
        async with db.session() as session:
            await session.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "chat_id": i,
                        "language": "en",
                        "timezone": "UTC",
                        "status": UserStatus.ACTIVE,
                        "reminders_paused": False,
                        "awaiting": "",
                        "created_at": due,
                        "last_seen_at": due,
                    }
                    for i in chunk
                ],
            )
            await session.execute(
                insert(Reminder),
                [
                    {
                        "user_id": i,
                        "kind": ReminderKind.SUNSCREEN,
                        "local_time": due.strftime("%H:%M"),
                        "timezone": "UTC",
                        "enabled": True,
                        "next_fire_at": due,
                        "created_at": due,
                    }
                    for i in chunk
                ],
            )
