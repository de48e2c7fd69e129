"""How long one dispatcher tick takes with many users of whom only some are due."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text, update

from bench.databases import fresh_database
from scheduler.dispatcher import dispatch_due
from scheduler.policy import Policy
from storage import Database
from storage.models import Delivery, Reminder
from tests.seeding import insert_rows, reminder_row, user_row

# 14:00 in Berlin is 12:00 UTC on this day: the due reminders' real occurrence.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHUNK = 10_000


async def populate(db: Database, users: int, due: int) -> None:
    ids = range(1, users + 1)
    await insert_rows(
        db,
        (user_row(i, NOW, timezone="Europe/Berlin") for i in ids),
        (
            # The first `due` at 14:00 Berlin (NOW); the others later today, at 20:00.
            reminder_row(
                i,
                NOW,
                next_fire_at=NOW if i <= due else NOW + timedelta(hours=6),
                timezone="Europe/Berlin",
            )
            for i in ids
        ),
        chunk=CHUNK,
    )
    if db.engine.dialect.name == "postgresql":
        async with db.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()


async def reset_due(db: Database, due: int) -> None:
    async with db.session() as session:
        await session.execute(delete(Delivery))
        await session.execute(
            update(Reminder).where(Reminder.user_id <= due).values(next_fire_at=NOW)
        )


async def measure(backend: str, users: int, due: int, runs: int) -> dict[str, float]:
    async with fresh_database(backend) as url:
        db = Database(url)
        try:
            started = time.perf_counter()
            await populate(db, users, due)
            setup = time.perf_counter() - started
            timings = []
            for _ in range(runs):
                await reset_due(db, due)
                started = time.perf_counter()
                result = await dispatch_due(db, NOW, Policy())
                timings.append(time.perf_counter() - started)
                assert result.queued == due, result
            # A tick with nothing due: the cost of the index lookup alone.
            started = time.perf_counter()
            idle = await dispatch_due(db, NOW, Policy())
            idle_seconds = time.perf_counter() - started
            assert idle.claimed == 0
        finally:
            await db.dispose()
    return {
        "setup_s": setup,
        "median_ms": statistics.median(timings) * 1000,
        "min_ms": min(timings) * 1000,
        "max_ms": max(timings) * 1000,
        "idle_ms": idle_seconds * 1000,
    }


async def run(backends: list[str], users: int, due: int, runs: int) -> None:
    print(f"dispatcher tick: {users:,} users, {due:,} due, {runs} runs each")
    for backend in backends:
        figures = await measure(backend, users, due, runs)
        print(
            f"  {backend:<9} tick median {figures['median_ms']:.1f} ms "
            f"(min {figures['min_ms']:.1f}, max {figures['max_ms']:.1f}); "
            f"idle tick {figures['idle_ms']:.1f} ms; populate {figures['setup_s']:.1f} s"
        )
