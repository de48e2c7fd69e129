"""Injected faults (errors, hangs, blocked and slow chats) and Telegram's sending limits."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.errors import ApiError, default_description


@dataclass
class FaultRule:
    """One armed fault: an error answer, or a hang when ``hang_seconds`` is set."""

    method: str  # lower case; Telegram method names are case-insensitive
    chat_id: int | None
    times: int
    error: ApiError | None = None
    hang_seconds: float = 0.0
    then_apply: bool = False

    def matches(self, method: str, chat_id: int | None) -> bool:
        return self.method == method.lower() and (self.chat_id is None or self.chat_id == chat_id)


class FaultPlan:
    """The armed faults, consumed first come first served."""

    def __init__(self) -> None:
        self._errors: list[FaultRule] = []
        self._hangs: list[FaultRule] = []
        self.blocked_chats: set[int] = set()
        # chat id -> seconds every call about that chat waits before it is handled.
        self.slow_chats: dict[int, float] = {}

    def add_error(
        self,
        method: str,
        status: int,
        description: str | None,
        *,
        retry_after: int | None,
        times: int,
        chat_id: int | None,
    ) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        if status < 400:
            raise ValueError("an injected fault needs an error status (400 or more)")
        if status == 429 and retry_after is None:
            retry_after = 1  # a 429 without retry_after is not something Telegram sends
        error = ApiError(
            status, description or default_description(status, retry_after), retry_after=retry_after
        )
        self._errors.append(FaultRule(method.lower(), chat_id, times, error=error))

    def add_hang(
        self, method: str, seconds: float, *, times: int, chat_id: int | None, then_apply: bool
    ) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        self._hangs.append(
            FaultRule(method.lower(), chat_id, times, hang_seconds=seconds, then_apply=then_apply)
        )

    @staticmethod
    def _take(rules: list[FaultRule], method: str, chat_id: int | None) -> FaultRule | None:
        for rule in rules:
            if rule.matches(method, chat_id):
                rule.times -= 1
                if rule.times <= 0:
                    rules.remove(rule)
                return rule
        return None

    def slow_chat(self, chat_id: int, seconds: float) -> None:
        """Make every call about ``chat_id`` wait ``seconds``; 0 makes the chat normal again."""
        if seconds < 0:
            raise ValueError("a delay cannot be negative")
        if seconds:
            self.slow_chats[chat_id] = seconds
        else:
            self.slow_chats.pop(chat_id, None)

    def delay_for(self, chat_id: int | None) -> float:
        return self.slow_chats.get(chat_id, 0.0) if chat_id is not None else 0.0

    def clear(self) -> None:
        """Disarm every armed error and hang (an outage ends); blocked chats stay blocked, and
        slow chats slow."""
        self._errors.clear()
        self._hangs.clear()

    def take_error(self, method: str, chat_id: int | None) -> ApiError | None:
        """The error armed for this call, if any (and disarm one use of it)."""
        rule = self._take(self._errors, method, chat_id)
        return rule.error if rule is not None else None

    def take_hang(self, method: str, chat_id: int | None) -> FaultRule | None:
        """The hang armed for this call, if any (and disarm one use of it)."""
        return self._take(self._hangs, method, chat_id)


class RateLimiter:
    """Telegram's sending limits: one message per chat per interval, at most ``group_per_minute``
    messages a minute to one group, and a global cap per second.

    Only delivered sends count, so a refused send does not push the window forward.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        global_per_second: int,
        per_chat_interval: float,
        group_per_minute: int = 20,
    ) -> None:
        self._clock = clock
        self._global_per_second = global_per_second
        self._per_chat_interval = per_chat_interval
        self._group_per_minute = group_per_minute
        self._recent: deque[float] = deque()
        self._last_by_chat: dict[int, float] = {}
        self._group_minute: dict[int, deque[float]] = {}

    def check(self, chat_id: int, *, group: bool = False) -> ApiError | None:
        """A 429 if a send to ``chat_id`` now would break a limit, else None."""
        now = self._clock()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        last = self._last_by_chat.get(chat_id)
        too_soon = last is not None and now - last < self._per_chat_interval
        if too_soon or len(self._recent) >= self._global_per_second:
            return ApiError(429, default_description(429, 1), retry_after=1)
        minute = self._group_minute.get(chat_id)
        if group and minute is not None:
            while minute and minute[0] <= now - 60.0:
                minute.popleft()
            if len(minute) >= self._group_per_minute:
                # Telegram names the wait until the oldest send leaves the minute.
                wait = max(1, math.ceil(minute[0] + 60.0 - now))
                return ApiError(429, default_description(429, wait), retry_after=wait)
        return None

    def record(self, chat_id: int, *, group: bool = False) -> None:
        """Count a delivered send."""
        now = self._clock()
        self._recent.append(now)
        self._last_by_chat[chat_id] = now
        if group:
            self._group_minute.setdefault(chat_id, deque()).append(now)
