"""The travel rule (scheduler/spacing.py), checked on random moves between random zones."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.recurrence import next_fire
from scheduler.spacing import Last, Plan, Slot, pair_moved, plan, plan_periodic
from storage.models import Reminder, ReminderKind

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
    return sequence_of(plan(slots, zone, now, last), slots, zone, last, count)


def sequence_of(planned: Plan, slots: list[Slot], zone: ZoneInfo, last: Last, count: int) -> list:
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
    slots = [Slot(1, f"{hour:02d}:{minute:02d}")]
    planned = plan(slots, new, now, last)
    times = sequence_of(planned, slots, new, last, 3)
    gaps = [b - a for a, b in pairwise(times)]
    # The rule's bounds, with an hour either way for a clock change on the day.
    assert all(12 * HOUR - HOUR <= gap <= 36 * HOUR + HOUR for gap in gaps[1:]), (times, gaps)
    assert gaps[0] >= 12 * HOUR - HOUR, (times, gaps)
    if gaps[0] > 36 * HOUR + HOUR:
        # Only the owed dose itself, on the local day it was owed, comes this late: no catch-up.
        assert planned.catch_up is None and gaps[0] <= 48 * HOUR + HOUR, (times, gaps)
        owed_day = (last.at + 24 * HOUR).astimezone(new).date()
        assert times[1].astimezone(new).date() == owed_day, (times, gaps)
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
    planned = plan(slots, new, now, Last(*last))
    times = sequence_of(planned, slots, new, Last(*last), 4)
    gaps = [b - a for a, b in pairwise(times)]
    assert all(6 * HOUR - HOUR <= gap <= 18 * HOUR + HOUR for gap in gaps[1:]), (times, gaps)
    assert gaps[0] >= 6 * HOUR - HOUR, (times, gaps)
    if gaps[0] > 18 * HOUR + HOUR:
        # Only the owed dose itself, on the local day it was owed, comes this late: no catch-up.
        owed_slot = 2 if last[1] == 1 else 1
        owed_day = (last[0] + 12 * HOUR).astimezone(new).date()
        assert planned.catch_up is None and gaps[0] <= 24 * HOUR + HOUR, (times, gaps)
        assert planned.next_fire[owed_slot] == times[1], (times, gaps)
        assert times[1].astimezone(new).date() == owed_day, (times, gaps)


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


def test_a_dose_moved_later_on_the_day_it_is_owed_is_that_days_dose() -> None:
    """08:00 taken on Monday; on Tuesday at 07:30 the dose moves to 21:00 (37 hours on): 21:00
    is Tuesday's dose, with no catch-up beside it. Moved to 06:00, already past, Tuesday's is
    owed at once and Wednesday's 06:00 follows."""
    last = Last(berlin(2, 8), 1)
    evening = plan([Slot(1, "21:00")], BERLIN, berlin(3, 7) + timedelta(minutes=30), last)
    assert evening.catch_up is None and evening.next_fire == {1: berlin(3, 21)}
    early = plan([Slot(1, "06:00")], BERLIN, berlin(3, 7) + timedelta(minutes=30), last)
    assert early.catch_up == (1, berlin(3, 7) + timedelta(minutes=30))
    assert early.next_fire == {1: berlin(4, 6)}


def test_a_dose_moved_later_on_the_day_it_went_out_is_the_next_days() -> None:
    """08:00 taken on Monday; at 09:00 the dose moves to 21:00. 21:00 that evening, 13 hours on
    and within the spacing, reminded Monday's dose a second time. Edited in place it is
    Tuesday's 21:00, with nothing owed; after a flight the spacing alone decides."""
    last, now = Last(berlin(2, 8), 1), berlin(2, 9)
    edited = plan([Slot(1, "21:00")], BERLIN, now, last, in_place=True)
    assert edited.catch_up is None and edited.next_fire == {1: berlin(3, 21)}
    flown = plan([Slot(1, "21:00")], BERLIN, now, last)
    assert flown.next_fire == {1: berlin(2, 21)}
    # Twice a day, the morning dose moved to 14:00 is tomorrow's; the evening one still comes.
    twice = [Slot(1, "14:00"), Slot(2, "20:00")]
    both = plan(twice, BERLIN, now, last, in_place=True)
    assert both.catch_up is None and both.next_fire == {1: berlin(3, 14), 2: berlin(2, 20)}


