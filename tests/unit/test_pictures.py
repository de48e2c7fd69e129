"""The pure parts of the pictures and the report: layout, captions, views, report lines; and the
drawing functions, called directly, make pictures Telegram accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from bot.history_view import (
    LONGEST_DAYS,
    has_whole_course,
    history_keyboard,
    parse_history_data,
    view_for,
)
from bot.pictures.calendar_layout import calendar_data, grid
from bot.pictures.caption import MAX_CAPTION, fit_caption, visible_length
from bot.pictures.chart_data import ChartData, chart_summary
from bot.pictures.palette import LOOKS, DayState
from bot.pictures.report_model import (
    MAX_MISSED_ENTRIES,
    CheckLine,
    ReportData,
    check_entries,
    file_name,
    missed_days,
    missed_entries,
    plain_text,
)
from sandbox.media import check_photo
from scheduler.adherence import DoseRecord, DoseState, still_due_today
from scheduler.course_series import cumulative_series
from scheduler.cumulative import DoseChange, DoseDay

if TYPE_CHECKING:
    from fpdf import FPDF

TODAY = date(2026, 3, 4)  # a Wednesday


def records(*pairs: tuple[int, DoseState]) -> list[DoseRecord]:
    """(days before TODAY, state)."""
    return [DoseRecord(TODAY - timedelta(days=ago), state) for ago, state in pairs]


def test_every_state_differs_by_more_than_colour() -> None:
    marks = [(look.hatch, look.symbol) for look in LOOKS.values()]
    assert len(set(marks)) == len(marks)


def test_calendar_days_have_one_state_per_dose_and_fill_the_gaps() -> None:
    data = calendar_data(
        "t",
        records((0, DoseState.OPEN), (1, DoseState.SKIPPED), (1, DoseState.TAKEN)),
        TODAY - timedelta(days=3),
        TODAY,
    )
    assert [states for _, states in data.days] == [
        (DayState.NO_REMINDER,),
        (DayState.NO_REMINDER,),
        (DayState.TAKEN, DayState.SKIPPED),  # taken first, whatever order they came in
        (DayState.WAITING,),
    ]
    assert data.counts()[DayState.NO_REMINDER] == 2


def test_today_without_reminders_has_none() -> None:
    data = calendar_data("t", [], TODAY, TODAY)
    assert data.days == ((TODAY, (DayState.NO_REMINDER,)),)


def test_thirty_days_are_a_calendar_with_weeks_as_rows() -> None:
    first = TODAY - timedelta(days=29)
    layout = grid(calendar_data("t", [], first, TODAY))
    assert not layout.weeks_across and layout.columns == 7 and layout.rows == 5
    today = next(c for c in layout.cells if c.day == TODAY)
    assert (today.column, today.row) == (2, 4)  # Wednesday of the fifth week
    assert layout.months == ((0, "Feb 2026"), (3, "Mar"))


def test_a_long_course_turns_the_grid_weeks_across() -> None:
    first = TODAY - timedelta(days=120)
    layout = grid(calendar_data("t", [], first, TODAY))
    assert layout.weeks_across and layout.rows == 7 and layout.columns == 18
    assert layout.months[0] == (0, "Nov 2025")
    assert (0, "Jan 2026") not in layout.months and any(m[1] == "Jan 2026" for m in layout.months)


def test_history_view_offers_the_whole_course_only_when_it_is_longer() -> None:
    assert not has_whole_course(TODAY, TODAY - timedelta(days=29))
    assert has_whole_course(TODAY, TODAY - timedelta(days=30))
    assert not view_for(True, TODAY, None).whole
    long_ago = view_for(True, TODAY, TODAY - timedelta(days=5000))
    assert long_ago.whole and long_ago.days == LONGEST_DAYS


def test_history_buttons_name_their_owner_and_forged_data_is_refused() -> None:
    view = view_for(False, TODAY, TODAY - timedelta(days=60))
    markup = history_keyboard(view, 1001, offer=True)
    assert markup is not None
    data = markup.inline_keyboard[0][0].callback_data
    assert data == "hist:all:1001" and parse_history_data(str(data)) == (True, 1001)
    assert parse_history_data("hist:30:1001") == (False, 1001)
    for forged in ("hist:all", "hist:7:1", "hist:all:1x", "hist:all:١٢", "x:all:1"):
        assert parse_history_data(forged) is None
    assert history_keyboard(view, 1001, offer=False) is None


def test_caption_length_is_counted_after_parsing() -> None:
    assert visible_length("<b>a&amp;b</b> 😀") == 6  # the emoji is two UTF-16 units
    fits = "<b>x</b>" * MAX_CAPTION
    assert fit_caption(fits, "short") == (fits, None)
    assert fit_caption(fits + "y", "short") == ("short", fits + "y")


def test_cumulative_series_counts_only_taken_doses_day_by_day() -> None:
    start = date(2026, 3, 1)
    days = [DoseDay(start, 2, 1), DoseDay(date(2026, 3, 3), 1, 1)]
    series = cumulative_series(days, [DoseChange(start, 40)], start, date(2026, 3, 3), 80)
    assert series == [(start, 0.25), (date(2026, 3, 2), 0.25), (date(2026, 3, 3), 0.75)]


def test_chart_summary_carries_the_numbers() -> None:
    data = ChartData("t", ((TODAY, 31.84),), 120, (120, 150), date(2026, 9, 20))
    assert chart_summary(data) == (
        "31.8 mg/kg by 04 Mar 2026, target 120 mg/kg, projected to reach it on 20 Sep 2026"
    )


def test_missed_days_run_together() -> None:
    found = missed_days(
        records(
            (5, DoseState.NO_ANSWER),
            (4, DoseState.NO_ANSWER),
            (3, DoseState.NO_ANSWER),
            (1, DoseState.SKIPPED),
            (1, DoseState.SKIPPED),
            (0, DoseState.TAKEN),
        ),
        TODAY - timedelta(days=30),
        TODAY,
    )
    assert missed_entries(found) == ["27 Feb – 1 Mar 2026: no answer", "3 Mar 2026: skipped"]


def test_a_long_missed_list_is_cut_saying_how_many_are_left_out() -> None:
    found = [(TODAY - timedelta(days=2 * i), "skipped") for i in range(40)]
    entries = missed_entries(found)
    assert len(entries) == MAX_MISSED_ENTRIES
    assert entries[-1] == "... and 17 more (see /export)"


def test_report_lines_and_file_name() -> None:
    data = ReportData(
        made_on=TODAY,
        timezone="UTC",
        course=None,
        adherence=(),
        missed=(),
        checks=(CheckLine("Blood test", date(2026, 2, 15), True),),
        next_checks=(("Blood test", date(2026, 3, 15)),),
        disclaimer="d",
    )
    assert check_entries(data) == [
        "Blood test: reminded 15 Feb 2026, marked done",
        "Blood test: next reminder 15 Mar 2026",
    ]
    assert file_name(TODAY) == "isobot-report-2026-03-04.pdf"
    assert plain_text("ℹ️ <i>General information &amp; no advice.</i>") == (
        "General information & no advice."
    )


@pytest.mark.parametrize("days", [30, 400])
def test_calendar_picture_is_a_photo_telegram_accepts(days: int) -> None:
    from bot.pictures.calendar import draw_calendar

    first = TODAY - timedelta(days=days - 1)
    png = draw_calendar(calendar_data("t", [], first, TODAY))
    width, height, mime = check_photo(png)
    assert mime == "image/png" and width > 300 and height > 300


def test_report_pdf_has_one_page() -> None:
    from bot.pictures.report_pdf import build_report_pdf

    long_list = tuple((TODAY - timedelta(days=2 * i), "skipped") for i in range(60))
    data = ReportData(TODAY, "UTC", None, (), long_list, (), (), "disclaimer")
    pdf = build_report_pdf(data)
    assert pdf.startswith(b"%PDF-") and b"/Count 1" in pdf


def test_today_with_a_dose_taken_and_one_still_due_is_not_shown_complete() -> None:
    taken = records((0, DoseState.TAKEN))
    data = calendar_data("t", [*taken, *still_due_today([TODAY], TODAY)], TODAY, TODAY)
    assert data.days == ((TODAY, (DayState.TAKEN, DayState.WAITING)),)


def test_a_long_courses_report_keeps_above_its_disclaimer() -> None:
    """Six months with many missed days, both monthly checks and the check-ins: the lists go into
    more columns, or are summed up, rather than run over the disclaimer."""
    from bench.pictures import sample_records, sample_report
    from bot.pictures.report_model import CheckLine
    from bot.pictures.report_pdf import DISCLAIMER_TOP, build_report_pdf, report_page

    heavy = sample_report(sample_records())
    checks = tuple(
        CheckLine(what, TODAY - timedelta(days=30 * month), month % 2 == 0)
        for month in range(6)
        for what in ("Blood test", "Pregnancy test")
    )
    lines = tuple(f"Week {week}: mood 2 of 6, dry lips mild" for week in range(1, 5))
    data = replace(heavy, checks=checks, checkin_lines=lines)
    assert report_page(data).get_y() <= DISCLAIMER_TOP
    assert b"/Count 1" in build_report_pdf(data)


def _fonted_page() -> FPDF:
    from bot.pictures.report_pdf import report_page

    pdf = report_page(ReportData(TODAY, "UTC", None, (), (), (), (), "disclaimer"))
    pdf.set_font("DejaVu", "", 9)
    return pdf


# A check-in answered to the end: about 150 characters, its severe headache last.
CHECKIN = (
    "Sun 22 Mar 2026: mood screen 2 of 6; dry lips and skin mild, dry eyes moderate, joint or "
    "muscle pain none, nosebleeds mild, headache severe, sexual side effects none"
)
CHECK = "Pregnancy test: reminded 28 Sep 2026, not marked done"


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_a_long_entry_wraps_inside_its_column(columns: int) -> None:
    """A check-in line ran 85 mm past the page's edge, the severe headache at its end unseen;
    a check reminder ran into the next column."""
    from bot.pictures.report_columns import column_lines

    pdf = _fonted_page()
    entries = [CHECKIN, CHECK, "Sat 21 Mar 2026: no answers", CHECK]
    placed = column_lines(pdf, entries, columns, left=15, width=180, rows=40, least=columns)
    column = 180 / columns
    for line in placed:
        index = int((line.x - 15) // column)
        assert line.x + pdf.get_string_width(line.text) <= 15 + (index + 1) * column
    drawn = " ".join(line.text for line in placed).replace("• ", "")
    assert drawn.split() == " ".join(entries).split()
    assert len(placed) > len(entries)  # the long ones took more than one line each


def test_entries_that_cannot_all_fit_are_summed_up_after_whole_ones() -> None:
    from bot.pictures.report_columns import column_lines

    pdf = _fonted_page()
    placed = column_lines(pdf, [CHECKIN] * 6, 1, left=15, width=180, rows=7)
    assert len(placed) <= 7
    assert placed[-1].text.endswith("more") and placed[-1].row == len(placed) - 1
    kept = sum(line.text.startswith("• Sun") for line in placed)
    assert placed[-1].text == f"• … and {6 - kept} more" and kept >= 2
