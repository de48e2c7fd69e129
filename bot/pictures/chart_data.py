"""The /course chart as data: the cumulative mg/kg series, the target band and the projection.
Pure; the worker process draws it (course_chart.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.cumulative import TARGET_RANGE, CourseProgress, tenth_down


@dataclass(frozen=True)
class ChartData:
    title: str
    points: tuple[tuple[date, float], ...]  # cumulative mg/kg at the end of each day
    target: int
    band: tuple[int, int]
    projected_end: date | None

    @property
    def today(self) -> tuple[date, float]:
        return self.points[-1]


def chart_data(progress: CourseProgress, points: list[tuple[date, float]]) -> ChartData | None:
    """The chart, or None when there is nothing to draw: no weight, or no day of it yet."""
    if not points or progress.mg_per_kg is None:
        return None
    title = "Your cumulative dose" if not progress.ended else "Your course, as it ended"
    return ChartData(
        title=title,
        points=tuple(points),
        target=progress.target_mg_per_kg,
        band=TARGET_RANGE,
        projected_end=progress.projected_end,
    )


def chart_summary(data: ChartData) -> str:
    """The chart's numbers in words, for its caption and for a screen reader."""
    day, per_kg = data.today
    line = f"{tenth_down(per_kg):.1f} mg/kg by {day:%d %b %Y}, target {data.target} mg/kg"
    if data.projected_end is not None:
        line += f", projected to reach it on {data.projected_end:%d %b %Y}"
    return line
