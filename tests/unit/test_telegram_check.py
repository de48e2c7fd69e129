"""Start-up's patience with Telegram: how long it waits between tries, and for how long."""

from __future__ import annotations

from bot.telegram_check import MAX_WAIT_SECONDS, next_wait


def test_waits_double_from_one_second_up_to_the_cap() -> None:
    waits = [next_wait(failures, remaining=1000.0) for failures in range(1, 8)]
    assert waits == [1.0, 2.0, 4.0, 8.0, MAX_WAIT_SECONDS, MAX_WAIT_SECONDS, MAX_WAIT_SECONDS]


def test_no_wait_runs_past_the_patience() -> None:
    assert next_wait(4, remaining=2.5) == 2.5


def test_once_the_patience_is_spent_it_gives_up() -> None:
    assert next_wait(1, remaining=0.0) is None
    assert next_wait(9, remaining=-0.1) is None
