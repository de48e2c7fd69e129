"""Long polling that confirms an update to Telegram only once it has been handled.

PTB's Updater asks for the next batch with an offset past the last update it fetched. That offset
confirms the whole batch to Telegram before the Application has handled it, so a kill in between
lost those updates: a Taken press just spun, and the user had to tap again (2 presses in one run
of the crash soak). Here the offset moves past an update only once it has been handled. A kill
leaves it with Telegram, which sends it again after the restart.

So handlers must bear the same update twice (docs/reliability.md). An update whose handler raised
counts as handled: the error handler has dealt with it, and fetching it again would fail again.

Telegram has one offset for two jobs: it says where the next batch starts and confirms everything
before it. While an update is in hand, every poll sends it back (and up to 100 after it), and only
the ones not seen before are new. Those wait less than `BUSY_POLL_SECONDS` while others are in
hand; more than 100 updates past the oldest one in hand wait until it is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.logs import log_failed_update
from bot.services import IsobotApp
from scheduler.outcomes import seconds_of

log = logging.getLogger("isobot.polling")

# While updates are in hand, each poll brings them back, so polls wait for the oldest to be done,
# or this long for new ones from other chats.
BUSY_POLL_SECONDS = 0.1
# And then this long more, so that one poll confirms several updates finished close together
# instead of one poll per update, each bringing back (and parsing) every update still in hand.
GATHER_SECONDS = 0.02
# After a failed poll: the first wait, growth and cap, as PTB's Updater does.
FIRST_BACKOFF_SECONDS = 1.0
BACKOFF_FACTOR = 1.5
MAX_BACKOFF_SECONDS = 30.0
# PTB's slack on top of Telegram's retry_after.
RETRY_AFTER_SLACK_SECONDS = 0.5


class InFlight:
    """The updates in hand, and the offset that confirms only the handled ones."""

    __slots__ = ("_next", "_open")

    def __init__(self) -> None:
        self._open: set[int] = set()  # at most 100: Telegram sends nothing past that
        self._next: int | None = None  # one past the highest update id taken

    def is_new(self, update_id: int) -> bool:
        """False for an update taken before: one still in hand, or handled but not yet
        confirmed because an older one is still in hand. Telegram's ids only grow."""
        return self._next is None or update_id >= self._next

    def take(self, update_id: int) -> None:
        self._open.add(update_id)
        self._next = update_id + 1 if self._next is None else max(self._next, update_id + 1)

    def done(self, update_id: int) -> bool:
        """Mark an update handled; True when that moved the offset on."""
        moved = update_id == min(self._open)
        self._open.discard(update_id)
        return moved

    @property
    def offset(self) -> int | None:
        """The getUpdates offset: the oldest update in hand, else one past the last taken;
        None before the first update (Telegram then starts at the oldest unconfirmed one)."""
        return min(self._open) if self._open else self._next

    def __len__(self) -> int:
        return len(self._open)


