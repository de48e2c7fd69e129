"""A per-user flood guard: a burst is answered, a flood is dropped with one polite notice.

It runs before every other handler (the lowest group), so a flood costs neither database writes
nor replies, and other users are not held up behind it.

The state is in this process's memory, not the database: a limiter that wrote a row per update
would add the very load it is there to keep out. Losing it on a restart only gives everyone a
fresh burst, and with several instances behind a webhook each limits on its own, which still
caps a flooder at a few times the rate. Only users seen within the last refill period are kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.services import Context, IsobotApp

log = logging.getLogger("isobot.flood")

# Forgetting users is only checked once this many are known, and then once per refill period: a
# pass over every user on each new one cost 8% of the CPU at 200 new users a second.
PRUNE_ABOVE = 1_000
NOTICE = (
    "🐢 You're sending messages faster than I can read them, so I skipped some. "
    "Please wait a few seconds, then send one message at a time."
)
_KEY = "flood_gate"


@dataclass
class _Bucket:
    tokens: float
    at: float
    noticed: bool = False


class FloodGate:
    """A token bucket per user: `burst` updates at once, refilled at `per_second`.

    A flood episode starts when a user's bucket runs dry and ends when it is full again; the
    user gets one notice per episode.
    """

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._pruned_at = clock()

    @property
    def refill_seconds(self) -> float:
        """How long an empty bucket takes to fill: after that a user is as if never seen."""
        return self.burst / self.per_second

    def __len__(self) -> int:
        return len(self._buckets)

    def admit(self, user_id: int) -> tuple[bool, bool]:
        """Whether this update may go on, and whether to send the notice now."""
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        if bucket.tokens >= self.burst:
            bucket.noticed = False  # full again: the last episode is over
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, False
        notice = not bucket.noticed
        bucket.noticed = True
        return False, notice

    def _prune(self, now: float) -> None:
        horizon = now - self.refill_seconds
        if len(self._buckets) < PRUNE_ABOVE or self._pruned_at > horizon:
            return
        self._pruned_at = now
        self._buckets = {u: b for u, b in self._buckets.items() if b.at > horizon}


async def guard(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    gate: FloodGate = context.bot_data[_KEY]
    admitted, notice = gate.admit(user.id)
    if admitted:
        return
    if notice and update.effective_chat is not None:
        log.info("user %d is flooding; their updates are dropped for a while", user.id)
        try:
            await context.bot.send_message(update.effective_chat.id, NOTICE)
        except TelegramError:
            log.warning("could not send the flood notice to user %d", user.id)
    raise ApplicationHandlerStop


def gate_of(app: IsobotApp) -> FloodGate:
    gate = app.bot_data[_KEY]
    assert isinstance(gate, FloodGate)
    return gate


def register(app: IsobotApp) -> None:
    # Twenty updates at once are fine (quick taps, a few forwarded messages); then one a second.
    settings = app.bot_data.services.settings
    app.bot_data[_KEY] = FloodGate(settings.flood_burst, settings.flood_per_second)
    # Below the users handler's group (-2), so a dropped update is not even recorded.
    app.add_handler(TypeHandler(Update, guard), group=-3)
