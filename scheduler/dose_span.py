"""Where a user's dose history begins: the local day of their first dose reminder."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.recurrence import local_day
from storage.models import Delivery, DoseLog, Purpose, ReminderKind


async def first_dose_day(session: AsyncSession, user_id: int, zone: ZoneInfo) -> date | None:
    """The local day of the earliest dose reminder sent or answered; None before any."""
    sent = await session.scalar(
        select(func.min(Delivery.occurrence)).where(
            Delivery.user_id == user_id,
            Delivery.kind == ReminderKind.DOSE,
            Delivery.purpose == Purpose.FIRST,
        )
    )
    logged = await session.scalar(
        select(func.min(DoseLog.local_date)).where(
            DoseLog.user_id == user_id, DoseLog.kind == ReminderKind.DOSE
        )
    )
    found = [d for d in (local_day(sent, zone) if sent else None, logged) if d is not None]
    return min(found, default=None)
