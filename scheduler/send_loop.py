"""Rounds of sending: pick the due deliveries that pacing allows, claim them, call Telegram with
a window of calls in flight, and record what became of each."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from scheduler import claims, recording
from scheduler.claims import Job, Renderers
from scheduler.clock import Clock
from scheduler.outcomes import retry_after_seconds
from scheduler.pacing import Pacing
from scheduler.policy import Policy
from scheduler.recording import Result
from scheduler.telegram_send import send_html
from storage import Database
from storage.error_logs import log_failure

log = logging.getLogger("isobot.sender")

_LEFT_SENDING = "; it stays `sending`, to be found uncertain when a sender next starts"


class SendLoop:
    """Sends until stopped, and waits for a wake-up (or `idle_wait`) when nothing is due."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        policy: Policy,
        pacing: Pacing,
        *,
        concurrency: int = 8,
        max_attempts: int = 5,
        batch: int = 50,
        idle_wait: float = 1.0,
        renderers: Renderers | None = None,
    ) -> None:
        self.db, self.bot, self.clock, self.policy, self.pacing = db, bot, clock, policy, pacing
        # Messages sent at once, and so the most that a crash can leave uncertain.
        self.group_size = concurrency
        self.max_attempts = max_attempts
        self.batch = batch
        self.idle_wait = idle_wait
        self.renderers = renderers or {}
        self.stopping = False
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    def stop(self) -> None:
        """Start no more calls; the calls in flight end and are recorded."""
        self.stopping = True
        self._wakeup.set()

    async def run(self) -> None:
        # Taking over: whatever the last holder left in `sending` may have reached Telegram.
        await self.recover()
        while not self.stopping:
            try:
                handled = await self.drain_once()
            except Exception as error:
                log_failure(log, error, "sender round", after="; retrying shortly")
                handled = 0
            if handled == 0 and not self.stopping:
                await self._idle()

    async def _idle(self) -> None:
        self._wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self.idle_wait)

    async def recover(self) -> int:
        async with self.db.session() as session:
            return await claims.recover(session, self.clock.now())

    async def drain_once(self) -> int:
        """Send one batch of due deliveries, a group at a time; the number started."""
        now = self.clock.now()
        async with self.db.session() as session:
            due = await claims.due(session, now, self.pacing.round_size(self.batch))
        chosen = self.pacing.choose(due)
        await self._send_window(chosen)
        if not chosen and due:
            # Everything due is waiting for its chat's one-second spacing.
            await asyncio.sleep(min(self.pacing.per_chat_interval, self.idle_wait) / 4)
        return len(chosen)

    async def _send_window(self, delivery_ids: list[int]) -> None:
        """Send these deliveries with at most `group_size` of them in `sending` at any moment.

        `sending` is committed before a call, so a crash leaves at most that many uncertain. The
        claims and the records run while other calls are in flight: claiming, sending and
        recording one group after another left the limiter idle for two transactions in every
        group. Once seven eighths of the window have finished, one transaction records what
        finished and claims as many more: transactions, not rows, were most of the sender's own
        cost, and a record and a claim of their own were two.
        """
        waiting = deque(delivery_ids)
        calls: set[asyncio.Task[Result]] = set()
        finished: list[Result] = []
        enough = max(1, self.group_size - self.group_size // 8)
        # Set when it is time to exchange: waking this loop once per call that ended cost about
        # as much as the rest of the sender's work on a message.
        exchange_due = asyncio.Event()

        def ended(call: asyncio.Task[Result]) -> None:
            calls.discard(call)
            if not call.cancelled():
                finished.append(call.result())
            if len(finished) >= enough or not calls:
                exchange_due.set()

        try:
            while calls or finished or (waiting and not self.stopping):
                more = bool(waiting) and not self.stopping
                free = self.group_size - len(calls)
                if (finished and (len(finished) >= enough or not calls)) or (
                    more and not finished and free >= enough
                ):
                    results, finished[:] = finished[:], []
                    self._hold_for(results)
                    take = more and not self.pacing.holding()
                    group = (
                        [waiting.popleft() for _ in range(min(free, len(waiting)))] if take else []
                    )
                    for job in await self._exchange(results, group):
                        call = asyncio.create_task(self._call(job))
                        call.add_done_callback(ended)
                        calls.add(call)
                    if more and not take:
                        # Telegram's retry_after is waited out before the claim, not after
                        # it: a row claimed and waiting is `sending`, and a crash then makes
                        # it uncertain although it never left, so it would never be sent.
                        await self.pacing.wait_out_hold()
                else:
                    exchange_due.clear()
                    await exchange_due.wait()
        finally:
            # Cancelled (an abort, or the sender lock lost), or a transaction failed: calls in
            # flight stop with us, and their rows stay `sending`, to be found uncertain.
            for call in list(calls):
                call.cancel()

    def _hold_for(self, results: list[Result]) -> None:
        # Telegram asked for a pause: nothing more goes out, nor is claimed, until it is over.
        for result in results:
            if result.error is not None and (seconds := retry_after_seconds(result.error)):
                self.pacing.hold(seconds)

    async def _exchange(self, results: list[Result], delivery_ids: list[int]) -> list[Job]:
        """Record these results and claim these deliveries, in one transaction.

        Should that transaction fail, each result is recorded in one of its own, and then the
        claim is made alone: one row that cannot be written must not cost the other calls
        their record, or leave them `sending` until the next start. Nothing is sent twice: a
        claim that failed claimed nothing, and one whose commit went through unseen left its
        rows `sending`, which the claim made again does not take.
        """
        try:
            return await self._record_and_claim(results, delivery_ids)
        except Exception as error:
            if not results:
                raise
            log_failure(
                log, error, "recording %d results", len(results), after="; recording each alone"
            )
        await self._record_each(results)
        return await self._record_and_claim([], delivery_ids) if delivery_ids else []

    async def _record_and_claim(self, results: list[Result], delivery_ids: list[int]) -> list[Job]:
        now = self.clock.now()
        async with self.db.session() as session:
            if results:
                await recording.record(session, results, now, self.policy, self.max_attempts)
            if not delivery_ids:
                return []
            return await claims.claim(session, delivery_ids, now, self.policy, self.renderers)

    async def _record_each(self, results: list[Result]) -> None:
        """Record each result alone. A sent dose reminder whose record still fails is recorded
        as sent without its follow-up, since it was; a result that cannot be recorded at all
        stays `sending`, and is found uncertain when a sender next starts."""
        now = self.clock.now()
        for result in results:
            again = result.error is None and recording.gets_follow_up(result.job)
            then = "; recording it as sent without its follow-up" if again else _LEFT_SENDING
            if await self._record_alone(result, now, then, follow_ups=True) or not again:
                continue
            await self._record_alone(result, now, _LEFT_SENDING, follow_ups=False)

    async def _record_alone(
        self, result: Result, now: datetime, then: str, *, follow_ups: bool
    ) -> bool:
        """Whether this result is recorded, in a transaction of its own; a failure is logged,
        followed by `then`."""
        try:
            async with self.db.session() as session:
                await recording.record(
                    session, [result], now, self.policy, self.max_attempts, follow_ups=follow_ups
                )
        except Exception as error:
            log_failure(log, error, "recording delivery %d", result.job.delivery.id, after=then)
            return False
        return True

    async def _call(self, job: Job) -> Result:
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(t, callback_data=d) for t, d in job.message.buttons]]
            )
            if job.message.buttons
            else None
        )
        turn = await self.pacing.turn(job.chat_id)
        try:
            message_id = await send_html(self.bot, job.chat_id, job.message.html, markup)
        except Exception as error:  # every outcome is recorded on the row
            return Result(job, None, error)
        finally:
            # By its answer, the message has arrived: pacing counts from then.
            self.pacing.answered(turn)
        return Result(job, message_id, None)
