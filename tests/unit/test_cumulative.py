"""The cumulative dose against cases worked out by hand, and the projected end date.

Every expected figure below was computed on paper from the rule in scheduler/cumulative.py: each
Taken dose is worth that day's mg/day divided by that day's dose occurrences, and mg/kg uses the
latest weight.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest

from scheduler.cumulative import (
    DoseChange,
    DoseDay,
    WeightEntry,
    course_day,
    course_progress,
    cumulative_mg,
    dose_in_effect,
    latest_weight,
    mg_on_day,
    mg_per_day_on,
    percent_of_target,
    progress_bar,
    projected_end,
)

START = date(2026, 3, 1)


def day(n: int) -> date:
    """Day n of the course: day(1) is the start date."""
    return START + timedelta(days=n - 1)


def every_day_taken(first: int, last: int, per_day: int = 1) -> list[DoseDay]:
    return [DoseDay(day(n), per_day, per_day) for n in range(first, last + 1)]


# The course under test starts on START and runs to a 120 mg/kg target unless a test says otherwise.
progress = partial(course_progress, start=START, ended_on=None, target_mg_per_kg=120)


# --- the cumulative mg ----------------------------------------------------------------------


def test_dose_change_mid_course_counts_each_day_at_the_dose_then_in_effect() -> None:
    # 20 mg/day on days 1-3, 40 mg/day from day 4; one dose a day, all taken through day 5:
    # 3 x 20 + 2 x 40 = 140 mg.
    doses = [DoseChange(day(1), 20), DoseChange(day(4), 40)]
    assert cumulative_mg(every_day_taken(1, 5), doses, day(1), day(5)) == pytest.approx(140)


def test_skipped_day_adds_nothing_and_half_a_day_adds_half() -> None:
    # 40 mg/day in two doses. Day 1 both taken (40), day 2 both skipped (0), day 3 one of two
    # taken (20): 60 mg.
    days = [DoseDay(day(1), 2, 2), DoseDay(day(2), 2, 0), DoseDay(day(3), 2, 1)]
    assert cumulative_mg(days, [DoseChange(day(1), 40)], day(1), day(3)) == pytest.approx(60)


def test_one_reminder_a_day_counts_the_whole_daily_dose_per_taken() -> None:
    days = [DoseDay(day(1), 1, 1), DoseDay(day(2), 1, 0), DoseDay(day(3), 1, 1)]
    assert cumulative_mg(days, [DoseChange(day(1), 30)], day(1), day(3)) == pytest.approx(60)


def test_a_day_is_never_counted_above_its_daily_dose() -> None:
    # A Taken without a known occurrence (none expected) still cannot make a day worth more.
    assert cumulative_mg([DoseDay(day(1), 1, 2)], [DoseChange(day(1), 40)], day(1), day(1)) == 40


def test_days_outside_the_course_do_not_count() -> None:
    days = [DoseDay(START - timedelta(days=1), 1, 1), *every_day_taken(1, 2)]
    total = cumulative_mg(days, [DoseChange(day(1), 40)], day(1), day(2))
    assert total == pytest.approx(80)


def test_without_any_dose_recorded_nothing_counts() -> None:
    assert cumulative_mg(every_day_taken(1, 3), [], day(1), day(3)) == 0


def test_dose_in_effect_before_the_first_change_is_the_first_one() -> None:
    doses = [DoseChange(day(5), 40), DoseChange(day(1), 20)]
    assert mg_per_day_on(day(1) - timedelta(days=3), doses) == 20
    assert mg_per_day_on(day(4), doses) == 20
    assert mg_per_day_on(day(5), doses) == 40
    assert dose_in_effect(day(30), doses) == DoseChange(day(5), 40)
    assert mg_per_day_on(day(1), []) is None


# --- mg/kg, percent, bar ----------------------------------------------------------------------


def test_weight_change_measures_the_whole_course_against_the_latest_weight() -> None:
    # 40 mg/day taken on 48 days = 1,920 mg. Weighed 70 kg at the start, 64 kg on day 31:
    # 1,920 / 64 = 30.0 mg/kg, 25% of 120.
    weights = [WeightEntry(day(1), 70), WeightEntry(day(31), 64)]
    result = progress(
        today=day(48),
        doses=[DoseChange(day(1), 40)],
        weights=weights,
        days=every_day_taken(1, 48),
    )
    assert result.cumulative_mg == pytest.approx(1920)
    assert result.weight == WeightEntry(day(31), 64)
    assert result.mg_per_kg == pytest.approx(30.0)
    assert result.percent == 25


def test_target_of_150_measures_progress_against_150() -> None:
    # 40 mg/day taken on 210 days = 8,400 mg; 70 kg: 120 mg/kg, which is 80% of 150.
    # Remaining: 150 x 70 - 8,400 = 2,100 mg, 52.5 days at 40 mg: the 53rd day from today.
    today = day(211)
    result = progress(
        today=today,
        doses=[DoseChange(day(1), 40)],
        weights=[WeightEntry(day(1), 70)],
        days=every_day_taken(1, 210),
        target_mg_per_kg=150,
    )
    assert result.mg_per_kg == pytest.approx(120)
    assert result.percent == 80
    assert result.projected_end == today + timedelta(days=52)
    assert not result.reached


def test_latest_weight_is_by_date_not_by_order() -> None:
    weights = [WeightEntry(day(40), 66), WeightEntry(day(1), 70), WeightEntry(day(20), 68)]
    assert latest_weight(weights) == WeightEntry(day(40), 66)
    assert latest_weight([]) is None


@pytest.mark.parametrize(
    ("per_kg", "target", "percent"),
    [
        (0, 120, 0),
        (60, 120, 50),
        (119.99, 120, 99),
        (120, 120, 100),
        (75, 150, 50),
        (180, 150, 120),
    ],
)
def test_percent_is_rounded_down(per_kg: float, target: int, percent: int) -> None:
    assert percent_of_target(per_kg, target) == percent


@pytest.mark.parametrize(
    ("percent", "bar"),
    [
        (0, "░░░░░░░░░░"),
        (9, "░░░░░░░░░░"),
        (25, "▓▓░░░░░░░░"),
        (50, "▓▓▓▓▓░░░░░"),
        (100, "▓▓▓▓▓▓▓▓▓▓"),
        (130, "▓▓▓▓▓▓▓▓▓▓"),
    ],
)
def test_progress_bar(percent: int, bar: str) -> None:
    assert progress_bar(percent) == bar


def test_course_day_is_one_on_the_start_date() -> None:
    assert course_day(START, START) == 1
    assert course_day(START, date(2026, 3, 31)) == 31


# --- the projected end date -------------------------------------------------------------------


def test_projected_end_at_the_current_daily_dose() -> None:
    # 60 kg x 120 = 7,200 mg. 30 days of 40 mg before today = 1,200 mg; 6,000 mg to go at 40 mg
    # is 150 days counting today, so the last one is today + 149: 31 Mar + 149 days = 27 Aug.
    today = date(2026, 3, 31)
    assert projected_end(1200, 7200, 40, today) == date(2026, 8, 27)
    result = progress(
        today=today,
        doses=[DoseChange(day(1), 40)],
        weights=[WeightEntry(day(1), 60)],
        days=every_day_taken(1, 30),
    )
    assert result.projected_end == date(2026, 8, 27)


def test_projected_end_stays_put_while_todays_dose_is_logged() -> None:
    today = date(2026, 3, 31)
    doses, weights = [DoseChange(day(1), 40)], [WeightEntry(day(1), 60)]
    before = progress(today=today, doses=doses, weights=weights, days=every_day_taken(1, 30))
    after = progress(today=today, doses=doses, weights=weights, days=every_day_taken(1, 31))
    assert after.cumulative_mg == before.cumulative_mg + 40
    assert after.projected_end == before.projected_end


def test_projected_end_follows_the_current_dose_after_a_change() -> None:
    # 7,200 mg target; 1,200 mg before today; from today 60 mg/day: 6,000 / 60 = 100 days.
    today = date(2026, 3, 31)
    result = progress(
        today=today,
        doses=[DoseChange(day(1), 40), DoseChange(today, 60)],
        weights=[WeightEntry(day(1), 60)],
        days=every_day_taken(1, 30),
    )
    assert result.mg_per_day == 60
    assert result.projected_end == today + timedelta(days=99)


def test_remaining_that_is_not_a_whole_number_of_days_rounds_up() -> None:
    assert projected_end(0, 100, 40, START) == START + timedelta(days=2)  # 2.5 days: 3 days
    assert projected_end(0, 80, 40, START) == START + timedelta(days=1)  # exactly 2 days


def test_no_projection_once_reached_or_without_a_weight_or_dose() -> None:
    assert projected_end(7200, 7200, 40, START) is None
    reached = progress(
        today=day(181),
        doses=[DoseChange(day(1), 40)],
        weights=[WeightEntry(day(1), 60)],
        days=every_day_taken(1, 180),
    )
    assert reached.percent == 100 and reached.reached and reached.projected_end is None
    no_weight = progress(
        today=day(3), doses=[DoseChange(day(1), 40)], weights=[], days=every_day_taken(1, 2)
    )
    assert no_weight.mg_per_kg is None and no_weight.percent is None
    assert no_weight.projected_end is None
    assert no_weight.cumulative_mg == 80
    no_dose = progress(today=day(3), doses=[], weights=[WeightEntry(day(1), 60)], days=[])
    assert no_dose.projected_end is None and no_dose.cumulative_mg == 0


def test_an_ended_course_counts_up_to_its_end_and_projects_nothing() -> None:
    result = progress(
        today=day(40),
        ended_on=day(30),
        doses=[DoseChange(day(1), 40)],
        weights=[WeightEntry(day(1), 60)],
        days=every_day_taken(1, 40),
    )
    assert result.ended
    assert result.day == 30
    assert result.cumulative_mg == pytest.approx(1200)
    assert result.taken_doses == 30
    assert result.projected_end is None


def test_a_recorded_share_counts_each_dose_taken_as_one_dose() -> None:
    # Two doses a day of 40 mg: a day cut short by a trip east had one occurrence, a day
    # stretched west three; each dose taken is still 20 mg.
    short = DoseDay(day(1), occurrences=1, taken=1, taken_share=0.5)
    long = DoseDay(day(2), occurrences=3, taken=3, taken_share=1.5)
    doses = [DoseChange(day(1), 40)]
    assert mg_on_day(short, doses) == pytest.approx(20)
    assert mg_on_day(long, doses) == pytest.approx(60)
