"""The dose log: answering a reminder, and reading back what happened to each dose."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.adherence import DoseRecord, DoseState, dose_state
from scheduler.recurrence import local_day, occurrence_day, parse_hhmm
from storage.models import (
    Delivery,
    DeliveryStatus,
    DoseLog,
    Outcome,
    Purpose,
    Reminder,
    ReminderKind,
)
from storage.writes import insert_ignoring_duplicates


async def log_outcome(
    session: AsyncSession, delivery: Delivery, outcome: Outcome, zone: ZoneInfo, now: datetime
) -> bool:
    """Record the answer for the delivery's occurrence; False when it was already answered."""
    assert delivery.occurrence is not None and delivery.kind is not None
    wall_time = await session.scalar(
        select(Reminder.local_time).where(Reminder.id == delivery.reminder_id)
    )
    local = parse_hhmm(wall_time) if wall_time else None
    result = await session.execute(
        insert_ignoring_duplicates(session, DoseLog).values(
            user_id=delivery.user_id,
            reminder_id=delivery.reminder_id,
            kind=delivery.kind,
            occurrence=delivery.occurrence,
            local_date=occurrence_day(delivery.occurrence, local, zone),
            outcome=outcome,
            logged_at=now,
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # Nothing more for this occurrence: a pending snooze or follow-up would only nag.
    await session.execute(
        update(Delivery)
        .where(
            Delivery.reminder_id == delivery.reminder_id,
            Delivery.occurrence == delivery.occurrence,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
    return True


async def outcome_of(session: AsyncSession, delivery: Delivery) -> Outcome | None:
    return await session.scalar(
        select(DoseLog.outcome).where(
            DoseLog.reminder_id == delivery.reminder_id,
            DoseLog.occurrence == delivery.occurrence,
        )
    )


async def dose_records(
    session: AsyncSession, user_id: int, zone: ZoneInfo, now: datetime, days: int
) -> list[DoseRecord]:
    """The state of every dose occurrence in the last `days` local days."""
    since = now - timedelta(days=days + 1)
    today = local_day(now, zone)
    logged = {
        (row.reminder_id, row.occurrence): row
        for row in await session.scalars(
            select(DoseLog).where(
                DoseLog.user_id == user_id,
                DoseLog.kind == ReminderKind.DOSE,
                DoseLog.occurrence >= since,
            )
        )
    }
    deliveries = await session.execute(
        select(
            Delivery.reminder_id,
            Delivery.occurrence,
            Delivery.status,
            Reminder.timezone,
            Reminder.local_time,
        )
        .outerjoin(Reminder, Reminder.id == Delivery.reminder_id)
        .where(
            Delivery.user_id == user_id,
            Delivery.kind == ReminderKind.DOSE,
            Delivery.purpose == Purpose.FIRST,
            Delivery.occurrence >= since,
        )
    )
    records = []
    for reminder_id, occurrence, status, tz, wall_time in deliveries:
        if occurrence is None:
            continue
        local = parse_hhmm(wall_time) if wall_time else None
        day = occurrence_day(occurrence, local, ZoneInfo(tz) if tz else zone)
        log = logged.pop((reminder_id, occurrence), None)
        state = dose_state(status, log.outcome if log else None, day_over=day < today)
        if state is not None:
            records.append(DoseRecord(day, state))
    # Answers without a delivery row (none is expected, but the log is the record) still count.
    for log in logged.values():
        state = DoseState.TAKEN if log.outcome == Outcome.TAKEN else DoseState.SKIPPED
        records.append(DoseRecord(log.local_date, state))
    return records
