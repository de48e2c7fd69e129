"""Claiming deliveries for sending, and the rules that stop a claimed reminder from going out.

A claim moves rows from `pending` to `sending` and commits before any call: with the sender's
recording of `sent` after the call, that is what makes delivery at most once. A row still in
`sending` when a sender takes over may have reached Telegram, so it becomes `uncertain`, never
`pending` again (recover).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.messages import Outgoing, reminder_message
from scheduler.policy import Policy
from storage.models import (
    Broadcast,
    Delivery,
    DeliveryStatus,
    DoseLog,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
)

log = logging.getLogger("isobot.sender")

# Builds the message of a delivery that is not a plain daily reminder (a broadcast, a summary);
# looked up by the delivery's kind first, then by its purpose. None cancels the delivery.
Renderer = Callable[[AsyncSession, Delivery], Awaitable[Outgoing | None]]
Renderers = dict[ReminderKind | Purpose, Renderer]

Occurrence = tuple[int | None, datetime | None]  # (reminder id, occurrence)


@dataclass(frozen=True)
class Job:
    """A claimed delivery, now `sending`, and the message to send for it."""

    delivery: Delivery  # as claimed; detached once the claim commits
    message: Outgoing
    started: datetime

    @property
    def chat_id(self) -> int:
        return self.delivery.chat_id


@dataclass(frozen=True)
class Known:
    """What a claim loaded for its group: objects held for the identity map, and the
    (reminder, occurrence) pairs already answered and already snoozed."""

    held: list[object]
    answered: set[Occurrence]
    snoozed: set[Occurrence]


async def due(session: AsyncSession, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(delivery id, chat id) of pending deliveries due by now: reminders before broadcasts,
    then the oldest first."""
    rows = await session.execute(
        select(Delivery.id, Delivery.chat_id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
        .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
        .limit(limit)
    )
    return [(delivery_id, chat_id) for delivery_id, chat_id in rows]


async def recover(session: AsyncSession, now: datetime) -> int:
    """A delivery left in `sending` by a crash may have reached Telegram: never resend it."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.UNCERTAIN, updated_at=now)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        log.warning("%d deliveries were in flight at a crash; marked uncertain", count)
    return count


async def claim(
    session: AsyncSession,
    delivery_ids: Sequence[int],
    now: datetime,
    policy: Policy,
    renderers: Renderers,
) -> list[Job]:
    """Move these deliveries, if still pending, to `sending`; the jobs to send, in id order.

    One that must not go out after all is ended here (cancelled or missed), in the same
    transaction, and is not among the jobs.
    """
    # One statement claims the rows and loads them.
    claimed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1, updated_at=now)
        .returning(Delivery)
        .execution_options(populate_existing=True)
    )
    deliveries = sorted(claimed, key=lambda delivery: delivery.id)
    jobs: list[Job] = []
    if not deliveries:
        return jobs
    known = await _load_for(session, deliveries)
    for delivery in deliveries:
        status = await _verdict(session, delivery, now, policy, known)
        message = None if status else await _render(session, delivery, now, policy, renderers)
        if status is not None or message is None:
            delivery.status = status or DeliveryStatus.CANCELLED
            continue
        jobs.append(Job(delivery, message, now))
    return jobs


def verdict(
    delivery: Delivery,
    user: User | None,
    reminder: Reminder | None,
    now: datetime,
    policy: Policy,
    known: Known,
) -> DeliveryStatus | None:
    """Why a reminder delivery must not go out after all, if it must not; None for anything
    that is not a reminder. `user` and `reminder` are the delivery's, None if gone."""
    if delivery.kind is None:  # not a reminder
        return None
    if delivery.reminder_id is None:  # the reminder was deleted
        return DeliveryStatus.CANCELLED
    if user is None or reminder is None or user.status != UserStatus.ACTIVE:
        return DeliveryStatus.CANCELLED
    if not reminder.enabled or user.reminders_paused:
        return DeliveryStatus.CANCELLED
    if now - delivery.due_at > policy.grace(delivery.kind):
        return DeliveryStatus.MISSED
    occurrence = (delivery.reminder_id, delivery.occurrence)
    if occurrence in known.answered:
        return DeliveryStatus.CANCELLED
    if delivery.purpose == Purpose.FOLLOW_UP and occurrence in known.snoozed:
        return DeliveryStatus.CANCELLED
    return None


async def _verdict(
    session: AsyncSession, delivery: Delivery, now: datetime, policy: Policy, known: Known
) -> DeliveryStatus | None:
    user = reminder = None
    if delivery.kind is not None and delivery.reminder_id is not None:
        # From the identity map: _load_for loaded them.
        user = await session.get(User, delivery.user_id)
        reminder = await session.get(Reminder, delivery.reminder_id)
    return verdict(delivery, user, reminder, now, policy, known)


async def _load_for(session: AsyncSession, deliveries: list[Delivery]) -> Known:
    """What the verdicts and the renderers of a group read, in a few queries for the group.

    One query per delivery (its user, its reminder, its broadcast...) was most of a claim's
    time. The loaded objects are held in the result, because the session's identity map only
    keeps objects something else references, and `session.get` then finds them there.
    """
    reminders = [d for d in deliveries if d.kind is not None and d.reminder_id is not None]
    held: list[object] = []
    answered: set[Occurrence] = set()
    snoozed: set[Occurrence] = set()
    if reminders:
        user_ids = {d.user_id for d in reminders}
        reminder_ids = {d.reminder_id for d in reminders}
        occurrences = {d.occurrence for d in reminders}
        held += await session.scalars(select(User).where(User.id.in_(user_ids)))
        held += await session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)))
        # The pairs asked for and a few more at most; the checks look pairs up exactly.
        answered.update(
            await session.execute(
                select(DoseLog.reminder_id, DoseLog.occurrence).where(
                    DoseLog.reminder_id.in_(reminder_ids),
                    DoseLog.occurrence.in_(occurrences),
                )
            )
        )
        if any(d.purpose == Purpose.FOLLOW_UP for d in reminders):
            snoozed.update(
                await session.execute(
                    select(Delivery.reminder_id, Delivery.occurrence).where(
                        Delivery.reminder_id.in_(reminder_ids),
                        Delivery.occurrence.in_(occurrences),
                        Delivery.purpose == Purpose.SNOOZE,
                    )
                )
            )
    broadcast_ids = {d.broadcast_id for d in deliveries if d.broadcast_id is not None}
    if broadcast_ids:
        held += await session.scalars(select(Broadcast).where(Broadcast.id.in_(broadcast_ids)))
    return Known(held, answered, snoozed)


async def _render(
    session: AsyncSession, delivery: Delivery, now: datetime, policy: Policy, renderers: Renderers
) -> Outgoing | None:
    renderer = (delivery.kind and renderers.get(delivery.kind)) or renderers.get(delivery.purpose)
    if renderer is not None:
        return await renderer(session, delivery)
    if delivery.reminder_id is None or delivery.kind is None:
        return None
    reminder = await session.get(Reminder, delivery.reminder_id)
    if reminder is None:
        return None
    if delivery.purpose == Purpose.FIRST and now - delivery.due_at > policy.late_after:
        delivery.late = True
    return reminder_message(
        delivery.kind, reminder.local_time, delivery.purpose, delivery.late, delivery.id
    )
