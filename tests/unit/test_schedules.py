"""fire_after: each stored reminder's next occurrence by the kind of its schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scheduler.policy import Policy
from scheduler.schedules import DAILY_KINDS, MONTHLY_KINDS, WEEKLY_KINDS, fire_after
from storage.models import Reminder, ReminderKind


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def reminder(
    kind: ReminderKind,
    local_time: str,
    zone: str,
    day_of_month: int | None = None,
    day_of_week: int | None = None,
) -> Reminder:
    return Reminder(
        id=1,
        kind=kind,
        local_time=local_time,
        timezone=zone,
        day_of_month=day_of_month,
        day_of_week=day_of_week,
    )


def test_every_kind_has_exactly_one_schedule() -> None:
    assert set(DAILY_KINDS) | MONTHLY_KINDS | WEEKLY_KINDS == set(ReminderKind)
    assert not set(DAILY_KINDS) & MONTHLY_KINDS
    assert not MONTHLY_KINDS & WEEKLY_KINDS
    assert DAILY_KINDS == (ReminderKind.DOSE, ReminderKind.MOISTURISER, ReminderKind.SUNSCREEN)


@pytest.mark.parametrize("kind", sorted(MONTHLY_KINDS))
def test_check_on_the_31st_falls_on_the_last_day_of_february_and_april(
    kind: ReminderKind,
) -> None:
    check = reminder(kind, "09:00", "Europe/Berlin", day_of_month=31)
    # 31 Jan 09:00 CET, then 28 Feb 09:00 CET, 31 Mar 09:00 CEST, 30 Apr 09:00 CEST.
    fires = [utc(2026, 1, 31, 8, 0)]
    for _ in range(3):
        fires.append(fire_after(check, fires[-1]))
    assert fires[1:] == [utc(2026, 2, 28, 8, 0), utc(2026, 3, 31, 7, 0), utc(2026, 4, 30, 7, 0)]


def test_check_keeps_its_local_time_across_a_dst_change() -> None:
    # New York: 15 October 08:00 EDT (12:00 UTC), 15 November 08:00 EST (13:00 UTC).
    check = reminder(ReminderKind.LABS, "08:00", "America/New_York", day_of_month=15)
    assert fire_after(check, utc(2026, 10, 15, 12, 0)) == utc(2026, 11, 15, 13, 0)
    # Berlin, a check on the day the clocks go forward, inside the gap: 03:00 CEST.
    gap = reminder(ReminderKind.PREGNANCY_TEST, "02:30", "Europe/Berlin", day_of_month=29)
    assert fire_after(gap, utc(2026, 3, 1)) == utc(2026, 3, 29, 1, 0)


def test_weekly_summary_fires_on_its_weekday() -> None:
    summary = reminder(ReminderKind.WEEKLY_SUMMARY, "18:00", "Europe/Berlin", day_of_week=6)
    first = fire_after(summary, utc(2026, 3, 23, 9, 0))  # a Monday
    assert first == utc(2026, 3, 29, 16, 0)  # Sunday 18:00 CEST
    assert fire_after(summary, first) == utc(2026, 4, 5, 16, 0)


def test_daily_kinds_fire_every_day_whatever_the_day_columns() -> None:
    dose = reminder(ReminderKind.DOSE, "08:00", "Asia/Kolkata")
    assert fire_after(dose, utc(2026, 3, 2, 3, 0)) == utc(2026, 3, 3, 2, 30)


def test_a_monthly_or_weekly_reminder_without_its_day_is_refused() -> None:
    with pytest.raises(ValueError, match="day_of_month"):
        fire_after(reminder(ReminderKind.LABS, "09:00", "UTC"), utc(2026, 1, 1))
    with pytest.raises(ValueError, match="day_of_week"):
        fire_after(reminder(ReminderKind.WEEKLY_SUMMARY, "18:00", "UTC"), utc(2026, 1, 1))


def test_grace_windows_by_kind() -> None:
    policy = Policy()
    assert policy.grace(ReminderKind.DOSE) == timedelta(hours=2)
    assert policy.grace(ReminderKind.SUNSCREEN) == timedelta(hours=1)
    assert policy.grace(ReminderKind.LABS) == timedelta(days=1)
    assert policy.grace(ReminderKind.PREGNANCY_TEST) == timedelta(days=1)
    assert policy.grace(ReminderKind.WEEKLY_SUMMARY) == timedelta(hours=12)
