"""The sender's pacing: one message per chat a round and a second, Telegram's 429 pause, and a
global cap kept by the answers, whatever the event loop's lateness, with no burst to catch up."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from scheduler.pacing import GUARD, MAX_TRIP, Pacing, Sent


class Ticks:
    """A monotonic clock the test moves by hand; its sleep moves it, `late` seconds too far, as
    an event loop busy elsewhere wakes a sleeper late."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.late = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.late
        await asyncio.sleep(0)


def paced(ticks: Ticks, rate: float, interval: float = 0.0) -> Pacing:
    return Pacing(rate, interval, monotonic=ticks, sleep=ticks.sleep)


async def send_all(pacing: Pacing, ticks: Ticks, count: int, trip: float = 0.0) -> list[Sent]:
    """Sends one after another, each answered `trip` seconds after it went."""
    sent = []
    for chat in range(count):
        turn = await pacing.turn(chat)
        ticks.now += trip
        pacing.answered(turn)
        sent.append(turn)
    return sent


def most_in_a_second(sent: list[Sent]) -> int:
    """The most sends Telegram can have seen in one second: each arrived at some instant
    between its sending and its answer, so count the ones that may have shared a second."""
    most = 0
    for i, first in enumerate(sent):
        assert first.answered is not None
        most = max(most, sum(1 for other in sent[i:] if other.made < first.answered + 1.0))
    return most


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


async def test_a_round_takes_the_first_delivery_of_each_chat_in_order(ticks: Ticks) -> None:
    pacing = Pacing(25, 1.0, monotonic=ticks)
    due = [(1, 10), (2, 20), (3, 10), (4, 30), (5, 20)]
    assert pacing.choose(due) == [1, 2, 4]


async def test_a_chat_waits_its_interval_after_a_message(ticks: Ticks) -> None:
    pacing = paced(ticks, 1000, 1.0)
    pacing.answered(await pacing.turn(10))
    ticks.now += 0.999
    assert pacing.choose([(1, 10), (2, 20)]) == [2]
    assert not pacing.chat_ready(10)
    ticks.now += 0.001 + 2 * GUARD
    assert pacing.chat_ready(10)
    assert pacing.choose([(1, 10), (2, 20)]) == [1, 2]


async def test_a_chats_interval_counts_from_the_answer(ticks: Ticks) -> None:
    """A message answered late may have arrived late: the next waits a second from then."""
    pacing = paced(ticks, 1000, 1.0)
    turn = await pacing.turn(10)
    ticks.now += 0.5
    pacing.answered(turn)
    ticks.now += 0.9
    assert not pacing.chat_ready(10)
    ticks.now += 0.1 + 2 * GUARD
    assert pacing.chat_ready(10)


async def test_a_broadcast_leaves_no_trace_of_chats_past_their_interval(ticks: Ticks) -> None:
    pacing = paced(ticks, 100_000, 1.0)
    for chat in range(1001):
        pacing.answered(await pacing.turn(chat))
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


async def test_never_more_than_the_cap_in_any_second() -> None:
    """Telegram counts per second: an even spacing, with no burst at the start (the real
    clock and event loop)."""
    rate = 20
    pacing = Pacing(rate, 0.0)
    sent: list[float] = []
    for chat in range(2 * rate + 5):
        pacing.answered(await pacing.turn(chat))
        sent.append(time.monotonic())
    for i, start in enumerate(sent):
        in_a_second = sum(1 for t in sent[i:] if t - start < 1.0)
        assert in_a_second <= rate, (i, in_a_second)


@pytest.mark.parametrize("late", [0.0, 0.002, 0.010])
async def test_a_late_event_loop_costs_no_rate_and_no_excess(ticks: Ticks, late: float) -> None:
    """Every wake-up comes `late`: the schedule is absolute, so lateness does not add up."""
    ticks.late = late
    sent = await send_all(paced(ticks, 30), ticks, 300)
    rate = (len(sent) - 1) / (sent[-1].made - sent[0].made)
    assert rate >= 29.4, rate
    assert most_in_a_second(sent) <= 30


async def test_slow_answers_hold_the_next_second_back(ticks: Ticks) -> None:
    """Answers 30 ms late: a message may have arrived that late, so the cap counts from them."""
    sent = await send_all(paced(ticks, 30), ticks, 200, trip=0.03)
    assert most_in_a_second(sent) <= 30


async def test_no_burst_to_catch_up_after_a_stall(ticks: Ticks) -> None:
    pacing = paced(ticks, 30)
    sent = await send_all(pacing, ticks, 40)
    ticks.now += 0.5  # the event loop was busy elsewhere for half a second
    sent += await send_all(pacing, ticks, 40)
    gaps = [b.made - a.made for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= pacing.spacing / 2 - 1e-9
    assert most_in_a_second(sent) <= 30


async def test_a_send_never_answered_holds_the_cap_back_only_so_long(ticks: Ticks) -> None:
    """A hang until the client's timeout must not stop all sending with it."""
    pacing = paced(ticks, 5)
    hung = await pacing.turn(0)
    sent = await send_all(pacing, ticks, 5)
    assert sent[-1].made - hung.made >= MAX_TRIP + 1.0
    assert sent[-1].made - hung.made < MAX_TRIP + 1.1
