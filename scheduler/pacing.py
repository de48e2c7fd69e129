"""Telegram's limits, kept by the sender itself: a global cap per second, at least an interval
between two messages to one chat, and the pause Telegram asks for with a 429.

PTB's `AIORateLimiter` has no per-chat limit for private chats and no priorities, hence our own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable

from aiolimiter import AsyncLimiter

# How late a send may come and still be made up for by the next ones (see limiter).
LATE_ALLOWANCE = 0.01
# Chats remembered before those sent to longer than an interval ago are forgotten.
_REMEMBERED_CHATS = 1000


def limiter(rate: float) -> AsyncLimiter:
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


class Pacing:
    """When the next message may go: to any chat, and to a given chat."""

    def __init__(
        self,
        rate_per_second: float,
        per_chat_interval: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate_per_second = rate_per_second
        self.per_chat_interval = per_chat_interval
        self.limiter = limiter(rate_per_second)
        self._monotonic = monotonic
        self._last_send: dict[int, float] = {}
        self._resume_at = 0.0

    def round_size(self, batch: int) -> int:
        """Deliveries to look at in one round: about a second of sending at the cap, and at
        least `batch`. A round ends by waiting for its last calls, so at a high cap short
        rounds would leave the limiter idle, and a reminder that falls due waits a round at
        most."""
        return max(batch, int(self.rate_per_second))

    def choose(self, due: Iterable[tuple[int, int]]) -> list[int]:
        """Of (delivery id, chat id) pairs in the order they should go, the deliveries that may
        go this round: the first of each chat whose interval has passed."""
        self._forget_idle_chats()
        chosen: list[int] = []
        chats_this_round: set[int] = set()
        for delivery_id, chat_id in due:
            if chat_id in chats_this_round or not self.chat_ready(chat_id):
                continue
            chats_this_round.add(chat_id)
            chosen.append(delivery_id)
        return chosen

    def chat_ready(self, chat_id: int) -> bool:
        last = self._last_send.get(chat_id)
        return last is None or self._monotonic() - last >= self.per_chat_interval

    def hold(self, seconds: float) -> None:
        """Telegram answered 429: nothing goes out for `seconds` from now."""
        self._resume_at = max(self._resume_at, self._monotonic() + seconds)

    async def wait_out_hold(self) -> None:
        delay = self._resume_at - self._monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def turn(self, chat_id: int) -> None:
        """Wait until a message to this chat may go, and count it as gone."""
        await self.wait_out_hold()
        await self.limiter.acquire()
        self._last_send[chat_id] = self._monotonic()

    def _forget_idle_chats(self) -> None:
        # Only chats sent to within the last interval matter; a big broadcast must not leave one
        # entry per recipient behind for the life of the process.
        if len(self._last_send) > _REMEMBERED_CHATS:
            horizon = self._monotonic() - self.per_chat_interval
            self._last_send = {c: t for c, t in self._last_send.items() if t > horizon}
