"""Queries on users."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import User, UserStatus, table_of

# A guided flow (typing a time, a dose, a date) is forgotten after this long without a word from
# the user, so that a question typed days later is not read as the answer to an old prompt.
FLOW_FORGOTTEN_AFTER = timedelta(minutes=30)


async def record_seen(
    session: AsyncSession, user_id: int, chat_id: int, language: str, now: datetime
) -> User:
    """Create the user on first contact; afterwards refresh chat, language and last-seen time.

    A user who writes again after blocking the bot has unblocked it, so they are active again.
    A guided flow left for `FLOW_FORGOTTEN_AFTER` is forgotten.
    """
    user = await session.get(User, user_id)
    if user is None:
        user = User(
            id=user_id,
            chat_id=chat_id,
            language=language,
            timezone="",
            status=UserStatus.ACTIVE,
            created_at=now,
            last_seen_at=now,
        )
        session.add(user)
    else:
        if user.last_seen_at < now - FLOW_FORGOTTEN_AFTER:
            user.awaiting = ""
        user.chat_id = chat_id
        user.language = language or user.language
        user.last_seen_at = now
        user.status = UserStatus.ACTIVE
    await session.flush()
    return user


async def refresh_active(
    db: Database, user_id: int, chat_id: int, language: str, now: datetime
) -> bool:
    """`record_seen` in one statement for a known, active user; False for anyone else."""
    table = table_of(User)
    values: dict[str, object] = {
        "chat_id": chat_id,
        "last_seen_at": now,
        "awaiting": case(
            (table.c.last_seen_at < now - FLOW_FORGOTTEN_AFTER, ""), else_=table.c.awaiting
        ),
    }
    if language:
        values["language"] = language
    changed = await db.execute_alone(
        update(table)
        .where(table.c.id == user_id, table.c.status == UserStatus.ACTIVE)
        .values(values)
    )
    return changed == 1


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)
