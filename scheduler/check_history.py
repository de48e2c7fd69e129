"""What became of the monthly check reminders: the days they were sent and whether Done was
pressed, and when the next ones are due. Read-only, for the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.checks import CHECK_KINDS
from scheduler.recurrence import local_day
from storage.models import (
    Delivery,
    DeliveryStatus,
    DoseLog,
    Outcome,
    Purpose,
    Reminder,
    ReminderKind,
)

# Sent, or possibly sent (a timeout mid-call): the user may have seen it.
_SEEN = (DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN)


@dataclass(frozen=True)
class CheckOccurrence:
    kind: ReminderKind
    day: date
    done: bool


async def check_occurrences(
    session: AsyncSession, user_id: int, zone: ZoneInfo
) -> list[CheckOccurrence]:
    """Every check reminder sent, oldest first, with whether it was marked done."""
    sent = await session.execute(
        select(Delivery.reminder_id, Delivery.kind, Delivery.occurrence).where(
            Delivery.user_id == user_id,
            Delivery.kind.in_(CHECK_KINDS),
            Delivery.purpose == Purpose.FIRST,
            Delivery.status.in_(_SEEN),
        )
    )
    done = {
        (row.reminder_id, row.occurrence)
        for row in await session.scalars(
            select(DoseLog).where(
                DoseLog.user_id == user_id,
                DoseLog.kind.in_(CHECK_KINDS),
                DoseLog.outcome == Outcome.DONE,
            )
        )
    }
    found = [
        CheckOccurrence(kind, local_day(occurrence, zone), (reminder_id, occurrence) in done)
        for reminder_id, kind, occurrence in sent
        if kind is not None and occurrence is not None
    ]
    return sorted(found, key=lambda c: (c.day, c.kind))


async def next_checks(
    session: AsyncSession, user_id: int, zone: ZoneInfo
) -> list[tuple[ReminderKind, date]]:
    """The next day each check reminder is due, for those switched on."""
    rows = await session.scalars(
        select(Reminder).where(
            Reminder.user_id == user_id,
            Reminder.kind.in_(CHECK_KINDS),
            Reminder.enabled.is_(True),
            Reminder.next_fire_at.is_not(None),
        )
    )
    return sorted(
        (r.kind, local_day(r.next_fire_at, zone)) for r in rows if r.next_fire_at is not None
    )