class Poller:
    """Fetches updates with getUpdates and hands each to the Application as it comes."""

    def __init__(self, app: IsobotApp, *, timeout: int) -> None:
        self._app = app
        self._timeout = timeout
        self._in_flight = InFlight()
        self._handling: set[asyncio.Task[None]] = set()
        self._moved = asyncio.Event()  # the offset moved on: a poll would confirm something
        self._fetching: asyncio.Task[None] | None = None
        # Besides the cancellation: a library that turns a cancellation into an error of its own
        # (a timeout, say) must not keep the loop going.
        self._stopping = False

    async def start(self) -> None:
        # As PTB's Updater: Telegram refuses getUpdates while a webhook is set. One try, as
        # run_polling's default; Application.initialize() has already reached Telegram.
        await self._app.bot.delete_webhook()
        self._fetching = asyncio.create_task(self._fetch_forever(), name="isobot:polling")

    async def stop(self) -> None:
        """Stop fetching, let the updates in hand finish, then confirm them with one last
        getUpdates, so that the next start does not get them again."""
        if self._fetching is None:
            return
        # A long poll may be waiting: its updates, if any, were never confirmed and come again.
        self._stopping = True
        self._fetching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._fetching
        self._fetching = None
        if self._handling:
            await asyncio.wait(set(self._handling))
        await self._confirm()

    async def _fetch_forever(self) -> None:
        backoff = Backoff()
        while not self._stopping:
            self._moved.clear()
            updates = await self._fetch(backoff)
            if updates is None:
                continue
            new = [u for u in updates if self._in_flight.is_new(u.update_id)]
            for update in new:
                self._take(update)
            if not new and self._in_flight:
                await self._wait_for_progress()

    async def _fetch(self, backoff: Backoff) -> tuple[Update, ...] | None:
        """One getUpdates from the offset; None after a failure, once its wait is over."""
        try:
            updates = await self._app.bot.get_updates(
                offset=self._in_flight.offset, timeout=self._timeout
            )
        except InvalidToken:
            # As PTB's Updater: a revoked token does not come back.
            log.error("polling stopped: Telegram refused the token")
            self._stopping = True
            return None
        except RetryAfter as error:
            await asyncio.sleep(seconds_of(error.retry_after) + RETRY_AFTER_SLACK_SECONDS)
            return None
        except TimedOut:
            return None  # the long poll outlived the read timeout: ask again at once
        except TelegramError as error:
            # A conflict (another poller), a network error, a 5xx: wait, then try again.
            log.warning("getUpdates failed (%s); again in %g s", type(error).__name__, backoff.next)
            await backoff.wait()
            return None
        except Exception as error:
            # Telegram answered, but PTB could not read it. Nothing was confirmed: try again.
            log.error(
                "getUpdates answer unusable (%s); again in %g s", type(error).__name__, backoff.next
            )
            await backoff.wait()
            return None
        backoff.reset()
        return updates

    async def _wait_for_progress(self) -> None:
        """Everything Telegram sent back is in hand already: poll again once the offset can move
        on, or after a moment, for updates that came meanwhile."""
        # asyncio.timeout, not wait_for: on Python 3.11, wait_for can swallow the cancellation
        # that stop() sends when it lands as the timeout fires, and polling went on for ever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(BUSY_POLL_SECONDS):
                await self._moved.wait()
        await asyncio.sleep(GATHER_SECONDS)

    def _take(self, update: Update) -> None:
        self._in_flight.take(update.update_id)
        # A task per update, as PTB's Application does with concurrent updates: the update
        # processor (bot/updates.py) keeps each chat in order and bounds how many run at once.
        task = asyncio.create_task(self._handle(update), name=f"isobot:update:{update.update_id}")
        self._handling.add(task)
        task.add_done_callback(self._handling.discard)

    async def _handle(self, update: Update) -> None:
        app = self._app
        try:
            await app.update_processor.process_update(update, app.process_update(update))
        except Exception as error:
            # Handlers' errors went to the error handler; this is what escaped it. Still handled:
            # fetched again, the update would fail again, for ever.
            log_failed_update(log, update.update_id, error)
        # Cancelled (the loop is going away), it stays unconfirmed and comes again.
        if self._in_flight.done(update.update_id):
            self._moved.set()

    async def _confirm(self) -> None:
        offset = self._in_flight.offset
        if offset is None:
            return
        try:
            # No long poll, and one update at most: only the offset matters here.
            await self._app.bot.get_updates(offset=offset, timeout=0, limit=1)
        except TelegramError as error:
            log.warning(
                "could not confirm the last updates (%s): they come again at the next start",
                type(error).__name__,
            )


class Backoff:
    """The wait after a failed poll: longer after each failure in a row, as PTB's Updater."""

    __slots__ = ("next",)

    def __init__(self) -> None:
        self.next = FIRST_BACKOFF_SECONDS

    async def wait(self) -> None:
        await asyncio.sleep(self.next)
        self.next = min(MAX_BACKOFF_SECONDS, self.next * BACKOFF_FACTOR)

    def reset(self) -> None:
        self.next = FIRST_BACKOFF_SECONDS
