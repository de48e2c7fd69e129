"""Time to draw each picture and the report (issue 15: at most 300 ms each, median).

Drawn in this process first, as the worker does it (after one warm-up: the first call pays the
imports), then through the renderer's worker process: the cold start, the warm round trip, and
how long the event loop went without a turn while the worker drew.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bot.pictures.calendar import draw_calendar
from bot.pictures.calendar_layout import calendar_data
from bot.pictures.chart_data import ChartData
from bot.pictures.course_chart import draw_course_chart
from bot.pictures.renderer import Renderer
from bot.pictures.report_model import CheckLine, CourseFigures, ReportData, missed_days
from bot.pictures.report_pdf import build_report_pdf
from scheduler.adherence import Adherence, DoseRecord, DoseState, summarize
from scheduler.cumulative import DoseChange, DoseDay, WeightEntry, course_progress

TODAY = date(2026, 6, 30)
COURSE_DAYS = 180


def sample_records() -> list[DoseRecord]:
    """Half a year of two doses a day, mostly taken, the rest spread over the other states."""
    rng = random.Random(15)
    states = [DoseState.TAKEN] * 17 + [DoseState.SKIPPED, DoseState.NO_ANSWER, DoseState.NOT_SENT]
    found = []
    for ago in range(1, COURSE_DAYS):
        for _ in range(2):
            found.append(DoseRecord(TODAY - timedelta(days=ago), rng.choice(states)))
    found.append(DoseRecord(TODAY, DoseState.OPEN))
    return found


def dose_days(records: list[DoseRecord]) -> list[DoseDay]:
    """The records as the cumulative dose counts them: occurrences and those taken, a day."""
    days: dict[date, list[DoseRecord]] = {}
    for record in records:
        days.setdefault(record.local_date, []).append(record)
    return [
        DoseDay(day, len(found), sum(r.state == DoseState.TAKEN for r in found))
        for day, found in sorted(days.items())
    ]


def sample_chart() -> ChartData:
    start = TODAY - timedelta(days=COURSE_DAYS - 1)
    points = tuple((start + timedelta(days=i), (i + 1) * 40 * 0.9 / 68) for i in range(COURSE_DAYS))
    return ChartData("Your cumulative dose", points, 120, (120, 150), TODAY + timedelta(days=55))


def sample_report(records: list[DoseRecord]) -> ReportData:
    start = TODAY - timedelta(days=COURSE_DAYS - 1)
    adherence: list[tuple[str, Adherence]] = [
        ("Last 7 days", summarize(records, TODAY, 7)),
        ("Last 30 days", summarize(records, TODAY, 30)),
        ("Since start", summarize(records, TODAY, COURSE_DAYS)),
    ]
    doses = (DoseChange(start, 40), DoseChange(start + timedelta(days=60), 60))
    return ReportData(
        made_on=TODAY,
        timezone="Europe/Berlin",
        course=CourseFigures(
            start=start,
            ended_on=None,
            doses=doses,
            progress=course_progress(
                start=start,
                today=TODAY,
                ended_on=None,
                target_mg_per_kg=120,
                doses=doses,
                weights=(WeightEntry(start, 68),),
                days=dose_days(records),
            ),
        ),
        adherence=tuple(adherence),
        missed=missed_days(records, start, TODAY),
        checks=tuple(
            CheckLine("Blood test", start + timedelta(days=30 * m), m % 2 == 0) for m in range(6)
        ),
        next_checks=(("Blood test", TODAY + timedelta(days=5)),),
        disclaimer="isobot shares general information only. Your prescriber's instructions "
        "come first.",
        chart=sample_chart(),
    )


def median_ms(draw: Callable[[Any], bytes], data: Any, runs: int) -> tuple[float, int]:
    size = len(draw(data))  # warm-up: imports, font cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        draw(data)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


async def _loop_lag(stop: asyncio.Event) -> float:
    """The longest the event loop went without a turn, in ms, until `stop`."""
    loop = asyncio.get_running_loop()
    worst, last = 0.0, loop.time()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = loop.time()
        worst, last = max(worst, now - last), now
    return worst * 1000


async def run(runs: int) -> None:
    records = sample_records()
    recent = calendar_data("last 30 days", records, TODAY - timedelta(days=29), TODAY)
    whole = calendar_data("whole course", records, TODAY - timedelta(days=COURSE_DAYS - 1), TODAY)
    jobs: list[tuple[str, Callable[[Any], bytes], Any]] = [
        ("/history calendar, 30 days", draw_calendar, recent),
        (f"/history calendar, {COURSE_DAYS}-day course", draw_calendar, whole),
        (f"/course chart, {COURSE_DAYS} days", draw_course_chart, sample_chart()),
        ("/report PDF (with the chart)", build_report_pdf, sample_report(records)),
    ]
    print(f"drawing in process, median of {runs} after one warm-up (target <= 300 ms)")
    for label, draw, data in jobs:
        ms, size = median_ms(draw, data, runs)
        print(f"  {label:<34} {ms:7.1f} ms  {size / 1024:6.1f} KB")

    renderer = Renderer()
    start = time.perf_counter()
    await renderer.render(draw_calendar, recent)
    cold = (time.perf_counter() - start) * 1000
    stop = asyncio.Event()
    lag = asyncio.create_task(_loop_lag(stop))
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        await renderer.render(draw_calendar, recent)
        warm.append((time.perf_counter() - start) * 1000)
    stop.set()
    worst_lag = await lag
    renderer.stop()
    print("through the worker process (the 30-day calendar)")
    print(f"  first picture, worker started      {cold:7.1f} ms")
    print(f"  later pictures, median             {statistics.median(warm):7.1f} ms")
    print(f"  longest event-loop stall, later    {worst_lag:7.1f} ms")
