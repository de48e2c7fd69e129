"""The poller's bookkeeping: which offset confirms only the updates already handled."""

from __future__ import annotations

from bot.polling import InFlight


def test_before_the_first_update_telegram_picks_the_start() -> None:
    in_flight = InFlight()
    assert in_flight.offset is None
    assert in_flight.is_new(1)


def test_an_update_in_hand_is_not_confirmed() -> None:
    in_flight = InFlight()
    in_flight.take(7)
    assert in_flight.offset == 7  # Telegram keeps 7 and sends it again after a crash


def test_once_handled_the_next_poll_confirms_it() -> None:
    in_flight = InFlight()
    in_flight.take(7)
    assert in_flight.done(7)
    assert in_flight.offset == 8
    assert len(in_flight) == 0


def test_a_slow_update_holds_back_the_ones_after_it() -> None:
    in_flight = InFlight()
    for update_id in (7, 8, 9):
        in_flight.take(update_id)
    # 8 and 9 are handled while 7 is slow: confirming them would confirm 7 too.
    assert not in_flight.done(9)
    assert not in_flight.done(8)
    assert in_flight.offset == 7
    assert in_flight.done(7)
    assert in_flight.offset == 10


def test_updates_sent_back_while_an_older_one_is_in_hand_are_not_taken_twice() -> None:
    in_flight = InFlight()
    for update_id in (7, 8):
        in_flight.take(update_id)
    in_flight.done(8)
    # The next poll, from offset 7, brings back 7 and 8 (both seen) and 9 (new).
    assert [u for u in (7, 8, 9) if in_flight.is_new(u)] == [9]


def test_ids_may_skip_numbers() -> None:
    in_flight = InFlight()
    in_flight.take(100)
    in_flight.take(250)  # Telegram's ids grow, not always by one
    in_flight.done(100)
    assert in_flight.offset == 250
    in_flight.done(250)
    assert in_flight.offset == 251
