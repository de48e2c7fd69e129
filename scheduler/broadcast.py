"""Broadcasts: who receives one, queueing it in bulk, its progress, stopping it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.messages import Outgoing
from storage.models import (
    Audience,
    Broadcast,
    BroadcastStatus,
    Course,
    Delivery,
    DeliveryStatus,
    Purpose,
    Reminder,
    ReminderKind,
    User,
    UserStatus,
)

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
    return exists().where(Course.user_id == User.id, Course.ended_at.is_not(None))


def _in_treatment() -> ColumnElement[bool]:
    return and_(
        User.reminders_paused.is_(False),
        ~_course_ended(),
        exists().where(
            Reminder.user_id == User.id,
            Reminder.kind == ReminderKind.DOSE,
            Reminder.enabled.is_(True),
        ),
    )


def recipients(audience: Audience, now: datetime, admin_ids: Collection[int]) -> Select:
    """The (user id, chat id) of everyone an audience reaches; blocked users never are."""
    query = select(User.id, User.chat_id).where(User.status == UserStatus.ACTIVE)
    if audience == Audience.IN_TREATMENT:
        return query.where(_in_treatment())
    if audience == Audience.AFTER_COURSE:
        dose_fired = select(Delivery.id).where(
            Delivery.user_id == User.id,
            Delivery.kind == ReminderKind.DOSE,
            Delivery.purpose == Purpose.FIRST,
        )
        recent = dose_fired.where(Delivery.occurrence > now - AFTER_COURSE_QUIET)
        # Said so themselves with /course, or their dose reminders went quiet 14 days ago.
        went_quiet = and_(~_in_treatment(), exists(dose_fired), ~exists(recent))
        return query.where(or_(_course_ended(), went_quiet))
    if audience == Audience.ADMINS:
        return query.where(User.id.in_(list(admin_ids) or [-1]))
    return query


async def count_recipients(
    session: AsyncSession, audience: Audience, now: datetime, admin_ids: Collection[int]
) -> int:
    sub = recipients(audience, now, admin_ids).subquery()
    return int(await session.scalar(select(func.count()).select_from(sub)) or 0)


async def enqueue(
    session: AsyncSession, broadcast: Broadcast, now: datetime, admin_ids: Collection[int]
) -> int:
    """One delivery per recipient in a single INSERT … SELECT; the broadcast starts sending."""
    assert broadcast.audience is not None
    chosen = recipients(broadcast.audience, now, admin_ids).subquery()
    rows = select(
        chosen.c.id,
        chosen.c.chat_id,
        literal(broadcast.id),
        literal(Purpose.BROADCAST.value),
        literal(PRIORITY_BROADCAST),
        literal(now, type_=Delivery.__table__.c.due_at.type),
        literal(DeliveryStatus.PENDING.value),
        literal(False),
        literal(0),
        literal(now, type_=Delivery.__table__.c.updated_at.type),
    )
    columns = [
        "user_id",
        "chat_id",
        "broadcast_id",
        "purpose",
        "priority",
        "due_at",
        "status",
        "late",
        "attempts",
        "updated_at",
    ]
    result = await session.execute(insert(Delivery).from_select(columns, rows))
    broadcast.total = int(result.rowcount or 0)  # type: ignore[attr-defined]
    broadcast.status = BroadcastStatus.SENDING
    broadcast.started_at = now
    broadcast.updated_at = now
    return broadcast.total


async def progress(session: AsyncSession, broadcast_id: int) -> Progress:
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    counts = {DeliveryStatus(status): int(n) for status, n in rows}
    waiting = counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0)
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        blocked=counts.get(DeliveryStatus.BLOCKED, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        uncertain=counts.get(DeliveryStatus.UNCERTAIN, 0),
        cancelled=counts.get(DeliveryStatus.CANCELLED, 0),
        pending=waiting,
    )


async def stop(session: AsyncSession, broadcast: Broadcast, now: datetime) -> int:
    """Stop a running broadcast: what is not yet sent stays unsent. Returns how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.broadcast_id == broadcast.id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
    broadcast.status = BroadcastStatus.CANCELLED
    broadcast.updated_at = now
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def render_broadcast(session: AsyncSession, delivery: Delivery) -> Outgoing | None:
    """The sender's renderer for broadcast deliveries; None once the broadcast is stopped."""
    if delivery.broadcast_id is None:
        return None
    broadcast = await session.get(Broadcast, delivery.broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.SENDING or not broadcast.text_html:
        return None
    return Outgoing(broadcast.text_html)
