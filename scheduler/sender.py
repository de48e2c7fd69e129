"""The one long-lived task that sends pending deliveries within Telegram's limits.

It is an asyncio task, not an APScheduler job: APScheduler skips a run while the previous one is
still going, and a long broadcast would then starve reminders. This module holds its life: start,
stop, and with several instances on PostgreSQL, sending only while it holds the sender lock. The
parts it runs:

- send_loop.py: rounds of sending, with a window of calls in flight;
- claims.py: claiming deliveries (`pending` to `sending`, before any call) and the rules that
  stop a reminder from going out after all;
- pacing.py: the global cap, one message a second per chat, and Telegram's retry_after;
- recording.py and outcomes.py: what each call's outcome does to its row, with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from scheduler.claims import Renderer
from scheduler.send_loop import SendLoop
from storage.advisory_lock import AdvisoryLock
from storage.error_logs import log_failure

__all__ = ["Renderer", "Sender"]

log = logging.getLogger("isobot.sender")


class Sender:
    """Drains pending deliveries: reminders first, one chat at most once a second."""

    def __init__(
        self, loop: SendLoop, *, lock: AdvisoryLock | None = None, lock_check: float = 1.0
    ) -> None:
        self.loop = loop
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
        self.loop.stop()
        self._stop_requested.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def abort(self) -> None:
        """Stop at once, as a crash would: a call in flight leaves its row in `sending`."""
        self.loop.stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self.loop.wake()

    # --- the sender lock ---------------------------------------------------------------------

    async def run(self) -> None:
        """Send while this instance may: always without a lock; with one, only while holding it,
        and on standby, trying to take it, while another instance holds it."""
        standby_said = False
        while not self.loop.stopping:
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
            except Exception as error:
                log_failure(log, error, "sender", after="; starting again shortly")
                await self._pause(self.loop.idle_wait)
            finally:
                self.active = False
                if self.lock is not None:
                    await self.lock.release()

    async def _send_while_allowed(self) -> None:
        """Run the send loop until it stops, or until the lock is found lost: then cancel it at
        once, since another instance may already be sending."""
        self.active = True
        sending = asyncio.create_task(self.loop.run(), name="isobot-sender-loop")
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

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop_requested.wait(), timeout=seconds)
