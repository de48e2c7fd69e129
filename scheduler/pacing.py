"""Telegram's limits, kept by the sender itself: a global cap per second, at least an interval
between two messages to one chat, and the pause Telegram asks for with a 429.

PTB's `AIORateLimiter` has no per-chat limit for private chats and no priorities, hence our own.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

# Telegram counts sends as they arrive. A send arrives no sooner than it is made, and no later than
# its answer comes back; so the cap is kept by the answers, however late the event loop, this
# process or the other side was on the way: no send goes out less than a second after the answer
# to the send `n` places before it, n being the cap. The answer's lateness is the margin, and it
# costs nothing while answers come quickly. GUARD covers the drift of two clocks over a second.
GUARD = 0.002
# The schedule's own spacing is this much wider than the cap asks, so that in the usual case the
# answers (a few ms) are back before the rule above has to hold a send back.
MARGIN = 0.005
# A send with no answer after this long (a hang, until the client's timeout) is taken to have
# arrived by then: waiting for its answer would stop all sending with it.
MAX_TRIP = 0.25
# A send whose slot passed while the event loop was busy elsewhere goes at once, and the next
# keeps its own slot, so lateness does not add up; but a send later than this (a share of the
# spacing, and at least a few ms, the grain of asyncio's timers) gives up the slots it missed,
# and no two sends come closer than a spacing less this: a stall is never followed by a burst.
LATE_SHARE = 0.5
LATE_FLOOR = 0.003
# At a high cap, the sends whose slots fall in one such stretch go together, at its start: one
# wake-up of the event loop for several sends, whose requests and answers are then handled in the
# same passes. A wake-up per send cost at 1000/s two thirds of a send's own CPU. At caps whose
# spacing is wider (up to 100/s, Telegram's free 30/s among them) every send keeps its own slot.
GRAIN = 0.01
# Chats remembered before those sent to longer than an interval ago are forgotten.
_REMEMBERED_CHATS = 1000


@dataclass(slots=True)
class Sent:
    """One send: when it was made, and when its answer came back (None while in flight)."""

    made: float
    chat_id: int
    answered: float | None = None


class Pacing:
    """When the next message may go: to any chat, and to a given chat.

    Sends go on an absolute schedule, one slot every (1 + MARGIN) / rate seconds, taken in the
    order asked; and the answers bound what follows (GUARD). Both hold however late the event
    loop wakes up.
    """

    def __init__(
        self,
        rate_per_second: float,
        per_chat_interval: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate_per_second = rate_per_second
        self.per_chat_interval = per_chat_interval
        self.spacing = (1 + MARGIN) / rate_per_second
        self._late = max(LATE_SHARE * self.spacing, LATE_FLOOR)
        self.window_sends = max(1, math.floor(rate_per_second))
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: deque[Sent] = deque(maxlen=self.window_sends)
        self._next_slot = -math.inf
        # Per chat, when its last send was answered (or made, while in flight).
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
        # From the answer, as for the global cap: two sends to a chat a second apart by our
        # clock may arrive closer than that.
        return last is None or self._monotonic() - last >= self.per_chat_interval * (1 + GUARD)

    def hold(self, seconds: float) -> None:
        """Telegram answered 429: nothing goes out for `seconds` from now."""
        self._resume_at = max(self._resume_at, self._monotonic() + seconds)

    def holding(self) -> bool:
        return self._resume_at > self._monotonic()

    async def wait_out_hold(self) -> None:
        delay = self._resume_at - self._monotonic()
        if delay > 0:
            await self._sleep(delay)

    async def turn(self, chat_id: int) -> Sent:
        """Wait until a message to this chat may go, and count it as gone; `answered` with what
        this returns once the call has ended, however it ended."""
        await self.wait_out_hold()
        # The next slot on the schedule is this send's; one the loop missed by more than
        # `_late` is let go rather than caught up.
        now = self._monotonic()
        at = max(self._next_slot, now - self._late)
        self._next_slot = at + self.spacing
        if self.spacing < GRAIN:
            at -= at % GRAIN
        while (ready := self._ready_at(at, now)) > now:
            await self._sleep(ready - now)
            now = self._monotonic()
        sent = Sent(now, chat_id)
        self._sent.append(sent)
        self._last_send[chat_id] = now
        return sent

    def answered(self, sent: Sent) -> None:
        sent.answered = self._monotonic()
        if self._last_send.get(sent.chat_id) == sent.made:
            self._last_send[sent.chat_id] = sent.answered

    def _ready_at(self, slot: float, now: float) -> float:
        """When a send with this slot may go, by the sends really made before it: sends that
        woke together after a stall would otherwise go together."""
        ready = slot
        if self._sent:
            ready = max(ready, self._sent[-1].made + self.spacing - self._late)
        if len(self._sent) == self.window_sends:
            oldest = self._sent[0]
            arrived = oldest.answered
            if arrived is None:
                # Still in flight: wait for its answer (looking again every few ms), but not
                # for a hang.
                given_up = oldest.made + MAX_TRIP
                if now < given_up:
                    return max(ready, min(given_up, now + LATE_FLOOR))
                arrived = given_up
            ready = max(ready, arrived + 1 + GUARD)
        return ready

    def _forget_idle_chats(self) -> None:
        # Only chats sent to within the last interval matter; a big broadcast must not leave one
        # entry per recipient behind for the life of the process.
        if len(self._last_send) > _REMEMBERED_CHATS:
            horizon = self._monotonic() - self.per_chat_interval * (1 + GUARD)
            self._last_send = {c: t for c, t in self._last_send.items() if t > horizon}
