"""What became of the monthly check reminders: the days they were sent and whether Done was
pressed, and when the next ones are due. Read-only, for the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.checks import CHECK_KINDS
from scheduler.recurrence import local_day, occurrence_day, parse_hhmm
from storage import models

# Sent, or possibly sent (a timeout mid-call): the user may have seen it.
_SEEN = (models.DeliveryStatus.SENT, models.DeliveryStatus.UNCERTAIN)


@dataclass(frozen=True)
class CheckOccurrence:
    kind: models.ReminderKind
    day: date
    done: bool


async def check_occurrences(
    session: AsyncSession, user_id: int, zone: ZoneInfo
) -> list[CheckOccurrence]:
    """Every check reminder sent, oldest first, with whether it was marked done. Each is dated
    where it was sent, as doses are: a check due on 1 May in Auckland is no 30 April's."""
    sent = await session.execute(
        select(
            models.Delivery.reminder_id,
            models.Delivery.kind,
            models.Delivery.occurrence,
            models.Delivery.local_time,
            models.Delivery.timezone,
        ).where(
            models.Delivery.user_id == user_id,
            models.Delivery.kind.in_(CHECK_KINDS),
            models.Delivery.purpose == models.Purpose.FIRST,
            models.delivery_status_in(*_SEEN),
        )
    )
    done = {
        (row.reminder_id, row.occurrence)
        for row in await session.scalars(
            select(models.DoseLog).where(
                models.DoseLog.user_id == user_id,
                models.DoseLog.kind.in_(CHECK_KINDS),
                models.DoseLog.outcome == models.Outcome.DONE,
            )
        )
    }
    found = [
        CheckOccurrence(
            kind,
            occurrence_day(occurrence, parse_hhmm(local) if local else None, _zone(tz, zone)),
            (reminder_id, occurrence) in done,
        )
        for reminder_id, kind, occurrence, local, tz in sent
        if kind is not None and occurrence is not None
    ]
    return sorted(found, key=lambda c: (c.day, c.kind))


def _zone(sent_in: str | None, zone: ZoneInfo) -> ZoneInfo:
    return ZoneInfo(sent_in) if sent_in else zone


async def next_checks(
    session: AsyncSession, user_id: int, zone: ZoneInfo
) -> list[tuple[models.ReminderKind, date]]:
    """The next day each check reminder is due, for those switched on."""
    rows = await session.scalars(
        select(models.Reminder).where(
            models.Reminder.user_id == user_id,
            models.Reminder.kind.in_(CHECK_KINDS),
            models.Reminder.enabled.is_(True),
            models.Reminder.next_fire_at.is_not(None),
        )
    )
    return sorted(
        (r.kind, local_day(r.next_fire_at, zone)) for r in rows if r.next_fire_at is not None
    )
