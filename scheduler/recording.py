"""Recording what became of each call on its delivery row: `sent` with Telegram's message id,
or the failure, with what follows from it (scheduler/outcomes.py); and a sent dose reminder's
follow-up."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Insert, bindparam, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.claims import Job
from scheduler.outcomes import Failure, after_failure, classify, describe
from scheduler.policy import Policy
from storage.models import Delivery, DeliveryStatus, Purpose, ReminderKind, table_of
from storage.writes import mark_blocked, mark_sent

log = logging.getLogger("isobot.sender")

_DELIVERIES = table_of(Delivery)
_SENT = _DELIVERIES.alias("sent")
# A follow-up copies these from its sent reminder's row as this transaction sees it, not from the
# claim's copy in memory: a user who erased their data (or a reminder deleted) while the message
# was on its way has no row left, or no reminder on it, so gets no follow-up, and the insert
# breaks no foreign key. On PostgreSQL the row is locked by `mark_sent` just before: an erasure
# under way either went first, and leaves nothing to copy, or waits for this commit, and its
# later statements (the reminders', the user's, with their cascades) take the follow-up too.
# The other values are those of storage/writes.py:further_delivery.
_COPIED = ("user_id", "chat_id", "reminder_id", "kind", "occurrence", "local_time", "timezone")
_FOLLOW_UP_ROWS = select(
    *(_SENT.c[name] for name in _COPIED),
    literal(Purpose.FOLLOW_UP, _DELIVERIES.c.purpose.type),
    _SENT.c.priority,
    bindparam("b_due", type_=_DELIVERIES.c.due_at.type),
    literal(DeliveryStatus.PENDING, _DELIVERIES.c.status.type),
    literal(False, _DELIVERIES.c.late.type),
    literal(0, _DELIVERIES.c.attempts.type),
    bindparam("b_at", type_=_DELIVERIES.c.updated_at.type),
).where(_SENT.c.id == bindparam("b_id"), _SENT.c.reminder_id.is_not(None))
_FOLLOW_UP_COLUMNS = (
    *_COPIED,
    *("purpose", "priority", "due_at", "status", "late", "attempts", "updated_at"),
)
# Built once per dialect; ON CONFLICT DO NOTHING keeps a follow-up recorded twice one row.
_QUEUE_FOLLOW_UPS: dict[str, Insert] = {
    name: dialect.insert(_DELIVERIES)
    .from_select(_FOLLOW_UP_COLUMNS, _FOLLOW_UP_ROWS)
    .on_conflict_do_nothing()
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


@dataclass(frozen=True)
class Result:
    """How one call ended: Telegram's message id, or the error."""

    job: Job
    message_id: int | None
    error: Exception | None


async def record(
    session: AsyncSession,
    results: Sequence[Result],
    now: datetime,
    policy: Policy,
    max_attempts: int,
    *,
    follow_ups: bool = True,
) -> None:
    """Store every result on its delivery row, in the caller's transaction; without
    `follow_ups`, a sent dose reminder's follow-up is not queued."""
    sent = [r for r in results if r.error is None]
    if sent:
        await mark_sent(session, [(r.job.delivery.id, r.message_id, r.job.started) for r in sent])
        if follow_ups:
            await _queue_follow_ups(session, [r.job for r in sent], policy)
    for result in results:
        if result.error is not None:
            await _record_failure(
                session, result.job.delivery.id, result.error, now, policy, max_attempts
            )


def gets_follow_up(job: Job) -> bool:
    """Whether this job, once sent, queues a follow-up: a dose reminder's first message."""
    return job.delivery.kind == ReminderKind.DOSE and job.delivery.purpose == Purpose.FIRST


async def _queue_follow_ups(session: AsyncSession, jobs: list[Job], policy: Policy) -> None:
    """A sent dose reminder gets its one follow-up, counted from when it was sent; one whose
    user or reminder is gone by now gets none."""
    rows = [
        {
            "b_id": job.delivery.id,
            "b_due": job.started + policy.follow_up_after,
            "b_at": job.started,
        }
        for job in jobs
        if gets_follow_up(job)
    ]
    if rows:
        statement = _QUEUE_FOLLOW_UPS[session.get_bind().dialect.name]
        await session.execute(statement, rows)


async def _record_failure(
    session: AsyncSession,
    delivery_id: int,
    error: Exception,
    now: datetime,
    policy: Policy,
    max_attempts: int,
) -> None:
    failure = classify(error)
    log.warning("delivery %d: %s (%s)", delivery_id, failure.value, type(error).__name__)
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None:
        return
    after = after_failure(failure, delivery, now, policy, max_attempts)
    delivery.updated_at = now
    delivery.error = describe(error)
    delivery.status = after.status
    if after.due_at is not None:
        delivery.due_at = after.due_at
    if failure == Failure.BLOCKED:
        await mark_blocked(session, delivery.user_id, now)
