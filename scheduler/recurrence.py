"""When a reminder at a local wall-clock time fires next, as a UTC instant.

A reminder stores its wall-clock time and its IANA zone, never a UTC time, so that 08:00 stays 08:00
when the clocks change. Everything here is pure: the caller passes in "now" as `after`.

Two days a year the wall clock misbehaves, and our rules for them are:

* the spring gap: a wall time that never happens fires at the first valid moment after the gap, the
  wall time the clocks land on (02:30 in Berlin fires at 03:00 CEST);
* the autumn fold: a wall time that happens twice fires once, at the first of the two;
* a skipped date: a date that never happens on the wall (Pacific/Apia jumped from 29 to
  31 December 2011) has no occurrence at all, so no dose is owed for it;
* the date an occurrence counts for is the date it was set for: a gap that crosses midnight
  (America/Nuuk, 30 March 2024, 23:00 to 00:00) lands 23:30 on the next date's first instant,
  and `occurrence_day` still counts it for the 30th, so each date keeps one dose; a gap that
  starts at midnight (Asia/Beirut, 29 March 2026, 00:00 to 01:00) lands 00:30 on 01:00 of the
  same date, and it counts for that date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# ASCII digits only: `\d` would also take Arabic-Indic and other digits that `int()` accepts.
_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})")

# How far ahead next_fire looks before giving up. Two days are normally enough; the slack covers a
# local day that does not exist at all.
_DAYS_TO_SEARCH = 7
_MONTHS_TO_SEARCH = 14
_ONE_DAY = timedelta(days=1)


def parse_hhmm(text: str) -> time:
    """Read a time a user typed as H:MM or HH:MM, 24-hour clock.

    The ValueError's message is meant for the user, so it says what to type instead.
    """
    match = _HHMM.fullmatch(text.strip())
    if match is None:
        raise ValueError("Please send the time as hours and minutes, like 08:00 or 20:30.")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23:
        raise ValueError("Hours go from 0 to 23. For 8 in the evening, send 20:00.")
    if minute > 59:
        raise ValueError("Minutes go from 00 to 59, like 08:05 or 20:30.")
    return time(hour, minute)


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar date on the wall in `zone` at `instant`."""
    _require_aware(instant)
    return instant.astimezone(zone).date()


def occurrence_day(occurrence: datetime, local: time | None, zone: ZoneInfo) -> date:
    """The local date `occurrence` of a reminder at wall time `local` counts for.

    Its wall date, unless it is a spring gap's landing for another wall time: then the date
    whose `local` fell in the gap, which is the one it was set for (see the module's notes). A
    gap that crosses midnight puts it on the date before; one that starts at midnight (Beirut,
    00:00 to 01:00) on its own.
    """
    _require_aware(occurrence)
    here = occurrence.astimezone(zone)
    if local is None or here.time() == local:
        return here.date()
    before = (occurrence - timedelta(microseconds=1)).astimezone(zone)
    offset_before, offset_here = before.utcoffset(), here.utcoffset()
    assert offset_before is not None and offset_here is not None
    if offset_before < offset_here and before.date() != here.date():
        set_for = before.date()
        if occurrence_on(local, zone, set_for) != occurrence:
            set_for = here.date()  # the gap starts at midnight: `local` fell in today's
        return set_for
    return here.date()


def occurrence_on(local: time, zone: ZoneInfo, day: date) -> datetime | None:
    """The UTC instant at which a reminder for wall time `local` fires on local date `day`.

    None only when `day` never happens in `zone` at all: Samoa and Tokelau skipped 2011-12-30.
    """
    _require_wall_time(local)
    wall = datetime.combine(day, local)
    if _exists(wall, zone):
        # fold=0 is the first of the two instants in an autumn fold, and the only one we fire at.
        return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    landing = _end_of_gap(wall, zone)
    if landing.astimezone(zone).date() != day and _day_is_skipped(day, zone):
        return None
    return landing


