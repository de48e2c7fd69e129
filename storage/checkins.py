"""Queries on check-ins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CheckIn


async def start_checkin(
    session: AsyncSession, user_id: int, local_date: date, now: datetime
) -> CheckIn:
    """A new, empty check-in. An unfinished earlier one stays as far as it got."""
    checkin = CheckIn(user_id=user_id, local_date=local_date, started_at=now, updated_at=now)
    session.add(checkin)
    await session.flush()
    return checkin


async def latest_checkin(session: AsyncSession, user_id: int) -> CheckIn | None:
    """The user's newest check-in, the only one that still takes answers."""
    return await session.scalar(
        select(CheckIn)
        .where(CheckIn.user_id == user_id)
        .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())
        .limit(1)
    )


async def checkins_of(
    session: AsyncSession, user_id: int, *, since: date | None = None, limit: int | None = None
) -> list[CheckIn]:
    """The user's check-ins, newest first: from the local date `since` on, at most `limit`."""
    query = (
        select(CheckIn)
        .where(CheckIn.user_id == user_id)
        .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())
    )
    if since is not None:
        query = query.where(CheckIn.local_date >= since)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query))


async def finished_since(session: AsyncSession, user_id: int, since: datetime) -> bool:
    """Whether the user finished a check-in at or after `since`."""
    found = await session.scalar(
        select(CheckIn.id).where(CheckIn.user_id == user_id, CheckIn.finished_at >= since).limit(1)
    )
    return found is not None
