"""Three `python -m bot` processes started at once on a new, empty PostgreSQL database: each
start-up runs the migrations, one at a time, and all three come up."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from sandbox import FakeBotApi
from tests.databases import throwaway_postgres
from tests.e2e.test_instance_processes import BotProcess, senders, three_instances, wait_until
from tests.schema_versions import head, recorded_versions

pytestmark = pytest.mark.postgres


def exit_codes(instances: list[BotProcess]) -> list[int | None]:
    """Each process's exit code, None while it runs."""
    return [bot.process.returncode if bot.process else None for bot in instances]


async def test_three_instances_starting_at_once_on_an_empty_database_all_come_up(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    async with throwaway_postgres() as url:
        async with (
            three_instances(fake, url, tmp_path) as instances,
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as session,
        ):

            async def all_up() -> bool:
                # A start-up that failed exits at once: say so now, not after the timeout.
                assert exit_codes(instances) == [None] * 3, "an instance exited while starting"
                return None not in await senders(instances, session)

            await wait_until(all_up, within=60, what="three instances answering /healthz")
        # Stopped by SIGTERM on leaving the block: a clean exit, not a kill after a hang.
        assert exit_codes(instances) == [0, 0, 0]
        assert await recorded_versions(url) == [head()]
