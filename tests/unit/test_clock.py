"""The sandbox's simulated clock: faster than real time, and able to jump forward only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler.clock import ScaledClock

START = datetime(2026, 3, 2, 7, 50, tzinfo=UTC)


class FakeReal:
    """A monotonic source moved by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_simulated_time_runs_speed_times_faster_than_real_time() -> None:
    real = FakeReal()
    clock = ScaledClock(START, speed=60, real=real)
    assert clock.now() == START
    real.seconds += 2.5
    assert clock.now() == START + timedelta(minutes=2.5)


def test_a_jump_moves_forward_at_once_and_time_keeps_running() -> None:
    real = FakeReal()
    clock = ScaledClock(START, speed=2, real=real)
    assert clock.jump(timedelta(hours=2)) == START + timedelta(hours=2)
    real.seconds += 10
    assert clock.now() == START + timedelta(hours=2, seconds=20)


def test_time_never_runs_backwards() -> None:
    clock = ScaledClock(START, real=FakeReal())
    with pytest.raises(ValueError, match="forward"):
        clock.jump(timedelta(minutes=-1))


def test_the_start_must_be_aware_and_the_speed_positive() -> None:
    with pytest.raises(ValueError, match="aware"):
        ScaledClock(datetime(2026, 3, 2, 7, 50))
    with pytest.raises(ValueError, match="speed"):
        ScaledClock(START, speed=0)


def test_now_is_utc_whatever_zone_the_start_was_given_in() -> None:
    start = datetime.fromisoformat("2026-03-02T08:50:00+01:00")
    assert ScaledClock(start, real=FakeReal()).now().utcoffset() == timedelta(0)
