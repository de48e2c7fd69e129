"""Reminders fire at the user's local wall-clock time, through daylight-saving changes.

Every transition date below was checked against zoneinfo, and the gap and fold tests check it again
(`_assert_in_gap`, `_assert_in_fold`) so that a tzdata change shows up as a clear failure here.
Expected instants are written out in UTC by hand, not computed with the code under test.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.recurrence import (
    LocalSchedule,
    _search_next_fire,
    local_day,
    next_fire,
    next_monthly_fire,
    next_weekly_fire,
    occurrence_day,
    occurrence_on,
    parse_hhmm,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
LORD_HOWE = "Australia/Lord_Howe"
KOLKATA = "Asia/Kolkata"
CHATHAM = "Pacific/Chatham"
ALL_ZONES = [BERLIN, NEW_YORK, LORD_HOWE, KOLKATA, CHATHAM]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hhmm(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def wall(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _assert_in_gap(zone: str, day: date, local: str) -> None:
    """The wall clock in `zone` never reads `local` on `day`: it is a real spring gap."""
    naive = datetime.combine(day, hhmm(local))
    round_trip = naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).astimezone(ZoneInfo(zone))
    assert round_trip.replace(tzinfo=None) != naive, f"{local} on {day} is not in a gap in {zone}"


def _assert_in_fold(zone: str, day: date, local: str) -> None:
    """The wall clock in `zone` reads `local` twice on `day`: it is a real autumn fold."""
    naive = datetime.combine(day, hhmm(local))
    readings = [naive.replace(tzinfo=ZoneInfo(zone), fold=f) for f in (0, 1)]
    assert readings[0].utcoffset() != readings[1].utcoffset(), f"{local} on {day} is not in a fold"
    for reading in readings:
        back = reading.astimezone(UTC).astimezone(ZoneInfo(zone))
        assert back.replace(tzinfo=None) == naive


# --- ordinary days ---------------------------------------------------------------------------

ORDINARY_DAYS = [
    (BERLIN, date(2026, 1, 15), "08:00", utc(2026, 1, 15, 7, 0)),  # CET, +01:00
    (BERLIN, date(2026, 6, 15), "08:00", utc(2026, 6, 15, 6, 0)),  # CEST, +02:00
    (NEW_YORK, date(2026, 1, 15), "08:00", utc(2026, 1, 15, 13, 0)),  # EST, -05:00
    (NEW_YORK, date(2026, 7, 4), "21:30", utc(2026, 7, 5, 1, 30)),  # EDT, -04:00, next UTC day
    (LORD_HOWE, date(2026, 7, 1), "08:00", utc(2026, 6, 30, 21, 30)),  # +10:30
    (LORD_HOWE, date(2026, 12, 1), "08:00", utc(2026, 11, 30, 21, 0)),  # +11:00
    (KOLKATA, date(2026, 1, 15), "08:00", utc(2026, 1, 15, 2, 30)),  # +05:30
    (KOLKATA, date(2026, 7, 15), "08:00", utc(2026, 7, 15, 2, 30)),  # +05:30, no DST
    (CHATHAM, date(2026, 7, 1), "08:00", utc(2026, 6, 30, 19, 15)),  # +12:45
    (CHATHAM, date(2026, 1, 15), "08:00", utc(2026, 1, 14, 18, 15)),  # +13:45
]


@pytest.mark.parametrize(("zone", "day", "local", "expected"), ORDINARY_DAYS)
def test_reminder_fires_at_local_wall_time_on_an_ordinary_day(
    zone: str, day: date, local: str, expected: datetime
) -> None:
    assert occurrence_on(hhmm(local), ZoneInfo(zone), day) == expected


@pytest.mark.parametrize(("zone", "day", "local", "expected"), ORDINARY_DAYS)
def test_next_fire_from_local_midnight_is_that_days_reminder(
    zone: str, day: date, local: str, expected: datetime
) -> None:
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    fire = next_fire(hhmm(local), ZoneInfo(zone), midnight)
    assert fire == expected
    assert fire.tzinfo is UTC


# --- the spring gap --------------------------------------------------------------------------

# (zone, spring-forward day, a wall time inside the gap, where the clocks land, that instant in UTC)
SPRING_GAPS = [
    (BERLIN, date(2026, 3, 29), "02:00", "03:00", utc(2026, 3, 29, 1, 0)),
    (BERLIN, date(2026, 3, 29), "02:30", "03:00", utc(2026, 3, 29, 1, 0)),
    (BERLIN, date(2026, 3, 29), "02:59", "03:00", utc(2026, 3, 29, 1, 0)),
    (NEW_YORK, date(2026, 3, 8), "02:30", "03:00", utc(2026, 3, 8, 7, 0)),
    (LORD_HOWE, date(2026, 10, 4), "02:15", "02:30", utc(2026, 10, 3, 15, 30)),
    (CHATHAM, date(2026, 9, 27), "02:45", "03:45", utc(2026, 9, 26, 14, 0)),
    (CHATHAM, date(2026, 9, 27), "03:00", "03:45", utc(2026, 9, 26, 14, 0)),
]


@pytest.mark.parametrize(("zone", "day", "local", "landing", "expected"), SPRING_GAPS)
def test_time_in_spring_gap_fires_at_first_valid_minute_after_it(
    zone: str, day: date, local: str, landing: str, expected: datetime
) -> None:
    _assert_in_gap(zone, day, local)
    fire = occurrence_on(hhmm(local), ZoneInfo(zone), day)
    assert fire == expected
    assert fire is not None
    assert wall(fire, zone) == landing
    assert local_day(fire, ZoneInfo(zone)) == day


@pytest.mark.parametrize(("zone", "day", "local", "landing", "expected"), SPRING_GAPS)
def test_next_fire_over_spring_gap_lands_once_then_returns_to_wall_time(
    zone: str, day: date, local: str, landing: str, expected: datetime
) -> None:
    tz = ZoneInfo(zone)
    evening_before = datetime.combine(day - timedelta(days=1), time(20), tzinfo=tz)
    fire = next_fire(hhmm(local), tz, evening_before)
    assert fire == expected
    following = next_fire(hhmm(local), tz, fire)
    assert local_day(following, tz) == day + timedelta(days=1)
    assert wall(following, zone) == local


@pytest.mark.parametrize(
    ("zone", "day_after", "expected"),
    [
        (BERLIN, date(2026, 3, 30), utc(2026, 3, 30, 6, 0)),  # was 07:00 UTC before the change
        (NEW_YORK, date(2026, 3, 9), utc(2026, 3, 9, 12, 0)),  # was 13:00 UTC
        (LORD_HOWE, date(2026, 10, 5), utc(2026, 10, 4, 21, 0)),  # was 21:30 UTC
        (CHATHAM, date(2026, 9, 28), utc(2026, 9, 27, 18, 15)),  # was 19:15 UTC
    ],
)
def test_eight_am_is_still_eight_am_local_the_day_after_spring_forward(
    zone: str, day_after: date, expected: datetime
) -> None:
    tz = ZoneInfo(zone)
    before = occurrence_on(time(8), tz, day_after - timedelta(days=2))
    assert before is not None
    after_spring = next_fire(time(8), tz, next_fire(time(8), tz, before))
    assert after_spring == expected
    assert wall(after_spring, zone) == "08:00"
    # The UTC instant moved by the size of the shift; the wall time did not.
    assert after_spring - before != timedelta(days=2)


# --- the autumn fold -------------------------------------------------------------------------


class Fold(NamedTuple):
    """A wall time that the clock reads twice on a fall-back day: first in summer time, then again
    `shift` later, when the clocks have gone back."""

    zone: str
    day: date
    local: str
    first: datetime
    shift: timedelta

    @property
    def second(self) -> datetime:
        return self.first + self.shift

    @property
    def next_day(self) -> datetime:
        # Standard time holds through the next day, so its reading is a whole day after the second.
        return self.second + timedelta(days=1)


HOUR, HALF_HOUR = timedelta(hours=1), timedelta(minutes=30)
AUTUMN_FOLDS = [
    Fold(BERLIN, date(2026, 10, 25), "02:30", utc(2026, 10, 25, 0, 30), HOUR),
    Fold(NEW_YORK, date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30), HOUR),
    Fold(LORD_HOWE, date(2026, 4, 5), "01:45", utc(2026, 4, 4, 14, 45), HALF_HOUR),
    Fold(CHATHAM, date(2026, 4, 5), "03:00", utc(2026, 4, 4, 13, 15), HOUR),
]


@pytest.mark.parametrize("fold", AUTUMN_FOLDS, ids=lambda fold: fold.zone)
def test_time_in_autumn_fold_fires_at_its_first_occurrence(fold: Fold) -> None:
    _assert_in_fold(fold.zone, fold.day, fold.local)
    # The hand-written shift is right: the second instant and the next day's really read `local`.
    assert wall(fold.second, fold.zone) == fold.local
    assert wall(fold.next_day, fold.zone) == fold.local
    assert occurrence_on(hhmm(fold.local), ZoneInfo(fold.zone), fold.day) == fold.first


@pytest.mark.parametrize("fold", AUTUMN_FOLDS, ids=lambda fold: fold.zone)
def test_time_in_autumn_fold_does_not_fire_again_at_its_second_occurrence(fold: Fold) -> None:
    tz, at = ZoneInfo(fold.zone), hhmm(fold.local)
    assert next_fire(at, tz, fold.first) == fold.next_day
    # Even when the dispatcher wakes between the two readings of the wall clock.
    assert next_fire(at, tz, fold.first + (fold.second - fold.first) / 2) == fold.next_day
    assert next_fire(at, tz, fold.second) == fold.next_day


@pytest.mark.parametrize("fold", AUTUMN_FOLDS, ids=lambda fold: fold.zone)
def test_consecutive_next_fire_across_fold_day_gives_one_reminder_that_day(fold: Fold) -> None:
    tz = ZoneInfo(fold.zone)
    cursor = datetime.combine(fold.day - timedelta(days=2), time(12), tzinfo=tz)
    fires = []
    for _ in range(5):
        cursor = next_fire(hhmm(fold.local), tz, cursor)
        fires.append(cursor)
    on_fold_day = [fire for fire in fires if local_day(fire, tz) == fold.day]
    assert on_fold_day == [fold.first]


# --- a zone without daylight saving ----------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 3, 8), date(2026, 10, 25)])
def test_zone_without_daylight_saving_ignores_other_zones_change_days(day: date) -> None:
    tz = ZoneInfo(KOLKATA)
    assert datetime(2026, 1, 1, tzinfo=tz).utcoffset() == timedelta(hours=5, minutes=30)
    assert datetime(2026, 7, 1, tzinfo=tz).utcoffset() == timedelta(hours=5, minutes=30)
    fire = occurrence_on(time(2, 30), tz, day)
    assert fire == datetime.combine(day - timedelta(days=1), time(21), tzinfo=UTC)


def test_a_local_day_that_never_happened_has_no_occurrence() -> None:
    # Samoa moved across the date line: 2011-12-29 23:59:59 was followed by 2011-12-31 00:00:00.
    apia = ZoneInfo("Pacific/Apia")
    _assert_in_gap("Pacific/Apia", date(2011, 12, 30), "08:00")
    assert occurrence_on(time(8), apia, date(2011, 12, 30)) is None
    fire = next_fire(time(8), apia, utc(2011, 12, 29, 20, 0))  # 10:00 on the 29th, local
    assert fire == utc(2011, 12, 30, 18, 0)  # 08:00 on the 31st at +14:00
    assert local_day(fire, apia) == date(2011, 12, 31)


# --- a year of daily reminders ---------------------------------------------------------------


@pytest.mark.parametrize("zone", ALL_ZONES)
def test_eight_am_fires_once_every_local_day_for_400_days(zone: str) -> None:
    tz = ZoneInfo(zone)
    cursor = utc(2025, 12, 31, 0, 0)
    fires = []
    for _ in range(400):
        cursor = next_fire(time(8), tz, cursor)
        fires.append(cursor)
    days = [local_day(fire, tz) for fire in fires]
    assert days == [days[0] + timedelta(days=n) for n in range(400)]
    assert days[0] in (date(2025, 12, 31), date(2026, 1, 1))
    for fire in fires:
        assert fire.tzinfo is UTC
        local = fire.astimezone(tz)
        assert (local.hour, local.minute, local.fold) == (8, 0, 0), fire
    offsets = {fire.astimezone(tz).utcoffset() for fire in fires}
    assert len(offsets) == (1 if zone == KOLKATA else 2)


# (zone, a wall time hit by a gap or a fold in 2026, the spring day if any, where the clocks land)
AWKWARD_TIMES = [
    (BERLIN, "02:30", date(2026, 3, 29), "03:00"),  # in both the gap and the fold
    (NEW_YORK, "02:30", date(2026, 3, 8), "03:00"),
    (NEW_YORK, "01:30", None, None),  # in the fold only
    (LORD_HOWE, "02:15", date(2026, 10, 4), "02:30"),
    (LORD_HOWE, "01:45", None, None),  # in the fold only
    (CHATHAM, "03:00", date(2026, 9, 27), "03:45"),  # in both the gap and the fold
    (KOLKATA, "02:30", None, None),
]


@pytest.mark.parametrize(("zone", "local", "spring_day", "landing"), AWKWARD_TIMES)
def test_awkward_time_fires_once_every_local_day_for_400_days(
    zone: str, local: str, spring_day: date | None, landing: str | None
) -> None:
    tz = ZoneInfo(zone)
    cursor = utc(2025, 12, 31, 0, 0)
    fires = []
    for _ in range(400):
        cursor = next_fire(hhmm(local), tz, cursor)
        fires.append(cursor)
    days = [local_day(fire, tz) for fire in fires]
    assert days == [days[0] + timedelta(days=n) for n in range(400)]
    for fire, day in zip(fires, days, strict=True):
        assert wall(fire, zone) == (landing if day == spring_day else local), fire
        assert fire.astimezone(tz).fold == 0, f"{fire} is the second reading of {local}"
    if spring_day is not None:
        assert spring_day in days


# --- strictly after --------------------------------------------------------------------------


def test_next_fire_after_an_occurrence_is_the_next_days() -> None:
    tz = ZoneInfo(BERLIN)
    assert next_fire(time(8), tz, utc(2026, 6, 15, 6, 0)) == utc(2026, 6, 16, 6, 0)


def test_next_fire_just_before_an_occurrence_is_that_occurrence() -> None:
    tz = ZoneInfo(BERLIN)
    just_before = utc(2026, 6, 15, 6, 0) - timedelta(microseconds=1)
    assert next_fire(time(8), tz, just_before) == utc(2026, 6, 15, 6, 0)


def test_next_fire_reads_after_in_any_zone() -> None:
    tokyo_afternoon = datetime(2026, 6, 15, 15, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 06:00 UTC
    fire = next_fire(time(8), ZoneInfo(BERLIN), tokyo_afternoon)
    assert fire == utc(2026, 6, 16, 6, 0)
    assert fire.tzinfo is UTC


def test_next_fire_rejects_naive_after() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_fire(time(8), ZoneInfo(BERLIN), datetime(2026, 6, 15, 6, 0))


def test_local_day_is_the_date_on_the_users_wall() -> None:
    late_utc_evening = utc(2026, 3, 28, 23, 30)
    assert local_day(late_utc_evening, ZoneInfo(KOLKATA)) == date(2026, 3, 29)
    assert local_day(late_utc_evening, ZoneInfo(NEW_YORK)) == date(2026, 3, 28)
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 3, 28, 23, 30), ZoneInfo(KOLKATA))


def test_wall_time_with_its_own_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        occurrence_on(time(8, tzinfo=UTC), ZoneInfo(BERLIN), date(2026, 6, 15))


# --- LocalSchedule ---------------------------------------------------------------------------


def test_local_schedule_fires_like_next_fire() -> None:
    schedule = LocalSchedule(time(2, 30), ZoneInfo(BERLIN))
    assert schedule.next_after(utc(2026, 3, 28, 12, 0)) == utc(2026, 3, 29, 1, 0)
    assert schedule.on(date(2026, 10, 25)) == utc(2026, 10, 25, 0, 30)
    with pytest.raises(FrozenInstanceError):
        schedule.local = time(9)  # type: ignore[misc]


# --- parse_hhmm ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", time(8, 0)),
        ("8:05", time(8, 5)),
        ("20:30", time(20, 30)),
        ("0:00", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 08:00 ", time(8, 0)),
        ("07:45\n", time(7, 45)),
    ],
)
def test_parse_hhmm_reads_hours_and_minutes(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "24:00",
        "8",
        "08:60",
        "",
        "   ",
        "8:5",
        "0800",
        "aa:bb",
        "08.00",
        "08:00:00",
        "-1:00",
        "123:00",
        "08 :00",
        "8:00pm",
        "٠٨:٠٠",  # Arabic-Indic digits, which int() would accept
    ],
)
def test_parse_hhmm_rejects_anything_but_h_mm_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match=r"\d\d:\d\d") as caught:
        parse_hhmm(text)
    assert "\n" not in str(caught.value)


# --- monthly reminders -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day_of_month", "local", "after", "expected"),
    [
        # The 31st in a 28-day February falls on the 28th.
        (BERLIN, 31, "08:00", utc(2026, 1, 31, 7, 0), utc(2026, 2, 28, 7, 0)),
        # ... and in a leap year on the 29th.
        (BERLIN, 31, "08:00", utc(2028, 1, 31, 7, 0), utc(2028, 2, 29, 7, 0)),
        (BERLIN, 30, "08:00", utc(2028, 1, 30, 7, 0), utc(2028, 2, 29, 7, 0)),
        # The 31st in April falls on the 30th (CEST, so 06:00 UTC).
        (BERLIN, 31, "08:00", utc(2026, 3, 31, 6, 0), utc(2026, 4, 30, 6, 0)),
        # Across spring forward: 08:00 CET in February, 08:00 CEST in March.
        (BERLIN, 31, "08:00", utc(2026, 2, 28, 7, 0), utc(2026, 3, 31, 6, 0)),
        # Across fall back in New York: 08:00 EDT in October, 08:00 EST in November.
        (NEW_YORK, 31, "08:00", utc(2026, 10, 31, 12, 0), utc(2026, 11, 30, 13, 0)),
        # Later in the same month.
        (KOLKATA, 15, "20:30", utc(2026, 5, 1, 0, 0), utc(2026, 5, 15, 15, 0)),
        # A monthly day that is itself the spring-forward day, at a time inside the gap.
        (BERLIN, 29, "02:30", utc(2026, 3, 1, 0, 0), utc(2026, 3, 29, 1, 0)),
        # A monthly day that is itself the fall-back day: the first reading, then next month.
        (BERLIN, 25, "02:30", utc(2026, 10, 1, 0, 0), utc(2026, 10, 25, 0, 30)),
        (BERLIN, 25, "02:30", utc(2026, 10, 25, 0, 30), utc(2026, 11, 25, 1, 30)),
        (CHATHAM, 27, "03:00", utc(2026, 9, 1, 0, 0), utc(2026, 9, 26, 14, 0)),
    ],
)
def test_monthly_reminder_fires_on_its_day_at_local_wall_time(
    zone: str, day_of_month: int, local: str, after: datetime, expected: datetime
) -> None:
    fire = next_monthly_fire(day_of_month, hhmm(local), ZoneInfo(zone), after)
    assert fire == expected
    assert fire.tzinfo is UTC


def test_monthly_reminder_on_the_31st_fires_on_every_months_last_day_in_a_leap_year() -> None:
    tz = ZoneInfo(BERLIN)
    cursor = utc(2027, 12, 31, 12, 0)
    days = []
    for _ in range(12):
        cursor = next_monthly_fire(31, time(8), tz, cursor)
        assert wall(cursor, BERLIN) == "08:00"
        days.append(local_day(cursor, tz))
    assert [(d.month, d.day) for d in days] == [
        (1, 31),
        (2, 29),
        (3, 31),
        (4, 30),
        (5, 31),
        (6, 30),
        (7, 31),
        (8, 31),
        (9, 30),
        (10, 31),
        (11, 30),
        (12, 31),
    ]
    assert {d.year for d in days} == {2028}


@pytest.mark.parametrize("day_of_month", [0, 32, -1])
def test_monthly_reminder_rejects_a_day_that_no_month_has(day_of_month: int) -> None:
    with pytest.raises(ValueError, match="day_of_month"):
        next_monthly_fire(day_of_month, time(8), ZoneInfo(BERLIN), utc(2026, 1, 1))


def test_monthly_reminder_rejects_naive_after() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_monthly_fire(1, time(8), ZoneInfo(BERLIN), datetime(2026, 1, 1))


# --- weekly reminders ------------------------------------------------------------------------

SUNDAY, MONDAY = 6, 0


@pytest.mark.parametrize(
    ("zone", "weekday", "local", "after", "expected"),
    [
        # Sunday 18:00 in Berlin: CET on 22 March, CEST on 29 March, the day the clocks change.
        (BERLIN, SUNDAY, "18:00", utc(2026, 3, 20, 12, 0), utc(2026, 3, 22, 17, 0)),
        (BERLIN, SUNDAY, "18:00", utc(2026, 3, 22, 17, 0), utc(2026, 3, 29, 16, 0)),
        # Earlier the same Sunday: it is still to come today.
        (BERLIN, SUNDAY, "18:00", utc(2026, 3, 29, 8, 0), utc(2026, 3, 29, 16, 0)),
        # Inside the spring gap on the changeover Sunday: the first valid minute, 03:00 CEST.
        (BERLIN, SUNDAY, "02:30", utc(2026, 3, 23, 0, 0), utc(2026, 3, 29, 1, 0)),
        # The autumn fold in New York on Sunday 1 November: the first 01:30 (EDT), once.
        (NEW_YORK, SUNDAY, "01:30", utc(2026, 10, 26, 0, 0), utc(2026, 11, 1, 5, 30)),
        (NEW_YORK, SUNDAY, "01:30", utc(2026, 11, 1, 5, 30), utc(2026, 11, 8, 6, 30)),
        # Lord Howe's half-hour shift: 18:00 at UTC+11 before 5 April, at UTC+10:30 on it.
        (LORD_HOWE, SUNDAY, "18:00", utc(2026, 3, 28, 0, 0), utc(2026, 3, 29, 7, 0)),
        (LORD_HOWE, SUNDAY, "18:00", utc(2026, 3, 29, 7, 0), utc(2026, 4, 5, 7, 30)),
        # Lord Howe's spring gap (02:00-02:30) on Sunday 4 October: 02:15 lands on 02:30.
        (LORD_HOWE, SUNDAY, "02:15", utc(2026, 10, 1, 0, 0), utc(2026, 10, 3, 15, 30)),
        # Chatham leaves daylight saving on Sunday 5 April: 09:00 at +13:45, then at +12:45.
        (CHATHAM, SUNDAY, "09:00", utc(2026, 3, 27, 0, 0), utc(2026, 3, 28, 19, 15)),
        (CHATHAM, SUNDAY, "09:00", utc(2026, 3, 28, 19, 15), utc(2026, 4, 4, 20, 15)),
        # No daylight saving at all: Monday 09:00 in Kolkata is always 03:30 UTC.
        (KOLKATA, MONDAY, "09:00", utc(2026, 3, 29, 0, 0), utc(2026, 3, 30, 3, 30)),
    ],
)
def test_weekly_reminder_fires_on_its_local_weekday_at_local_wall_time(
    zone: str, weekday: int, local: str, after: datetime, expected: datetime
) -> None:
    fire = next_weekly_fire(weekday, hhmm(local), ZoneInfo(zone), after)
    assert fire == expected
    assert fire.tzinfo is UTC


@pytest.mark.parametrize("zone", ALL_ZONES)
def test_weekly_reminder_keeps_its_weekday_and_wall_time_for_a_year(zone: str) -> None:
    tz = ZoneInfo(zone)
    cursor = utc(2026, 1, 1)
    for _ in range(53):
        following = next_weekly_fire(SUNDAY, time(18), tz, cursor)
        assert following.astimezone(tz).weekday() == SUNDAY
        assert wall(following, zone) == "18:00"
        assert timedelta(days=6) < following - cursor or cursor == utc(2026, 1, 1)
        cursor = following


@pytest.mark.parametrize("weekday", [-1, 7])
def test_weekly_reminder_rejects_a_day_no_week_has(weekday: int) -> None:
    with pytest.raises(ValueError, match="day_of_week"):
        next_weekly_fire(weekday, time(8), ZoneInfo(BERLIN), utc(2026, 1, 1))


# Every zone tzdata knows, so that the ordinary-day shortcut is checked against the odd ones too:
# 30- and 45-minute offsets, zones that skipped a whole day, double summer time.
EVERY_ZONE = sorted(available_timezones())


@settings(max_examples=1000, deadline=None)
@given(
    zone=st.sampled_from(EVERY_ZONE),
    start=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 1, 15, 29, 30, 31, 45, 59]),
)
def test_next_fire_after_an_occurrence_matches_the_day_by_day_search(
    zone: str, start: datetime, hour: int, minute: int
) -> None:
    # The shortcut only answers when `after` is itself an occurrence; chain a few from `start`
    # so that gap landings, folds and ordinary days all come up as `after`.
    local, tz = time(hour, minute), ZoneInfo(zone)
    after = _search_next_fire(local, tz, start.replace(tzinfo=UTC))
    assert next_fire(local, tz, start.replace(tzinfo=UTC)) == after
    for _ in range(3):
        expected = _search_next_fire(local, tz, after)
        assert next_fire(local, tz, after) == expected
        after = expected


def test_an_hour_before_the_reminder_on_the_eve_of_spring_forward_is_that_days_reminder() -> None:
    # 07:00 CET on 28 March; 24 hours later the wall reads 08:00 CEST, which must not fool the
    # ordinary-day shortcut: today's 08:00 is still to come.
    after = utc(2026, 3, 28, 6, 0)
    assert next_fire(hhmm("08:00"), ZoneInfo(BERLIN), after) == utc(2026, 3, 28, 7, 0)


# Spring gaps that start at midnight (the wall goes from 23:59 to 01:00), and one that crosses
# it (Nuuk: 23:00 to 00:00 of the next date), with a Berlin gap inside one date.
GAP_DAYS = [
    ("Asia/Beirut", date(2026, 3, 29)),
    ("America/Santiago", date(2026, 9, 6)),
    ("Africa/Cairo", date(2026, 4, 24)),
    ("America/Havana", date(2026, 3, 8)),
    ("America/Nuuk", date(2024, 3, 30)),
    (BERLIN, date(2026, 3, 29)),
]


@pytest.mark.parametrize(("zone", "gap_day"), GAP_DAYS)
@pytest.mark.parametrize("local", ["00:00", "00:30", "00:59", "02:30", "23:30"])
def test_an_occurrence_counts_for_the_date_it_was_set_for(
    zone: str, gap_day: date, local: str
) -> None:
    """Beirut's 00:30 on the Sunday of its gap lands on Sunday 01:00, and was counted for
    Saturday: /today showed Sunday without its dose, and Saturday with two."""
    tz = ZoneInfo(zone)
    for day in (gap_day - timedelta(days=1), gap_day, gap_day + timedelta(days=1)):
        fire = occurrence_on(hhmm(local), tz, day)
        assert fire is not None
        assert occurrence_day(fire, hhmm(local), tz) == day, (day, fire.astimezone(tz))
