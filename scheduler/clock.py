"""Where "now" comes from, so that tests and the sandbox can move time without sleeping."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
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


class RemoteClock:
    """Testing only: simulated time served by another process, read over HTTP.

    The crash soak kills the bot with SIGKILL and starts it again; its simulated time has to live
    outside the bot to survive that, so the soak's fake Telegram serves it. GET `url` answers
    `{"now": "<ISO 8601>", "speed": <simulated seconds per real second>}`.

    A daemon thread re-reads it every `refresh` seconds and `now()` extrapolates in between, so
    the event loop never waits on the network. Time never runs backwards: the scheduler's rows and
    the dose log assume it does not, and two reads may disagree by the time a request takes.
    """

    def __init__(
        self,
        url: str,
        *,
        refresh: float = 0.05,
        timeout: float = 2.0,
        real: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._refresh = refresh
        self._timeout = timeout
        self._real = real
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        # The first read is synchronous: a wrong URL should stop the bot at start, not later.
        self._anchor, self._speed = self._read()
        self._anchor_real = real()
        self._last = self._anchor
        self._thread = threading.Thread(target=self._follow, name="remote-clock", daemon=True)
        self._thread.start()

    def now(self) -> datetime:
        with self._lock:
            elapsed = (self._real() - self._anchor_real) * self._speed
            self._last = max(self._last, self._anchor + timedelta(seconds=elapsed))
            return self._last

    def close(self) -> None:
        self._stopped.set()

    def _read(self) -> tuple[datetime, float]:
        with urllib.request.urlopen(self._url, timeout=self._timeout) as response:
            body = json.load(response)
        instant = datetime.fromisoformat(body["now"])
        if instant.tzinfo is None:
            raise ValueError("the remote clock must answer an aware time")
        return instant.astimezone(UTC), float(body["speed"])

    def _follow(self) -> None:
        while not self._stopped.wait(self._refresh):
            try:
                anchor, speed = self._read()
            except (OSError, ValueError, KeyError):
                # The server is briefly busy or restarting: keep extrapolating from the last read.
                continue
            with self._lock:
                self._anchor, self._speed, self._anchor_real = anchor, speed, self._real()
