"""The crash soak's short version: `python -m bot` killed with SIGKILL three times while reminders
fall due. The full soak (20 kills, 1,000 reminders) is `python3 dev.py soak`; both are
bench/soak.py."""

from __future__ import annotations

import pytest

from bench.soak import SoakConfig, run_soak

SHORT = SoakConfig(
    kills=3,
    reminders=100,
    window_minutes=1,
    speed=6.0,
    long_outages=1,
    seed=6,
    settle_timeout=120.0,
)


@pytest.mark.timeout(300)
async def test_three_kills_lose_nothing_and_double_nothing_on_sqlite(sqlite_db_url: str) -> None:
    report = await run_soak(SHORT, sqlite_db_url, "sqlite")
    print(report.text())
    assert report.problems() == []


@pytest.mark.postgres
@pytest.mark.timeout(300)
async def test_three_kills_lose_nothing_and_double_nothing_on_postgres(
    postgres_db_url: str,
) -> None:
    report = await run_soak(SHORT, postgres_db_url, "postgres")
    print(report.text())
    assert report.problems() == []
