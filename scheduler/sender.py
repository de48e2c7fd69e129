"""The one long-lived task that sends pending deliveries within Telegram's limits.

It is an asyncio task, not an APScheduler job: APScheduler skips a run while the previous one is
still going, and a long broadcast would then starve reminders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as monotonic_time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from scheduler.clock import Clock
from scheduler.dispatcher import insert_ignoring_duplicates
from scheduler.messages import Outgoing, reminder_message
from scheduler.outcomes import Failure, classify
from scheduler.policy import Policy
from storage import Database
from storage.advisory_lock import AdvisoryLock
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
    table_of,
)

log = logging.getLogger("isobot.sender")

# Builds the message of a delivery that is not a plain daily reminder (a broadcast, a summary);
# looked up by the delivery's kind first, then by its purpose. None cancels the delivery.
Renderer = Callable[[AsyncSession, Delivery], Awaitable[Outgoing | None]]

MAX_BACKOFF = timedelta(minutes=5)
# How late a send may come and still be made up for by the next ones (see _limiter).
LATE_ALLOWANCE = 0.01

_DELIVERIES = table_of(Delivery)
_MARK_SENT = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("b_id"))
    .values(
        status=DeliveryStatus.SENT,
        telegram_message_id=bindparam("b_message"),
        sent_at=bindparam("b_at"),
        updated_at=bindparam("b_at"),
        error=None,
    )
)


@dataclass(frozen=True)
class _Job:
    delivery: Delivery  # as claimed; detached once the claim commits
    message: Outgoing
    started: datetime

    @property
    def chat_id(self) -> int:
        return self.delivery.chat_id


@dataclass(frozen=True)
class _Known:
    """What a claim loaded for its group: objects held for the identity map, and the
    (reminder, occurrence) pairs already answered and already snoozed."""

    held: list[object]
    answered: set[tuple[int | None, datetime | None]]
    snoozed: set[tuple[int | None, datetime | None]]


@dataclass(frozen=True)
class _Result:
    job: _Job
    message_id: int | None
    error: Exception | None


class Sender:
    """Drains pending deliveries: reminders first, one chat at most once a second."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        policy: Policy,
        *,
        rate_per_second: float = 25,
        per_chat_interval: float = 1.0,
        concurrency: int = 8,
        max_attempts: int = 5,
        batch: int = 50,
        idle_wait: float = 1.0,
        renderers: dict[ReminderKind | Purpose, Renderer] | None = None,
        lock: AdvisoryLock | None = None,
        lock_check: float = 1.0,
    ) -> None:
        self.db, self.bot, self.clock, self.policy = db, bot, clock, policy
        self.limiter = _limiter(rate_per_second)
        self.rate_per_second = rate_per_second
        self.per_chat_interval = per_chat_interval
        # Messages sent at once, and so the most that a crash can leave uncertain.
        self.group_size = concurrency
        self.max_attempts = max_attempts
        self.batch = batch
        self.idle_wait = idle_wait
        self.renderers = renderers or {}
        self._last_send: dict[int, float] = {}
        self._resume_at = 0.0
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._stop_requested = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # With several instances on PostgreSQL only the holder of this lock sends; None (SQLite,
        # one instance) sends always. Standbys try to take it, and the holder checks that it
        # still has it, every `lock_check` seconds.
        self.lock = lock
        self.lock_check = lock_check
        self.active = False  # sending now, rather than stopped or on standby

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="isobot-sender")

    async def stop(self) -> None:
        self._stopping = True
        self._stop_requested.set()
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def abort(self) -> None:
        """Stop at once, as a crash would: a call in flight leaves its row in `sending`."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        """Send while this instance may: always without a lock; with one, only while holding it,
        and on standby, trying to take it, while another instance holds it."""
        standby_said = False
        while not self._stopping:
            if self.lock is not None and not await self.lock.acquire():
                if not standby_said:
                    log.info("sender on standby: the lock is held elsewhere or out of reach")
                    standby_said = True
                await self._pause(self.lock_check)
                continue
            if self.lock is not None:
                log.info("sender lock taken: this instance sends")
                standby_said = False
            try:
                await self._send_while_allowed()
            except Exception:
                log.exception("sender failed; starting again shortly")
                await self._pause(self.idle_wait)
            finally:
                self.active = False
                if self.lock is not None:
                    await self.lock.release()

    async def _send_while_allowed(self) -> None:
        """Run the send loop until it stops, or until the lock is found lost: then cancel it at
        once, since another instance may already be sending."""
        self.active = True
        sending = asyncio.create_task(self._send_loop(), name="isobot-sender-loop")
        try:
            while not sending.done():
                await asyncio.wait({sending}, timeout=self.lock_check)
                if sending.done() or self.lock is None or await self.lock.held():
                    continue
                log.error("sender lock lost: sending stops until this instance holds it again")
                break
        finally:
            sending.cancel()
            # Raises what the loop raised, for run() to log; a cancellation is the expected end.
            with contextlib.suppress(asyncio.CancelledError):
                await sending

    async def _send_loop(self) -> None:
        # Taking over: whatever the last holder left in `sending` may have reached Telegram.
        await self.recover()
        while not self._stopping:
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("sender round failed; retrying shortly")
                handled = 0
            if handled == 0 and not self._stopping:
                await self._idle()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop_requested.wait(), timeout=seconds)

    async def _idle(self) -> None:
        self._wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self.idle_wait)

    async def recover(self) -> int:
        """A delivery left in `sending` by a crash may have reached Telegram: never resend it."""
        async with self.db.session() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.status == DeliveryStatus.SENDING)
                .values(status=DeliveryStatus.UNCERTAIN, updated_at=self.clock.now())
            )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            log.warning("%d deliveries were in flight at a crash; marked uncertain", count)
        return count

    # --- one round ---------------------------------------------------------------------------

    async def drain_once(self) -> int:
        """Send one batch of due deliveries, a group at a time; the number started."""
        now = self.clock.now()
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(Delivery.id, Delivery.chat_id)
                    .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
                    .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
                    # About a second of sending at the cap, and at least `batch`: a round ends
                    # by waiting for its last calls, so at a high cap short rounds would leave
                    # the limiter idle, and a reminder that falls due waits a round at most.
                    .limit(max(self.batch, int(self.rate_per_second)))
                )
            ).all()
        self._forget_idle_chats()
        chosen: list[int] = []
        chats_this_round: set[int] = set()
        for delivery_id, chat_id in rows:
            if chat_id in chats_this_round or not self._chat_ready(chat_id):
                continue
            chats_this_round.add(chat_id)
            chosen.append(delivery_id)
        await self._send_window(chosen)
        if not chosen and rows:
            # Everything due is waiting for its chat's one-second spacing.
            await asyncio.sleep(min(self.per_chat_interval, self.idle_wait) / 4)
        return len(chosen)

    def _forget_idle_chats(self) -> None:
        # Only chats sent to within the last interval matter; a big broadcast must not leave one
        # entry per recipient behind for the life of the process.
        if len(self._last_send) > 1000:
            horizon = monotonic_time.monotonic() - self.per_chat_interval
            self._last_send = {c: t for c, t in self._last_send.items() if t > horizon}

    def _chat_ready(self, chat_id: int) -> bool:
        last = self._last_send.get(chat_id)
        return last is None or monotonic_time.monotonic() - last >= self.per_chat_interval

    async def _respect_retry_after(self) -> None:
        delay = self._resume_at - monotonic_time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    # --- a window of calls ---------------------------------------------------------------------

    async def _send_window(self, delivery_ids: list[int]) -> None:
        """Send these deliveries with at most `group_size` of them in `sending` at any moment.

        `sending` is committed before a call, so a crash leaves at most that many uncertain. The
        claims and the records are transactions of their own, run while other calls are in
        flight: claiming, sending and recording one group after another left the limiter idle
        for two transactions in every group, and held a paid broadcast to a fraction of its
        cap. A claim waits until half the window is free, and a record until half of it has
        finished, so that there are few transactions per message.
        """
        waiting = deque(delivery_ids)
        calls: set[asyncio.Task[_Result]] = set()
        # Calls report here as they end: asyncio.wait on the whole window would hook into and
        # unhook from every call in flight each time one ends.
        ended: asyncio.Queue[asyncio.Task[_Result]] = asyncio.Queue()
        finished: list[_Result] = []
        half = max(1, self.group_size // 2)
        try:
            while calls or finished or (waiting and not self._stopping):
                busy = len(calls) + len(finished)
                if waiting and not self._stopping and (self.group_size - busy >= half or not busy):
                    group = [
                        waiting.popleft() for _ in range(min(self.group_size - busy, len(waiting)))
                    ]
                    # Telegram's retry_after is waited out before the claim, not after it: a
                    # row claimed and waiting is `sending`, and a crash then makes it uncertain
                    # although it never left, so it would never be sent.
                    await self._respect_retry_after()
                    for job in await self._claim(group):
                        call = asyncio.create_task(self._call(job))
                        call.add_done_callback(ended.put_nowait)
                        calls.add(call)
                elif finished and (len(finished) >= half or not calls):
                    await self._record(finished)
                    finished = []
                else:
                    done = [await ended.get()]
                    while not ended.empty():
                        done.append(ended.get_nowait())
                    calls.difference_update(done)
                    finished += [call.result() for call in done]
        finally:
            # Cancelled (an abort, or the sender lock lost), or a transaction failed: calls in
            # flight stop with us, and their rows stay `sending`, to be found uncertain.
            for call in calls:
                call.cancel()

    async def _call(self, job: _Job) -> _Result:
        await self._respect_retry_after()
        await self.limiter.acquire()
        self._last_send[job.chat_id] = monotonic_time.monotonic()
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(t, callback_data=d) for t, d in job.message.buttons]]
            )
            if job.message.buttons
            else None
        )
        try:
            sent = await self.bot.send_message(job.chat_id, job.message.html, reply_markup=markup)
        except Exception as error:  # every outcome is recorded on the row
            return _Result(job, None, error)
        return _Result(job, sent.message_id, None)

    async def _claim(self, delivery_ids: list[int]) -> list[_Job]:
        now = self.clock.now()
        jobs: list[_Job] = []
        async with self.db.session() as session:
            # One statement claims the rows and loads them.
            claimed = await session.scalars(
                update(Delivery)
                .where(Delivery.id.in_(delivery_ids), Delivery.status == DeliveryStatus.PENDING)
                .values(
                    status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1, updated_at=now
                )
                .returning(Delivery)
                .execution_options(populate_existing=True)
            )
            deliveries = sorted(claimed, key=lambda delivery: delivery.id)
            if not deliveries:
                return jobs
            known = await self._load_for(session, deliveries)
            for delivery in deliveries:
                verdict = await self._verdict(session, delivery, now, known)
                message = None if verdict else await self._render(session, delivery, now)
                if verdict is not None or message is None:
                    delivery.status = verdict or DeliveryStatus.CANCELLED
                    continue
                jobs.append(_Job(delivery, message, now))
        return jobs

    async def _load_for(self, session: AsyncSession, deliveries: list[Delivery]) -> _Known:
        """What the verdicts and the renderers of a group read, in a few queries for the group.

        One query per delivery (its user, its reminder, its broadcast...) was most of a claim's
        time. The loaded objects are held in the result, because the session's identity map only
        keeps objects something else references, and `session.get` then finds them there.
        """
        reminders = [d for d in deliveries if d.kind is not None and d.reminder_id is not None]
        held: list[object] = []
        answered: set[tuple[int | None, datetime | None]] = set()
        snoozed: set[tuple[int | None, datetime | None]] = set()
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
        return _Known(held, answered, snoozed)

    async def _record(self, results: list[_Result]) -> None:
        sent = [r for r in results if r.error is None]
        async with self.db.session() as session:
            if sent:
                # One executemany UPDATE by primary key, in Core: the ORM's bulk update by
                # primary key cost more than the statement itself.
                await session.execute(
                    _MARK_SENT,
                    [
                        {
                            "b_id": r.job.delivery.id,
                            "b_message": r.message_id,
                            "b_at": r.job.started,
                        }
                        for r in sent
                    ],
                )
                await self._queue_follow_ups(session, [r.job for r in sent])
            for result in results:
                if result.error is not None:
                    await self._record_failure(session, result.job.delivery.id, result.error)

    async def _verdict(
        self, session: AsyncSession, delivery: Delivery, now: datetime, known: _Known
    ) -> DeliveryStatus | None:
        """Why a reminder delivery must not go out after all, if it must not."""
        if delivery.kind is None:  # not a reminder
            return None
        if delivery.reminder_id is None:  # the reminder was deleted
            return DeliveryStatus.CANCELLED
        user = await session.get(User, delivery.user_id)
        reminder = await session.get(Reminder, delivery.reminder_id)
        if user is None or reminder is None or user.status != UserStatus.ACTIVE:
            return DeliveryStatus.CANCELLED
        if not reminder.enabled or user.reminders_paused:
            return DeliveryStatus.CANCELLED
        if now - delivery.due_at > self.policy.grace(delivery.kind):
            return DeliveryStatus.MISSED
        occurrence = (delivery.reminder_id, delivery.occurrence)
        if occurrence in known.answered:
            return DeliveryStatus.CANCELLED
        if delivery.purpose == Purpose.FOLLOW_UP and occurrence in known.snoozed:
            return DeliveryStatus.CANCELLED
        return None

    async def _render(
        self, session: AsyncSession, delivery: Delivery, now: datetime
    ) -> Outgoing | None:
        renderer = (delivery.kind and self.renderers.get(delivery.kind)) or self.renderers.get(
            delivery.purpose
        )
        if renderer is not None:
            return await renderer(session, delivery)
        if delivery.reminder_id is None or delivery.kind is None:
            return None
        reminder = await session.get(Reminder, delivery.reminder_id)
        if reminder is None:
            return None
        if delivery.purpose == Purpose.FIRST and now - delivery.due_at > self.policy.late_after:
            delivery.late = True
        return reminder_message(
            delivery.kind, reminder.local_time, delivery.purpose, delivery.late, delivery.id
        )

    async def _queue_follow_ups(self, session: AsyncSession, jobs: list[_Job]) -> None:
        """A sent dose reminder gets its one follow-up, counted from when it was sent."""
        rows = [
            {
                "user_id": job.delivery.user_id,
                "chat_id": job.delivery.chat_id,
                "reminder_id": job.delivery.reminder_id,
                "kind": job.delivery.kind,
                "occurrence": job.delivery.occurrence,
                "purpose": Purpose.FOLLOW_UP,
                "priority": job.delivery.priority,
                "due_at": job.started + self.policy.follow_up_after,
                "status": DeliveryStatus.PENDING,
                "late": False,
                "attempts": 0,
                "updated_at": job.started,
            }
            for job in jobs
            if job.delivery.kind == ReminderKind.DOSE and job.delivery.purpose == Purpose.FIRST
        ]
        if rows:
            await session.execute(insert_ignoring_duplicates(session, Delivery), rows)

    async def _record_failure(
        self, session: AsyncSession, delivery_id: int, error: Exception
    ) -> None:
        failure = classify(error)
        now = self.clock.now()
        description = str(getattr(error, "message", "") or type(error).__name__)[:200]
        log.warning("delivery %d: %s (%s)", delivery_id, failure.value, type(error).__name__)
        delivery = await session.get(Delivery, delivery_id)
        if delivery is None:
            return
        delivery.updated_at = now
        delivery.error = description
        if failure == Failure.RATE_LIMITED:
            retry_after = _retry_after_seconds(error)
            self._resume_at = max(self._resume_at, monotonic_time.monotonic() + retry_after)
            delivery.status = DeliveryStatus.PENDING
        elif failure == Failure.RETRY:
            retry_at = now + min(timedelta(seconds=2**delivery.attempts), MAX_BACKOFF)
            delivery.status = self._after_outage(delivery, retry_at)
            delivery.due_at = retry_at
        elif failure == Failure.BLOCKED:
            delivery.status = DeliveryStatus.BLOCKED
            await mark_blocked(session, delivery.user_id, now)
        elif failure == Failure.UNCERTAIN:
            delivery.status = DeliveryStatus.UNCERTAIN
        else:
            delivery.status = DeliveryStatus.FAILED

    def _after_outage(self, delivery: Delivery, retry_at: datetime) -> DeliveryStatus:
        """Nothing was sent: pending again, for a retry at `retry_at`, or given up.

        A reminder is retried for as long as its occurrence is within the grace window, however
        many attempts that takes: counting attempts lost every reminder of a 30-second outage
        (2 + 4 + 8 + 16 s of backoff). Past the window it is missed, as after any outage.
        Anything else gives up after `max_attempts`.
        """
        if delivery.kind is not None and delivery.occurrence is not None:
            if retry_at - delivery.occurrence <= self.policy.grace(delivery.kind):
                return DeliveryStatus.PENDING
            return DeliveryStatus.MISSED
        if delivery.attempts < self.max_attempts:
            return DeliveryStatus.PENDING
        return DeliveryStatus.FAILED


def _limiter(rate: float) -> AsyncLimiter:
    """An even spacing of about 1/rate seconds, never more than rate + 1 in any second.

    A bucket of `rate` would let a burst of twice the cap through in the first second, and
    Telegram counts per second. A bucket of 1 leaking at `rate` keeps to rate + 1, but every
    wake-up comes a little late (asyncio's timers go by milliseconds) and a bucket of 1 cannot
    make up for it: at 1000/s it sent about 600, at 29.5/s about 28.6. So the bucket holds
    LATE_ALLOWANCE seconds' worth more, and leaks that much slower: the bound in any second,
    capacity + leak rate, stays rate + 1, and late wake-ups are made up.
    """
    extra = rate * LATE_ALLOWANCE
    capacity, leak = 1 + extra, rate - extra
    return AsyncLimiter(capacity, capacity / leak)


def _retry_after_seconds(error: Exception) -> float:
    value = getattr(error, "retry_after", 1)
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def mark_blocked(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user blocked the bot: stop their reminders and drop what was waiting for them."""
    await session.execute(update(User).where(User.id == user_id).values(status=UserStatus.BLOCKED))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id).values(next_fire_at=None)
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.user_id == user_id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, updated_at=now)
    )
