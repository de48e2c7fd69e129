"""The /history summary in words: the streak waits for today's doses still to come."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from bot.history_view import history_text, view_for
from bot.pictures.calendar_layout import calendar_data
from scheduler.adherence import DoseRecord, DoseState

TODAY = date(2026, 3, 4)
TOMORROW = TODAY + timedelta(days=1)
# Twice a day: Monday and Tuesday complete, Wednesday's morning dose taken.
TAKEN_SO_FAR = [
    DoseRecord(TODAY - timedelta(days=days), DoseState.TAKEN) for days in (2, 2, 1, 1, 0)
]


def streak_line(records: list[DoseRecord], next_dose_days: Sequence[date]) -> str:
    view = view_for(False, TODAY, None)
    calendar = calendar_data("title", records, view.first, TODAY)
    text = history_text(records, view, calendar, next_dose_days=next_dose_days)
    [line] = [line for line in text.splitlines() if "Current streak" in line]
    return line


def test_today_is_left_out_of_the_streak_while_its_evening_dose_is_still_due() -> None:
    assert "Current streak: 2 days" in streak_line(TAKEN_SO_FAR, [TODAY, TOMORROW])


@pytest.mark.parametrize(
    "next_dose_days",
    [[TOMORROW, TOMORROW], []],
    ids=["both-reminders-fire-next-tomorrow", "reminders-off-or-paused"],
)
def test_today_joins_the_streak_once_no_dose_is_still_due(next_dose_days: list[date]) -> None:
    assert "Current streak: 3 days" in streak_line(TAKEN_SO_FAR, next_dose_days)


def test_a_dose_still_due_changes_no_percentage() -> None:
    view = view_for(False, TODAY, None)
    calendar = calendar_data("title", TAKEN_SO_FAR, view.first, TODAY)
    with_due = history_text(TAKEN_SO_FAR, view, calendar, next_dose_days=[TODAY])
    without = history_text(TAKEN_SO_FAR, view, calendar, next_dose_days=[TOMORROW])
    assert with_due.replace("streak: 2 days", "streak: 3 days") == without
