"""Changing a user's reminders without losing or doubling an occurrence.

What fell due before a change is queued first, under the old settings, and then goes out (or is
recorded as missed) whatever the change. Only an explicit pause, switch-off or delete cancels
what is pending, and the cancelled occurrence stays on record. The future is planned by
scheduler/spacing.py, so a new zone or time never brings a reminder of the same kind too soon
after the last one, nor, after a move, too late. docs/reliability.md has the table.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.dispatcher import dispatch_user
from scheduler.first_deliveries import queue_owed, record_silenced
from scheduler.schedules import DAILY_KINDS, MONTHLY_KINDS
from scheduler.spacing import Last, Plan, Slot, pair_moved, plan, plan_periodic
from storage import models
from storage.reminders import (
    LastRow,
    first_of_kind,
    last_occurrence_row,
    reminders_and_last,
    reminders_of,
    user_and_reminders,
)
from storage.writes import cancel_pending_deliveries


class _Unread(enum.Enum):
    """`replan`'s default: the last occurrence is not read yet."""

    LAST = enum.auto()


def format_hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def active(reminder: models.Reminder, user: models.User) -> bool:
    return bool(
        reminder.enabled
        and not user.reminders_paused
        and user.status == models.UserStatus.ACTIVE
        and reminder.timezone
    )


