"""Changing a user's reminders; every change reschedules from now, so nothing old is released."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.schedules import fire_after
from storage.models import Delivery, DeliveryStatus, Reminder, ReminderKind, User, UserStatus


def format_hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def schedule(reminder: Reminder, user: User, now: datetime) -> None:
    """Set next_fire_at from now, or clear it when the reminder must not fire."""
    active = reminder.enabled and not user.reminders_paused and user.status == UserStatus.ACTIVE
    if not active or not reminder.timezone:
        reminder.next_fire_at = None
        return
    reminder.next_fire_at = fire_after(reminder, now)


async def reminders_of(session: AsyncSession, user_id: int) -> list[Reminder]:
    rows = await session.scalars(
        select(Reminder).where(Reminder.user_id == user_id).order_by(Reminder.local_time)
    )
    return sorted(rows, key=lambda r: (list(ReminderKind).index(r.kind), r.local_time))


async def cancel_pending(session: AsyncSession, reminder_ids: Sequence[int], now: datetime) -> None:
    """Pending reminder messages of switched-off or rescheduled reminders are not sent."""
    if not reminder_ids:
        return
    await session.execute(
        update(Delivery)
        .where(Delivery.reminder_id.in_(reminder_ids), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )


async def set_times(
    session: AsyncSession, user: User, kind: ReminderKind, times: Sequence[time], now: datetime
) -> list[Reminder]:
    """Make `times` the kind's reminders: keep matching ones, add new ones, drop the rest."""
    wanted = {format_hhmm(t) for t in times}
    existing = [r for r in await reminders_of(session, user.id) if r.kind == kind]
    # Dropped or kept, a reminder's pending messages belong to its old schedule.
    await cancel_pending(session, [r.id for r in existing], now)
    kept = {r.local_time: r for r in existing if r.local_time in wanted}
    unwanted = [r for r in existing if r.local_time not in wanted]
    for hhmm in sorted(wanted - kept.keys()):
        if unwanted:  # moving a reminder is one UPDATE, where dropping and adding it are two
            kept[hhmm] = unwanted.pop()
            kept[hhmm].local_time = hhmm
        else:
            kept[hhmm] = Reminder(user_id=user.id, kind=kind, local_time=hhmm, created_at=now)
            session.add(kept[hhmm])
    for reminder in unwanted:
        await session.delete(reminder)
    for reminder in kept.values():
        reminder.enabled = True
        reminder.timezone = user.timezone
        schedule(reminder, user, now)
    await session.flush()
    return sorted(kept.values(), key=lambda r: r.local_time)


async def switch_kind_off(
    session: AsyncSession, user: User, kind: ReminderKind, now: datetime
) -> int:
    """Switch every reminder of a kind off, keeping its times for later."""
    changed = [r for r in await reminders_of(session, user.id) if r.kind == kind and r.enabled]
    for reminder in changed:
        reminder.enabled = False
        schedule(reminder, user, now)
    await cancel_pending(session, [r.id for r in changed], now)
    return len(changed)


async def set_enabled(
    session: AsyncSession, user: User, reminder_id: int, enabled: bool, now: datetime
) -> Reminder | None:
    reminder = await session.get(Reminder, reminder_id)
    if reminder is None or reminder.user_id != user.id:
        return None
    reminder.enabled = enabled
    schedule(reminder, user, now)
    await cancel_pending(session, [reminder.id], now)
    return reminder


async def delete_reminder(
    session: AsyncSession, user: User, reminder_id: int, now: datetime
) -> bool:
    reminder = await session.get(Reminder, reminder_id)
    if reminder is None or reminder.user_id != user.id:
        return False
    await cancel_pending(session, [reminder.id], now)
    await session.delete(reminder)
    return True


async def reschedule_all(session: AsyncSession, user: User, now: datetime) -> list[Reminder]:
    """After a pause, a resume, a new timezone or an unblock: every reminder from now."""
    reminders = await reminders_of(session, user.id)
    for reminder in reminders:
        reminder.timezone = user.timezone
        schedule(reminder, user, now)
    await cancel_pending(session, [r.id for r in reminders], now)
    return reminders


async def set_paused(session: AsyncSession, user: User, paused: bool, now: datetime) -> int:
    user.reminders_paused = paused
    return len(await reschedule_all(session, user, now))


async def set_timezone(session: AsyncSession, user: User, zone: ZoneInfo, now: datetime) -> None:
    user.timezone = zone.key
    await reschedule_all(session, user, now)
