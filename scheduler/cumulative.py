"""The cumulative dose of a course in mg and mg/kg, its progress and a projected end. Pure.

The rules, chosen so that the figures never run ahead of what the user actually logged:

* **Only logged doses count**, and the total the user says they took before they began
  logging here (/course before 2400). A dose occurrence counts when the user pressed Taken on its
  reminder; the prescription alone counts for nothing, and a skipped or unanswered dose adds 0.
  The total from before is the user's own figure, added as it is: without it, someone who starts
  two months into a course would see a fraction of their cumulative dose and a projected end
  months too late.
* **A day's dose is shared evenly by that day's dose times.** Each Taken occurrence is worth the
  mg/day in effect on its local date divided by the number of dose occurrences that day (the
  reminders that fired or were answered, plus today's still to come). Two reminders and 40 mg a
  day make 20 mg per Taken; one reminder makes 40 mg. A prescriber's uneven split (30 + 10) still
  sums to the right daily total whenever both are taken.
* **The mg/day in effect** on a date is the latest change made on or before it; a date before the
  first recorded change uses the first one, the dose the course started on.
* **mg/kg uses the latest weight.** Targets are set per kg of the body being treated now, so when
  the weight changes, the whole course is measured against the new one.
* **Never shown ahead.** The percent is rounded down, and so is mg/kg (to 0.1), so that the two
  agree: 119.95 of a 120 mg/kg target reads 119.9 mg/kg at 99%, never 120.0 before 100%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# A commonly used clinical target range for the cumulative dose, in mg per kg of body weight.
TARGET_RANGE = (120, 150)
DEFAULT_TARGET = 120
BAR_WIDTH = 10


@dataclass(frozen=True)
class DoseChange:
    """The prescribed mg per day from `effective_from` on."""

    effective_from: date
    mg_per_day: float


@dataclass(frozen=True)
class WeightEntry:
    measured_on: date
    kg: float


@dataclass(frozen=True)
class DoseDay:
    """One local day's dose occurrences: how many there were, and how many were logged Taken."""

    local_date: date
    occurrences: int
    taken: int
    # The part of the day's mg the Taken doses were, as their answers recorded it; None: each is
    # the day's mg shared by its occurrences.
    taken_share: float | None = None


@dataclass(frozen=True)
class CourseProgress:
    day: int  # 1 on the start date; on an ended course, the last day it ran
    cumulative_mg: float  # in all: the logged doses and mg_before_tracking
    taken_doses: int
    target_mg_per_kg: int
    mg_per_day: float | None  # in effect on the last counted day
    weight: WeightEntry | None
    mg_per_kg: float | None  # rounded down to 0.1, as shown (see tenth_down); None without weight
    percent: int | None
    projected_end: date | None  # None without a dose or weight, once reached, or when ended
    ended: bool
    # The mg the user took before they began logging here; part of cumulative_mg.
    mg_before_tracking: float = 0.0

    @property
    def reached(self) -> bool:
        return self.percent is not None and self.percent >= 100

    @property
    def logged_mg(self) -> float:
        """The part of cumulative_mg from the doses logged Taken here; rounded to drop the float
        noise of the subtraction, which would show 1,719.9999 as 1,720.0."""
        return round(self.cumulative_mg - self.mg_before_tracking, 6)


def dose_in_effect(day: date, doses: Sequence[DoseChange]) -> DoseChange | None:
    """The change in effect on `day`: the latest on or before it, else the first one."""
    if not doses:
        return None
    ordered = sorted(doses, key=lambda d: d.effective_from)
    in_effect = ordered[0]
    for change in ordered:
        if change.effective_from <= day:
            in_effect = change
    return in_effect


def doses_from(start: date, doses: Sequence[DoseChange]) -> list[DoseChange]:
    """A course's own doses: the one in effect on its first day and the changes after it, not
    the doses of a course that ended before it began."""
    first = dose_in_effect(start, doses)
    ordered = sorted(doses, key=lambda d: d.effective_from)
    return [d for d in ordered if first is not None and d.effective_from >= first.effective_from]


def next_change(day: date, doses: Sequence[DoseChange]) -> DoseChange | None:
    """The first change entered for a day after `day`, if any."""
    return min(
        (d for d in doses if d.effective_from > day), key=lambda d: d.effective_from, default=None
    )


def mg_per_day_on(day: date, doses: Sequence[DoseChange]) -> float | None:
    change = dose_in_effect(day, doses)
    return change.mg_per_day if change is not None else None