async def queue_due(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Queue the user's occurrences that fell due but were not dispatched yet, as the dispatcher
    would, so that a change made in that moment cannot drop them. The sender judges the grace."""
    await dispatch_user(session, user_id, now)


def _last(row: LastRow | None) -> Last | None:
    return None if row is None else Last(*row)


# The user's reminders of a kind and its last occurrence, as read in this session.
Read = tuple[list[models.Reminder], Last | None]


async def due_queued_reminders(
    session: AsyncSession, user_id: int, kind: models.ReminderKind, now: datetime, read: Read | None
) -> Read:
    """The user's reminders of `kind`, and its `last_occurrence`, with what fell due of them
    queued first (`queue_due`): one statement when none is due, as nearly always.

    The claim is the only way an occurrence is queued, and it takes exactly the rows with
    `next_fire_at <= now`; when none of the kind's is, nothing of what changes here is owed
    (other kinds' are the tick's, as ever). On PostgreSQL a tick that holds one of them shows
    it still due here, so the claim runs and waits for that tick, and the rows are read again
    as it left them. `read`, if given, is what this session read of them before any change.
    """
    if read is None:
        reminders, row = await reminders_and_last(session, user_id, kind)
        read = reminders, _last(row)
    if any(r.next_fire_at is not None and r.next_fire_at <= now for r in read[0]):
        await queue_due(session, user_id, now)
        reminders, row = await reminders_and_last(session, user_id, kind, refresh=True)
        read = reminders, _last(row)
    return read


async def read_user_and_kind(
    session: AsyncSession, user_id: int, kind: models.ReminderKind
) -> tuple[models.User | None, Read]:
    """The user (None if unknown) and what `set_times` reads of `kind`, in one statement."""
    user, reminders, row = await user_and_reminders(session, user_id, kind)
    return user, (reminders, _last(row))


async def cancel_pending(session: AsyncSession, reminder_ids: Sequence[int], now: datetime) -> None:
    """Pending messages of paused, switched-off or deleted reminders: recorded as cancelled."""
    if reminder_ids:
        await cancel_pending_deliveries(session, now, models.Delivery.reminder_id.in_(reminder_ids))


async def last_occurrence(
    session: AsyncSession, user_id: int, kind: models.ReminderKind
) -> Last | None:
    """The latest first reminder of the kind that went out or was owed (anything not cancelled)."""
    row = await last_occurrence_row(session, user_id, kind)
    return _last(row)


async def replan(
    session: AsyncSession,
    user: models.User,
    kind: models.ReminderKind,
    now: datetime,
    *,
    catch_up: bool,
    loaded: Sequence[models.Reminder] | None = None,
    last: Last | _Unread | None = _Unread.LAST,
    new_zone: bool = False,
) -> Plan:
    """Plan the kind's reminders from now, spaced from its last occurrence.

    `catch_up` (after a new zone or new times) lets a reminder owed in between go out at once;
    after a pause or a switch-off the user chose the silence, so nothing is caught up. Callers
    that read the kind's `last_occurrence` since anything last changed pass it as `last`.
    `new_zone`: the user's zone has just changed (scheduler/spacing.py's `in_place` is not).
    """
    if loaded is None:  # callers that hold the user's reminders already pass them
        loaded = await reminders_of(session, user.id)
    reminders = [r for r in loaded if r.kind == kind]
    live = [r for r in reminders if active(r, user)]
    for reminder in reminders:
        if reminder not in live:
            reminder.next_fire_at = None
    if not live:
        return Plan({})
    if kind not in DAILY_KINDS:
        return await _replan_periodic(session, user, live, kind, now, catch_up=catch_up)
    if isinstance(last, _Unread):
        last = await last_occurrence(session, user.id, kind)
    zone = ZoneInfo(user.timezone)
    slots = [Slot(r.id, r.local_time, r.created_at) for r in live]
    planned = plan(slots, zone, now, last, catch_up=catch_up, in_place=not new_zone)
    for reminder in live:
        reminder.next_fire_at = planned.next_fire[reminder.id]
    if planned.catch_up:
        owed_id, at = planned.catch_up
        owed = next(r for r in live if r.id == owed_id)
        await queue_owed(session, user, owed, at, now)
    return planned


async def _replan_periodic(
    session: AsyncSession,
    user: models.User,
    live: list[models.Reminder],
    kind: models.ReminderKind,
    now: datetime,
    *,
    catch_up: bool,
) -> Plan:
    owed: list[tuple[int, datetime]] = []
    # The kind's last, not the reminder's: a check deleted and set again that day is the same
    # check, and was reminded already. A user has one reminder of each periodic kind.
    last = await last_occurrence(session, user.id, kind)
    last_at = None if last is None else last.at
    for reminder in live:
        # next_fire_at is still the old plan's (not yet due: queue_due ran), in the old zone.
        reminder.next_fire_at, owed_at = plan_periodic(
            reminder, now, reminder.next_fire_at, last_at, kind in MONTHLY_KINDS, catch_up
        )
        if owed_at is not None:
            owed.append((reminder.id, owed_at))
            await queue_owed(session, user, reminder, owed_at, now)
    return Plan({r.id: r.next_fire_at for r in live if r.next_fire_at}, owed[0] if owed else None)


async def set_times(
    session: AsyncSession,
    user: models.User,
    kind: models.ReminderKind,
    times: Sequence[time],
    now: datetime,
    *,
    read: Read | None = None,
) -> tuple[list[models.Reminder], bool]:
    """Make `times` the kind's reminders: keep matching ones, move or add others, delete the rest.

    What is already pending stays; only a deleted time's pending messages are cancelled.
    `read`: the kind's reminders and last occurrence, if the caller read them in this session.
    Returns the reminders, and whether one owed for a time just passed now goes out at once.
    """
    wanted = {format_hhmm(t) for t in times}
    existing, last = await due_queued_reminders(session, user.id, kind, now, read)
    # Times set after "off" end a silence the user chose (as Switch on does): nothing is owed.
    owing = any(r.enabled for r in existing)
    kept = {r.local_time: r for r in existing if r.local_time in wanted}
    unwanted = [r for r in existing if r.local_time not in wanted]
    new_times = sorted(wanted - kept.keys())
    # A moved time keeps the row of the old time nearest it, so its last occurrence spaces the
    # next one as the slot it was.
    moved = pair_moved([r.local_time for r in unwanted], new_times)
    rows_moved = {hhmm: unwanted[moved[i]] for i, hhmm in enumerate(new_times) if i in moved}
    unwanted = [r for r in unwanted if r not in rows_moved.values()]
    added = False
    for hhmm in new_times:
        if hhmm in rows_moved:
            kept[hhmm] = rows_moved[hhmm]
            kept[hhmm].local_time = hhmm
        else:
            kept[hhmm] = models.Reminder(
                user_id=user.id, kind=kind, local_time=hhmm, created_at=now
            )
            session.add(kept[hhmm])
            added = True
    await cancel_pending(session, [r.id for r in unwanted], now)
    for reminder in unwanted:
        await session.delete(reminder)
    for reminder in kept.values():
        reminder.enabled = True
        reminder.timezone = user.timezone
    if added or unwanted:
        # New rows need ids for the plan (a deleted one's deliveries lose theirs); a time only
        # moved is written once, with its next fire time, by the flush below.
        await session.flush()
    # A deleted time's pending messages, cancelled, no longer count as its last occurrence.
    known = _Unread.LAST if unwanted else last
    planned = await replan(
        session, user, kind, now, catch_up=owing, loaded=list(kept.values()), last=known
    )
    await session.flush()
    return sorted(kept.values(), key=lambda r: r.local_time), planned.catch_up is not None


async def set_periodic(
    session: AsyncSession,
    user: models.User,
    kind: models.ReminderKind,
    local: time,
    now: datetime,
    *,
    day_of_month: int | None = None,
    day_of_week: int | None = None,
) -> models.Reminder:
    """Make the kind's one monthly or weekly reminder fire on the day given at `local`."""
    await queue_due(session, user.id, now)
    reminder = await first_of_kind(session, user.id, kind)
    if reminder is None:
        reminder = models.Reminder(user_id=user.id, kind=kind, created_at=now)
        session.add(reminder)
    reminder.local_time = format_hhmm(local)
    reminder.day_of_month = day_of_month
    reminder.day_of_week = day_of_week
    reminder.enabled = True
    # An empty zone leaves it unscheduled until /timezone, which reschedules every reminder.
    reminder.timezone = user.timezone
    await session.flush()
    # One already due still goes out; the new day never comes within half a period of it.
    await replan(session, user, kind, now, catch_up=False)
    return reminder


