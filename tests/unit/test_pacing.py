"""The sender's pacing: one message per chat a round and a second, Telegram's 429 pause, and a
global cap that never lets more than rate + 1 through in any second."""

from __future__ import annotations

import asyncio
import time

import pytest

from scheduler.pacing import Pacing


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


async def test_a_round_takes_the_first_delivery_of_each_chat_in_order(ticks: Ticks) -> None:
    pacing = Pacing(25, 1.0, monotonic=ticks)
    due = [(1, 10), (2, 20), (3, 10), (4, 30), (5, 20)]
    assert pacing.choose(due) == [1, 2, 4]


async def test_a_chat_waits_its_interval_after_a_message(ticks: Ticks) -> None:
    pacing = Pacing(1000, 1.0, monotonic=ticks)
    await pacing.turn(10)
    ticks.now += 0.999
    assert pacing.choose([(1, 10), (2, 20)]) == [2]
    assert not pacing.chat_ready(10)
    ticks.now += 0.001
    assert pacing.chat_ready(10)
    assert pacing.choose([(1, 10), (2, 20)]) == [1, 2]


async def test_a_broadcast_leaves_no_trace_of_chats_past_their_interval(ticks: Ticks) -> None:
    pacing = Pacing(100_000, 1.0, monotonic=ticks)
    for chat in range(1001):
        await pacing.turn(chat)
    ticks.now += 1.5
    await pacing.turn(5000)
    assert pacing.choose([(1, 1), (2, 5000)]) == [1]
    assert len(pacing._last_send) == 1  # only the chat still within its interval


def test_a_round_looks_at_about_a_second_of_sending_and_at_least_a_batch() -> None:
    assert Pacing(25, 1.0).round_size(50) == 50
    assert Pacing(1000, 1.0).round_size(50) == 1000
    assert Pacing(29.5, 1.0).round_size(10) == 29


async def test_telegrams_pause_holds_every_message_back(ticks: Ticks) -> None:
    pacing = Pacing(1000, 0.0)  # the real clock: the hold is waited out for real
    pacing.hold(0.2)
    pacing.hold(0.05)  # a shorter pause asked later does not shorten the first
    started = time.monotonic()
    await pacing.turn(1)
    assert time.monotonic() - started >= 0.19


async def test_a_pause_in_the_past_holds_nothing_back() -> None:
    pacing = Pacing(1000, 0.0)
    pacing.hold(0)
    await asyncio.wait_for(pacing.wait_out_hold(), timeout=5)


async def test_never_more_than_the_cap_plus_one_in_any_second() -> None:
    """Telegram counts per second: an even spacing, with no burst at the start."""
    rate = 20
    pacing = Pacing(rate, 0.0)
    sent: list[float] = []
    for chat in range(2 * rate + 5):
        await pacing.turn(chat)
        sent.append(time.monotonic())
    for i, start in enumerate(sent):
        in_a_second = sum(1 for t in sent[i:] if t - start < 1.0)
        assert in_a_second <= rate + 1, (i, in_a_second)
