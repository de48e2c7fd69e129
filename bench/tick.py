"""How long one dispatcher tick takes with many users of whom only some are due."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, text, update

from bench.databases import fresh_database
from scheduler.dispatcher import dispatch_due
from scheduler.policy import Policy
from storage import Database
from storage.models import Delivery, Reminder, ReminderKind, User, UserStatus

# 14:00 in Berlin is 12:00 UTC on this day: the due reminders' real occurrence.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHUNK = 10_000


async def populate(db: Database, users: int, due: int) -> None:
    for start in range(0, users, CHUNK):
        ids = range(start + 1, min(start + CHUNK, users) + 1)
        async with db.session() as session:
            await session.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "chat_id": i,
                        "language": "en",
                        "timezone": "Europe/Berlin",
                        "status": UserStatus.ACTIVE,
                        "reminders_paused": False,
                        "awaiting": "",
                        "created_at": NOW,
                        "last_seen_at": NOW,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(Reminder),
                [
                    {
                        "user_id": i,
                        "kind": ReminderKind.DOSE,
                        "local_time": "14:00" if i <= due else "20:00",
                        "timezone": "Europe/Berlin",
                        "enabled": True,
                        # The others are due later today, at 20:00 Berlin.
                        "next_fire_at": NOW if i <= due else NOW + timedelta(hours=6),
                        "created_at": NOW,
                    }
                    for i in ids
                ],
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
