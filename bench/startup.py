"""Start-up time and memory: our design with 1M users and 3M reminders in the database, beside the
common design, one APScheduler CronTrigger job per reminder rebuilt at start-up, at 10k and 100k
reminders. Each start-up runs in a fresh process (bench/startup_child.py); runs interleave.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
from dataclasses import dataclass

from bench.broadcast import fake_in_another_process
from bench.databases import fresh_database
from bench.population import populate
from bench.startup_child import TOKEN
from storage import Database


@dataclass(frozen=True)
class Figures:
    design: str
    reminders: int
    import_s: float
    start_s: float  # from the end of the imports to ready
    rss_mb: float
    peak_mb: float
    rss_before_mb: float  # after the imports, before the design's own start-up

    @property
    def own_mb(self) -> float:
        """Memory the design itself added, beyond the imported code."""
        return self.rss_mb - self.rss_before_mb


async def _child(*args: str) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.startup_child", *args, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"start-up child {args[0]} failed with {process.returncode}")
    figures: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return figures


def _median(design: str, reminders: int, runs: list[dict[str, float]]) -> Figures:
    def med(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    return Figures(
        design,
        reminders,
        med("import_s"),
        med("start_s"),
        med("rss_mb"),
        med("peak_mb"),
        med("rss_before_mb"),
    )


async def measure(
    backend: str, users: int, cron_sizes: list[int], runs: int
) -> tuple[list[Figures], int]:
    async with fresh_database(backend) as url:
        db = Database(url)
        population = await populate(db, users)
        await db.dispose()
        samples: dict[tuple[str, int], list[dict[str, float]]] = {}
        async with fake_in_another_process(0, token=TOKEN) as (base, _):
            for _ in range(runs):
                samples.setdefault(("isobot", population.reminders), []).append(
                    await _child("isobot", url, base)
                )
                for size in cron_sizes:
                    samples.setdefault(("cron", size), []).append(
                        await _child("cron", url, str(size))
                    )
    figures = [_median(design, n, found) for (design, n), found in samples.items()]
    return figures, population.reminders


async def run(backends: list[str], users: int, cron_sizes: list[int], runs: int) -> None:
    print(
        f"start-up: {users:,} users with 3 reminders each; each start in a fresh process, "
        f"median of {runs}; memory is resident (VmRSS), 'own' is what the design added after "
        "the imports"
    )
    print(
        f"  {'backend':<9} {'design':<22} {'reminders':>10} {'import s':>9} {'start s':>8} "
        f"{'RSS MB':>7} {'peak MB':>8} {'own MB':>7}"
    )
    for backend in backends:
        figures, _ = await measure(backend, users, cron_sizes, runs)
        ours = next(f for f in figures if f.design == "isobot")
        for f in figures:
            name = "isobot (rows + 1 tick)" if f.design == "isobot" else "CronTrigger per reminder"
            print(
                f"  {backend:<9} {name:<22} {f.reminders:>10,} {f.import_s:>9.2f} "
                f"{f.start_s:>8.2f} {f.rss_mb:>7.0f} {f.peak_mb:>8.0f} {f.own_mb:>7.1f}"
            )
        for f in figures:
            if f.design == "cron":
                print(
                    f"  {backend:<9} ratio at {f.reminders:,} jobs vs ours at "
                    f"{ours.reminders:,} rows: start {f.start_s / ours.start_s:.1f}x, "
                    f"RSS {f.rss_mb / ours.rss_mb:.2f}x, own memory "
                    f"{f.own_mb / max(ours.own_mb, 0.1):.1f}x"
                )
