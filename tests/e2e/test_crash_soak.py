"""The crash soak's short version: `python -m bot` killed with SIGKILL three times while reminders
fall due and users press Taken, on SQLite and on PostgreSQL. Its checks include that no button
press was lost: polling confirms an update only once it has been handled (bot/polling.py). The
full soak (20 kills, 1,000 reminders) is `python3 dev.py soak`; both are bench/soak.py."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.soak import SoakConfig, SoakReport, run_soak
from storage.migrate import upgrade
from tests.databases import postgres_admin_url, throwaway_postgres, unavailable

SHORT = SoakConfig(
    kills=3,
    reminders=100,
    window_minutes=1,
    speed=8.0,
    long_outages=1,
    seed=6,
    settle_timeout=120.0,
)
# Generous: on a busy machine a start of the bot can take ten seconds, and there are four.
WITHIN = 240.0


async def soak_on_sqlite() -> SoakReport:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'soak.sqlite3'}"
        await upgrade(url)
        return await run_soak(SHORT, url, "sqlite")


async def soak_on_postgres() -> SoakReport:
    async with throwaway_postgres() as url:
        await upgrade(url)
        return await run_soak(SHORT, url, "postgres")


@pytest.fixture(scope="module")
def soaks() -> Iterator[dict[str, Future[SoakReport]]]:
    """Both backends' soaks at once, each on its own thread and event loop: they mostly wait for
    processes to start and for simulated time to pass, so side by side they take the time of one."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="soak") as pool:
        runs = {"sqlite": pool.submit(asyncio.run, soak_on_sqlite())}
        if postgres_admin_url() is not None:
            runs["postgres"] = pool.submit(asyncio.run, soak_on_postgres())
        yield runs


def check(report: SoakReport) -> None:
    print(report.text())
    assert report.problems() == []
    assert report.presses_lost == 0  # among the problems too; the figure, spelled out


@pytest.mark.timeout(WITHIN + 30)
def test_three_kills_lose_nothing_and_double_nothing_on_sqlite(
    soaks: dict[str, Future[SoakReport]],
) -> None:
    check(soaks["sqlite"].result(timeout=WITHIN))


@pytest.mark.postgres
@pytest.mark.timeout(WITHIN + 30)
def test_three_kills_lose_nothing_and_double_nothing_on_postgres(
    soaks: dict[str, Future[SoakReport]],
) -> None:
    if "postgres" not in soaks:
        unavailable("TEST_POSTGRES_URL is not set")
    check(soaks["postgres"].result(timeout=WITHIN))