def mg_on_day(dose_day: DoseDay, doses: Sequence[DoseChange]) -> float:
    """What that day's Taken doses add: the day's mg times their share of it (by default, each
    is the day's mg shared by its dose occurrences)."""
    if dose_day.taken <= 0:
        return 0.0
    daily = mg_per_day_on(dose_day.local_date, doses)
    if daily is None:
        return 0.0
    if dose_day.taken_share is not None:
        return daily * dose_day.taken_share
    # More Taken than known occurrences cannot happen with our data; never count over the day.
    shares = max(dose_day.occurrences, dose_day.taken)
    return daily * dose_day.taken / shares


def cumulative_mg(
    days: Iterable[DoseDay], doses: Sequence[DoseChange], first: date, last: date
) -> float:
    """Total mg from logged Taken doses on local dates `first`..`last`, both included."""
    return sum(mg_on_day(d, doses) for d in days if first <= d.local_date <= last)


def mg_if_every_dose_taken(doses: Sequence[DoseChange], first: date, last: date) -> float:
    """The prescribed mg of local dates `first`..`last`, both included: what they would add if
    no dose was missed. Only an estimate to offer, never counted."""
    total, day = 0.0, first
    while day <= last:
        total += mg_per_day_on(day, doses) or 0.0
        day += timedelta(days=1)
    return total


def latest_weight(weights: Iterable[WeightEntry]) -> WeightEntry | None:
    return max(weights, key=lambda w: w.measured_on, default=None)


def mg_per_kg(total_mg: float, kg: float) -> float:
    return total_mg / kg


def tenth_down(value: float) -> float:
    """Rounded down to one decimal, as mg/kg is shown: like the percent, never ahead."""
    return math.floor(value * 10 + 1e-9) / 10


def percent_of_target(per_kg: float, target_mg_per_kg: int) -> int:
    """Whole percent, rounded down: progress is never shown ahead of what was taken."""
    return math.floor(100 * per_kg / target_mg_per_kg + 1e-9)


def progress_bar(percent: int, width: int = BAR_WIDTH) -> str:
    """A text bar such as ▓▓▓░░░░░░░, full at 100% and beyond."""
    filled = max(0, min(width, percent * width // 100))
    return "▓" * filled + "░" * (width - filled)


def course_day(start: date, today: date) -> int:
    """1 on the start date, 2 the day after."""
    return (today - start).days + 1


def projected_end(
    mg_before_today: float,
    target_mg: float,
    daily_mg: float,
    today: date,
    changes: Sequence[DoseChange] = (),
) -> date | None:
    """The day the target is reached if every dose from today on is taken at `daily_mg`, and
    at each dose change of `changes` still to come from its day on.

    Counted from the total before today, so the date stays the same all day as today's doses are
    logged. None when the target is already reached.
    """
    remaining = target_mg - mg_before_today
    if remaining <= 1e-9:
        return None
    day, daily = today, daily_mg
    ahead = sorted((c for c in changes if c.effective_from > today), key=lambda c: c.effective_from)
    for change in ahead:
        until_change = (change.effective_from - day).days * daily
        if until_change >= remaining - 1e-9:
            break
        remaining -= until_change
        day, daily = change.effective_from, change.mg_per_day
    days = math.ceil(remaining / daily - 1e-9)
    return day + timedelta(days=days - 1)


def course_progress(
    *,
    start: date,
    today: date,
    ended_on: date | None,
    target_mg_per_kg: int,
    doses: Sequence[DoseChange],
    weights: Sequence[WeightEntry],
    days: Sequence[DoseDay],
    mg_before_tracking: float = 0.0,
) -> CourseProgress:
    """Everything /course and the weekly summary show, from the stored histories and the mg
    taken before tracking began, which counts toward the total, mg/kg, percent and projection."""
    last = min(today, ended_on) if ended_on is not None else today
    before_tracking = max(mg_before_tracking, 0.0)
    total = before_tracking + cumulative_mg(days, doses, start, last)
    taken = sum(d.taken for d in days if start <= d.local_date <= last)
    daily = mg_per_day_on(last, doses)
    weight = latest_weight(weights)
    per_kg = mg_per_kg(total, weight.kg) if weight is not None else None
    percent = percent_of_target(per_kg, target_mg_per_kg) if per_kg is not None else None
    end = None
    if ended_on is None and weight is not None and daily:
        before = before_tracking + cumulative_mg(days, doses, start, today - timedelta(days=1))
        end = projected_end(before, target_mg_per_kg * weight.kg, daily, today, doses)
    return CourseProgress(
        day=course_day(start, last),
        cumulative_mg=total,
        taken_doses=taken,
        target_mg_per_kg=target_mg_per_kg,
        mg_per_day=daily,
        weight=weight,
        mg_per_kg=tenth_down(per_kg) if per_kg is not None else None,
        percent=percent,
        projected_end=end,
        ended=ended_on is not None,
        mg_before_tracking=before_tracking,
    )
