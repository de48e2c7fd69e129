"""The one-page report as data, and its lines in words. Pure.

Only what the user entered or the bot recorded goes in: the course as set with /course, the
dose log, and the check reminders. Check-in lines (issue 16) come in as plain text lines;
without them the section is left out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.course_args import kg_text
from bot.pictures.chart_data import ChartData
from scheduler.adherence import Adherence, DoseRecord, DoseState
from scheduler.cumulative import CourseProgress, DoseChange, tenth_down

REPORT_TITLE = "isotretinoin course summary"
# Missed days listed one by one up to here; a longer list is cut, saying how many are left out.
MAX_MISSED_ENTRIES = 24


@dataclass(frozen=True)
class CourseFigures:
    """The course as the report shows it: its dates, its dose history and where it stands."""

    start: date
    ended_on: date | None
    doses: tuple[DoseChange, ...]
    progress: CourseProgress


@dataclass(frozen=True)
class CheckLine:
    what: str  # "Blood test" or "Pregnancy test"
    day: date
    done: bool


@dataclass(frozen=True)
class ReportData:
    made_on: date
    timezone: str
    course: CourseFigures | None
    adherence: tuple[tuple[str, Adherence], ...]
    # (day, what became of its dose): skipped, no answer or not sent; oldest first.
    missed: tuple[tuple[date, str], ...]
    checks: tuple[CheckLine, ...]
    next_checks: tuple[tuple[str, date], ...]
    disclaimer: str
    chart: ChartData | None = None
    checkin_lines: tuple[str, ...] = field(default=())


def file_name(made_on: date) -> str:
    return f"isobot-report-{made_on.isoformat()}.pdf"


def long_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def course_lines(course: CourseFigures | None) -> list[tuple[str, str]]:
    """(label, value) rows about the course."""
    if course is None:
        return [("Course", "not set in isobot (/course)")]
    rows = [("Course start", long_day(course.start))]
    if course.ended_on is not None:
        rows.append(("Course ended", long_day(course.ended_on)))
    for change in course.doses:
        label = "Daily dose" if change is course.doses[0] else "Dose change"
        rows.append(
            (label, f"{number(change.mg_per_day)} mg/day from {long_day(change.effective_from)}")
        )
    if not course.doses:
        rows.append(("Daily dose", "not entered"))
    progress = course.progress
    weight = progress.weight
    rows.append(
        (
            "Weight",
            f"{kg_text(weight.kg)} kg on {long_day(weight.measured_on)}"
            if weight
            else "not entered",
        )
    )
    rows.append(("Cumulative target", f"{progress.target_mg_per_kg} mg/kg"))
    doses = f"{progress.taken_doses} dose{'' if progress.taken_doses == 1 else 's'}"
    total, logged = number(progress.cumulative_mg), number(progress.logged_mg)
    if progress.mg_before_tracking > 0:
        # The prescriber should see which part is the patient's own total, not logged doses.
        in_all = f"{total} mg in all, {logged} mg of it from {doses} logged as taken"
        before = f"{number(progress.mg_before_tracking)} mg, as entered by the patient"
        rows.append(("Cumulative dose", in_all))
        rows.append(("Before tracking", f"{before} (not logged dose by dose)"))
    else:
        rows.append(("Cumulative dose", f"{total} mg from {doses} logged as taken"))
    if progress.mg_per_kg is not None and progress.percent is not None:
        per_kg = f"{tenth_down(progress.mg_per_kg):.1f} mg/kg ({progress.percent}% of target)"
        rows.append(("Cumulative per kg", per_kg))
    if progress.projected_end is not None:
        projected = f"{long_day(progress.projected_end)} if every dose is taken"
        rows.append(("Projected target date", projected))
    return rows


def adherence_row(label: str, adherence: Adherence) -> tuple[str, str, str, str, str, str]:
    """label, % taken, taken, skipped, no answer, not sent."""
    percent = "no doses" if adherence.percent is None else f"{adherence.percent}%"
    return (
        label,
        percent,
        f"{adherence.taken} of {adherence.counted}",
        str(adherence.skipped),
        str(adherence.no_answer),
        str(adherence.not_sent),
    )


def missed_entries(missed: Sequence[tuple[date, str]]) -> list[str]:
    """Runs of consecutive days with the same outcome: "3–5 Mar 2026: no answer"."""
    runs: list[tuple[date, date, str]] = []
    for day, what in sorted(missed):
        if runs and runs[-1][2] == what and runs[-1][1] + timedelta(days=1) >= day:
            runs[-1] = (runs[-1][0], day, what)
        else:
            runs.append((day, day, what))
    entries = []
    for first, last, what in runs:
        if first == last:
            span = long_day(first)
        elif (first.year, first.month) == (last.year, last.month):
            span = f"{first.day}–{last.day} {last:%b %Y}"
        else:
            span = f"{first.day} {first:%b} – {long_day(last)}"
        entries.append(f"{span}: {what}")
    if len(entries) > MAX_MISSED_ENTRIES:
        left = len(entries) - MAX_MISSED_ENTRIES + 1
        entries = [*entries[: MAX_MISSED_ENTRIES - 1], f"... and {left} more (see /export)"]
    return entries


def check_entries(data: ReportData) -> list[str]:
    entries = [
        f"{c.what}: reminded {long_day(c.day)}, {'marked done' if c.done else 'not marked done'}"
        for c in data.checks
    ]
    entries += [f"{what}: next reminder {long_day(day)}" for what, day in data.next_checks]
    return entries or ["No blood test or pregnancy test reminders set (/checks)."]


_MISSED_WORDS = {
    DoseState.SKIPPED: "skipped",
    DoseState.NO_ANSWER: "no answer",
    DoseState.NOT_SENT: "not sent",
}


def missed_days(
    records: Iterable[DoseRecord], first: date, today: date
) -> tuple[tuple[date, str], ...]:
    """The days from `first` to `today` with a dose not taken, and what became of it (one entry
    a day and outcome)."""
    found = {
        (r.local_date, _MISSED_WORDS[r.state])
        for r in records
        if r.state in _MISSED_WORDS and first <= r.local_date <= today
    }
    return tuple(sorted(found))


def plain_text(text_html: str) -> str:
    """An HTML line as plain text for the PDF, without emoji a document font lacks."""
    plain = html.unescape(re.sub(r"<[^>]*>", "", text_html))
    # A character shown as emoji (ℹ️: a letter and the emoji selector), and symbols.
    plain = re.sub(".\ufe0f", "", plain)
    kept = "".join(ch for ch in plain if unicodedata.category(ch) != "So")
    return " ".join(kept.split())
