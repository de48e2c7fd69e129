"""The adherence calendar as data: each day's dose states, and where each day sits. Pure.

Thirty days read best as a calendar: a row a week, Monday first. A longer course would make
that a tall strip, so past CALENDAR_WEEKS weeks the grid turns: a column a week, a row a
weekday, as contribution charts do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.pictures.palette import ORDER, DayState
from scheduler.adherence import DoseRecord, DoseState

CALENDAR_WEEKS = 6
# Weeks across, a month's label needs this many columns to stay clear of the next one.
_LABEL_WEEKS = 4
WEEKDAY_LETTERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FROM_DOSE = {
    DoseState.TAKEN: DayState.TAKEN,
    DoseState.SKIPPED: DayState.SKIPPED,
    DoseState.NO_ANSWER: DayState.NO_ANSWER,
    DoseState.NOT_SENT: DayState.NOT_SENT,
    DoseState.OPEN: DayState.WAITING,
}


@dataclass(frozen=True)
class CalendarData:
    """Everything the calendar picture shows; plain data, so it can go to the worker process."""

    title: str
    first: date
    today: date
    # Every day from `first` to `today`, oldest first, with one state per dose occurrence.
    days: tuple[tuple[date, tuple[DayState, ...]], ...]

    def counts(self) -> dict[DayState, int]:
        """Dose occurrences by state; days without a reminder count as days."""
        found = dict.fromkeys(ORDER, 0)
        for _, states in self.days:
            for state in states:
                found[state] += 1
        return found


@dataclass(frozen=True)
class Cell:
    day: date
    column: int
    row: int
    states: tuple[DayState, ...]


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int
    cells: tuple[Cell, ...]
    weeks_across: bool
    # (row or column, "Mar 2026"): where each month starts, on the side the weeks run along.
    months: tuple[tuple[int, str], ...]


def calendar_data(
    title: str,
    records: Iterable[DoseRecord],
    first: date,
    today: date,
) -> CalendarData:
    """The days `first`..`today` with their states: a day with no dose occurrence had no
    reminder. Today's doses still to come belong in `records` as open ones."""
    by_day: dict[date, list[DayState]] = {}
    for record in records:
        if first <= record.local_date <= today:
            by_day.setdefault(record.local_date, []).append(_FROM_DOSE[record.state])
    days = []
    day = first
    while day <= today:
        states = sorted(by_day.get(day, []), key=ORDER.index)
        if not states:
            states = [DayState.NO_REMINDER]
        days.append((day, tuple(states)))
        day += timedelta(days=1)
    return CalendarData(title, first, today, tuple(days))


def grid(data: CalendarData) -> Grid:
    monday = data.first - timedelta(days=data.first.weekday())
    weeks = (data.today - monday).days // 7 + 1
    across = weeks > CALENDAR_WEEKS
    cells = []
    months: list[tuple[int, str]] = []
    for day, states in data.days:
        week, weekday = (day - monday).days // 7, day.weekday()
        column, row = (week, weekday) if across else (weekday, week)
        cells.append(Cell(day, column, row, states))
        if day == data.first or day.day == 1:
            if months and week - months[-1][0] < (_LABEL_WEEKS if across else 1):
                # Too close to the label before (a month began days after the window did):
                # the later month names the spot.
                months.pop()
            year = not months or day.month == 1
            months.append((week, f"{day:%b %Y}" if year else f"{day:%b}"))
    columns, rows = (weeks, 7) if across else (7, weeks)
    return Grid(columns, rows, tuple(cells), across, tuple(months))
