"""The /course chart as data: the cumulative mg/kg series, the target band and the projection.
Pure; the worker process draws it (course_chart.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.formatting import grouped_number
from scheduler.cumulative import TARGET_RANGE, CourseProgress, tenth_down


@dataclass(frozen=True)
class ChartData:
    title: str
    points: tuple[tuple[date, float], ...]  # cumulative mg/kg at the end of each day
    target: int
    band: tuple[int, int]
    projected_end: date | None
    # The mg the user took before tracking began, and the first day tracked: the points before
    # that day are the straight line to that total, an estimate drawn apart from the logged days.
    mg_before_tracking: float = 0.0
    tracked_from: date | None = None

    @property
    def today(self) -> tuple[date, float]:
        return self.points[-1]

    @property
    def untracked(self) -> int:
        """How many points, from the first, come before the first tracked day."""
        if self.tracked_from is None:
            return 0
        return sum(1 for day, _ in self.points if day < self.tracked_from)


def chart_data(
    progress: CourseProgress, points: list[tuple[date, float]], tracked_from: date | None = None
) -> ChartData | None:
    """The chart, or None when there is nothing to draw: no weight, or no day of it yet."""
    if not points or progress.mg_per_kg is None:
        return None
    title = "Your cumulative dose" if not progress.ended else "Your course, as it ended"
    before = progress.mg_before_tracking
    return ChartData(
        title=title,
        points=tuple(points),
        target=progress.target_mg_per_kg,
        band=TARGET_RANGE,
        projected_end=progress.projected_end,
        mg_before_tracking=before,
        tracked_from=tracked_from if before > 0 else None,
    )


def chart_summary(data: ChartData) -> str:
    """The chart's numbers in words, for its caption and for a screen reader."""
    day, per_kg = data.today
    line = f"{tenth_down(per_kg):.1f} mg/kg by {day:%d %b %Y}, target {data.target} mg/kg"
    if data.mg_before_tracking > 0:
        line += f", including {grouped_number(data.mg_before_tracking)} mg taken before tracking"
    if data.projected_end is not None:
        line += f", projected to reach it on {data.projected_end:%d %b %Y}"
    return line
