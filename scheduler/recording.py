"""Recording what became of each call on its delivery row: `sent` with Telegram's message id,
or the failure, with what follows from it (scheduler/outcomes.py); and a sent dose reminder's
follow-up."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.claims import Job
from scheduler.outcomes import Failure, after_failure, classify, describe
from scheduler.policy import Policy
from storage.models import Delivery, Purpose, ReminderKind
from storage.writes import further_delivery, insert_ignoring_duplicates, mark_blocked, mark_sent

log = logging.getLogger("isobot.sender")


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
) -> None:
    """Store every result on its delivery row, in the caller's transaction."""
    sent = [r for r in results if r.error is None]
    if sent:
        await mark_sent(session, [(r.job.delivery.id, r.message_id, r.job.started) for r in sent])
        await _queue_follow_ups(session, [r.job for r in sent], policy)
    for result in results:
        if result.error is not None:
            await _record_failure(
                session, result.job.delivery.id, result.error, now, policy, max_attempts
            )


async def _queue_follow_ups(session: AsyncSession, jobs: list[Job], policy: Policy) -> None:
    """A sent dose reminder gets its one follow-up, counted from when it was sent."""
    rows = [
        further_delivery(
            job.delivery, Purpose.FOLLOW_UP, job.started + policy.follow_up_after, job.started
        )
        for job in jobs
        if job.delivery.kind == ReminderKind.DOSE and job.delivery.purpose == Purpose.FIRST
    ]
    if rows:
        await session.execute(insert_ignoring_duplicates(session, Delivery), rows)


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
