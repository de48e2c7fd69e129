"""Where "now" comes from, so that tests and the sandbox can move time without sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


class ScaledClock:
    """Simulated time for the sandbox: `speed` times faster than real time, and able to jump.

    It reads a monotonic source, so a change of the machine's clock does not move it.
    """

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        *,
        real: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("ScaledClock needs an aware datetime")
        if speed <= 0:
            raise ValueError("ScaledClock needs a speed above 0")
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._real = real
        self._real_start = real()
        self._jumped = timedelta(0)

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        elapsed = (self._real() - self._real_start) * self._speed
        return self._start + timedelta(seconds=elapsed) + self._jumped

    def jump(self, delta: timedelta) -> datetime:
        """Move forward by `delta` at once; returns the new now. Time never runs backwards:
        the scheduler's rows and the dose log assume it does not."""
        if delta < timedelta(0):
            raise ValueError("ScaledClock only jumps forward")
        self._jumped += delta
        return self.now()
