"""Drawing in a worker process of its own: a process pool of one, started when the first
picture is asked for and stopped again after a quiet spell.

Why a process: matplotlib and fpdf2 hold the GIL while they draw (0.1–0.3 s a picture), which
in a thread would stall the event loop that answers everyone else; and importing them costs
about 40 MB and half a second, which the bot's start-up and idle memory should not pay. The
worker is spawned, not forked: forking a process with running threads (aiosqlite's, PTB's) can
copy a held lock into the child.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from storage.error_logs import log_failure

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

T = TypeVar("T")
# After this long without a picture the worker stops, and its memory goes back to the system.
IDLE_SECONDS = 600.0
# The worker's priority: on a busy machine the bot's own process, which answers everyone,
# gets the CPU first, and a picture waits a little instead. Where Linux offers it, the worker
# runs only on CPU time nothing else wants (SCHED_IDLE); elsewhere at the lowest niceness.
# Measured with 5% /history at 100 updates/s: niceness 10 let /remind's p99 grow by 3 ms.
WORKER_NICENESS = 19


class PictureError(Exception):
    """A picture could not be drawn; the caller answers in text instead."""


class Renderer:
    """Runs drawing functions (plain data in, bytes out) in one worker process."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._busy = 0
        self._idle_timer: asyncio.TimerHandle | None = None

    async def render(self, draw: Callable[[T], bytes], data: T) -> bytes:
        """`draw(data)` in the worker; PictureError when it fails or the worker died."""
        # Here, not at the top: start-up need not import multiprocessing for a picture.
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        pool = self._pool or self._start()
        self._busy += 1
        try:
            return await loop.run_in_executor(pool, draw, data)
        except BrokenProcessPool as error:
            log.error("the picture worker died; starting a new one next time")
            self._discard(pool)
            raise PictureError("the picture worker died") from error
        except Exception as error:
            # The data drawn is someone's health record: its values must not reach the log.
            log_failure(log, error, "drawing %s", getattr(draw, "__name__", "a picture"))
            raise PictureError(f"drawing failed: {type(error).__name__}") from error
        finally:
            self._busy -= 1
            if self._busy == 0 and self._pool is not None:
                self._idle_timer = loop.call_later(self.idle_seconds, self.stop)

    @property
    def running(self) -> bool:
        return self._pool is not None

    def stop(self) -> None:
        """Stop the worker (it starts again on the next picture)."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if self._pool is not None and self._busy == 0:
            self._discard(self._pool)

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
        )
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:
            self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


# One worker for the whole process: pictures take turns, whichever Application asks.
renderer = Renderer()


def _lower_priority() -> None:
    """In the worker, before its first picture."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        # A container may refuse it; lowering the niceness is always allowed.
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
