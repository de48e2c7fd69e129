"""Claiming deliveries for sending, and the rules that stop a claimed reminder from going out.

A claim moves rows from `pending` to `sending` and commits before any call: with the sender's
recording of `sent` after the call, that is what makes delivery at most once. A row still in
`sending` when a sender takes over may have reached Telegram, so it becomes `uncertain`, never
`pending` again (recover).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.messages import Outgoing, reminder_message
from scheduler.policy import Policy
from storage import models

log = logging.getLogger("isobot.sender")

# Builds the message of a delivery that is not a plain daily reminder (a broadcast, a summary);
# looked up by the delivery's kind first, then by its purpose. None cancels the delivery.
Renderer = Callable[[AsyncSession, models.Delivery], Awaitable[Outgoing | None]]
Renderers = dict[models.ReminderKind | models.Purpose, Renderer]

Occurrence = tuple[int | None, datetime | None]  # (reminder id, occurrence)


@dataclass(slots=True)
class Claimed:
    """A delivery as its claim returned it, now `sending`: plain values, read once, so that a
    broadcast of thousands builds no ORM object per recipient."""

    id: int
    user_id: int
    chat_id: int
    reminder_id: int | None
    broadcast_id: int | None
    kind: models.ReminderKind | None
    occurrence: datetime | None
    local_time: str | None
    timezone: str | None
    purpose: models.Purpose
    priority: int
    due_at: datetime
    attempts: int
    late: bool


@runtime_checkable
class RendersMany(Protocol):
    """A renderer that builds the messages of a whole claim at once (a broadcast's text is the
    same for every recipient): one query for the group, not one per delivery."""

    async def render_many(
        self, session: AsyncSession, deliveries: Sequence[Claimed]
    ) -> list[Outgoing | None]: ...


@dataclass(frozen=True)
class Job:
    """A claimed delivery, now `sending`, and the message to send for it."""

    delivery: Claimed
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


class Judged(Protocol):
    """What the rules read of a delivery: a claimed one, or a model in the tests."""

    @property
    def kind(self) -> models.ReminderKind | None: ...
    @property
    def reminder_id(self) -> int | None: ...
    @property
    def occurrence(self) -> datetime | None: ...
    @property
    def purpose(self) -> models.Purpose: ...
    @property
    def due_at(self) -> datetime: ...


_DELIVERIES = models.table_of(models.Delivery)
_FIELDS = Claimed.__slots__
# Built once: a statement built per claim, with its IN list and ORM bookkeeping, cost more than
# the claim's own work.
_CLAIM = (
    update(_DELIVERIES)
    .where(
        _DELIVERIES.c.id.in_(bindparam("b_ids", expanding=True)),
        models.delivery_status_in(models.DeliveryStatus.PENDING),
    )
    .values(
        status=models.DeliveryStatus.SENDING,
        attempts=_DELIVERIES.c.attempts + 1,
        updated_at=bindparam("b_now", type_=_DELIVERIES.c.updated_at.type),
    )
    .returning(*(_DELIVERIES.c[name] for name in _FIELDS))
)
_END = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status", type_=_DELIVERIES.c.status.type))
)
_MARK_LATE = update(_DELIVERIES).where(_DELIVERIES.c.id == bindparam("b_id")).values(late=True)


async def due(session: AsyncSession, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(delivery id, chat id) of pending deliveries due by now: reminders before broadcasts,
    then the oldest first."""
    rows = await session.execute(
        select(models.Delivery.id, models.Delivery.chat_id)
        .where(
            models.Delivery.status == models.DeliveryStatus.PENDING, models.Delivery.due_at <= now
        )
        .order_by(models.Delivery.priority, models.Delivery.due_at, models.Delivery.id)
        .limit(limit)
    )
    return [(delivery_id, chat_id) for delivery_id, chat_id in rows]