def next_fire(local: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first occurrence of wall time `local` in `zone` strictly after `after`, in UTC.

    Strictly after, so passing the instant a reminder just fired at yields the next one, and a fold
    day never yields its second instance.
    """
    _require_aware(after)
    tomorrow = _same_wall_time_tomorrow(local, zone, after)
    return tomorrow if tomorrow is not None else _search_next_fire(local, zone, after)


def _search_next_fire(local: time, zone: ZoneInfo, after: datetime) -> datetime:
    """next_fire the long way: day by day from `after`'s local date."""
    # No need to look at the day before: even if a gap pushed its occurrence past midnight, it
    # landed on the first instant of `after`'s local day, which is not later than `after`.
    first_day = local_day(after, zone)
    for offset in range(_DAYS_TO_SEARCH):
        fire = occurrence_on(local, zone, first_day + timedelta(days=offset))
        if fire is not None and fire > after:
            return fire
    raise AssertionError(f"no occurrence of {local} in {zone.key} within {_DAYS_TO_SEARCH} days")


def next_monthly_fire(day_of_month: int, local: time, zone: ZoneInfo, after: datetime) -> datetime:
    """Like next_fire, for a reminder on one day of each month.

    A day past the end of a short month falls on that month's last day: the 31st fires on
    28 or 29 February and on 30 April, so a monthly reminder is never silently skipped.
    """
    if not 1 <= day_of_month <= 31:
        raise ValueError(f"day_of_month must be 1..31, not {day_of_month}")
    _require_aware(after)
    start = local_day(after, zone)
    year, month = start.year, start.month
    for _ in range(_MONTHS_TO_SEARCH):
        last = calendar.monthrange(year, month)[1]
        fire = occurrence_on(local, zone, date(year, month, min(day_of_month, last)))
        if fire is not None and fire > after:
            return fire
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    raise AssertionError(f"no monthly occurrence in {zone.key} within {_MONTHS_TO_SEARCH} months")


def next_weekly_fire(day_of_week: int, local: time, zone: ZoneInfo, after: datetime) -> datetime:
    """Like next_fire, for a reminder on one local day of each week (0 = Monday ... 6 = Sunday).

    The day is the local one, so a Sunday 18:00 summary stays on Sunday at 18:00 when the clocks
    change, even when Sunday is the day they change.
    """
    if not 0 <= day_of_week <= 6:
        raise ValueError(f"day_of_week must be 0..6, not {day_of_week}")
    _require_aware(after)
    start = local_day(after, zone)
    ahead = (day_of_week - start.weekday()) % 7
    # This week's day may already be past `after`; then the next week's, and one more week of
    # slack for a local day that does not exist at all.
    for weeks in range(3):
        fire = occurrence_on(local, zone, start + timedelta(days=ahead + 7 * weeks))
        if fire is not None and fire > after:
            return fire
    raise AssertionError(f"no weekly occurrence in {zone.key} within three weeks")


@dataclass(frozen=True)
class LocalSchedule:
    """A daily reminder as it is stored: a wall-clock time and the zone whose wall it is on."""

    local: time
    zone: ZoneInfo

    def __post_init__(self) -> None:
        _require_wall_time(self.local)

    def next_after(self, after: datetime) -> datetime:
        return next_fire(self.local, self.zone, after)

    def on(self, day: date) -> datetime | None:
        return occurrence_on(self.local, self.zone, day)


def _same_wall_time_tomorrow(local: time, zone: ZoneInfo, after: datetime) -> datetime | None:
    """next_fire's answer on an ordinary day, when `after` is an occurrence; else None.

    The dispatcher asks for the occurrence after the one that just fell due, thousands of times
    a tick, and the general search costs about ten times this check. If `after` reads `local` on
    the wall (its first instance, fold 0), it is that day's occurrence; if exactly 24 hours later
    the wall reads `local` again, also as a first instance, then no clock change came between and
    that instant is the next day's occurrence. Anything else (a change within the day, a gap's
    landing, a fold) goes the long way.
    """
    here = after.astimezone(zone)
    if here.fold or here.time() != local:
        return None
    following = after + _ONE_DAY
    there = following.astimezone(zone)
    if there.fold or there.time() != local:
        return None
    return following.astimezone(UTC)


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    # zoneinfo never refuses a wall time: one inside the gap comes back shifted by the gap's size.
    # A round trip through UTC shows whether the wall clock ever actually read `wall`.
    there_and_back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there_and_back.replace(tzinfo=None) == wall


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the clocks jump over the gap that `wall` lies in."""
    # zoneinfo reads a gap time with the old offset for fold=0 and the new one for fold=1. The jump
    # lies between those two readings and is not simply either of them (fold=0 puts 02:30 Berlin at
    # 03:30, not 03:00), so bisect for it. Transitions fall on whole seconds, hence integer epochs.
    whole = wall.replace(microsecond=0)
    early, late = sorted(int(whole.replace(tzinfo=zone, fold=f).timestamp()) for f in (0, 1))
    old_offset = _offset_at(early, zone)
    while late - early > 1:
        middle = (early + late) // 2
        if _offset_at(middle, zone) == old_offset:
            early = middle
        else:
            late = middle
    return datetime.fromtimestamp(late, UTC)


def _offset_at(epoch: int, zone: ZoneInfo) -> timedelta | None:
    return datetime.fromtimestamp(epoch, zone).utcoffset()


def _day_is_skipped(day: date, zone: ZoneInfo) -> bool:
    midnight = datetime.combine(day, time())
    if _exists(midnight, zone):
        return False
    return _end_of_gap(midnight, zone).astimezone(zone).date() != day


def _require_aware(instant: datetime) -> None:
    # A naive datetime would be read in the server's zone, which is exactly the bug this module is
    # here to prevent.
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected an aware datetime, got a naive one")


def _require_wall_time(local: time) -> None:
    # The zone travels separately; a time that carries its own tzinfo would be silently ignored.
    if local.tzinfo is not None:
        raise ValueError("local must be a naive wall-clock time; pass the zone separately")
