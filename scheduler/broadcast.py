"""Broadcasts: who receives one, queueing it in bulk, its progress, stopping it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.messages import Outgoing
from storage import models
from storage.writes import cancel_pending_deliveries


class Broadcasted(Protocol):
    """What rendering reads of a delivery: the broadcast it belongs to, if any."""

    @property
    def broadcast_id(self) -> int | None: ...


# Behind every reminder: the sender takes lower priorities first.
PRIORITY_BROADCAST = 10
# "After the course": no dose reminder has fired for this long, and none is active.
AFTER_COURSE_QUIET = timedelta(days=14)


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    blocked: int
    failed: int
    uncertain: int
    cancelled: int
    pending: int

    @property
    def finished(self) -> bool:
        return self.pending == 0


def _course_ended() -> ColumnElement[bool]:
    return exists().where(
        models.Course.user_id == models.User.id, models.Course.ended_at.is_not(None)
    )


def _in_treatment() -> ColumnElement[bool]:
    return and_(
        models.User.reminders_paused.is_(False),
        ~_course_ended(),
        exists().where(
            models.Reminder.user_id == models.User.id,
            models.Reminder.kind == models.ReminderKind.DOSE,
            models.Reminder.enabled.is_(True),
        ),
    )


def recipients(audience: models.Audience, now: datetime, admin_ids: Collection[int]) -> Select:
    """The (user id, chat id) of everyone an audience reaches; blocked users never are."""
    query = select(models.User.id, models.User.chat_id).where(
        models.User.status == models.UserStatus.ACTIVE
    )
    if audience == models.Audience.IN_TREATMENT:
        return query.where(_in_treatment())
    if audience == models.Audience.AFTER_COURSE:
        dose_fired = select(models.Delivery.id).where(
            models.Delivery.user_id == models.User.id,
            models.Delivery.kind == models.ReminderKind.DOSE,
            models.Delivery.purpose == models.Purpose.FIRST,
        )
        recent = dose_fired.where(models.Delivery.occurrence > now - AFTER_COURSE_QUIET)
        # Said so themselves with /course, or their dose reminders went quiet 14 days ago.
        went_quiet = and_(~_in_treatment(), exists(dose_fired), ~exists(recent))
        return query.where(or_(_course_ended(), went_quiet))
    if audience == models.Audience.ADMINS:
        return query.where(models.User.id.in_(list(admin_ids) or [-1]))
    return query


async def count_recipients(
    session: AsyncSession, audience: models.Audience, now: datetime, admin_ids: Collection[int]
) -> int:
    sub = recipients(audience, now, admin_ids).subquery()
    return int(await session.scalar(select(func.count()).select_from(sub)) or 0)


async def enqueue(
    session: AsyncSession, broadcast: models.Broadcast, now: datetime, admin_ids: Collection[int]
) -> int:
    """One delivery per recipient in a single INSERT … SELECT; the broadcast starts sending."""
    assert broadcast.audience is not None
    chosen = recipients(broadcast.audience, now, admin_ids).subquery()
    deliveries = models.Delivery.__table__.c
    # Each column with what it is set to, so that the two cannot drift apart.
    values = {
        "user_id": chosen.c.id,
        "chat_id": chosen.c.chat_id,
        "broadcast_id": literal(broadcast.id),
        "purpose": literal(models.Purpose.BROADCAST.value),
        "priority": literal(PRIORITY_BROADCAST),
        "due_at": literal(now, type_=deliveries.due_at.type),
        "status": literal(models.DeliveryStatus.PENDING.value),
        "late": literal(False),
        "attempts": literal(0),
        "updated_at": literal(now, type_=deliveries.updated_at.type),
    }
    rows = select(*values.values())
    result = await session.execute(insert(models.Delivery).from_select(list(values), rows))
    broadcast.total = int(result.rowcount or 0)  # type: ignore[attr-defined]
    broadcast.status = models.BroadcastStatus.SENDING
    broadcast.started_at = now
    broadcast.updated_at = now
    return broadcast.total


async def progress(session: AsyncSession, broadcast_id: int) -> Progress:
    rows = await session.execute(
        select(models.Delivery.status, func.count())
        .where(models.Delivery.broadcast_id == broadcast_id)
        .group_by(models.Delivery.status)
    )
    counts = {models.DeliveryStatus(status): int(n) for status, n in rows}
    waiting = counts.get(models.DeliveryStatus.PENDING, 0) + counts.get(
        models.DeliveryStatus.SENDING, 0
    )
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(models.DeliveryStatus.SENT, 0),
        blocked=counts.get(models.DeliveryStatus.BLOCKED, 0),
        failed=counts.get(models.DeliveryStatus.FAILED, 0),
        uncertain=counts.get(models.DeliveryStatus.UNCERTAIN, 0),
        cancelled=counts.get(models.DeliveryStatus.CANCELLED, 0),
        pending=waiting,
    )


async def stop(session: AsyncSession, broadcast: models.Broadcast, now: datetime) -> int:
    """Stop a running broadcast: what is not yet sent stays unsent. Returns how many."""
    stopped = await cancel_pending_deliveries(
        session, now, models.Delivery.broadcast_id == broadcast.id
    )
    broadcast.status = models.BroadcastStatus.CANCELLED
    broadcast.updated_at = now
    return stopped


_BROADCASTS = models.table_of(models.Broadcast)
# Built once: the sender asks it for every group it claims.
_SENDING_TEXTS = select(_BROADCASTS.c.id, _BROADCASTS.c.text_html).where(
    _BROADCASTS.c.id.in_(bindparam("b_ids", expanding=True)),
    _BROADCASTS.c.status == models.BroadcastStatus.SENDING,
)


class _BroadcastRenderer:
    """The sender's renderer for broadcast deliveries; None once the broadcast is stopped."""

    async def __call__(self, session: AsyncSession, delivery: models.Delivery) -> Outgoing | None:
        [message] = await self.render_many(session, [delivery])
        return message

    async def render_many(
        self, session: AsyncSession, deliveries: Sequence[Broadcasted]
    ) -> list[Outgoing | None]:
        """One query for a whole claim: its recipients share a few broadcasts at most."""
        ids = list({d.broadcast_id for d in deliveries if d.broadcast_id is not None})
        rows = await session.execute(_SENDING_TEXTS, {"b_ids": ids})
        # One Outgoing per broadcast, shared by its recipients.
        texts = {broadcast_id: Outgoing(str(text)) for broadcast_id, text in rows if text}
        return [texts.get(d.broadcast_id) if d.broadcast_id else None for d in deliveries]


render_broadcast = _BroadcastRenderer()