async def switch_kind_off(
    session: AsyncSession, user: models.User, kind: models.ReminderKind, now: datetime
) -> int:
    """Switch every reminder of a kind off, keeping its times for later."""
    await queue_due(session, user.id, now)
    changed = [r for r in await reminders_of(session, user.id) if r.kind == kind and r.enabled]
    for reminder in changed:
        reminder.enabled = False
        reminder.next_fire_at = None
    await cancel_pending(session, [r.id for r in changed], now)
    return len(changed)


async def set_enabled(
    session: AsyncSession, user: models.User, reminder_id: int, enabled: bool, now: datetime
) -> models.Reminder | None:
    reminder = await session.get(models.Reminder, reminder_id)
    if reminder is None or reminder.user_id != user.id:
        return None
    if reminder.enabled == enabled:
        return reminder
    await queue_due(session, user.id, now)
    reminder.enabled = enabled
    if not enabled:
        await cancel_pending(session, [reminder.id], now)
    await replan(session, user, reminder.kind, now, catch_up=False)
    return reminder


async def delete_reminder(
    session: AsyncSession, user: models.User, reminder_id: int, now: datetime
) -> bool:
    reminder = await session.get(models.Reminder, reminder_id)
    if reminder is None or reminder.user_id != user.id:
        return False
    await queue_due(session, user.id, now)
    await cancel_pending(session, [reminder.id], now)
    await session.delete(reminder)
    return True


async def reschedule_all(
    session: AsyncSession, user: models.User, now: datetime, *, new_zone: bool = False
) -> list[models.Reminder]:
    """After a pause, a resume, a new timezone or an unblock: every reminder from now. Only a
    new zone catches up what the move left owed."""
    reminders = await reminders_of(session, user.id)
    for reminder in reminders:
        reminder.timezone = user.timezone
    for kind in dict.fromkeys(r.kind for r in reminders):
        await replan(
            session, user, kind, now, catch_up=new_zone, loaded=reminders, new_zone=new_zone
        )
    return reminders


async def set_paused(session: AsyncSession, user: models.User, paused: bool, now: datetime) -> int:
    if user.reminders_paused == paused:
        return len(await reminders_of(session, user.id))
    await queue_due(session, user.id, now)
    user.reminders_paused = paused
    reminders = await reschedule_all(session, user, now)
    if paused:
        await cancel_pending(session, [r.id for r in reminders], now)
    else:
        await record_silenced(session, user, reminders, now)
    return len(reminders)


async def set_timezone(
    session: AsyncSession, user: models.User, zone: ZoneInfo, now: datetime
) -> datetime | None:
    """Move the user's reminders to `zone`; the next dose reminder, if any.

    The same zone again changes nothing. What is pending, snoozed or awaiting its follow-up
    stays; the future is planned in the new zone (scheduler/spacing.py).
    """
    if zone.key != user.timezone:
        await queue_due(session, user.id, now)
        user.timezone = zone.key
        await reschedule_all(session, user, now, new_zone=True)
        await session.flush()
    return await next_dose(session, user.id, now)


async def next_dose(session: AsyncSession, user_id: int, now: datetime) -> datetime | None:
    """When the next dose reminder goes out: a pending one or the next planned."""
    pending = await session.scalar(
        select(models.Delivery.due_at)
        .where(
            models.Delivery.user_id == user_id,
            models.Delivery.kind == models.ReminderKind.DOSE,
            models.Delivery.purpose == models.Purpose.FIRST,
            models.delivery_status_in(models.DeliveryStatus.PENDING),
        )
        .order_by(models.Delivery.due_at)
        .limit(1)
    )
    planned = await session.scalar(
        select(models.Reminder.next_fire_at)
        .where(
            models.Reminder.user_id == user_id,
            models.Reminder.kind == models.ReminderKind.DOSE,
            models.Reminder.next_fire_at.is_not(None),
        )
        .order_by(models.Reminder.next_fire_at)
        .limit(1)
    )
    return min((t for t in (pending, planned) if t is not None), default=None)
