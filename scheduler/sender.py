"""The one long-lived task that sends pending deliveries within Telegram's limits.

It is an asyncio task, not an APScheduler job: APScheduler skips a run while the previous one is
still going, and a long broadcast would then starve reminders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as monotonic_time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from scheduler.clock import Clock
from scheduler.dispatcher import insert_ignoring_duplicates
from scheduler.messages import Outgoing, reminder_message
from scheduler.outcomes import Failure, classify
from scheduler.policy import Policy
from storage import Database
from storage.models import (
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

MAX_BACKOFF = timedelta(minutes=5)


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
    ) -> None:
        self.db, self.bot, self.clock, self.policy = db, bot, clock, policy
        self.limiter = AsyncLimiter(rate_per_second, 1)
        self.per_chat_interval = per_chat_interval
        self.slots = asyncio.Semaphore(concurrency)
        self.max_attempts = max_attempts
        self.batch = batch
        self.idle_wait = idle_wait
        self.renderers = renderers or {}
        self._last_send: dict[int, float] = {}
        self._resume_at = 0.0
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="isobot-sender")

    async def stop(self) -> None:
        self._stopping = True
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
        await self.recover()
        while not self._stopping:
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("sender round failed; retrying shortly")
                handled = 0
            if handled == 0 and not self._stopping:
                await self._idle()

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
        """Send one batch of due deliveries; the number started."""
        now = self.clock.now()
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(Delivery.id, Delivery.chat_id)
                    .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
                    .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
                    .limit(self.batch)
                )
            ).all()
        tasks: list[asyncio.Task[None]] = []
        chats_this_round: set[int] = set()
        for delivery_id, chat_id in rows:
            if self._stopping:
                break
            if chat_id in chats_this_round or not self._chat_ready(chat_id):
                continue
            chats_this_round.add(chat_id)
            await self._respect_retry_after()
            await self.limiter.acquire()
            self._last_send[chat_id] = monotonic_time.monotonic()
            await self.slots.acquire()
            tasks.append(asyncio.create_task(self._guarded(delivery_id)))
        if tasks:
            await asyncio.gather(*tasks)
        elif rows:
            # Everything due is waiting for its chat's one-second spacing.
            await asyncio.sleep(min(self.per_chat_interval, self.idle_wait) / 4)
        return len(tasks)

    def _chat_ready(self, chat_id: int) -> bool:
        last = self._last_send.get(chat_id)
        return last is None or monotonic_time.monotonic() - last >= self.per_chat_interval

    async def _respect_retry_after(self) -> None:
        delay = self._resume_at - monotonic_time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _guarded(self, delivery_id: int) -> None:
        try:
            await self.deliver(delivery_id)
        except Exception:
            log.exception("delivery %d failed unexpectedly", delivery_id)
        finally:
            self.slots.release()

    # --- one delivery ------------------------------------------------------------------------

    async def deliver(self, delivery_id: int) -> None:
        """Claim, send and record one delivery: `sending` is committed before the API call."""
        outgoing = await self._claim(delivery_id)
        if outgoing is None:
            return
        delivery_chat, message, started = outgoing
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(t, callback_data=d) for t, d in message.buttons]]
            )
            if message.buttons
            else None
        )
        try:
            sent = await self.bot.send_message(delivery_chat, message.html, reply_markup=markup)
        except Exception as error:  # every outcome is recorded on the row
            await self._record_failure(delivery_id, error)
            return
        await self._record_sent(delivery_id, sent.message_id, started)

    async def _claim(self, delivery_id: int) -> tuple[int, Outgoing, datetime] | None:
        now = self.clock.now()
        async with self.db.session() as session:
            claimed = await session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
                .values(
                    status=DeliveryStatus.SENDING,
                    attempts=Delivery.attempts + 1,
                    updated_at=now,
                )
            )
            if not claimed.rowcount:  # type: ignore[attr-defined]
                return None
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None
            verdict = await self._verdict(session, delivery, now)
            if verdict is not None:
                delivery.status = verdict
                return None
            message = await self._render(session, delivery, now)
            if message is None:
                delivery.status = DeliveryStatus.CANCELLED
                return None
            return delivery.chat_id, message, now

    async def _verdict(
        self, session: AsyncSession, delivery: Delivery, now: datetime
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
        answered = await session.scalar(
            select(DoseLog.id).where(
                DoseLog.reminder_id == delivery.reminder_id,
                DoseLog.occurrence == delivery.occurrence,
            )
        )
        if answered is not None:
            return DeliveryStatus.CANCELLED
        if delivery.purpose == Purpose.FOLLOW_UP:
            snoozed = await session.scalar(
                select(Delivery.id).where(
                    Delivery.reminder_id == delivery.reminder_id,
                    Delivery.occurrence == delivery.occurrence,
                    Delivery.purpose == Purpose.SNOOZE,
                )
            )
            if snoozed is not None:
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

    async def _record_sent(self, delivery_id: int, message_id: int, sent_at: datetime) -> None:
        # The send time is when the call began: the follow-up counts from the moment the user
        # could first see the reminder, however long our bookkeeping took.
        now = sent_at
        async with self.db.session() as session:
            delivery = await session.get(Delivery, delivery_id)
            if delivery is None:  # the user deleted their data meanwhile
                return
            delivery.status = DeliveryStatus.SENT
            delivery.telegram_message_id = message_id
            delivery.sent_at = now
            delivery.updated_at = now
            delivery.error = None
            if delivery.kind == ReminderKind.DOSE and delivery.purpose == Purpose.FIRST:
                await self._queue_follow_up(session, delivery, now)

    async def _queue_follow_up(self, session: AsyncSession, first: Delivery, now: datetime) -> None:
        await session.execute(
            insert_ignoring_duplicates(session, Delivery),
            [
                {
                    "user_id": first.user_id,
                    "chat_id": first.chat_id,
                    "reminder_id": first.reminder_id,
                    "kind": first.kind,
                    "occurrence": first.occurrence,
                    "purpose": Purpose.FOLLOW_UP,
                    "priority": first.priority,
                    "due_at": now + self.policy.follow_up_after,
                    "status": DeliveryStatus.PENDING,
                    "late": False,
                    "attempts": 0,
                    "updated_at": now,
                }
            ],
        )

    async def _record_failure(self, delivery_id: int, error: Exception) -> None:
        failure = classify(error)
        now = self.clock.now()
        description = str(getattr(error, "message", "") or type(error).__name__)[:200]
        log.warning("delivery %d: %s (%s)", delivery_id, failure.value, type(error).__name__)
        async with self.db.session() as session:
            delivery = await session.get(Delivery, delivery_id)
            if delivery is None:
                return
            delivery.updated_at = now
            delivery.error = description
            if failure == Failure.RATE_LIMITED:
                retry_after = _retry_after_seconds(error)
                self._resume_at = max(self._resume_at, monotonic_time.monotonic() + retry_after)
                delivery.status = DeliveryStatus.PENDING
            elif failure == Failure.RETRY and delivery.attempts < self.max_attempts:
                delivery.status = DeliveryStatus.PENDING
                delivery.due_at = now + min(timedelta(seconds=2**delivery.attempts), MAX_BACKOFF)
            elif failure == Failure.BLOCKED:
                delivery.status = DeliveryStatus.BLOCKED
                await mark_blocked(session, delivery.user_id, now)
            elif failure == Failure.UNCERTAIN:
                delivery.status = DeliveryStatus.UNCERTAIN
            else:
                delivery.status = DeliveryStatus.FAILED


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
