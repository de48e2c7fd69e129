"""The travel rule (scheduler/spacing.py), checked on random moves between random zones."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.recurrence import next_fire
from scheduler.spacing import Last, Slot, plan

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
HOUR = timedelta(hours=1)


def previous_fire(local: time, zone: ZoneInfo, before: datetime) -> datetime:
    """The slot's last regular fire time at or before `before`."""
    fire = next_fire(local, zone, before - timedelta(days=2))
    while (following := next_fire(local, zone, fire)) <= before:
        fire = following
    return fire


def sequence(slots: list[Slot], zone: ZoneInfo, now: datetime, last: Last, count: int) -> list:
    """The last reminder, then the next `count` ones the plan gives, each slot on its days."""
    planned = plan(slots, zone, now, last)
    upcoming = [*planned.next_fire.items()]
    if planned.catch_up:
        upcoming.append(planned.catch_up)
    times = [last.at]
    by_slot = {s.id: s for s in slots}
    while len(times) <= count:
        slot_id, at = min(upcoming, key=lambda pair: pair[1])
        times.append(at)
        upcoming.remove((slot_id, at))
        if (slot_id, at) != planned.catch_up:
            local = time.fromisoformat(by_slot[slot_id].local_time)
            upcoming.append((slot_id, next_fire(local, zone, at)))
    return times


moves = st.tuples(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
    st.datetimes(datetime(2010, 1, 1), datetime(2035, 12, 31)),
)


@settings(max_examples=1000, deadline=None)
@given(moves)
def test_once_a_day_after_a_move_stays_12_to_36_hours_apart(move: tuple) -> None:
    old_name, new_name, hour, minute, naive_now = move
    old, new, local = ZoneInfo(old_name), ZoneInfo(new_name), time(hour, minute)
    now = naive_now.replace(tzinfo=UTC)
    last = Last(previous_fire(local, old, now), 1)
    times = sequence([Slot(1, f"{hour:02d}:{minute:02d}")], new, now, last, 3)
    gaps = [b - a for a, b in pairwise(times)]
    # The rule's bounds, with an hour either way for a clock change on the day.
    assert all(12 * HOUR - HOUR <= gap <= 36 * HOUR + HOUR for gap in gaps), (times, gaps)
    assert all(t > now - timedelta(seconds=1) for t in times[1:])


@settings(max_examples=1000, deadline=None)
@given(moves)
def test_twice_a_day_after_a_move_stays_6_to_18_hours_apart(move: tuple) -> None:
    old_name, new_name, hour, minute, naive_now = move
    old, new = ZoneInfo(old_name), ZoneInfo(new_name)
    now = naive_now.replace(tzinfo=UTC)
    morning, evening = time(hour % 12, minute), time(hour % 12 + 12, minute)
    slots = [Slot(1, morning.strftime("%H:%M")), Slot(2, evening.strftime("%H:%M"))]
    last = max(
        (previous_fire(morning, old, now), 1),
        (previous_fire(evening, old, now), 2),
    )
    times = sequence(slots, new, now, Last(*last), 4)
    gaps = [b - a for a, b in pairwise(times)]
    assert all(6 * HOUR - HOUR <= gap <= 18 * HOUR + HOUR for gap in gaps), (times, gaps)


def test_the_same_zone_plans_the_regular_times() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    last = Last(datetime(2026, 3, 3, 7, 0, tzinfo=UTC), 1)
    planned = plan([Slot(1, "08:00")], berlin, now, last)
    assert planned.next_fire == {1: datetime(2026, 3, 4, 7, 0, tzinfo=UTC)}
    assert planned.catch_up is None


BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=BERLIN).astimezone(UTC)


def test_after_a_silence_the_user_chose_the_next_regular_time_comes_on_its_day() -> None:
    """Paused after Monday's 09:00 dose, resumed on Wednesday at 07:00 or on Tuesday at 23:00:
    nothing is owed, and Wednesday's 09:00 comes; with a catch-up, it goes out at once and
    Wednesday's regular time, too close to it, waits for Thursday."""
    slots, last = [Slot(1, "09:00")], Last(berlin(2, 9), 1)
    for now in (berlin(4, 7), berlin(3, 23)):
        resumed = plan(slots, BERLIN, now, last, catch_up=False)
        assert resumed.catch_up is None and resumed.next_fire == {1: berlin(4, 9)}
    moved = plan(slots, BERLIN, berlin(4, 7), last)
    assert moved.catch_up == (1, berlin(4, 7)) and moved.next_fire == {1: berlin(5, 9)}
