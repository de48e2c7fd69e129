"""The flood guard's token bucket: a burst passes, a flood is dropped, one notice an episode."""

from __future__ import annotations

from bot.handlers.flood import PRUNE_ABOVE, FloodGate


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted(gate: FloodGate, user_id: int, count: int) -> list[tuple[bool, bool]]:
    return [gate.admit(user_id) for _ in range(count)]


def test_a_burst_passes_then_a_flood_is_dropped_with_one_notice() -> None:
    gate = FloodGate(15, 1.0, clock=Ticks())
    results = admitted(gate, 7, 100)
    assert [ok for ok, _ in results] == [True] * 15 + [False] * 85
    assert sum(notice for _, notice in results) == 1
    assert results[15] == (False, True)


def test_other_users_are_not_slowed_by_a_flooder() -> None:
    gate = FloodGate(15, 1.0, clock=Ticks())
    admitted(gate, 7, 100)
    assert all(ok for ok, _ in admitted(gate, 8, 15))


def test_a_flooder_refills_at_the_rate_and_gets_no_second_notice_in_one_episode() -> None:
    ticks = Ticks()
    gate = FloodGate(15, 1.0, clock=ticks)
    admitted(gate, 7, 20)
    ticks.now += 3.0
    results = admitted(gate, 7, 10)
    assert [ok for ok, _ in results] == [True] * 3 + [False] * 7
    assert not any(notice for _, notice in results)


def test_once_the_bucket_is_full_again_a_new_flood_gets_a_new_notice() -> None:
    ticks = Ticks()
    gate = FloodGate(15, 1.0, clock=ticks)
    admitted(gate, 7, 20)
    ticks.now += gate.refill_seconds
    results = admitted(gate, 7, 20)
    assert sum(ok for ok, _ in results) == 15
    assert sum(notice for _, notice in results) == 1


def test_state_keeps_only_users_seen_within_the_refill_period() -> None:
    ticks = Ticks()
    gate = FloodGate(15, 1.0, clock=ticks)
    for user_id in range(PRUNE_ABOVE):
        gate.admit(user_id)
    ticks.now += gate.refill_seconds + 1
    gate.admit(10**9)
    assert len(gate) == 1
