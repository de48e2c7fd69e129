"""One start-up in a fresh process, measured from the inside; bench/startup.py runs it.

    python -m bench.startup_child isobot DATABASE_URL BOT_API_BASE_URL
    python -m bench.startup_child cron DATABASE_URL REMINDERS

Prints one JSON line: seconds to import, seconds from the end of the imports to ready, and the
resident memory (now and at its peak, from /proc/self/status) in MB. Both designs import the
same bot, so the memory they differ by is the design's own. Heavy imports happen inside the
functions, so that their time is measured apart.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TOKEN = "123456:BENCH-startup-token"


def memory_mb() -> dict[str, float]:
    """VmRSS and VmHWM (the peak) of this process, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in {"VmRSS", "VmHWM"}:
                found[name] = int(value.split()[0]) / 1024
    return {"rss_mb": found["VmRSS"], "peak_mb": found["VmHWM"]}


async def isobot(url: str, base_url: str) -> dict[str, Any]:
    """Our design: build the Application, initialize it, start it, run the first tick."""
    started = time.perf_counter()
    from bench.settings import bot_settings
    from bot.app import build_application
    from scheduler.clock import ManualClock
    from scheduler.dispatcher import dispatch_due

    imported = time.perf_counter()
    before = memory_mb()["rss_mb"]
    settings = bot_settings(TOKEN, url, base_url)
    app = build_application(settings, clock=ManualClock(NOW))
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)  # set_my_commands, and the sender starts
    await app.start()  # the JobQueue with the one repeating tick
    svc = app.bot_data.services
    result = await dispatch_due(svc.db, svc.clock.now(), svc.policy)
    ready = time.perf_counter()
    figures = {
        "import_s": imported - started,
        "start_s": ready - imported,
        "rss_before_mb": before,
        "claimed": result.claimed,
        **memory_mb(),
    }
    await app.stop()
    assert app.post_stop is not None and app.post_shutdown is not None
    await app.post_stop(app)
    await app.shutdown()
    await app.post_shutdown(app)
    return figures


async def _remind(reminder_id: int) -> None:
    """What each job would do; never runs here."""


async def cron(url: str, reminders: int) -> dict[str, Any]:
    """The common design: one APScheduler CronTrigger job per reminder, rebuilt at start-up."""
    started = time.perf_counter()
    from zoneinfo import ZoneInfo

    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger
    from sqlalchemy import select

    import bot.app  # noqa: F401 - the same bot around it, so memory compares like with like
    from storage import Database
    from storage.models import Reminder

    imported = time.perf_counter()
    before = memory_mb()["rss_mb"]
    db = Database(url)
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Reminder.id, Reminder.local_time, Reminder.timezone)
                .order_by(Reminder.id)
                .limit(reminders)
            )
        ).all()
    scheduler = AsyncIOScheduler(timezone=UTC)
    zones: dict[str, ZoneInfo] = {}
    for reminder_id, local_time, zone in rows:
        hour, minute = local_time.split(":")
        trigger = CronTrigger(
            hour=int(hour), minute=int(minute), timezone=zones.setdefault(zone, ZoneInfo(zone))
        )
        scheduler.add_job(_remind, trigger, args=(reminder_id,), id=str(reminder_id))
    scheduler.start()
    ready = time.perf_counter()
    figures = {
        "import_s": imported - started,
        "start_s": ready - imported,
        "rss_before_mb": before,
        "jobs": len(scheduler.get_jobs()),
        **memory_mb(),
    }
    scheduler.shutdown(wait=False)
    await db.dispose()
    return figures


def main() -> None:
    design, url, extra = sys.argv[1:4]
    if design == "isobot":
        figures = asyncio.run(isobot(url, extra))
    else:
        figures = asyncio.run(cron(url, int(extra)))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
