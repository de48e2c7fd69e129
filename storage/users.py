"""Queries on users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User, UserStatus


async def record_seen(
    session: AsyncSession, user_id: int, chat_id: int, language: str, now: datetime
) -> User:
    """Create the user on first contact; afterwards refresh chat, language and last-seen time.

    A user who writes again after blocking the bot has unblocked it, so they are active again.
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
        user.chat_id = chat_id
        user.language = language or user.language
        user.last_seen_at = now
        user.status = UserStatus.ACTIVE
    await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)
