"""The mg taken before tracking in the cumulative dose: the total, mg/kg, percent and projection,
the chart's series and the report's lines."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest

from bot.pictures.chart_data import chart_data, chart_summary
from bot.pictures.report_model import CourseFigures, course_lines
from scheduler.course_series import CourseHistory, estimated_before, series_of, tracked_from
from scheduler.cumulative import (
    DoseChange,
    DoseDay,
    WeightEntry,
    course_progress,
    mg_if_every_dose_taken,
)

START = date(2026, 1, 1)
FIRST_LOGGED = date(2026, 3, 2)  # two months in
TODAY = date(2026, 3, 11)
DOSES = [DoseChange(START, 40)]
KG = 80.0
WEIGHTS = [WeightEntry(START, KG)]
# One dose a day from FIRST_LOGGED, each taken: 10 days, 400 mg.
DAYS = [DoseDay(FIRST_LOGGED + timedelta(days=i), 1, 1) for i in range(10)]
HISTORY = CourseHistory(DOSES, WEIGHTS, DAYS)

progress = partial(
    course_progress,
    start=START,
    today=TODAY,
    ended_on=None,
    target_mg_per_kg=120,
    doses=DOSES,
    weights=WEIGHTS,
    days=DAYS,
)


def test_the_total_from_before_counts_toward_mg_per_kg_percent_and_projection() -> None:
    without = progress()
    result = progress(mg_before_tracking=2400)
    assert without.cumulative_mg == pytest.approx(400)
    assert result.cumulative_mg == pytest.approx(2800)
    assert result.logged_mg == 400 and result.mg_before_tracking == 2400
    assert result.taken_doses == 10  # still the doses logged here
    assert result.mg_per_kg == 35.0 and result.percent == 29
    # 9,600 mg to go from 2,400 + 360 before today: 6,840 / 40 = 171 days from 11 March.
    assert result.projected_end == TODAY + timedelta(days=170)
    assert without.projected_end == TODAY + timedelta(days=170 + 60)


def test_a_negative_total_never_lowers_the_count() -> None:
    assert progress(mg_before_tracking=-100).cumulative_mg == pytest.approx(400)


def test_never_shown_ahead_with_a_total_from_before() -> None:
    # 9,596 mg of 9,600: 119.95 mg/kg reads 119.9 at 99%, never 120.0 before 100%.
    result = progress(mg_before_tracking=9196)
    assert result.mg_per_kg == 119.9 and result.percent == 99 and not result.reached
    assert progress(mg_before_tracking=9200).reached


def test_the_series_runs_up_to_the_total_then_on_from_it() -> None:
    assert tracked_from(HISTORY, START, TODAY) == FIRST_LOGGED
    series = series_of(HISTORY, START, TODAY, 2400)
    # 0 at the start, the total the day before tracking, then each logged day added to it.
    assert series[:3] == [
        (START, 0.0),
        (FIRST_LOGGED - timedelta(days=1), 30.0),
        (FIRST_LOGGED, 30.5),
    ]
    assert series[-1] == (TODAY, pytest.approx(2800 / KG))
    assert series[-1][1] == pytest.approx(progress(mg_before_tracking=2400).cumulative_mg / KG)
    # Without it, every day from the start, as before.
    plain = series_of(HISTORY, START, TODAY)
    assert plain[0] == (START, 0.0) and len(plain) == (TODAY - START).days + 1


def test_tracked_from_the_start_the_series_starts_at_the_total() -> None:
    history = CourseHistory(DOSES, WEIGHTS, [DoseDay(START, 1, 1)])
    assert series_of(history, START, START + timedelta(days=1), 800) == [
        (START, 10.5),
        (START + timedelta(days=1), 10.5),
    ]


def test_with_no_dose_logged_yet_the_total_is_today_s_point() -> None:
    history = CourseHistory(DOSES, WEIGHTS, [])
    series = series_of(history, START, TODAY, 2400)
    assert series == [(START, 0.0), (TODAY - timedelta(days=1), 30.0), (TODAY, 30.0)]


def test_the_estimate_is_the_prescription_up_to_the_first_tracked_day() -> None:
    # 1 January to 1 March: 60 days at 40 mg.
    assert estimated_before(HISTORY, START, TODAY) == (date(2026, 3, 1), 2400)
    changed = [DoseChange(START, 20), DoseChange(date(2026, 2, 1), 40)]
    assert mg_if_every_dose_taken(changed, START, date(2026, 2, 2)) == 31 * 20 + 2 * 40
    assert estimated_before(CourseHistory([], WEIGHTS, DAYS), START, TODAY) is None
    logged_from_start = CourseHistory(DOSES, WEIGHTS, [DoseDay(START, 1, 1)])
    assert estimated_before(logged_from_start, START, TODAY) is None


def test_the_chart_draws_the_days_before_tracking_apart() -> None:
    result = progress(mg_before_tracking=2400)
    data = chart_data(result, series_of(HISTORY, START, TODAY, 2400), FIRST_LOGGED)
    assert data is not None
    assert data.untracked == 2 and data.tracked_from == FIRST_LOGGED
    assert "including 2,400 mg taken before tracking" in chart_summary(data)
    plain = chart_data(progress(), series_of(HISTORY, START, TODAY), FIRST_LOGGED)
    assert plain is not None and plain.untracked == 0 and plain.tracked_from is None
    assert "before tracking" not in chart_summary(plain)


def test_the_chart_with_a_total_from_before_is_a_png() -> None:
    from bot.pictures.course_chart import draw_course_chart

    data = chart_data(
        progress(mg_before_tracking=2400), series_of(HISTORY, START, TODAY, 2400), FIRST_LOGGED
    )
    assert data is not None
    assert draw_course_chart(data).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_report_says_which_part_came_before_tracking() -> None:
    figures = CourseFigures(START, None, tuple(DOSES), progress(mg_before_tracking=2400))
    rows = dict(course_lines(figures))
    assert rows["Cumulative dose"] == "2,800 mg in all, 400 mg of it from 10 doses logged as taken"
    assert rows["Before tracking"] == (
        "2,400 mg, as entered by the patient (not logged dose by dose)"
    )
    assert rows["Cumulative per kg"] == "35.0 mg/kg (29% of target)"
    plain = dict(course_lines(CourseFigures(START, None, tuple(DOSES), progress())))
    assert plain["Cumulative dose"] == "400 mg from 10 doses logged as taken"
    assert "Before tracking" not in plain