def test_a_second_time_added_in_the_morning_owes_no_evening_dose_for_the_day_before() -> None:
    """08:00 alone on Monday; on Tuesday at 07:00 the user adds 20:00. Monday had one dose, and
    it went out: "Time for your 20:00 dose" at 07:00, an hour before the 08:00 one, invited two
    doses within the hour. Had 20:00 been there on Monday, its reminder would be owed."""
    last, now = Last(berlin(2, 8), 1), berlin(3, 7)
    added = plan([Slot(1, "08:00"), Slot(2, "20:00", now)], BERLIN, now, last)
    assert added.catch_up is None
    assert added.next_fire == {1: berlin(3, 8), 2: berlin(3, 20)}
    there_before = plan([Slot(1, "08:00"), Slot(2, "20:00", berlin(1, 9))], BERLIN, now, last)
    assert there_before.catch_up == (2, now)


def test_new_york_to_berlin_before_the_dose_still_owes_one_at_once() -> None:
    """The owed day's 08:00 in Berlin has passed: the first regular time is the next day's."""
    new_york = ZoneInfo("America/New_York")
    last = Last(datetime(2026, 3, 2, 8, tzinfo=new_york).astimezone(UTC), 1)
    now = datetime(2026, 3, 3, 7, tzinfo=new_york).astimezone(UTC)
    planned = plan([Slot(1, "08:00")], BERLIN, now, last)
    assert planned.catch_up == (1, now) and planned.next_fire == {1: berlin(4, 8)}


def test_moved_times_keep_the_rows_of_the_nearest_old_ones_in_order() -> None:
    assert pair_moved(["08:00", "12:00"], ["08:30", "12:30"]) == {0: 0, 1: 1}
    assert pair_moved(["12:00", "08:00"], ["13:00", "09:00"]) == {0: 0, 1: 1}
    # Round the clock: 23:30 is nearest 00:30, 08:00 nearest 09:00.
    assert pair_moved(["08:00", "23:30"], ["00:30", "09:00"]) == {0: 1, 1: 0}
    # More new times than old: the old row goes to the nearest; fewer: the nearest old row.
    assert pair_moved(["20:00"], ["08:00", "21:00"]) == {1: 0}
    assert pair_moved(["08:00", "14:00", "20:00"], ["15:00"]) == {0: 1}
    assert pair_moved([], ["08:00"]) == {}


PREGNANCY = Reminder(
    id=1,
    kind=ReminderKind.PREGNANCY_TEST,
    local_time="09:00",
    timezone="Asia/Tokyo",
    day_of_month=30,
)


def test_a_monthly_check_a_flight_east_left_behind_is_owed_at_once() -> None:
    los_angeles = ZoneInfo("America/Los_Angeles")
    now = datetime(2026, 4, 29, 20, tzinfo=los_angeles).astimezone(UTC)  # 12:00 in Tokyo
    planned = datetime(2026, 4, 30, 9, tzinfo=los_angeles).astimezone(UTC)
    last = datetime(2026, 3, 30, 9, tzinfo=los_angeles).astimezone(UTC)
    may = datetime(2026, 5, 30, 9, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    for previous in (last, None):
        assert plan_periodic(PREGNANCY, now, planned, previous, True, True) == (may, now)
    # Not after a pause or a new day (no catch-up), nor when the old plan waited for May's.
    assert plan_periodic(PREGNANCY, now, planned, last, True, False) == (may, None)
    assert plan_periodic(PREGNANCY, now, planned + timedelta(days=30), last, True, True)[1] is None
    # April's went out already: nothing owed, and May's keeps its day.
    april = planned - timedelta(hours=16)
    assert plan_periodic(PREGNANCY, now, planned, april, True, True) == (may, None)