async def recover(session: AsyncSession, now: datetime) -> int:
    """A delivery left in `sending` by a crash may have reached Telegram: never resend it."""
    result = await session.execute(
        update(models.Delivery)
        .where(models.Delivery.status == models.DeliveryStatus.SENDING)
        .values(status=models.DeliveryStatus.UNCERTAIN, updated_at=now)
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
    if not delivery_ids:
        return []
    # One statement claims the rows and reads them.
    rows: Iterable[Sequence[Any]] = await session.execute(
        _CLAIM, {"b_ids": list(delivery_ids), "b_now": now}
    )
    deliveries = sorted((Claimed(*row) for row in rows), key=lambda d: d.id)
    if not deliveries:
        return []
    known = await _load_for(session, deliveries)
    messages = await _messages(session, deliveries, now, policy, renderers, known)
    jobs: list[Job] = []
    ended: list[dict[str, object]] = []
    for delivery, (status, message) in zip(deliveries, messages, strict=True):
        if status is not None or message is None:
            ended.append(
                {"b_id": delivery.id, "b_status": status or models.DeliveryStatus.CANCELLED}
            )
        else:
            jobs.append(Job(delivery, message, now))
    if ended:
        await session.execute(_END, ended)
    late = [{"b_id": job.delivery.id} for job in jobs if job.delivery.late]
    if late:
        await session.execute(_MARK_LATE, late)
    return jobs


async def _messages(
    session: AsyncSession,
    deliveries: list[Claimed],
    now: datetime,
    policy: Policy,
    renderers: Renderers,
    known: Known,
) -> list[tuple[models.DeliveryStatus | None, Outgoing | None]]:
    """For each delivery, why it must not go out, or its message (None: cancel it)."""
    verdicts = [await _verdict(session, d, now, policy, known) for d in deliveries]
    groups: dict[int, tuple[RendersMany, list[int]]] = {}  # by renderer, those it renders
    outcome: list[tuple[models.DeliveryStatus | None, Outgoing | None]] = []
    for i, (delivery, status) in enumerate(zip(deliveries, verdicts, strict=True)):
        renderer = _renderer_of(delivery, renderers)
        group = groups.get(id(renderer))
        if group is None and status is None and isinstance(renderer, RendersMany):
            # isinstance on a Protocol is slow: asked once per renderer, not per delivery.
            group = groups[id(renderer)] = (renderer, [])
        if status is None and group is not None:
            group[1].append(i)
            outcome.append((None, None))
            continue
        message = None
        if status is None:
            message = await _render(session, delivery, renderer, now, policy)
        outcome.append((status, message))
    for many, indexes in groups.values():
        messages = await many.render_many(session, [deliveries[i] for i in indexes])
        for i, message in zip(indexes, messages, strict=True):
            outcome[i] = (None, message)
    return outcome


def _renderer_of(delivery: Claimed, renderers: Renderers) -> Renderer | None:
    return (delivery.kind and renderers.get(delivery.kind)) or renderers.get(delivery.purpose)


def snooze_in_grace(
    kind: models.ReminderKind, occurrence: datetime, due_at: datetime, policy: Policy
) -> bool:
    """Whether a snooze of `occurrence` due at `due_at` comes within the occurrence's grace.

    Judged from the occurrence, not from the snooze's own due time: past the grace the next
    dose is close, and "your 08:00 dose" again would invite doubling up, as a late reminder
    would (an old message's Snooze, pressed the next morning, would come beside that day's own).
    """
    return due_at - occurrence <= policy.grace(kind)


def verdict(
    delivery: Judged,
    user: models.User | None,
    reminder: models.Reminder | None,
    now: datetime,
    policy: Policy,
    known: Known,
) -> models.DeliveryStatus | None:
    """Why a reminder delivery must not go out after all, if it must not; None for anything
    that is not a reminder. `user` and `reminder` are the delivery's, None if gone."""
    if delivery.kind is None:  # not a reminder
        return None
    if delivery.reminder_id is None:  # the reminder was deleted
        return models.DeliveryStatus.CANCELLED
    if user is None or reminder is None or user.status != models.UserStatus.ACTIVE:
        return models.DeliveryStatus.CANCELLED
    if not reminder.enabled or user.reminders_paused:
        return models.DeliveryStatus.CANCELLED
    if now - delivery.due_at > policy.grace(delivery.kind):
        return models.DeliveryStatus.MISSED
    if (
        delivery.purpose == models.Purpose.SNOOZE
        and delivery.occurrence is not None
        and not snooze_in_grace(delivery.kind, delivery.occurrence, delivery.due_at, policy)
    ):
        return models.DeliveryStatus.MISSED
    occurrence = (delivery.reminder_id, delivery.occurrence)
    if occurrence in known.answered:
        return models.DeliveryStatus.CANCELLED
    if delivery.purpose == models.Purpose.FOLLOW_UP and occurrence in known.snoozed:
        return models.DeliveryStatus.CANCELLED
    return None


async def _verdict(
    session: AsyncSession, delivery: Claimed, now: datetime, policy: Policy, known: Known
) -> models.DeliveryStatus | None:
    user = reminder = None
    if delivery.kind is not None and delivery.reminder_id is not None:
        # From the identity map: _load_for loaded them.
        user = await session.get(models.User, delivery.user_id)
        reminder = await session.get(models.Reminder, delivery.reminder_id)
    return verdict(delivery, user, reminder, now, policy, known)


async def _load_for(session: AsyncSession, deliveries: list[Claimed]) -> Known:
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
        held += await session.scalars(select(models.User).where(models.User.id.in_(user_ids)))
        held += await session.scalars(
            select(models.Reminder).where(models.Reminder.id.in_(reminder_ids))
        )
        # The pairs asked for and a few more at most; the checks look pairs up exactly.
        answered.update(
            await session.execute(
                select(models.DoseLog.reminder_id, models.DoseLog.occurrence).where(
                    models.DoseLog.reminder_id.in_(reminder_ids),
                    models.DoseLog.occurrence.in_(occurrences),
                )
            )
        )
        if any(d.purpose == models.Purpose.FOLLOW_UP for d in reminders):
            snoozed.update(
                await session.execute(
                    select(models.Delivery.reminder_id, models.Delivery.occurrence).where(
                        models.Delivery.reminder_id.in_(reminder_ids),
                        models.Delivery.occurrence.in_(occurrences),
                        models.Delivery.purpose == models.Purpose.SNOOZE,
                    )
                )
            )
    return Known(held, answered, snoozed)


async def _render(
    session: AsyncSession,
    delivery: Claimed,
    renderer: Renderer | None,
    now: datetime,
    policy: Policy,
) -> Outgoing | None:
    if renderer is not None:
        # A renderer of one delivery at a time reads the model; these are few (a weekly
        # summary, a check-in), so loading each costs little.
        model = await session.get(models.Delivery, delivery.id, populate_existing=True)
        return None if model is None else await renderer(session, model)
    if delivery.reminder_id is None or delivery.kind is None:
        return None
    reminder = await session.get(models.Reminder, delivery.reminder_id)
    if reminder is None:
        return None
    if delivery.purpose == models.Purpose.FIRST and now - delivery.due_at > policy.late_after:
        delivery.late = True
    return reminder_message(
        delivery.kind,
        delivery.local_time or reminder.local_time,
        delivery.purpose,
        delivery.late,
        delivery.id,
    )
