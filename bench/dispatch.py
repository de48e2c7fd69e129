"""Time per due reminder of a dispatcher tick among a million users.

Wall time includes the database. CPU time is this process's (`time.process_time`), which on
SQLite includes the database's work (it runs in a thread of this process) and on PostgreSQL does
not (the server is another process). The first, ORM dispatcher that docs/benchmarks.md compares
with is in the git history (bench/orm_dispatcher.py, up to commit e35aff4).
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass

from bench.databases import fresh_database
from bench.population import NOW, make_due, populate
from scheduler.dispatcher import dispatch_due
from scheduler.policy import Policy
from storage import Database


@dataclass(frozen=True)
class Figure:
    backend: str
    due: int
    wall_ms: float  # median of the runs
    cpu_ms: float  # median of the runs

    def per_due(self, ms: float) -> float:
        return ms / self.due


async def _one_tick(db: Database, due: int) -> tuple[float, float]:
    await make_due(db, due)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = await dispatch_due(db, NOW, Policy())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert (result.claimed, result.queued) == (due, due), result
    return wall * 1000, cpu * 1000


async def measure(
    backend: str, users: int, dues: list[int], runs: int
) -> tuple[list[Figure], float, float]:
    """Figures per number due; the population's seconds; an idle tick's milliseconds."""
    async with fresh_database(backend) as url:
        db = Database(url)
        try:
            population = await populate(db, users)
            figures = []
            for due in dues:
                samples = [await _one_tick(db, due) for _ in range(runs)]
                figures.append(
                    Figure(
                        backend,
                        due,
                        statistics.median(w for w, _ in samples),
                        statistics.median(c for _, c in samples),
                    )
                )
            started = time.perf_counter()
            idle = await dispatch_due(db, NOW, Policy())
            idle_ms = (time.perf_counter() - started) * 1000
            assert idle.claimed == 0
        finally:
            await db.dispose()
    return figures, population.seconds, idle_ms


async def run(backends: list[str], users: int, dues: list[int], runs: int) -> None:
    print(
        f"dispatcher: {users:,} users with 3 reminders each, median of {runs} ticks; "
        "per due reminder: wall (with the database) and this process's CPU"
    )
    print(
        f"  {'backend':<9} {'due':>7} {'wall ms':>9} {'CPU ms':>9} "
        f"{'wall ms/due':>12} {'CPU ms/due':>11}"
    )
    for backend in backends:
        figures, populate_s, idle_ms = await measure(backend, users, dues, runs)
        for f in figures:
            print(
                f"  {f.backend:<9} {f.due:>7,} {f.wall_ms:>9.1f} {f.cpu_ms:>9.1f} "
                f"{f.per_due(f.wall_ms):>12.4f} {f.per_due(f.cpu_ms):>11.4f}"
            )
        print(
            f"  {backend:<9} idle tick {idle_ms:.1f} ms; "
            f"generating {users:,} users and {3 * users:,} reminders took {populate_s:.0f} s"
        )
